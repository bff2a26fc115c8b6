// Resolved WIT: packages, interfaces and worlds with every type reference bound to its definition.
// `use`d names become aliases of the definition they name, as `type x = y` does.

export type Primitive = 'bool' | 'u8' | 'u16' | 'u32' | 'u64' | 's8' | 's16' | 's32' | 's64' | 'f32' | 'f64' | 'char' | 'string';

export type Type =
  | { kind: 'prim'; name: Primitive }
  | { kind: 'list'; elem: Type }
  | { kind: 'option'; inner: Type }
  | { kind: 'result'; ok?: Type; err?: Type }
  | { kind: 'tuple'; items: Type[] }
  | { kind: 'own' | 'borrow'; resource: TypeDef }
  | { kind: 'def'; def: TypeDef };

export interface Field { name: string; type: Type }
export interface Case { name: string; type?: Type }

export type TypeDefKind =
  | { kind: 'record'; fields: Field[] }
  | { kind: 'variant'; cases: Case[] }
  | { kind: 'enum'; cases: string[] }
  | { kind: 'flags'; flags: string[] }
  | { kind: 'resource' }
  | { kind: 'alias'; target: Type };

export type TypeDef = { name: string; owner: Interface | World } & TypeDefKind;

export interface Func {
  /** The name in WIT: `send`, or for resources the method's own name (`[method]r.send` is `coreName`). */
  name: string;
  kind: 'freestanding' | 'method' | 'static' | 'constructor';
  resource?: TypeDef;
  params: Field[];
  result?: Type;
  /** The core import/export field name: `send`, `[method]sctp-socket.send`, `[constructor]r`, `[static]r.f`. */
  coreName: string;
}

export interface Package { namespace: string; name: string; version?: string; interfaces: Map<string, Interface>; worlds: Map<string, World> }

export interface Interface {
  kind: 'interface';
  /** Unset for an interface written inline in a world (`import x: interface { ... }`). */
  package?: Package;
  name: string;
  types: TypeDef[];
  /** Resources defined here (not `use`d), in order: each has a resource-drop import. */
  resources: TypeDef[];
  funcs: Func[];
  /** Interfaces whose types this one uses. */
  deps: Interface[];
}

export interface World {
  kind: 'world';
  package: Package;
  name: string;
  types: TypeDef[];
  /** Imported interfaces in dependency order (an interface comes after those it uses). */
  imports: Interface[];
  importFuncs: Func[];
  exports: Interface[];
  exportFuncs: Func[];
}

/** `ns:pkg/name@version` (`name` alone for an inline interface). */
export function interfaceId(i: Interface): string {
  if (!i.package) return i.name;
  const p = i.package;
  return `${p.namespace}:${p.name}/${i.name}${p.version ? `@${p.version}` : ''}`;
}

/** Follows aliases to the definition that is not one. */
export function dealias(t: Type): Type {
  while (t.kind === 'def' && t.def.kind === 'alias') t = t.def.target;
  return t;
}
