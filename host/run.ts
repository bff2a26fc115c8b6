// Runs a `wasi:cli/run` command component with preview2-shim and this host wired in.
import { setFlagsFromString } from 'node:v8';
import { basename } from 'node:path';
import { _setArgs } from '@bytecodealliance/preview2-shim/cli';
import { endOnSignals } from '../src/index.js';
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

export interface RunOptions extends HostOptions {
  /**
   * SIGINT and SIGTERM end the guest's associations (SHUTDOWN, or ABORT after WASM_SCTP_EXIT_LINGER_MS) before they
   * end the process, whether the guest is busy or blocked in poll (`endOnSignals` of the TS API). Off by default:
   * a program embedding the host decides what its signals do; `wasm-sctp run` turns it on.
   */
  endOnSignals?: boolean;
}

/**
 * Throws a RunError (one line: the reason) for a file this host cannot run, or a stack that cannot start (a UDP
 * port in use).
 */
export async function runComponent(wasmPath: string, args: string[], options: RunOptions = {}): Promise<RunResult> {
  const { endOnSignals: onSignals, ...host } = options;
  hostConfig.configure(host);
  const transpiled = transpileComponent(wasmPath);
  checkCommand(wasmPath, transpiled);
  // Started before the guest, so that a setting the stack cannot honour stops the run at once.
  try {
    hostConfig.ensureStack();
  } catch (e) {
    throw new RunError(`cannot start the SCTP stack: ${(e as Error).message}`);
  }
  if (onSignals) endOnSignals();
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
