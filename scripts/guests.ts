// Builds the guest components with componentize-js, once per content hash: componentizing takes
// 13-18 s and ~800 MB, so tests and benchmarks only ever ask for the cached component.
import { execFileSync } from 'node:child_process';
import { createHash, type Hash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const jco = join(projectRoot, 'node_modules', '@bytecodealliance', 'jco', 'dist', 'jco.js');

/** A guest: a TypeScript entry built against a world of wit/. */
export interface GuestSpec { name: string; entry: string; world: string }

const command = (name: string, entry: string): [string, GuestSpec] => [name, { name, entry, world: 'command' }];

export const guests: Record<string, GuestSpec> = Object.fromEntries([
  // Examples a user would start from.
  command('echo-server', 'guest-examples/echo/server.ts'),
  command('echo-client', 'guest-examples/echo/client.ts'),
  // Test drivers: each runs scenarios a test names and prints what it saw.
  command('probe', 'test/guests/probe/probe.ts'),
  command('options', 'test/guests/options/options.ts'),
  command('interop', 'test/guests/interop/interop.ts'),
  command('multihome', 'test/guests/multihome/multihome.ts'),
  command('datamodel', 'test/guests/datamodel/datamodel.ts'),
  command('reliability', 'test/guests/reliability/reliability.ts'),
  // The benchmark's senders.
  command('bench-sctp', 'bench/guests/sctp.ts'),
  command('bench-tcp', 'bench/guests/tcp.ts'),
]);

export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  }).sort();
}

/** A relative import or re-export: `from './x.js'`, `import '../y.js'` (WIT imports name no file). */
const RELATIVE_IMPORT = /\b(?:import|export)\b[^'";]*?\bfrom\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\s*['"](\.{1,2}\/[^'"]+)['"]/g;

/** The guest's entry and every file it imports, directly or not, wherever they live. */
export function guestSources(spec: GuestSpec): string[] {
  const seen = new Set<string>();
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const m of readFileSync(file, 'utf8').matchAll(RELATIVE_IMPORT)) {
      const specifier = m[1] ?? m[2];
      const target = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
      if (!existsSync(target)) throw new Error(`${relative(projectRoot, file)} imports ${specifier}, which is not in the tree`);
      visit(target);
    }
  };
  visit(join(projectRoot, spec.entry));
  return [...seen].sort();
}

/** Feeds each file to `hash` by its path (relative to the project) and its content: the inputs of a cached build. */
export function hashFiles(hash: Hash, files: string[]): Hash {
  for (const file of files) hash.update(relative(projectRoot, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash;
}

/** The hash covers everything the component is made of: its sources, the WIT and the toolchain versions. */
export function guestHash(spec: GuestSpec): string {
  const hash = hashFiles(createHash('sha256'), [
    ...guestSources(spec),
    // wasm-sctp/guest, bundled into every guest (from dist/guest, compiled from these sources).
    ...filesUnder(join(projectRoot, 'guest')),
    ...filesUnder(join(projectRoot, 'wit')),
    join(projectRoot, 'node_modules', '@bytecodealliance', 'jco', 'package.json'),
    join(projectRoot, 'node_modules', '@bytecodealliance', 'componentize-js', 'package.json'),
  ]);
  hash.update(spec.entry).update(spec.world);
  return hash.digest('hex').slice(0, 16);
}

/** Returns the path of the guest's component, building it only when its inputs changed. */
export function buildGuest(name: string, log: (line: string) => void = () => {}): string {
  const spec = guests[name];
  if (!spec) throw new Error(`unknown guest ${name}; known: ${Object.keys(guests).join(', ')}`);
  const dir = join(projectRoot, '.cache', 'guests');
  const out = join(dir, `${spec.name}-${guestHash(spec)}.wasm`);
  if (existsSync(out)) return out;
  mkdirSync(dir, { recursive: true });
  log(`componentizing ${spec.entry} (world ${spec.world}) ...`);
  const started = Date.now();
  const partial = `${out}.partial.wasm`;
  // The bundler warns that it leaves the WIT imports (sctp:..., wasi:...) external, which is what
  // componentize wants: show its output only when the build fails.
  try {
    execFileSync(process.execPath, [jco, 'componentize', spec.entry, '--wit', 'wit', '--world-name', spec.world, '-o', partial],
      { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`componentize ${spec.entry} failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
  renameSync(partial, out);
  log(`  ${relative(projectRoot, out)} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const name of process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(guests)) {
    console.log(`${name}: ${relative(projectRoot, buildGuest(name, console.log))}`);
  }
}
