// Waiting for a socket by its id, from any JS thread of the process: the host's IO-worker
// extension uses this while the main thread is frozen in poll().
import { native } from './native.js';

/**
 * Resolves with the socket's events once `events & mask` is non-zero (checked at once, then on
 * every upcall), or on the next upcall when `mask` has the ANY bit. A mask of 0 resolves at once:
 * there is nothing to wait for. A closed socket resolves with the error bit.
 */
export function whenReady(socketId: number, mask: number): Promise<number> {
  if (mask === 0) return Promise.resolve(0);
  return new Promise((resolve) => {
    native.watch(socketId, mask, resolve);
  });
}
