// How the host reports failures to a guest. jco turns a thrown value into the `err` case of a
// WIT result, so a host function throws the error-code itself (a HostError's payload).
import type { ErrorCode } from '../types/generated/interfaces/wasi-sockets-network.js';
import { SctpError } from '../src/index.js';

export class HostError extends Error {
  readonly payload: ErrorCode;
  constructor(code: ErrorCode) {
    super(code);
    this.payload = code;
  }
}

/**
 * Runs a host call that returns a WIT result. Errors of the TS API keep their error-code; anything
 * else is a host bug, reported as `unknown` (and logged) so that it never traps the guest.
 */
export function guarded<T>(f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof HostError) throw e;
    if (e instanceof SctpError) throw new HostError(e.code as ErrorCode);
    console.error('wasm-sctp host: unexpected error, reported to the guest as `unknown`:', e);
    throw new HostError('unknown');
  }
}
