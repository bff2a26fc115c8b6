// Transpiles a component with jco, wired to this host, through a cache keyed by the component's
// bytes and everything that shapes the output: the second run of a component starts at once.
//
// The cache lives in the user's cache directory, never inside the package, so a global or
// read-only install works. The generated module names this package's host and its
// preview2-shim by absolute file URLs, resolved here as the host's own imports resolve them:
// wherever the module lives, it shares their module instances (one IO worker for every pollable).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEBUG_LOG_REPLACEMENT, rewriteGlueFile } from './transpile-glue.js';

/** The package's root (dist/host/ is two levels below it). */
export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
/** Resolves this package's dependencies wherever npm put them (hoisted, nested, global). */
const require = createRequire(import.meta.url);

const SHIM = '@bytecodealliance/preview2-shim';
const TRANSPILER = '@bytecodealliance/jco-transpile';
/** The preview2-shim modules jco maps `wasi:<name>/*` to. */
const SHIM_MODULES = ['cli', 'clocks', 'filesystem', 'http', 'io', 'random', 'sockets'];
/** Cache entries unused for this long are removed when a new one is written. */
const STALE_MS = 30 * 24 * 3600 * 1000;

export interface TranspiledComponent {
  /** The generated ES module; importing it instantiates the component. */
  module: string;
  /** Whether this call transpiled (false: taken from the cache). */
  fresh: boolean;
  /** What the component imports (module specifiers after mapping) and exports (WIT names). */
  interfaces: { imports: string[]; exports: string[] };
}

/** Why a component cannot run here, in one line (the CLI prints just that). */
export class RunError extends Error {
  override name = 'RunError';
}

/** The version of the installed package `name`, found from one of its resolved files. */
function installedVersion(name: string, resolvedFile: string): string {
  for (let dir = dirname(resolvedFile); dir !== dirname(dir); dir = dirname(dir)) {
    const manifest = join(dir, 'package.json');
    if (!existsSync(manifest)) continue;
    const pkg = JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string; version: string };
    if (pkg.name === name) return pkg.version;
  }
  throw new Error(`cannot find the package.json of ${name} above ${resolvedFile}`);
}

function ownManifest(): { version: string; dependencies: Record<string, string> } {
  return JSON.parse(readFileSync(join(packageRoot, 'package.json'), 'utf8'));
}

/**
 * The host's pollables are preview2-shim pollables made in its IO worker, and the host leans on
 * details of the exact shim it was tested with: the package depends on one exact version, and a
 * tree that swapped it (an `overrides` entry of the application, say) is refused here, plainly.
 */
export function checkShimVersion(wanted = ownManifest().dependencies[SHIM]): void {
  const file = require.resolve(`${SHIM}/io`);
  const found = installedVersion(SHIM, file);
  if (found !== wanted) {
    throw new RunError(`wasm-sctp needs ${SHIM} ${wanted}, but ${found} is installed (${file}); remove what overrides it`);
  }
}

/**
 * The jco map that wires `sctp:sockets/*` to this host, `wasi:io/poll` to the host's poll module
 * (preview2-shim's, answering lists of SCTP pollables on the main thread: readiness/poll.ts) and
 * the rest of `wasi:*` to the host's preview2-shim.
 */
export function hostMappings(): Record<string, string> {
  const map: Record<string, string> = {
    'sctp:sockets/*': `${new URL('./imports.js', import.meta.url).href}#*`,
    'wasi:io/poll': `${new URL('./readiness/poll.js', import.meta.url).href}#poll`,
  };
  for (const name of SHIM_MODULES) map[`wasi:${name}/*`] = `${pathToFileURL(require.resolve(`${SHIM}/${name}`)).href}#*`;
  return map;
}

/**
 * Where transpiled components are kept: $WASM_SCTP_CACHE_DIR, else wasm-sctp/ in
 * $XDG_CACHE_HOME or ~/.cache; a per-user folder in the temporary directory when that cannot be
 * written.
 */
export function cacheDir(): string {
  const base = process.env.WASM_SCTP_CACHE_DIR
    || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'wasm-sctp');
  const dir = join(base, 'transpiled');
  try {
    mkdirSync(dir, { recursive: true });
    return dir;
  } catch {
    const fallback = join(tmpdir(), `wasm-sctp-${process.getuid?.() ?? 'user'}`, 'transpiled');
    mkdirSync(fallback, { recursive: true });
    return fallback;
  }
}

function removeStale(dir: string): void {
  const now = Date.now();
  for (const name of readdirSync(dir)) {
    const entry = join(dir, name);
    try {
      if (now - statSync(entry).mtimeMs > STALE_MS) rmSync(entry, { recursive: true, force: true });
    } catch { /* another process removed it first */ }
  }
}

/** What the first bytes say: a component, a core module (which needs componentizing first), or no wasm at all. */
export function checkComponentFile(wasmPath: string): Buffer {
  let bytes: Buffer;
  try {
    bytes = readFileSync(wasmPath);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new RunError(code === 'ENOENT' ? `${wasmPath}: no such file` : code === 'EISDIR' ? `${wasmPath} is a directory` : `${wasmPath}: ${(e as Error).message}`);
  }
  if (bytes.length < 8 || bytes.readUInt32BE(0) !== 0x0061736d) throw new RunError(`${wasmPath} is not a WebAssembly file`);
  // The preamble's version and layer: core modules are version 1, layer 0; components layer 1.
  if (bytes.readUInt16LE(6) === 0) {
    throw new RunError(`${wasmPath} is a core WebAssembly module, not a component (make one with componentize-js, or jco new with a WASI adapter)`);
  }
  return bytes;
}

export function transpileComponent(wasmPath: string, dir = cacheDir()): TranspiledComponent {
  const bytes = checkComponentFile(wasmPath);
  checkShimVersion();
  const transpiler = require.resolve(TRANSPILER);
  const map = hostMappings();
  const key = createHash('sha256')
    .update(bytes)
    .update(`${TRANSPILER}@${installedVersion(TRANSPILER, transpiler)}\0wasm-sctp@${ownManifest().version}\0`)
    .update(JSON.stringify(map)).update(DEBUG_LOG_REPLACEMENT)
    .digest('hex')
    .slice(0, 20);
  const entry = join(dir, key);
  const module = join(entry, 'component.js');
  const interfaces = join(entry, 'interfaces.json');
  if (existsSync(interfaces)) {
    try { utimesSync(entry, new Date(), new Date()); } catch { /* a read-only cache is still a cache */ }
    return { module, fresh: false, interfaces: JSON.parse(readFileSync(interfaces, 'utf8')) };
  }
  const partial = `${entry}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  try {
    execFileSync(process.execPath, [fileURLToPath(new URL('./transpile-job.js', import.meta.url)), wasmPath, partial, JSON.stringify(map)],
      { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (e) {
    rmSync(partial, { recursive: true, force: true });
    const reason = String((e as { stderr?: Buffer }).stderr ?? '').trim().split('\n').pop() || (e as Error).message;
    throw new RunError(`cannot transpile ${wasmPath}: ${reason}`);
  }
  rewriteGlueFile(join(partial, 'component.js'));
  removeStale(dir);
  try {
    renameSync(partial, entry);
  } catch (e) {
    // Another process filled the same cache entry first: theirs is as good as ours.
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(interfaces)) throw e;
  }
  return { module, fresh: true, interfaces: JSON.parse(readFileSync(interfaces, 'utf8')) };
}

export function moduleUrl(path: string): string {
  return pathToFileURL(path).href;
}
