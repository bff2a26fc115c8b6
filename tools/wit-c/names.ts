// C names for WIT items, after wit-bindgen's C conventions: `<ns>_<pkg>_<iface>_<name>_t` types,
// `<prefix>_method_<resource>_<method>` functions, `<prefix>_own_<resource>_t` handles,
// UPPER_CASE constants, and anonymous types named by structure (`<owner>_list_u8_t`).
import { dealias, type Func, type Interface, type Type, type TypeDef, type World } from './model.js';

const C_KEYWORDS = new Set(['auto', 'break', 'case', 'char', 'const', 'continue', 'default', 'do', 'double', 'else', 'enum', 'extern',
  'float', 'for', 'goto', 'if', 'inline', 'int', 'long', 'register', 'restrict', 'return', 'short', 'signed', 'sizeof', 'static',
  'struct', 'switch', 'typedef', 'union', 'unsigned', 'void', 'volatile', 'while', 'bool', 'true', 'false', 'errno', 'assert']);

export function snake(kebab: string): string {
  return kebab.replace(/-/g, '_').toLowerCase();
}

/** A field, case or parameter name that is not a C keyword. */
export function member(kebab: string): string {
  const s = snake(kebab);
  return C_KEYWORDS.has(s) ? `${s}_` : s;
}

export function upper(s: string): string {
  return s.toUpperCase();
}

const PRIM_C: Record<string, string> = {
  bool: 'bool', u8: 'uint8_t', u16: 'uint16_t', u32: 'uint32_t', u64: 'uint64_t',
  s8: 'int8_t', s16: 'int16_t', s32: 'int32_t', s64: 'int64_t', f32: 'float', f64: 'double', char: 'uint32_t',
};

export class Names {
  readonly world: string;
  /** C name -> structural key, to refuse two types that would get one name. */
  private readonly taken = new Map<string, string>();

  constructor(world: World) {
    this.world = snake(world.name);
  }

  prefix(owner: Interface | World): string {
    if (owner.kind === 'world') return this.world;
    if (!owner.package) return `${this.world}_${snake(owner.name)}`;
    return `${snake(owner.package.namespace)}_${snake(owner.package.name)}_${snake(owner.name)}`;
  }

  stringType(): string {
    return `${this.world}_string_t`;
  }

  /** The C type of a value of `t`. */
  type(t: Type): string {
    switch (t.kind) {
      case 'prim': return t.name === 'string' ? this.stringType() : PRIM_C[t.name];
      case 'own': case 'borrow': return this.handle(t.resource, t.kind);
      case 'def': return `${this.prefix(t.def.owner)}_${snake(t.def.name)}_t`;
      default: return this.anonymous(t);
    }
  }

  handle(resource: TypeDef, kind: 'own' | 'borrow', viaName = resource.name, owner = resource.owner): string {
    return `${this.prefix(owner)}_${kind}_${snake(viaName)}_t`;
  }

  /** The name without `_t`, the stem of its helper functions (`<stem>_free`). */
  stem(t: Type): string {
    return this.type(t).replace(/_t$/, '');
  }

  /** A structural key: equal keys are one C type. Aliases are transparent. */
  key(t: Type): string {
    const d = dealias(t);
    switch (d.kind) {
      case 'prim': return d.name;
      case 'list': return `list<${this.key(d.elem)}>`;
      case 'option': return `option<${this.key(d.inner)}>`;
      case 'result': return `result<${d.ok ? this.key(d.ok) : '_'},${d.err ? this.key(d.err) : '_'}>`;
      case 'tuple': return `tuple<${d.items.map((i) => this.key(i)).join(',')}>`;
      case 'own': case 'borrow': return `${d.kind}<${this.prefix(d.resource.owner)}.${d.resource.name}>`;
      case 'def': return `${this.prefix(d.def.owner)}.${d.def.name}`;
    }
  }

  private short(t: Type): string {
    const d = dealias(t);
    switch (d.kind) {
      case 'prim': return d.name;
      case 'list': return `list_${this.short(d.elem)}`;
      case 'option': return `option_${this.short(d.inner)}`;
      case 'result': return `result_${d.ok ? this.short(d.ok) : 'void'}_${d.err ? this.short(d.err) : 'void'}`;
      case 'tuple': return `tuple${d.items.length}_${d.items.map((i) => this.short(i)).join('_')}`;
      case 'own': case 'borrow': return `${d.kind}_${snake(d.resource.name)}`;
      case 'def': return snake(d.def.name);
    }
  }

  /** The interface of the first named type inside `t`, or the world for types of built-ins only. */
  private ownerOf(t: Type): Interface | World | undefined {
    const d = dealias(t);
    switch (d.kind) {
      case 'prim': return undefined;
      case 'list': return this.ownerOf(d.elem);
      case 'option': return this.ownerOf(d.inner);
      case 'result': return (d.ok && this.ownerOf(d.ok)) || (d.err && this.ownerOf(d.err)) || undefined;
      case 'tuple': return d.items.map((i) => this.ownerOf(i)).find(Boolean);
      case 'own': case 'borrow': return d.resource.owner;
      case 'def': return d.def.owner;
    }
  }

  private anonymous(t: Type): string {
    const d = dealias(t);
    const owner = this.ownerOf(d);
    const name = `${owner ? this.prefix(owner) : this.world}_${this.short(d)}_t`;
    const key = this.key(d);
    const seen = this.taken.get(name);
    if (seen !== undefined && seen !== key) throw new Error(`two types would be named ${name}: ${seen} and ${key}`);
    this.taken.set(name, key);
    return name;
  }

  /** The C function that calls an import (or that a guest implements, for an export). */
  func(f: Func, owner: Interface | World, exported: boolean): string {
    const p = this.prefix(owner);
    const r = f.resource ? snake(f.resource.name) : '';
    const base = f.kind === 'method' ? `${p}_method_${r}_${snake(f.name)}`
      : f.kind === 'static' ? `${p}_static_${r}_${snake(f.name)}`
        : f.kind === 'constructor' ? `${p}_constructor_${r}`
          : `${p}_${snake(f.name)}`;
    return exported ? `exports_${base}` : base;
  }

  /** The constant of a case or flag: `<TYPE STEM>_<CASE>`. */
  constant(def: TypeDef, name: string): string {
    return upper(`${this.prefix(def.owner)}_${snake(def.name)}_${snake(name)}`);
  }
}
