// Builds the C guests: the glue tools/wit-c generates from wit/ (world `command`), clang for
// wasm32-wasi (Debian's clang, lld, wasi-libc, libclang-rt-dev-wasm32) as a reactor module, then
// jco's componentEmbed (the WIT) and componentNew with the preview1 reactor adapter. Each component
// is cached in .cache/c-guests by the hash of everything it is made of: the C sources, the generated
// glue, the WIT, the compiler and libc versions, the flags, jco and its adapter.
//   node dist/scripts/c-guests.js [name...]      builds (all by default) and prints the paths
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '../tools/wit-c/index.js';
import { projectRoot } from './guests.js';

export const C_WORLD = 'command';

/** A C guest: its own sources, linked with guest-examples/c/lib and the glue of world `command`. */
export interface CGuestSpec { name: string; sources: string[]; extraFlags?: string[] }

export const cGuests: Record<string, CGuestSpec> = {
  'c-echo-server': { name: 'c-echo-server', sources: ['guest-examples/c/echo-server.c'] },
  'c-echo-client': { name: 'c-echo-client', sources: ['guest-examples/c/echo-client.c'] },
  'c-bench-sctp': { name: 'c-bench-sctp', sources: ['guest-examples/c/bench-sctp.c'] },
  'c-datamodel': { name: 'c-datamodel', sources: ['test/guests/c/datamodel.c', 'test/guests/c/report.c'] },
  'c-calls': { name: 'c-calls', sources: ['test/guests/c/calls.c', 'test/guests/c/report.c'] },
  // Every function of the glue kept (exported), so that the core module imports all of them: what
  // the ABI check compares with jco's dummy module.
  'c-glue-check': { name: 'c-glue-check', sources: ['test/guests/c/glue-check.c'], extraFlags: ['-Wl,--export-all'] },
};

const LIB_DIR = 'guest-examples/c/lib';
const CFLAGS = ['--target=wasm32-wasi', '-O2', '-mexec-model=reactor', '-Wall', '-Wextra', '-Werror'];
const cacheDir = join(projectRoot, '.cache', 'c-guests');
const jcoDir = join(projectRoot, 'node_modules', '@bytecodealliance', 'jco');
const adapterPath = join(jcoDir, 'lib', 'wasi_snapshot_preview1.reactor.wasm');

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  }).sort();
}

let toolchain: string | undefined;
/** What else shapes the output: compiler and libc versions, jco and its adapter. */
function toolchainId(): string {
  if (toolchain === undefined) {
    const version = (cmd: string, args: string[]) => {
      try { return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }); } catch { return `${cmd}: missing`; }
    };
    toolchain = [
      version('clang', ['--version']),
      version('dpkg-query', ['-W', '-f=${Package} ${Version}\n', 'wasi-libc', 'lld', 'libclang-rt-dev-wasm32']),
      readFileSync(join(jcoDir, 'package.json'), 'utf8'),
      createHash('sha256').update(readFileSync(adapterPath)).digest('hex'),
    ].join('\n');
  }
  return toolchain;
}

