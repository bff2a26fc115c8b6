// Blocking on top of the non-blocking WIT API: subscribe + wasi:io/poll. Try the call first and
// wait only when it returns would-block or nothing. A socket's pollable is level-triggered (ready
// while something is pending, blocking again once drained), so each socket subscribes once and
// every wait reuses that pollable: a wait is then one host call.
import type { SctpSocket } from 'sctp:sockets/sctp@0.1.0';
import { poll, type Pollable } from 'wasi:io/poll@0.2.12';
import { subscribeDuration } from 'wasi:clocks/monotonic-clock@0.2.12';
import { errorCode } from './errors.js';

const pollables = new WeakMap<SctpSocket, Pollable>();

/** The socket's pollable, subscribed on first use and reused by every wait. */
export function pollableOf(socket: SctpSocket): Pollable {
  let pollable = pollables.get(socket);
  if (!pollable) {
    pollable = socket.subscribe();
    pollables.set(socket, pollable);
  }
  return pollable;
}

/** Drops the socket, and first the pollable the waits of this module kept for it. */
export function close(socket: SctpSocket): void {
  pollables.get(socket)?.[Symbol.dispose]();
  pollables.delete(socket);
  socket[Symbol.dispose]();
}

/** Blocks until the socket is ready. */
export function wait(socket: SctpSocket): void {
  pollableOf(socket).block();
}

/** Blocks until the socket is ready or `ms` passed; true when the socket was ready. */
export function waitWithTimeout(socket: SctpSocket, ms: number): boolean {
  const clock = subscribeDuration(BigInt(ms) * 1_000_000n);
  const ready = poll([pollableOf(socket), clock]);
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
