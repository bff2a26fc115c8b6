// The `wasi:io/poll` module of guests this host runs (jco transpile --map
// 'wasi:io/poll=<this file>#poll', see transpile.ts): preview2-shim's own, with its Pollable class
// (jco checks `instanceof` it), except that poll() waits for lists of SCTP pollables alone on the
// main thread. A list with anything else in it (a clock, a TCP stream) goes to preview2-shim's IO
// worker, which checks every pollable of the list: a socket that is always ready never starves a
// clock polled with it.
import { poll as shimPoll } from '@bytecodealliance/preview2-shim/io';
import { SctpPollable, type ShimPollable } from './pollables.js';

export const poll = {
  Pollable: shimPoll.Pollable,
  poll(list: ShimPollable[]): Uint32Array {
    if (list.length > 0 && list.every((p) => p instanceof SctpPollable)) {
      return Uint32Array.from(SctpPollable.wait(list as SctpPollable[]));
    }
    // Pollables of closed sockets are ready for good and unknown to the worker.
    const closed = list.flatMap((p, i) => (p instanceof SctpPollable && !p.inWorker ? [i] : []));
    if (closed.length > 0) return Uint32Array.from(closed);
    for (const p of list) if (p instanceof SctpPollable) p.publish();
    return shimPoll.poll(list as never) as Uint32Array;
  },
};
