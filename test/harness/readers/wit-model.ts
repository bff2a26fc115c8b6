// The `sctp` interface of wit/sctp.wit as data: its named types and the methods of `sctp-socket`,
// with each value's jco representation. The API fuzzer generates arguments and checks results
// from it, so every function of the resource is covered as the WIT stands (options added or
// changed later included), without a hand-written list.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../scripts/guests.js';
import { parseWit } from '../../../tools/wit-c/parser.js';
import type { TypeExpr, TypeDecl } from '../../../tools/wit-c/ast.js';

export type WitType =
  | { kind: 'prim'; name: 'bool' | 'u8' | 'u16' | 'u32' | 'u64' | 's8' | 's16' | 's32' | 's64' | 'f32' | 'f64' | 'char' | 'string' }
  | { kind: 'list'; of: WitType }
  | { kind: 'option'; of: WitType }
  | { kind: 'result'; ok?: WitType; err?: WitType }
  | { kind: 'tuple'; of: WitType[] }
  | { kind: 'handle'; resource: string }
  | { kind: 'named'; name: string };

export type TypeDef =
  | { kind: 'alias'; type: WitType }
  | { kind: 'record'; fields: Array<{ name: string; type: WitType }> }
  | { kind: 'variant'; cases: Array<{ name: string; type?: WitType }> }
  | { kind: 'enum'; cases: string[] }
  | { kind: 'flags'; flags: string[] };

export interface Method {
  /** The WIT name ('set-rto-info'). */
  wit: string;
  /** The jco method name ('setRtoInfo'). */
  js: string;
  params: Array<{ name: string; type: WitType }>;
  result?: WitType;
}

export interface WitModel {
  types: Map<string, TypeDef>;
  methods: Method[];
}

export const camel = (kebab: string): string => kebab.replace(/^%/, '').replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

