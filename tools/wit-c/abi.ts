// The Canonical ABI's layout and flattening rules (component-model design/mvp/CanonicalABI.md:
// alignment, elem_size, flatten_type, flatten_functype), for 32-bit linear memory.
import { dealias, type Case, type Func, type Type, type TypeDef } from './model.js';

export type CoreType = 'i32' | 'i64' | 'f32' | 'f64';

export const MAX_FLAT_PARAMS = 16;
export const MAX_FLAT_RESULTS = 1;

/** A variant's shape: the option and result types are variants too. */
export function casesOf(t: Type): Case[] | undefined {
  const d = dealias(t);
  if (d.kind === 'option') return [{ name: 'none' }, { name: 'some', type: d.inner }];
  if (d.kind === 'result') return [{ name: 'ok', type: d.ok }, { name: 'error', type: d.err }];
  if (d.kind === 'def' && d.def.kind === 'variant') return d.def.cases;
  if (d.kind === 'def' && d.def.kind === 'enum') return d.def.cases.map((name) => ({ name }));
  return undefined;
}

/** Bytes of the discriminant of a variant with `n` cases. */
export function discriminantSize(n: number): 1 | 2 | 4 {
  return n <= 0x100 ? 1 : n <= 0x10000 ? 2 : 4;
}

/** Bytes of a flags value (in memory) with `n` flags. */
export function flagsSize(n: number): number {
  return n <= 8 ? 1 : n <= 16 ? 2 : 4 * Math.ceil(n / 32);
}

function fieldsOf(t: Type): Type[] | undefined {
  const d = dealias(t);
  if (d.kind === 'tuple') return d.items;
  if (d.kind === 'def' && d.def.kind === 'record') return d.def.fields.map((f) => f.type);
  return undefined;
}

/** Size and alignment of the primitives; a string is a pointer and a length. */
const PRIM_LAYOUT: Record<string, { size: number; align: number }> = {
  bool: { size: 1, align: 1 }, u8: { size: 1, align: 1 }, s8: { size: 1, align: 1 }, u16: { size: 2, align: 2 }, s16: { size: 2, align: 2 },
  u32: { size: 4, align: 4 }, s32: { size: 4, align: 4 }, f32: { size: 4, align: 4 }, char: { size: 4, align: 4 },
  u64: { size: 8, align: 8 }, s64: { size: 8, align: 8 }, f64: { size: 8, align: 8 }, string: { size: 8, align: 4 },
};

export function alignment(t: Type): number {
  const d = dealias(t);
  switch (d.kind) {
    case 'prim': return PRIM_LAYOUT[d.name].align;
    case 'list': case 'own': case 'borrow': return 4;
    case 'tuple': case 'option': case 'result': case 'def': break;
  }
  const fields = fieldsOf(d);
  if (fields) return Math.max(1, ...fields.map(alignment));
  if (d.kind === 'def' && d.def.kind === 'flags') return Math.min(4, flagsSize(d.def.flags.length));
  const cases = casesOf(d);
  if (cases) return Math.max(discriminantSize(cases.length), maxCaseAlignment(cases));
  throw new Error(`no layout for ${describe(t)}`);
}

function maxCaseAlignment(cases: Case[]): number {
  return Math.max(1, ...cases.map((c) => (c.type ? alignment(c.type) : 1)));
}

export function alignTo(n: number, a: number): number {
  return Math.ceil(n / a) * a;
}

export function elemSize(t: Type): number {
  const d = dealias(t);
  switch (d.kind) {
    case 'prim': return PRIM_LAYOUT[d.name].size;
    case 'list': return 8;
    case 'own': case 'borrow': return 4;
    default: break;
  }
  const fields = fieldsOf(d);
  if (fields) {
    let s = 0;
    for (const f of fields) s = alignTo(s, alignment(f)) + elemSize(f);
    return alignTo(s, alignment(d));
  }
  if (d.kind === 'def' && d.def.kind === 'flags') return flagsSize(d.def.flags.length);
  const cases = casesOf(d);
  if (cases) {
    let s = alignTo(discriminantSize(cases.length), maxCaseAlignment(cases));
    s += Math.max(0, ...cases.map((c) => (c.type ? elemSize(c.type) : 0)));
    return alignTo(s, alignment(d));
  }
  throw new Error(`no layout for ${describe(t)}`);
}

