// The `sctp` interface of wit/sctp.wit as data: its named types and the methods of `sctp-socket`,
// with each value's jco representation. The API fuzzer generates arguments and checks results
// from it, so every function of the resource is covered as the WIT stands (options added or
// changed later included), without a hand-written list.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../../scripts/guests.js';

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

class Parser {
  private tokens: string[];
  private i = 0;

  constructor(source: string) {
    const stripped = source.replace(/\/\/[^\n]*/g, '');
    this.tokens = stripped.match(/%?[a-z][a-z0-9-]*|->|[{}()<>,:;=.@/*_]|\d+(?:\.\d+)*/gi) ?? [];
  }

  peek(): string | undefined { return this.tokens[this.i]; }
  next(): string {
    const t = this.tokens[this.i++];
    if (t === undefined) throw new Error('wit-model: unexpected end of input');
    return t;
  }
  expect(t: string): void {
    const got = this.next();
    if (got !== t) throw new Error(`wit-model: expected '${t}', got '${got}' (token ${this.i})`);
  }
  name(): string { return this.next().replace(/^%/, ''); }

  /** Skips the gates before an item (`@since(version = 0.1.0)`, `@unstable(feature = x)`). */
  gates(): void {
    while (this.peek() === '@') {
      this.next();
      this.next();
      this.expect('(');
      while (this.next() !== ')');
    }
  }

  type(): WitType {
    const t = this.name();
    if (PRIMS.has(t)) return { kind: 'prim', name: t as never };
    if (t === 'list' || t === 'option') {
      this.expect('<');
      const of = this.type();
      this.expect('>');
      return { kind: t, of };
    }
    if (t === 'borrow' || t === 'own') {
      this.expect('<');
      const resource = this.name();
      this.expect('>');
      return { kind: 'handle', resource };
    }
    if (t === 'tuple') {
      this.expect('<');
      const of: WitType[] = [this.type()];
      while (this.peek() === ',') { this.next(); of.push(this.type()); }
      this.expect('>');
      return { kind: 'tuple', of };
    }
    if (t === 'result') {
      if (this.peek() !== '<') return { kind: 'result' };
      this.next();
      const first = this.peek() === '_' ? (this.next(), undefined) : this.type();
      let err: WitType | undefined;
      if (this.peek() === ',') { this.next(); err = this.type(); }
      this.expect('>');
      return { kind: 'result', ok: first, err };
    }
    return { kind: 'named', name: t };
  }

  /** `name, name, ...}` lists of enum cases / flags. */
  names(): string[] {
    const out: string[] = [];
    this.expect('{');
    while (this.peek() !== '}') {
      out.push(this.name());
      if (this.peek() === ',') this.next();
    }
    this.expect('}');
    return out;
  }

  func(): Pick<Method, 'params' | 'result'> {
    this.expect('func');
    this.expect('(');
    const params: Method['params'] = [];
    while (this.peek() !== ')') {
      const name = this.name();
      this.expect(':');
      params.push({ name, type: this.type() });
      if (this.peek() === ',') this.next();
    }
    this.expect(')');
    let result: WitType | undefined;
    if (this.peek() === '->') { this.next(); result = this.type(); }
    this.expect(';');
    return { params, result };
  }
}

/** Parses `interface <name> { ... }` of a WIT file (the resource's methods; free functions are left out). */
export function parseInterface(source: string, interfaceName: string, resourceName: string): WitModel {
  const p = new Parser(source);
  for (let previous = ''; ; previous = p.next()) {
    if (p.peek() === undefined) throw new Error(`wit-model: no interface ${interfaceName}`);
    if (previous === 'interface' && p.peek() === interfaceName) break;
  }
  p.next();
  p.expect('{');
  const types = new Map<string, TypeDef>();
  const methods: Method[] = [];
  while (p.peek() !== '}') {
    p.gates();
    const keyword = p.next();
    if (keyword === 'use') {
      while (p.next() !== ';');
    } else if (keyword === 'type') {
      const name = p.name();
      p.expect('=');
      types.set(name, { kind: 'alias', type: p.type() });
      p.expect(';');
    } else if (keyword === 'enum') {
      const name = p.name();
      types.set(name, { kind: 'enum', cases: p.names() });
    } else if (keyword === 'flags') {
      const name = p.name();
      types.set(name, { kind: 'flags', flags: p.names() });
    } else if (keyword === 'record') {
      const name = p.name();
      const fields: Array<{ name: string; type: WitType }> = [];
      p.expect('{');
      while (p.peek() !== '}') {
        const field = p.name();
        p.expect(':');
        fields.push({ name: field, type: p.type() });
        if (p.peek() === ',') p.next();
      }
      p.expect('}');
      types.set(name, { kind: 'record', fields });
    } else if (keyword === 'variant') {
      const name = p.name();
      const cases: Array<{ name: string; type?: WitType }> = [];
      p.expect('{');
      while (p.peek() !== '}') {
        const c = p.name();
        let type: WitType | undefined;
        if (p.peek() === '(') { p.next(); type = p.type(); p.expect(')'); }
        cases.push({ name: c, type });
        if (p.peek() === ',') p.next();
      }
      p.expect('}');
      types.set(name, { kind: 'variant', cases });
    } else if (keyword === 'resource') {
      const name = p.name();
      p.expect('{');
      while (p.peek() !== '}') {
        p.gates();
        const method = p.name();
        p.expect(':');
        if (p.peek() === 'static') throw new Error('wit-model: static functions are not modelled');
        const f = p.func();
        if (name === resourceName) methods.push({ wit: method, js: camel(method), ...f });
      }
      p.expect('}');
    } else {
      // A free function: `name: func(...) -> ...;`
      p.expect(':');
      p.func();
    }
  }
  return { types, methods };
}

export function loadSctpModel(): WitModel {
  return parseInterface(readFileSync(join(projectRoot, 'wit', 'sctp.wit'), 'utf8'), 'sctp', 'sctp-socket');
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
