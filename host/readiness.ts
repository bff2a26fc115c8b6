// Main-thread side of readiness: turns "socket N, these events" into a real preview2-shim
// Pollable, so guests can mix SCTP pollables with clocks and TCP streams in one poll().
import { callExtension, futureDispose, futureSubscribe } from '@bytecodealliance/preview2-shim/io-worker';
import type { Pollable } from '../types/generated/interfaces/wasi-io-poll.js';

const extension = new URL('./readiness-worker.js', import.meta.url);

/**
 * Futures whose pollables the guest may still hold. preview2-shim refuses to dispose a future
 * while a pollable on it lives and tells us nothing when a guest drops one, so disposal is
 * retried in small sweeps; what is left goes when the socket is closed.
 */
export class FutureSet {
  #ids: number[] = [];

  subscribe(socketId: number, mask: number, owner: object): Pollable {
    if (this.#ids.length >= 32) this.sweep(this.#ids.length - 1);
    const futureId = callExtension(extension, 'subscribe', [socketId, mask]) as number;
    this.#ids.push(futureId);
    return futureSubscribe(futureId, owner) as Pollable;
  }

  /** Disposes the oldest `limit` futures whose pollables are gone. */
  sweep(limit = this.#ids.length): void {
    const kept: number[] = [];
    this.#ids.forEach((id, i) => {
      if (i >= limit || !tryDispose(id)) kept.push(id);
    });
    this.#ids = kept;
  }

  get size(): number {
    return this.#ids.length;
  }
}

function tryDispose(futureId: number): boolean {
  try {
    futureDispose(futureId);
    return true;
  } catch {
    return false; // a pollable on it is still alive
  }
}

/** Counts of the IO worker's resources, for leak checks in tests. */
export function workerResourceCounts(): { streams: number; futures: number; polls: number; sockets: number } {
  return callExtension(extension, 'counts', []) as { streams: number; futures: number; polls: number; sockets: number };
}