export function join(a: CoreType, b: CoreType): CoreType {
  if (a === b) return a;
  if ((a === 'i32' && b === 'f32') || (a === 'f32' && b === 'i32')) return 'i32';
  return 'i64';
}

/** The joined core types of a variant's payloads, after its discriminant. */
export function variantPayloadFlat(cases: Case[]): CoreType[] {
  const flat: CoreType[] = [];
  for (const c of cases) {
    if (!c.type) continue;
    flattenType(c.type).forEach((ft, i) => { flat[i] = i < flat.length ? join(flat[i], ft) : ft; });
  }
  return flat;
}

export function flattenType(t: Type): CoreType[] {
  const d = dealias(t);
  switch (d.kind) {
    case 'prim':
      switch (d.name) {
        case 'u64': case 's64': return ['i64'];
        case 'f32': return ['f32'];
        case 'f64': return ['f64'];
        case 'string': return ['i32', 'i32'];
        default: return ['i32'];
      }
    case 'list': return ['i32', 'i32'];
    case 'own': case 'borrow': return ['i32'];
    default: break;
  }
  const fields = fieldsOf(d);
  if (fields) return fields.flatMap(flattenType);
  if (d.kind === 'def' && d.def.kind === 'flags') return Array(Math.ceil(d.def.flags.length / 32)).fill('i32');
  const cases = casesOf(d);
  if (cases) return ['i32', ...variantPayloadFlat(cases)];
  throw new Error(`cannot flatten ${describe(t)}`);
}

export interface FlatSignature {
  params: CoreType[];
  results: CoreType[];
  /** The parameters travel in memory, as one tuple the caller points to. */
  paramsInMemory: boolean;
  /** The result travels in memory: a return pointer is the last parameter (lower) or the one result (lift). */
  resultInMemory: boolean;
}

/** flatten_functype: 'lower' is the core signature of an import, 'lift' the one of an export. */
export function flattenFunc(f: Func, context: 'lower' | 'lift'): FlatSignature {
  let params = f.params.flatMap((p) => flattenType(p.type));
  let results = f.result ? flattenType(f.result) : [];
  const paramsInMemory = params.length > MAX_FLAT_PARAMS;
  if (paramsInMemory) params = ['i32'];
  const resultInMemory = results.length > MAX_FLAT_RESULTS;
  if (resultInMemory) {
    if (context === 'lift') results = ['i32'];
    else { params = [...params, 'i32']; results = []; }
  }
  return { params, results, paramsInMemory, resultInMemory };
}

/** Whether values of the type own memory (a list or string somewhere inside). */
export function ownsMemory(t: Type): boolean {
  const d = dealias(t);
  switch (d.kind) {
    case 'prim': return d.name === 'string';
    case 'list': return true;
    case 'own': case 'borrow': return false;
    default: break;
  }
  const fields = fieldsOf(d);
  if (fields) return fields.some(ownsMemory);
  const cases = casesOf(d);
  if (cases) return cases.some((c) => c.type !== undefined && ownsMemory(c.type));
  return false;
}

export function describe(t: Type): string {
  switch (t.kind) {
    case 'prim': return t.name;
    case 'list': return `list<${describe(t.elem)}>`;
    case 'option': return `option<${describe(t.inner)}>`;
    case 'result': return `result<${t.ok ? describe(t.ok) : '_'}, ${t.err ? describe(t.err) : '_'}>`;
    case 'tuple': return `tuple<${t.items.map(describe).join(', ')}>`;
    case 'own': case 'borrow': return `${t.kind}<${t.resource.name}>`;
    case 'def': return t.def.name;
  }
}

export type { TypeDef };
