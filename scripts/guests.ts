// Builds the example guests with componentize-js, once per content hash: componentizing takes
// 13-18 s and ~800 MB, so tests and benchmarks only ever ask for the cached component.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const jco = join(projectRoot, 'node_modules', '@bytecodealliance', 'jco', 'dist', 'jco.js');

/** An example guest: a TypeScript entry under guest-examples/ built against a world of wit/. */
export interface GuestSpec { name: string; entry: string; world: string }

export const guests: Record<string, GuestSpec> = {
  'echo-server': { name: 'echo-server', entry: 'guest-examples/echo/server.ts', world: 'command' },
  'echo-client': { name: 'echo-client', entry: 'guest-examples/echo/client.ts', world: 'command' },
  'probe': { name: 'probe', entry: 'guest-examples/probe/probe.ts', world: 'command' },
  'options': { name: 'options', entry: 'guest-examples/options/options.ts', world: 'command' },
  'bench-sctp': { name: 'bench-sctp', entry: 'guest-examples/bench/sctp.ts', world: 'command' },
  'bench-tcp': { name: 'bench-tcp', entry: 'guest-examples/bench/tcp.ts', world: 'command' },
  'interop': { name: 'interop', entry: 'guest-examples/interop/interop.ts', world: 'command' },
  'multihome': { name: 'multihome', entry: 'guest-examples/multihome/multihome.ts', world: 'command' },
  'datamodel': { name: 'datamodel', entry: 'guest-examples/datamodel/datamodel.ts', world: 'command' },
  'reliability': { name: 'reliability', entry: 'guest-examples/reliability/reliability.ts', world: 'command' },
};

export function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  }).sort();
}

/** The hash covers everything the component is made of: the guest's folder, the WIT and the toolchain versions. */
export function guestHash(spec: GuestSpec): string {
  const hash = createHash('sha256');
  const inputs = [
    ...filesUnder(join(projectRoot, dirname(spec.entry))),
    ...filesUnder(join(projectRoot, 'guest-examples', 'lib')),
    ...filesUnder(join(projectRoot, 'wit')),
    join(projectRoot, 'node_modules', '@bytecodealliance', 'jco', 'package.json'),
    join(projectRoot, 'node_modules', '@bytecodealliance', 'componentize-js', 'package.json'),
  ];
  for (const file of inputs) {
    hash.update(relative(projectRoot, file)).update('\0').update(readFileSync(file)).update('\0');
  }
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
