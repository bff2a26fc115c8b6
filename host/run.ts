// Runs a `wasi:cli/run` command component with preview2-shim and this host wired in.
import { setFlagsFromString } from 'node:v8';
import { basename } from 'node:path';
import { _setArgs } from '@bytecodealliance/preview2-shim/cli';
import { hostConfig, type HostOptions } from './config.js';
import { RunError, moduleUrl, transpileComponent, type TranspiledComponent } from './transpile.js';

// V8 never tiers up a long-running guest loop (no on-stack replacement for Wasm); starting
// optimized made host calls ~1.5x and guest loops ~4x faster here.
setFlagsFromString('--no-wasm-dynamic-tiering');

export interface RunResult {
  /** 0 when run returned ok. (A guest calling wasi:cli/exit ends the process itself.) */
  exitCode: number;
}

/** Refuses, before instantiating it, a component that is no command or needs imports this host lacks. */
function checkCommand(wasmPath: string, { interfaces }: TranspiledComponent): void {
  const name = basename(wasmPath);
  if (!interfaces.exports.some((e) => e.startsWith('wasi:cli/run@'))) {
    const exported = interfaces.exports.filter((e) => e.includes(':'));
    throw new RunError(`${name} does not export wasi:cli/run, so it is no command component (it exports ${exported.length ? exported.join(', ') : 'nothing'})`);
  }
  // Whatever the host provides was mapped to a file; anything else would fail to load.
  const missing = interfaces.imports.filter((specifier) => !specifier.startsWith('file:'));
  if (missing.length) throw new RunError(`${name} imports ${missing.join(', ')}, which this host does not provide`);
}

/** Throws a RunError (one line: the reason) for a file this host cannot run. */
export async function runComponent(wasmPath: string, args: string[], options: HostOptions = {}): Promise<RunResult> {
  hostConfig.configure(options);
  const transpiled = transpileComponent(wasmPath);
  checkCommand(wasmPath, transpiled);
  _setArgs([basename(wasmPath), ...args]);
  const component = (await import(moduleUrl(transpiled.module))) as { run: { run(): void } };
  try {
    component.run.run();
    return { exitCode: 0 };
  } catch (e) {
    // jco wraps a trap or an `err` result of run in an Error; the guest's own error is its payload.
    const payload = (e as { payload?: unknown })?.payload;
    console.error(`${basename(wasmPath)}: ${e instanceof Error ? e.message : String(e)}${payload !== undefined ? ` (${String(payload)})` : ''}`);
    return { exitCode: 1 };
  }
}
