// Transpiles a component with jco, wired to this host, through a cache keyed by the component's
// bytes and everything that shapes the output: the second run of a component starts at once.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DEBUG_LOG_REPLACEMENT, rewriteGlueFile } from './transpile-glue.js';

/** The package's root (dist/host/ is two levels below it). */
export const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface TranspiledComponent {
  /** The generated ES module; importing it instantiates the component. */
  module: string;
  /** Whether this call transpiled (false: taken from the cache). */
  fresh: boolean;
}

/** The --map arguments that wire `sctp:sockets/*` to this host. The recipe in the README is the same. */
export function hostMappings(): string[] {
  const imports = fileURLToPath(new URL('./imports.js', import.meta.url));
  return ['--map', `sctp:sockets/*=${imports}#*`];
}

export function transpileComponent(wasmPath: string, cacheDir = join(packageRoot, '.cache', 'transpiled')): TranspiledComponent {
  const jcoDir = join(packageRoot, 'node_modules', '@bytecodealliance', 'jco');
  const mappings = hostMappings();
  const key = createHash('sha256')
    .update(readFileSync(wasmPath))
    .update(readFileSync(join(jcoDir, 'package.json')))
    .update(mappings.join('\0')).update(DEBUG_LOG_REPLACEMENT)
    .digest('hex')
    .slice(0, 20);
  // The cache lives inside the package so that the generated code resolves the same
  // @bytecodealliance/preview2-shim instance as the host (one IO worker for all pollables).
  const dir = join(cacheDir, key);
  const module = join(dir, 'component.js');
  if (existsSync(module)) return { module, fresh: false };
  const partial = `${dir}.partial-${process.pid}`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  execFileSync(process.execPath, [join(jcoDir, 'dist', 'jco.js'), 'transpile', wasmPath, '-o', partial, '--name', 'component',
    '--no-typescript', '--quiet', ...mappings], { stdio: ['ignore', 'ignore', 'inherit'] });
  rewriteGlueFile(join(partial, 'component.js'));
  try {
    renameSync(partial, dir);
  } catch (e) {
    // Another process filled the same cache entry first: theirs is as good as ours.
    rmSync(partial, { recursive: true, force: true });
    if (!existsSync(module)) throw e;
  }
  return { module, fresh: true };
}

export function moduleUrl(path: string): string {
  return pathToFileURL(path).href;
}
