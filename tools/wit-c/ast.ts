// The syntax tree of WIT files, before names are resolved.

/** `@since(version = ...)`, `@unstable(feature = ...)`, `@deprecated(version = ...)`. */
export interface Gate { unstable?: string }

export interface UsePath {
  /** `ns:pkg/name@version`: namespace, package and version; absent for an interface of the same package. */
  namespace?: string;
  package?: string;
  version?: string;
  name: string;
}

export type TypeExpr =
  | { kind: 'name'; name: string }
  | { kind: 'list'; elem: TypeExpr; length?: number }
  | { kind: 'option'; inner: TypeExpr }
  | { kind: 'result'; ok?: TypeExpr; err?: TypeExpr }
  | { kind: 'tuple'; items: TypeExpr[] }
  | { kind: 'own' | 'borrow'; name: string }
  | { kind: 'future' | 'stream'; inner?: TypeExpr };

export interface Param { name: string; type: TypeExpr }

export interface FuncDecl {
  gate: Gate;
  name: string;
  params: Param[];
  result?: TypeExpr;
  async: boolean;
}

export interface ResourceFunc extends FuncDecl {
  kind: 'method' | 'static' | 'constructor';
}

export type TypeDecl = { gate: Gate; name: string } & (
  | { kind: 'record'; fields: Param[] }
  | { kind: 'variant'; cases: Array<{ name: string; type?: TypeExpr }> }
  | { kind: 'enum'; cases: string[] }
  | { kind: 'flags'; flags: string[] }
  | { kind: 'resource'; funcs: ResourceFunc[] }
  | { kind: 'alias'; target: TypeExpr }
);

export interface UseDecl {
  gate: Gate;
  from: UsePath;
  names: Array<{ name: string; as?: string }>;
}

export interface InterfaceDecl {
  gate: Gate;
  name: string;
  uses: UseDecl[];
  types: TypeDecl[];
  funcs: FuncDecl[];
}

export type WorldItem =
  | { kind: 'import' | 'export'; gate: Gate; path: UsePath }
  | { kind: 'import' | 'export'; gate: Gate; name: string; func: FuncDecl }
  | { kind: 'import' | 'export'; gate: Gate; name: string; iface: InterfaceDecl }
  | { kind: 'include'; gate: Gate; path: UsePath }
  | { kind: 'use'; use: UseDecl }
  | { kind: 'type'; type: TypeDecl };

export interface WorldDecl {
  gate: Gate;
  name: string;
  items: WorldItem[];
}

export interface PackageName { namespace: string; name: string; version?: string }

export interface WitFile {
  file: string;
  package?: PackageName;
  interfaces: InterfaceDecl[];
  worlds: WorldDecl[];
  /** Nested `package a:b { ... }` blocks. */
  nested: WitFile[];
}