const PRIMS = new Set(['bool', 'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'f32', 'f64', 'char', 'string']);

/** A type as tools/wit-c's parser writes it, in the model's terms. */
function typeOf(t: TypeExpr): WitType {
  switch (t.kind) {
    case 'name': return PRIMS.has(t.name) ? { kind: 'prim', name: t.name as never } : { kind: 'named', name: t.name };
    case 'list': return { kind: 'list', of: typeOf(t.elem) };
    case 'option': return { kind: 'option', of: typeOf(t.inner) };
    case 'result': return { kind: 'result', ok: t.ok && typeOf(t.ok), err: t.err && typeOf(t.err) };
    case 'tuple': return { kind: 'tuple', of: t.items.map(typeOf) };
    case 'own': case 'borrow': return { kind: 'handle', resource: t.name };
    default: throw new Error(`wit-model: ${t.kind} is not modelled`);
  }
}

function typeDefOf(d: TypeDecl): TypeDef | undefined {
  switch (d.kind) {
    case 'alias': return { kind: 'alias', type: typeOf(d.target) };
    case 'record': return { kind: 'record', fields: d.fields.map((f) => ({ name: f.name, type: typeOf(f.type) })) };
    case 'variant': return { kind: 'variant', cases: d.cases.map((c) => ({ name: c.name, type: c.type && typeOf(c.type) })) };
    case 'enum': return { kind: 'enum', cases: d.cases };
    case 'flags': return { kind: 'flags', flags: d.flags };
    case 'resource': return undefined;
  }
}

/**
 * `interface <name>` of a WIT file, read with tools/wit-c's parser: its named types and the methods of
 * one resource (free functions are left out).
 */
function parseInterface(file: string, interfaceName: string, resourceName: string): WitModel {
  const decl = parseWit(readFileSync(file, 'utf8'), file).interfaces.find((i) => i.name === interfaceName);
  if (!decl) throw new Error(`wit-model: no interface ${interfaceName}`);
  const types = new Map<string, TypeDef>();
  const methods: Method[] = [];
  for (const d of decl.types) {
    const def = typeDefOf(d);
    if (def) types.set(d.name, def);
    if (d.kind !== 'resource') continue;
    for (const f of d.funcs) {
      if (f.kind !== 'method') throw new Error(`wit-model: ${f.kind} functions are not modelled`);
      if (d.name === resourceName) methods.push({ wit: f.name, js: camel(f.name), params: f.params.map((p) => ({ name: p.name, type: typeOf(p.type) })), result: f.result && typeOf(f.result) });
    }
  }
  return { types, methods };
}

export function loadSctpModel(): WitModel {
  return parseInterface(join(projectRoot, 'wit', 'sctp.wit'), 'sctp', 'sctp-socket');
}

/** Types that come from wasi:sockets/network (used, not defined, by the interface). */
const EXTERNAL: Record<string, TypeDef> = {
  'ip-address-family': { kind: 'enum', cases: ['ipv4', 'ipv6'] },
  'error-code': { kind: 'enum', cases: [] },
};

export function resolve(model: WitModel, type: WitType): WitType | TypeDef {
  if (type.kind !== 'named') return type;
  const def = model.types.get(type.name) ?? EXTERNAL[type.name];
  if (!def) return type; // ip-socket-address, pollable, network: the caller knows them
  return def.kind === 'alias' ? resolve(model, def.type) : def;
}

const RANGES: Record<string, [number, number]> = {
  u8: [0, 0xff], u16: [0, 0xffff], u32: [0, 0xffffffff], s8: [-0x80, 0x7f], s16: [-0x8000, 0x7fff], s32: [-0x80000000, 0x7fffffff],
};

/**
 * Whether `value` is a valid jco value of `type` (what jco can lower into a guest). Returns a
 * description of the first problem, or undefined. `external` checks types the model does not
 * define (ip-socket-address, pollable).
 */
export function conformance(model: WitModel, type: WitType, value: unknown, external: (name: string, value: unknown) => string | undefined,
  path = 'result'): string | undefined {
  const t = resolve(model, type);
  const bad = (why: string) => `${path}: ${why} (${typeof value === 'bigint' ? `${value}n` : JSON.stringify(value)?.slice(0, 120)})`;
  switch (t.kind) {
    case 'prim': {
      if (t.name === 'bool') return typeof value === 'boolean' ? undefined : bad('not a bool');
      if (t.name === 'u64') return typeof value === 'bigint' && value >= 0n && value < 1n << 64n ? undefined : bad('not a u64 bigint');
      if (t.name === 's64') return typeof value === 'bigint' && value >= -(1n << 63n) && value < 1n << 63n ? undefined : bad('not an s64 bigint');
      if (t.name === 'string' || t.name === 'char') return typeof value === 'string' ? undefined : bad('not a string');
      if (t.name === 'f32' || t.name === 'f64') return typeof value === 'number' ? undefined : bad('not a number');
      const [lo, hi] = RANGES[t.name];
      return typeof value === 'number' && Number.isInteger(value) && value >= lo && value <= hi ? undefined : bad(`not a ${t.name}`);
    }
    case 'list': {
      const of = resolve(model, t.of);
      if (of.kind === 'prim' && (of.name === 'u8' || of.name === 'u16' || of.name === 'u32')) {
        const ctor = { u8: Uint8Array, u16: Uint16Array, u32: Uint32Array }[of.name];
        if (value instanceof ctor) return undefined;
      }
      if (!Array.isArray(value) && !ArrayBuffer.isView(value)) return bad('not a list');
      const items = Array.from(value as ArrayLike<unknown>);
      for (let i = 0; i < items.length; i++) {
        const e = conformance(model, t.of, items[i], external, `${path}[${i}]`);
        if (e) return e;
      }
      return undefined;
    }
    case 'option':
      return value === undefined ? undefined : conformance(model, t.of, value, external, `${path}?`);
    case 'result':
      return t.ok ? conformance(model, t.ok, value, external, path) : undefined;
    case 'tuple':
      if (!Array.isArray(value) || value.length !== t.of.length) return bad('not a tuple');
      for (let i = 0; i < t.of.length; i++) {
        const e = conformance(model, t.of[i], value[i], external, `${path}[${i}]`);
        if (e) return e;
      }
      return undefined;
    case 'handle':
      return external(t.resource, value) === undefined ? undefined : bad(`not a ${t.resource}`);
    case 'named':
      return external(t.name, value) ? bad(external(t.name, value)!) : undefined;
    case 'enum':
      return typeof value === 'string' && t.cases.includes(value) ? undefined : bad(`not one of ${t.cases.join('|')}`);
    case 'flags': {
      if (typeof value !== 'object' || value === null) return bad('not flags');
      const known = new Set(t.flags.map(camel));
      for (const [k, v] of Object.entries(value)) {
        if (!known.has(k)) return bad(`unknown flag ${k}`);
        if (v !== undefined && typeof v !== 'boolean') return bad(`flag ${k} not a bool`);
      }
      return undefined;
    }
    case 'record': {
      if (typeof value !== 'object' || value === null) return bad('not a record');
      for (const f of t.fields) {
        const e = conformance(model, f.type, (value as Record<string, unknown>)[camel(f.name)], external, `${path}.${camel(f.name)}`);
        if (e) return e;
      }
      return undefined;
    }
    case 'variant': {
      const v = value as { tag?: unknown; val?: unknown };
      const c = t.cases.find((x) => x.name === v?.tag);
      if (!c) return bad('unknown variant case');
      return c.type ? conformance(model, c.type, v.val, external, `${path}<${c.name}>`) : undefined;
    }
    case 'alias':
      return conformance(model, t.type, value, external, path);
  }
}
