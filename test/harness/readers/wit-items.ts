// The items a WIT text defines, read well enough to check names against: functions, types and the
// cases, fields and methods of each type. Not a WIT parser: it relies on the layout `wit/` and jco's
// `wit/deps` use (one item per line, blocks closed by a line with `}`).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface WitType {
  kind: 'record' | 'variant' | 'enum' | 'flags' | 'resource' | 'type';
  /** Cases, fields, flags or methods, without the `%` escape. */
  members: Set<string>;
}

export interface WitScope {
  functions: Set<string>;
  types: Map<string, WitType>;
  /** Names brought in by `use iface.{a, b}`. */
  uses: Set<string>;
}

const emptyScope = (): WitScope => ({ functions: new Set(), types: new Map(), uses: new Set() });

/** Every `.wit` file under `dir`, recursively. */
export function witFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return witFiles(path);
    return e.name.endsWith('.wit') ? [path] : [];
  });
}

/**
 * Reads WIT texts into one scope per interface, keyed `package/interface` (`wasi:io/poll`,
 * `sctp:sockets/sctp`; versions dropped), plus `*` for everything of the texts together.
 */
export function readWit(texts: string[]): Map<string, WitScope> {
  const scopes = new Map<string, WitScope>([['*', emptyScope()]]);
  for (const text of texts) {
    let pkg = '';
    let iface: WitScope | undefined;
    const stack: Array<WitType | 'container'> = [];
    for (const raw of text.split('\n')) {
      const line = raw.replace(/\/\/.*$/, '').trim();
      if (!line) continue;
      const all = scopes.get('*')!;
      const pkgMatch = line.match(/^package ([a-z0-9-]+:[a-z0-9-]+)(?:@[^;]*)?;/);
      if (pkgMatch) { pkg = pkgMatch[1]; continue; }
      if (line === '}' || line === '};') { stack.pop(); if (stack.length === 0) iface = undefined; continue; }
      const container = line.match(/^(interface|world) %?([a-z0-9-]+) \{$/);
      if (container) {
        stack.push('container');
        if (container[1] === 'interface') {
          iface = emptyScope();
          scopes.set(`${pkg}/${container[2]}`, iface);
        }
        continue;
      }
      const targets = [all, iface].filter((s): s is WitScope => s !== undefined);
      const type = line.match(/^(record|variant|enum|flags|resource) %?([a-z0-9-]+)(?: \{|;)$/);
      if (type) {
        const t: WitType = { kind: type[1] as WitType['kind'], members: new Set() };
        for (const s of targets) s.types.set(type[2], t);
        if (line.endsWith('{')) stack.push(t);
        continue;
      }
      const alias = line.match(/^type %?([a-z0-9-]+) = /);
      if (alias) { for (const s of targets) s.types.set(alias[1], { kind: 'type', members: new Set() }); continue; }
      const use = line.match(/^use [^{]+\{([^}]*)\};$/);
      if (use) {
        for (const item of use[1].split(',')) {
          const name = item.trim().split(/\s+as\s+/).pop()!;
          for (const s of targets) s.uses.add(name);
        }
        continue;
      }
      const top = stack.at(-1);
      const fn = line.match(/^%?([a-z0-9-]+): (?:static )?func\(/);
      if (fn) {
        for (const s of targets) s.functions.add(fn[1]);
        if (top && top !== 'container') top.members.add(fn[1]);
        continue;
      }
      if (top && top !== 'container' && top.kind !== 'resource') {
        const member = line.match(/^%?([a-z0-9-]+)(?:[:(,]|$)/);
        if (member) top.members.add(member[1]);
      }
    }
  }
  return scopes;
}

/** All WIT texts of the project's package (`wit/*.wit`) and of its dependencies (`wit/deps`). */
export function projectWit(root: string): { pkg: Map<string, WitScope>; deps: Map<string, WitScope> } {
  const own = readdirSync(join(root, 'wit')).filter((f) => f.endsWith('.wit')).map((f) => join(root, 'wit', f));
  const read = (files: string[]) => readWit(files.map((f) => readFileSync(f, 'utf8')));
  return { pkg: read(own), deps: read(witFiles(join(root, 'wit', 'deps'))) };
}

/** WIT keywords and built-in types: backticked in the guide, but not items of a package. */
export const WIT_WORDS = new Set(['true', 'false', 'none', 'some', 'ok', 'err', 'list', 'option', 'result', 'tuple',
  'bool', 'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', 'f32', 'f64', 'char', 'string', 'borrow', 'own', '_']);

/**
 * Whether a name as the guide writes it is an item of the WIT: `name` (a function, type, or a
 * case/field/method of any type), `type::case`, `type.field` (also a method of a resource), or
 * `wasi:pkg/iface.item` / `wasi:pkg/iface.type.member` for the dependencies.
 */
export function resolves(name: string, pkg: Map<string, WitScope>, deps: Map<string, WitScope>): boolean {
  if (/^[a-z0-9-]+:[a-z0-9-]+\/[a-z0-9-]+$/.test(name)) return deps.has(name) || pkg.has(name); // an interface
  const qualified = name.match(/^([a-z0-9-]+:[a-z0-9-]+\/[a-z0-9-]+)\.([a-z0-9-]+)(?:\.([a-z0-9-]+))?$/);
  if (qualified) {
    const scope = deps.get(qualified[1]) ?? pkg.get(qualified[1]);
    if (!scope) return false;
    if (qualified[3]) return scope.types.get(qualified[2])?.members.has(qualified[3]) === true;
    return scope.functions.has(qualified[2]) || scope.types.has(qualified[2]);
  }
  const all = pkg.get('*')!;
  const pair = name.match(/^([a-z0-9-]+)(::|\.)([a-z0-9-]+)$/);
  if (pair) {
    const own = all.types.get(pair[1]);
    if (own) return own.members.has(pair[3]);
    // A type the package imports with `use` (e.g. `pollable.block`): look in the dependencies.
    if (!all.uses.has(pair[1])) return false;
    return [...deps.values()].some((s) => s.types.get(pair[1])?.members.has(pair[3]) === true);
  }
  if (all.functions.has(name) || all.types.has(name) || all.uses.has(name)) return true;
  if ([...all.types.values()].some((t) => t.members.has(name))) return true;
  // A case of an imported type, e.g. `would-block` of `error-code`.
  return [...all.uses].some((u) => [...deps.values()].some((s) => s.types.get(u)?.members.has(name) === true));
}
