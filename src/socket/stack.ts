/**
 * The process-wide usrsctp stack: starting it (with the UDP encapsulation setting from the caller or the
 * environment), its port, and draining it at exit. usrsctp runs one stack per process, shared by every thread.
 */
import { constants } from 'node:os';
import { SctpError, check, errnoName } from '../errors.js';
import { native } from '../native.js';

export interface StackOptions {
  /**
   * The local UDP port for SCTP over UDP (RFC 6951): a port number, 'auto' (a free port; the default) or 'raw' / 0
   * (plain SCTP over IP; needs root). Without this option the environment variable WASM_SCTP_UDP_PORT (a number,
   * 'auto' or 'raw') replaces the default.
   */
  udpPort?: number | 'auto' | 'raw';
}

/** The running stack's local UDP encapsulation port, 0 for raw IP, undefined before the stack runs. */
export function stackPort(): number | undefined {
  const p = native.stackPort();
  return p < 0 ? undefined : p;
}

/**
 * A UDP port setting as the addon takes it: -1 for 'auto' (or nothing), 0 for 'raw', else the port. Anything else
 * is invalid-argument, naming `source`.
 */
export function parseUdpPort(v: number | string | undefined, source: string): number {
  if (v === undefined || v === 'auto') return -1;
  if (v === 'raw') return 0;
  const n = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new SctpError('invalid-argument', `${source}: expected a UDP port, 'auto' or 'raw', got ${String(v)}`);
  }
  return n;
}

/**
 * Starts the process-wide usrsctp stack (idempotent: later calls, from any thread, return the running stack's port
 * and ignore their options). Returns the local UDP encapsulation port, 0 for raw IP.
 */
export function initStack(options: StackOptions = {}): { udpPort: number } {
  const running = stackPort();
  if (running !== undefined) return { udpPort: running };
  const port = options.udpPort !== undefined
    ? parseUdpPort(options.udpPort, 'udpPort')
    : parseUdpPort(process.env.WASM_SCTP_UDP_PORT || undefined, 'WASM_SCTP_UDP_PORT');
  const started = native.init(port);
  if (port > 0 && started < 0 && errnoName(started) === 'EADDRINUSE') {
    throw new SctpError('address-in-use', `UDP port ${port} (for SCTP over UDP) is in use by another socket`, 'EADDRINUSE');
  }
  const udpPort = check(started, 'init-stack');
  process.once('exit', () => drainStack(exitLingerMs()));
  return { udpPort };
}

/**
 * How long the process may wait at exit for its associations to finish their graceful shutdown
 * (WASM_SCTP_EXIT_LINGER_MS, default 2000). Kernel sockets keep delivering after their process
 * ends; usrsctp's stack lives in the process, so it has to finish before the process does.
 */
function exitLingerMs(): number {
  const v = Number(process.env.WASM_SCTP_EXIT_LINGER_MS ?? 2000);
  return Number.isFinite(v) && v >= 0 ? v : 2000;
}

/**
 * Closes every socket and waits, blocking, until every association has shut down gracefully or
 * `timeoutMs` passed; true when the stack finished. No socket can be created afterwards.
 */
export function drainStack(timeoutMs: number): boolean {
  return native.drain(timeoutMs);
}

/**
 * From now on SIGINT and SIGTERM end every association of the process before they end the process: SHUTDOWN (after
 * what is queued), and ABORT for associations still up after `lingerMs` (default: WASM_SCTP_EXIT_LINGER_MS, 2000), so
 * that no peer keeps a dead association. The process then ends as the signal would have (its exit status says so),
 * and a second signal ends it at once. This runs on a native thread, so it works while JavaScript is busy or blocked
 * (a guest waiting in preview2-shim's poll freezes the main thread). Opt-in: `wasm-sctp run` turns it on; a program
 * that handles these signals itself (process.on('SIGINT')) replaces it.
 */
export function endOnSignals(options: { lingerMs?: number } = {}): void {
  native.endOnSignals([constants.signals.SIGINT, constants.signals.SIGTERM], options.lingerMs ?? exitLingerMs());
}
