/**
 * Level-triggered readiness: whether a wait on a socket would end now, and a wait that blocks the calling thread.
 * Unlike whenReady (wait.ts), which ends once, these look at the socket's state every time they are asked, so a
 * pollable built on them and reused across waits blocks again once the socket is drained. Usable from any thread.
 */
import { native } from '../native.js';
import { ADDON_MASK, POLL_MS, RECHECK_MS, WAIT_POLL, WAIT_RECHECK } from './mask.js';

/**
 * Whether a wait for `mask` (an interest, see interest.ts) would end now: one of its events is set, or for
 * EVENT_ANY an upcall came after the failed send or connect. A mask of 0 and a closed socket are always ready;
 * WAIT_POLL alone never is (it is a time, see blockUntilReady).
 */
export function isReady(socketId: number, mask: number): boolean {
  return native.ready(socketId, mask & ADDON_MASK);
}

/**
 * Blocks the calling thread until a wait for `masks[i]` on `socketIds[i]` would end for some i, and returns those i.
 * No JS runs on the thread meanwhile and no other thread is involved: usrsctp's upcall wakes it. Waits with
 * WAIT_POLL also end after POLL_MS, returning the indices that have it (a wake-up that may be spurious: the caller
 * re-tries, as with whenReady); with WAIT_RECHECK the events are looked at again every RECHECK_MS.
 */
export function blockUntilReady(socketIds: readonly number[], masks: readonly number[]): number[] {
  let own = 0;
  for (const mask of masks) own |= mask;
  const ready = native.waitReady(socketIds, masks.map((mask) => mask & ADDON_MASK),
    own & WAIT_POLL ? POLL_MS : -1, own & WAIT_RECHECK ? RECHECK_MS : 0);
  if (ready.length > 0 || !(own & WAIT_POLL)) return ready;
  return masks.flatMap((mask, i) => (mask & WAIT_POLL ? [i] : []));
}

/**
 * Publishes the interest a wait on the socket looks for now, for threads that only have its id (see
 * publishedInterest). A change ends the socket's watches that include EVENT_INTEREST.
 */
export function publishInterest(socketId: number, mask: number): void {
  native.setInterest(socketId, mask);
}

/** The interest last published for the socket (0 when none was, or the socket is closed). */
export function publishedInterest(socketId: number): number {
  return native.interest(socketId);
}