let glue: { dir: string; hash: string } | undefined;
/** Generates the glue of world `command` into .cache/c-guests/glue-<hash>/ (command.h, command.c). */
export function cGlue(): { dir: string; hash: string; header: string; source: string } {
  const generated = generate({ wit: join(projectRoot, 'wit'), world: C_WORLD });
  const hash = createHash('sha256').update(generated.header).update('\0').update(generated.source).digest('hex').slice(0, 16);
  const dir = join(cacheDir, `glue-${hash}`);
  if (!existsSync(join(dir, `${C_WORLD}.c`))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${C_WORLD}.h`), generated.header);
    writeFileSync(join(dir, `${C_WORLD}.core.json`), `${JSON.stringify({ imports: generated.imports, exports: generated.exports }, null, 2)}\n`);
    writeFileSync(join(dir, `${C_WORLD}.c`), generated.source);
  }
  glue = { dir, hash };
  return { dir, hash, header: generated.header, source: generated.source };
}

export interface CGuestPaths { component: string; core: string; hash: string }

export function cGuestPaths(name: string): CGuestPaths {
  const spec = cGuests[name];
  if (!spec) throw new Error(`unknown C guest ${name}; known: ${Object.keys(cGuests).join(', ')}`);
  const g = glue ?? cGlue();
  const hash = createHash('sha256');
  const inputs = [...spec.sources.map((s) => join(projectRoot, s)), ...filesUnder(join(projectRoot, LIB_DIR)),
    ...filesUnder(join(projectRoot, 'wit')).filter((f) => f.endsWith('.wit'))];
  for (const file of inputs) hash.update(relative(projectRoot, file)).update('\0').update(readFileSync(file)).update('\0');
  hash.update(g.hash).update(toolchainId()).update(JSON.stringify([CFLAGS, spec.extraFlags ?? []]));
  const h = hash.digest('hex').slice(0, 16);
  return { component: join(cacheDir, `${name}-${h}.wasm`), core: join(cacheDir, `${name}-${h}.core.wasm`), hash: h };
}

async function compile(name: string, log: (line: string) => void): Promise<CGuestPaths> {
  const spec = cGuests[name];
  const paths = cGuestPaths(name);
  if (existsSync(paths.component) && existsSync(paths.core)) return paths;
  mkdirSync(cacheDir, { recursive: true });
  const started = Date.now();
  const partialCore = `${paths.core}.${process.pid}.partial`;
  try {
    execFileSync('clang', [...CFLAGS, ...(spec.extraFlags ?? []), '-I', glue!.dir, '-I', join(projectRoot, LIB_DIR),
      ...spec.sources.map((s) => join(projectRoot, s)), join(projectRoot, LIB_DIR, 'guest.c'), join(glue!.dir, `${C_WORLD}.c`), '-o', partialCore],
    { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`clang ${name} failed:\n${stdout ?? ''}${stderr ?? (e as Error).message}`);
  }
  // jco's API, not its CLI: the CLI ignores the world name of `embed`.
  const jco = await import('@bytecodealliance/jco');
  const embedded = await jco.componentEmbed({ binary: readFileSync(partialCore), witPath: join(projectRoot, 'wit'), world: C_WORLD } as never) as unknown as Uint8Array;
  const component = await jco.componentNew(embedded as never, [['wasi_snapshot_preview1', readFileSync(adapterPath)]] as never) as unknown as Uint8Array;
  const partial = `${paths.component}.${process.pid}.partial`;
  writeFileSync(partial, component);
  renameSync(partialCore, paths.core);
  renameSync(partial, paths.component);
  log(`  ${relative(projectRoot, paths.component)} (${component.length} bytes) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return paths;
}

/** Builds the named C guests (all by default), each only when its inputs changed. */
export async function buildCGuests(names = Object.keys(cGuests), log: (line: string) => void = () => {}): Promise<Record<string, CGuestPaths>> {
  cGlue();
  const out: Record<string, CGuestPaths> = {};
  for (const name of names) out[name] = await compile(name, log);
  return out;
}

/**
 * The path of a C guest's component, for synchronous callers (tests, benchmarks): `npm test`'s setup
 * builds every C guest first, so this normally only computes the hash; otherwise it builds in a
 * child process.
 */
export function buildCGuest(name: string): string {
  const paths = cGuestPaths(name);
  if (!existsSync(paths.component) || !existsSync(paths.core)) {
    execFileSync(process.execPath, [fileURLToPath(import.meta.url), name], { stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return paths.component;
}

export function isCGuest(name: string): boolean {
  return name in cGuests;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildCGuests(process.argv.slice(2).length ? process.argv.slice(2) : undefined, console.log).then((built) => {
    for (const [name, paths] of Object.entries(built)) console.log(`${name}: ${relative(projectRoot, paths.component)}`);
  }, (e) => {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  });
}

