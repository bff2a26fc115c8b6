// Runs a `wasi:cli/run` command component with preview2-shim and this host wired in.
import { setFlagsFromString } from 'node:v8';
import { basename } from 'node:path';
import { _setArgs } from '@bytecodealliance/preview2-shim/cli';
import { hostConfig, type HostOptions } from './config.js';
import { moduleUrl, transpileComponent } from './transpile.js';

// V8 never tiers up a long-running guest loop (no on-stack replacement for Wasm); starting
// optimized made host calls ~1.5x and guest loops ~4x faster here.
setFlagsFromString('--no-wasm-dynamic-tiering');

export interface RunResult {
  /** 0 when run returned ok. (A guest calling wasi:cli/exit ends the process itself.) */
  exitCode: number;
}

export async function runComponent(wasmPath: string, args: string[], options: HostOptions = {}): Promise<RunResult> {
  hostConfig.configure(options);
  const { module } = transpileComponent(wasmPath);
  _setArgs([basename(wasmPath), ...args]);
  const component = (await import(moduleUrl(module))) as { run: { run(): void } };
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
