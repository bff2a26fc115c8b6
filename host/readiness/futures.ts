// Main-thread side of readiness: turns "socket N, these events" into a real preview2-shim
// Pollable, so guests can mix SCTP pollables with clocks and TCP streams in one poll().
import { callExtension, futureDispose, futureSubscribe } from '@bytecodealliance/preview2-shim/io-worker';
import type { Pollable } from '../../types/generated/interfaces/wasi-io-poll.js';

const extension = new URL('./worker.js', import.meta.url);

/**
 * Futures of closed sockets whose pollables the guest still held then: every later subscribe and
 * close retries a few, so a socket dropped before its pollables leaks nothing in the IO worker.
 */
const orphans: number[] = [];

function sweepOrphans(limit: number): void {
  const tried = orphans.splice(0, limit);
  for (const id of tried) if (!tryDispose(id)) orphans.push(id);
}

/**
 * Futures whose pollables the guest may still hold. preview2-shim refuses to dispose a future
 * while a pollable on it lives and tells us nothing when a guest drops one, so disposal is
 * retried in small sweeps; what is left when the socket is closed becomes an orphan.
 */
export class FutureSet {
  #ids: number[] = [];

  subscribe(socketId: number, mask: number, owner: object): Pollable {
    if (orphans.length) sweepOrphans(2);
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

  /** The socket is closed: what cannot be disposed yet is retried by later sweeps of any socket. */
  close(): void {
    this.sweep();
    orphans.push(...this.#ids);
    this.#ids = [];
    if (orphans.length) sweepOrphans(8);
  }

  get size(): number {
    return this.#ids.length;
  }
}

/** Futures of closed sockets still waiting for their pollables to be dropped (for leak checks). */
export function orphanedFutures(): number {
  return orphans.length;
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
