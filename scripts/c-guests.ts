// Builds the C guests: the glue tools/wit-c generates from wit/ (world `command`; a test guest has a
// world of its own), clang for
// wasm32-wasi (Debian's clang, lld, wasi-libc, libclang-rt-dev-wasm32) as a reactor module, then
// jco's componentEmbed (the WIT) and componentNew with the preview1 reactor adapter. Each component
// is cached in .cache/c-guests by the hash of everything it is made of: the C sources, the generated
// glue, the WIT, the compiler and libc versions, the flags, jco and its adapter.
//   node dist/scripts/c-guests.js [name...]      builds (all by default) and prints the paths
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generate } from '../tools/wit-c/index.js';
import { filesUnder, hashFiles, projectRoot } from './guests.js';

export const C_WORLD = 'command';

/**
 * A C guest: its own sources, linked with the glue of a world (by default `command` of wit/) and,
 * for that world, with guest-examples/c/lib.
 */
export interface CGuestSpec { name: string; sources: string[]; extraFlags?: string[]; wit?: string; world?: string }

/** A C test guest: its own files in test/guests/c/<name>/, with the reports and scenarios all of them share. */
function testGuest(name: string, files: string[]): string[] {
  return [...files.map((f) => `test/guests/c/${name}/${f}.c`), 'test/guests/c/report.c', 'test/guests/c/scenario.c'];
}

export const cGuests: Record<string, CGuestSpec> = {
  'c-echo-server': { name: 'c-echo-server', sources: ['guest-examples/c/echo-server.c'] },
  'c-echo-client': { name: 'c-echo-client', sources: ['guest-examples/c/echo-client.c'] },
  'c-bench-sctp': { name: 'c-bench-sctp', sources: ['bench/guests/c/bench-sctp.c'] },
  'c-datamodel': { name: 'c-datamodel', sources: testGuest('datamodel', ['datamodel', 'common', 'events', 'associations', 'messages', 'errors']) },
  'c-calls': { name: 'c-calls', sources: testGuest('calls', ['calls', 'values', 'local', 'live']) },
  // Every function of the glue kept (exported), so that the core module imports all of them: what
  // the ABI check compares with jco's dummy module.
  'c-glue-check': { name: 'c-glue-check', sources: ['test/guests/c/glue-check.c'], extraFlags: ['-Wl,--export-all'] },
  // The canonical ABI round trip of test/c-abi.test.ts: a world of its own with every kind of type.
  'c-abi': { name: 'c-abi', sources: ['test/guests/c/abi/abi.c'], wit: 'test/guests/c/abi/wit', world: 'abi' },
};

const LIB_DIR = 'guest-examples/c/lib';
const CFLAGS = ['--target=wasm32-wasi', '-O2', '-mexec-model=reactor', '-Wall', '-Wextra', '-Werror'];
const cacheDir = join(projectRoot, '.cache', 'c-guests');
const jcoDir = join(projectRoot, 'node_modules', '@bytecodealliance', 'jco');
const adapterPath = join(jcoDir, 'lib', 'wasi_snapshot_preview1.reactor.wasm');

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

const glues = new Map<string, { dir: string; hash: string; world: string }>();
/** Generates the glue of a world into .cache/c-guests/glue-<hash>/ (<world>.h, <world>.c, <world>.core.json). */
export function cGlue(wit = 'wit', world = C_WORLD): { dir: string; hash: string; world: string } {
  const generated = generate({ wit: join(projectRoot, wit), world });
  const hash = createHash('sha256').update(generated.header).update('\0').update(generated.source).digest('hex').slice(0, 16);
  const dir = join(cacheDir, `glue-${hash}`);
  if (!existsSync(join(dir, `${world}.c`))) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${world}.h`), generated.header);
    writeFileSync(join(dir, `${world}.core.json`), `${JSON.stringify({ imports: generated.imports, exports: generated.exports }, null, 2)}\n`);
    writeFileSync(join(dir, `${world}.c`), generated.source);
  }
  const g = { dir, hash, world };
  glues.set(`${wit}\0${world}`, g);
  return g;
}

function glueOf(spec: CGuestSpec): { dir: string; hash: string; world: string } {
  const wit = spec.wit ?? 'wit';
  const world = spec.world ?? C_WORLD;
  return glues.get(`${wit}\0${world}`) ?? cGlue(wit, world);
}

/** The guest library goes with the world it is written for. */
function libraryOf(spec: CGuestSpec): string[] {
  return spec.wit === undefined ? [join(projectRoot, LIB_DIR, 'guest.c')] : [];
}

export interface CGuestPaths { component: string; core: string; hash: string }

export function cGuestPaths(name: string): CGuestPaths {
  const spec = cGuests[name];
  if (!spec) throw new Error(`unknown C guest ${name}; known: ${Object.keys(cGuests).join(', ')}`);
  const g = glueOf(spec);
  const hash = hashFiles(createHash('sha256'), [...spec.sources.map((s) => join(projectRoot, s)),
    ...(libraryOf(spec).length ? filesUnder(join(projectRoot, LIB_DIR)) : []),
    ...filesUnder(join(projectRoot, spec.wit ?? 'wit')).filter((f) => f.endsWith('.wit'))]);
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
    const g = glueOf(spec);
    execFileSync('clang', [...CFLAGS, ...(spec.extraFlags ?? []), '-I', g.dir, '-I', join(projectRoot, LIB_DIR),
      ...spec.sources.map((s) => join(projectRoot, s)), ...libraryOf(spec), join(g.dir, `${g.world}.c`), '-o', partialCore],
    { cwd: projectRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`clang ${name} failed:\n${stdout ?? ''}${stderr ?? (e as Error).message}`);
  }
  // jco's API, not its CLI: the CLI ignores the world name of `embed`.
  const jco = await import('@bytecodealliance/jco');
  const embedded = await jco.componentEmbed({ binary: readFileSync(partialCore), witPath: join(projectRoot, spec.wit ?? 'wit'), world: spec.world ?? C_WORLD } as never) as unknown as Uint8Array;
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

