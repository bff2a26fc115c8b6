// Blocking on top of the non-blocking WIT API: subscribe + wasi:io/poll. Try the call first and
// wait only when it returns would-block or nothing: every wait is several host calls.
import type { SctpSocket } from 'sctp:sockets/sctp@0.1.0';
import { poll } from 'wasi:io/poll@0.2.12';
import { subscribeDuration } from 'wasi:clocks/monotonic-clock@0.2.12';
import { errorCode } from './errors.js';

/** Blocks until the socket's pollable is ready. */
export function wait(socket: SctpSocket): void {
  const pollable = socket.subscribe();
  pollable.block();
  pollable[Symbol.dispose]();
}

/** Blocks until the socket is ready or `ms` passed; true when the socket was ready. */
export function waitWithTimeout(socket: SctpSocket, ms: number): boolean {
  const p = socket.subscribe();
  const clock = subscribeDuration(BigInt(ms) * 1_000_000n);
  const ready = poll([p, clock]);
  p[Symbol.dispose]();
  clock[Symbol.dispose]();
  return Array.from(ready).includes(0);
}

/** Repeats a non-blocking call while it returns would-block, waiting on the socket in between. */
export function blocking<T>(socket: SctpSocket, f: () => T): T {
  for (;;) {
    try { return f(); } catch (e) {
      if (errorCode(e) !== 'would-block') throw e;
      wait(socket);
    }
  }
}
