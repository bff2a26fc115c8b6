// Reads a WIT directory (the root package in *.wit, dependencies in deps/) and binds every name:
// `use` paths to interfaces, type names to definitions, worlds to the interfaces they import and
// export (includes flattened). Items behind `@unstable(feature = f)` exist only when f is enabled,
// as in wasm-tools.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { FuncDecl, Gate, InterfaceDecl, TypeExpr, UseDecl, UsePath, WitFile, WorldDecl } from './ast.js';
import type { Field, Func, Interface, Package, Primitive, Type, TypeDef, World } from './model.js';
import { parseWit } from './parser.js';

const PRIMITIVES = new Set<string>(['bool', 'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'f32', 'f64', 'char', 'string']);

interface PackageSource { pkg: Package; interfaces: Map<string, InterfaceDecl>; worlds: Map<string, WorldDecl> }

function packageKey(namespace: string, name: string, version?: string): string {
  return `${namespace}:${name}${version ? `@${version}` : ''}`;
}

function witFiles(path: string): string[] {
  if (!existsSync(path)) return [];
  if (statSync(path).isFile()) return path.endsWith('.wit') ? [path] : [];
  return readdirSync(path).filter((n) => n.endsWith('.wit')).sort().map((n) => join(path, n));
}

export class Resolver {
  private readonly sources = new Map<string, PackageSource>();
  private readonly interfaces = new Map<InterfaceDecl, Interface>();
  private readonly resolving = new Set<InterfaceDecl>();
  private readonly worlds = new Map<WorldDecl, World>();
  /** The package of the directory's own *.wit files. */
  readonly root: Package;

  constructor(dir: string, private readonly features: ReadonlySet<string> = new Set()) {
    // The files of one directory form one package; one of them (at least) says which.
    const rootPackage = this.addDirectory(witFiles(dir), dir);
    const depsDir = join(dir, 'deps');
    if (existsSync(depsDir)) for (const n of readdirSync(depsDir).sort()) this.addDirectory(witFiles(join(depsDir, n)), join(depsDir, n));
    if (!rootPackage) throw new Error(`${dir}: no package (no *.wit file with a package declaration)`);
    const root = rootPackage;
    this.root = root;
  }

  private addDirectory(files: string[], where: string): Package | undefined {
    const parsed = files.map((f) => parseWit(readFileSync(f, 'utf8'), f));
    const named = parsed.filter((f) => f.package);
    const first = named[0]?.package;
    for (const f of named) {
      const p = f.package!;
      if (p.namespace !== first!.namespace || p.name !== first!.name || p.version !== first!.version) {
        throw new Error(`${f.file}: every file of ${where} must declare the same package`);
      }
    }
    if (!first) {
      if (parsed.some((f) => f.interfaces.length || f.worlds.length)) throw new Error(`${where}: no package declaration`);
      return undefined;
    }
    let pkg: Package | undefined;
    for (const f of parsed) pkg = this.add({ ...f, package: first });
    return pkg;
  }

  private add(file: WitFile, fallback?: PackageSource): Package {
    let source = fallback;
    if (file.package) {
      const { namespace, name, version } = file.package;
      const key = packageKey(namespace, name, version);
      source = this.sources.get(key);
      if (!source) {
        source = { pkg: { namespace, name, version, interfaces: new Map(), worlds: new Map() }, interfaces: new Map(), worlds: new Map() };
        this.sources.set(key, source);
      }
    }
    if (!source) throw new Error(`${file.file}: no package declaration`);
    for (const i of file.interfaces) {
      if (source.interfaces.has(i.name)) throw new Error(`${file.file}: interface ${i.name} defined twice`);
      source.interfaces.set(i.name, i);
    }
    for (const w of file.worlds) source.worlds.set(w.name, w);
    for (const nested of file.nested) this.add(nested);
    return source.pkg;
  }

  private enabled(gate: Gate): boolean {
    return gate.unstable === undefined || this.features.has(gate.unstable);
  }

  private sourceOf(pkg: Package): PackageSource {
    return this.sources.get(packageKey(pkg.namespace, pkg.name, pkg.version))!;
  }

  private targetSource(from: PackageSource, path: UsePath, where: string): PackageSource {
    if (path.namespace === undefined) return from;
    const exact = this.sources.get(packageKey(path.namespace, path.package!, path.version));
    if (exact) return exact;
    // Without a version, the one version of that package there is.
    if (path.version === undefined) {
      const candidates = [...this.sources.values()].filter((s) => s.pkg.namespace === path.namespace && s.pkg.name === path.package);
      if (candidates.length === 1) return candidates[0];
    }
    throw new Error(`${where}: unknown package ${packageKey(path.namespace, path.package!, path.version)}`);
  }

  interfaceAt(from: Package, path: UsePath, where: string): Interface {
    const source = this.targetSource(this.sourceOf(from), path, where);
    const decl = source.interfaces.get(path.name);
    if (!decl) throw new Error(`${where}: no interface ${path.name} in ${packageKey(source.pkg.namespace, source.pkg.name, source.pkg.version)}`);
    if (!this.enabled(decl.gate)) throw new Error(`${where}: interface ${path.name} is behind @unstable(feature = ${decl.gate.unstable})`);
    return this.interfaceOf(decl, source.pkg);
  }

  private interfaceOf(decl: InterfaceDecl, pkg: Package | undefined, world?: World): Interface {
    const done = this.interfaces.get(decl);
    if (done) return done;
    if (this.resolving.has(decl)) throw new Error(`interface ${decl.name}: cyclic use`);
    this.resolving.add(decl);
    const iface: Interface = { kind: 'interface', package: pkg, name: decl.name, types: [], resources: [], funcs: [], deps: [] };
    const scope = new Map<string, TypeDef>();
    const where = `interface ${decl.name}`;
    for (const use of decl.uses) {
      if (!this.enabled(use.gate)) continue;
      this.bindUse(use, pkg ?? world!.package, iface, scope, where);
    }
    this.defineTypes(decl.types.filter((t) => this.enabled(t.gate)), iface, scope, where);
    for (const f of decl.funcs) if (this.enabled(f.gate)) iface.funcs.push(this.func(f, scope, where));
    for (const t of decl.types) {
      if (t.kind !== 'resource' || !this.enabled(t.gate)) continue;
      const def = scope.get(t.name)!;
      for (const f of t.funcs) if (this.enabled(f.gate)) iface.funcs.push(this.func(f, scope, where, def, f.kind));
    }
    this.resolving.delete(decl);
    this.interfaces.set(decl, iface);
    if (pkg) pkg.interfaces.set(decl.name, iface);
    return iface;
  }

  private bindUse(use: UseDecl, from: Package, owner: Interface | World, scope: Map<string, TypeDef>, where: string): void {
    const target = this.interfaceAt(from, use.from, where);
    if (owner.kind === 'interface' && target !== owner && !owner.deps.includes(target)) owner.deps.push(target);
    for (const { name, as } of use.names) {
      const original = target.types.find((t) => t.name === name);
      if (!original) throw new Error(`${where}: ${name} is not a type of ${target.name}`);
      const local = as ?? name;
      if (scope.has(local)) throw new Error(`${where}: ${local} defined twice`);
      const alias: TypeDef = { name: local, owner, kind: 'alias', target: { kind: 'def', def: original } };
      scope.set(local, alias);
      owner.types.push(alias);
    }
  }

  private defineTypes(decls: InterfaceDecl['types'], owner: Interface | World, scope: Map<string, TypeDef>, where: string): void {
    // Shells first: a type may name one defined further down.
    const shells = decls.map((d) => {
      if (scope.has(d.name)) throw new Error(`${where}: ${d.name} defined twice`);
      // Until filled in, a shell tells only whether it is a resource (a bare resource name means own<r>).
      const shell = (d.kind === 'resource' ? { name: d.name, owner, kind: 'resource' } : { name: d.name, owner, kind: 'enum', cases: [] }) as TypeDef;
      scope.set(d.name, shell);
      owner.types.push(shell);
      if (d.kind === 'resource' && owner.kind === 'interface') owner.resources.push(shell);
      return shell;
    });
    // Aliases first, so that a type naming an alias sees what it stands for.
    const order = decls.map((d, i) => i).sort((a, b) => Number(decls[b].kind === 'alias') - Number(decls[a].kind === 'alias'));
    order.forEach((i) => {
      const d = decls[i];
      const def = shells[i] as unknown as Record<string, unknown>;
      const at = `${where}, ${d.name}`;
      switch (d.kind) {
        case 'record': delete def.cases; Object.assign(def, { kind: 'record', fields: d.fields.map((f) => ({ name: f.name, type: this.type(f.type, scope, at) })) }); break;
        case 'variant': delete def.cases; Object.assign(def, { kind: 'variant', cases: d.cases.map((c) => ({ name: c.name, type: c.type && this.type(c.type, scope, at) })) }); break;
        case 'enum': Object.assign(def, { kind: 'enum', cases: d.cases }); break;
        case 'flags': delete def.cases; Object.assign(def, { kind: 'flags', flags: d.flags }); break;
        case 'resource': break;
        case 'alias': delete def.cases; Object.assign(def, { kind: 'alias', target: this.type(d.target, scope, at) }); break;
      }
    });
  }

  private func(f: FuncDecl, scope: Map<string, TypeDef>, where: string, resource?: TypeDef, kind: Func['kind'] = 'freestanding'): Func {
    const at = `${where}, ${f.name}`;
    if (f.async) throw new Error(`${at}: async functions are not supported`);
    const params: Field[] = f.params.map((p) => ({ name: p.name, type: this.type(p.type, scope, at) }));
    let result = f.result && this.type(f.result, scope, at);
    let coreName = f.name;
    if (resource) {
      if (kind === 'method') {
        params.unshift({ name: 'self', type: { kind: 'borrow', resource } });
        coreName = `[method]${resource.name}.${f.name}`;
      } else if (kind === 'static') {
        coreName = `[static]${resource.name}.${f.name}`;
      } else {
        coreName = `[constructor]${resource.name}`;
        result ??= { kind: 'own', resource };
      }
    }
    return { name: f.name, kind, resource, params, result, coreName };
  }

  private resourceOf(def: TypeDef, at: string): TypeDef {
    let d = def;
    while (d.kind === 'alias' && d.target.kind === 'def') d = d.target.def;
    if (d.kind === 'alias' && (d.target.kind === 'own' || d.target.kind === 'borrow')) return d.target.resource;
    if (d.kind !== 'resource') throw new Error(`${at}: ${def.name} is not a resource`);
    return d;
  }

  private type(t: TypeExpr, scope: Map<string, TypeDef>, at: string): Type {
    switch (t.kind) {
      case 'name': {
        if (PRIMITIVES.has(t.name) && !scope.has(t.name)) return { kind: 'prim', name: t.name as Primitive };
        const def = scope.get(t.name);
        if (!def) throw new Error(`${at}: unknown type ${t.name}`);
        // A bare resource name is an owned handle.
        let d = def;
        while (d.kind === 'alias' && d.target.kind === 'def') d = d.target.def;
        if (d.kind === 'resource') return { kind: 'own', resource: d };
        return { kind: 'def', def };
      }
      case 'list':
        if (t.length !== undefined) throw new Error(`${at}: fixed-length lists are not supported`);
        return { kind: 'list', elem: this.type(t.elem, scope, at) };
      case 'option': return { kind: 'option', inner: this.type(t.inner, scope, at) };
      case 'result': return { kind: 'result', ok: t.ok && this.type(t.ok, scope, at), err: t.err && this.type(t.err, scope, at) };
      case 'tuple': return { kind: 'tuple', items: t.items.map((i) => this.type(i, scope, at)) };
      case 'own':
      case 'borrow': {
        const def = scope.get(t.name);
        if (!def) throw new Error(`${at}: unknown resource ${t.name}`);
        return { kind: t.kind, resource: this.resourceOf(def, at) };
      }
      case 'future':
      case 'stream':
        throw new Error(`${at}: ${t.kind} types are not supported`);
    }
  }

  world(name: string): World {
    const decl = this.sourceOf(this.root).worlds.get(name);
    if (!decl) throw new Error(`no world ${name} in package ${packageKey(this.root.namespace, this.root.name, this.root.version)}`);
    return this.worldOf(decl, this.root);
  }

  private worldOf(decl: WorldDecl, pkg: Package): World {
    const done = this.worlds.get(decl);
    if (done) return done;
    const world: World = { kind: 'world', package: pkg, name: decl.name, types: [], imports: [], importFuncs: [], exports: [], exportFuncs: [] };
    const scope = new Map<string, TypeDef>();
    const where = `world ${decl.name}`;
    const imports: Interface[] = [];
    const addUnique = <T>(list: T[], item: T) => { if (!list.includes(item)) list.push(item); };
    for (const item of decl.items) {
      if (item.kind === 'use') {
        if (this.enabled(item.use.gate)) this.bindUse(item.use, pkg, world, scope, where);
        continue;
      }
      if (item.kind === 'type') {
        if (this.enabled(item.type.gate)) this.defineTypes([item.type], world, scope, where);
        continue;
      }
      if (!this.enabled(item.gate)) continue;
      if (item.kind === 'include') {
        const source = this.targetSource(this.sourceOf(pkg), item.path, where);
        const included = source.worlds.get(item.path.name);
        if (!included) throw new Error(`${where}: no world ${item.path.name} to include`);
        const w = this.worldOf(included, source.pkg);
        for (const i of w.imports) addUnique(imports, i);
        for (const f of w.importFuncs) world.importFuncs.push(f);
        for (const i of w.exports) addUnique(world.exports, i);
        for (const f of w.exportFuncs) world.exportFuncs.push(f);
        continue;
      }
      let iface: Interface | undefined;
      if ('path' in item) iface = this.interfaceAt(pkg, item.path, where);
      else if ('iface' in item) iface = this.interfaceOf(item.iface, undefined, world);
      if (iface) {
        addUnique(item.kind === 'import' ? imports : world.exports, iface);
      } else if ('func' in item) {
        const f = this.func(item.func, scope, where);
        (item.kind === 'import' ? world.importFuncs : world.exportFuncs).push(f);
      }
    }
    // What an interface uses is imported too, and comes first.
    const ordered: Interface[] = [];
    const visit = (i: Interface) => {
      if (ordered.includes(i)) return;
      for (const d of i.deps) if (!world.exports.includes(d)) visit(d);
      ordered.push(i);
    };
    for (const i of imports) visit(i);
    for (const e of world.exports) for (const d of e.deps) if (!world.exports.includes(d)) visit(d);
    world.imports = ordered;
    this.worlds.set(decl, world);
    return world;
  }
}
