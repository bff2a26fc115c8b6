/**
 * Readiness waits on socket ids, usable from any JS thread that loaded the addon (the main thread, or the IO worker
 * of the host, which only has the id). Built on the addon's one-shot `watch`.
 */
import { native } from '../native.js';
import { ADDON_MASK, EVENT_ERROR, POLL_MS, RECHECK_MS, STACK_EVENTS, WAIT_POLL, WAIT_RECHECK } from './mask.js';

export interface ReadyOptions {
  /** For EVENT_ANY: the upcall generation to wait past (default: the one the addon recorded, see native `watch`). */
  since?: number;
  /** End the wait after this many ms anyway (default: POLL_MS when the mask has WAIT_POLL, else never). */
  pollMs?: number;
  /** Cancels the wait; the promise then resolves with 0. */
  signal?: AbortSignal;
}

/**
 * Resolves with the socket's events once `events & mask` is non-zero (checked now and on every upcall), on the
 * first upcall past `since` for EVENT_ANY, with EVENT_ERROR if the socket is or gets closed, or with the current
 * events after the poll interval (WAIT_POLL). A mask of 0 means "nothing to wait for": it resolves at once. This is
 * the whole readiness protocol: `whenReady(socket.id, socket.interest())` works from any thread.
 */
export function whenReady(socketId: number, mask: number, options: ReadyOptions = {}): Promise<number> {
  const pollMs = options.pollMs ?? (mask & WAIT_POLL ? POLL_MS : undefined);
  const recheck = (mask & WAIT_RECHECK) !== 0;
  mask &= ADDON_MASK;
  if (mask === 0) return Promise.resolve(Math.max(0, native.getEvents(socketId)));
  return new Promise<number>((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let rechecks: ReturnType<typeof setInterval> | undefined;
    let watchId = 0;
    const finish = (events: number) => {
      if (timer !== undefined) clearTimeout(timer);
      if (rechecks !== undefined) clearInterval(rechecks);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(events);
    };
    const onAbort = () => {
      native.unwatch(watchId);
      finish(0);
    };
    watchId = native.watch(socketId, mask, finish, options.since);
    if (pollMs !== undefined) {
      timer = setTimeout(() => {
        if (native.unwatch(watchId)) finish(Math.max(0, native.getEvents(socketId)));
      }, pollMs);
    }
    if (recheck) {
      const events = mask & STACK_EVENTS;
      rechecks = setInterval(() => {
        const now = native.getEvents(socketId);
        if ((now < 0 || (now & events) !== 0) && native.unwatch(watchId)) finish(now < 0 ? EVENT_ERROR : now);
      }, RECHECK_MS);
    }
    if (options.signal) {
      if (options.signal.aborted) onAbort();
      else options.signal.addEventListener('abort', onAbort, { once: true });
    }
  });
}
