// How a WIT function looks in C (wit-bindgen's conventions): scalars, enums, flags and handles go by
// value, everything else by pointer; a function returning result<T, E> returns bool (true: ok) and
// writes `T *ret` or `E *err`; option<T> returns bool (true: some) and writes `T *ret`; other
// compound results are written to `T *ret`.
import { dealias, type Func, type Type } from './model.js';
import { member, type Names } from './names.js';

/** How a C function hands back a WIT result. */
export type ReturnShape =
  | { kind: 'void' }
  | { kind: 'value'; type: Type }
  | { kind: 'out'; type: Type }
  | { kind: 'result'; type: Type; ok?: Type; err?: Type }
  | { kind: 'option'; type: Type; inner: Type };

export interface ApiParam { name: string; type: Type; byPointer: boolean }

/** A WIT function as a C function. */
export interface Api {
  name: string;
  params: ApiParam[];
  ret: ReturnShape;
  /** Names of the out parameters (`ret`, `err`), unless a parameter has them. */
  retName: string;
  errName: string;
}

function byValue(t: Type): boolean {
  const d = dealias(t);
  if (d.kind === 'prim') return d.name !== 'string';
  if (d.kind === 'own' || d.kind === 'borrow') return true;
  return d.kind === 'def' && (d.def.kind === 'enum' || d.def.kind === 'flags');
}

export function apiOf(f: Func, name: string): Api {
  const params = f.params.map((p) => ({ name: member(p.name), type: p.type, byPointer: !byValue(p.type) }));
  const used = new Set(params.map((p) => p.name));
  const free = (n: string) => { while (used.has(n)) n = `${n}_`; return n; };
  let ret: ReturnShape = { kind: 'void' };
  if (f.result) {
    const d = dealias(f.result);
    if (d.kind === 'result') ret = { kind: 'result', type: f.result, ok: d.ok, err: d.err };
    else if (d.kind === 'option') ret = { kind: 'option', type: f.result, inner: d.inner };
    else if (byValue(f.result)) ret = { kind: 'value', type: f.result };
    else ret = { kind: 'out', type: f.result };
  }
  return { name, params, ret, retName: free('ret'), errName: free('err') };
}

export function prototype(names: Names, api: Api): string {
  const args = api.params.map((p) => `${names.type(p.type)} ${p.byPointer ? '*' : ''}${p.name}`);
  const r = api.ret;
  let returns = 'void';
  if (r.kind === 'value') returns = names.type(r.type);
  if (r.kind === 'result' || r.kind === 'option') returns = 'bool';
  if (r.kind === 'out') args.push(`${names.type(r.type)} *${api.retName}`);
  if (r.kind === 'option') args.push(`${names.type(r.inner)} *${api.retName}`);
  if (r.kind === 'result') {
    if (r.ok) args.push(`${names.type(r.ok)} *${api.retName}`);
    if (r.err) args.push(`${names.type(r.err)} *${api.errName}`);
  }
  return `${returns} ${api.name}(${args.length ? args.join(', ') : 'void'})`;
}

/**
 * The parameters that go as one tuple in memory when they are too many for core values, laid out as
 * a C struct lays them out.
 */
export function paramTuple(names: Names, api: Api): string {
  return `struct { ${api.params.map((p, i) => `${names.type(p.type)} f${i};`).join(' ')} }`;
}
