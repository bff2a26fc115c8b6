/**
 * What a wait looks for in each state of a socket: the mask to pass to `whenReady` (readiness/wait.ts), derived from
 * the state machine's state (socket/state.ts) and a few facts of usrsctp:
 * - usrsctp calls the upcall after an inbound packet only when the socket is then readable, writable or has an error,
 *   and from its timers only when there is an error.
 * - WRITE means "at least sb_lowat bytes free", not "the next message fits": after a send returned would-block,
 *   WRITE is often still set, so waiting for WRITE would spin. Instead a blocked sender waits for EVENT_ANY: the
 *   first upcall after the failed send (the addon records its generation), i.e. the next SACK or other packet.
 * - One-to-many sockets are never writable (usrsctp requires SS_ISCONNECTED), so they get no upcall when an
 *   association is established, when an association attempt times out, or when send space frees up, unless the
 *   socket happens to be readable. Their waits add WAIT_POLL: they also end after a few ms.
 * - Notifications that usrsctp's timers queue (a path unreachable, an association lost on a one-to-many socket,
 *   messages abandoned by PR-SCTP) come without an upcall: readable waits add WAIT_RECHECK.
 */
import type { SocketState, SocketType } from '../socket/state.js';
import { EVENT_ANY, EVENT_ERROR, EVENT_READ, EVENT_WRITE, WAIT_POLL, WAIT_RECHECK } from './mask.js';

/**
 * The mask a wait should use now, or 0 when nothing is pending and a wait should return at once.
 * - connect in progress: one-to-one WRITE|ERROR (usrsctp reports WRITE once established, ERROR on failure);
 *   one-to-many ANY|POLL (spurious wake-ups: finish-connect may say would-block again);
 * - listening / connected: READ|ERROR|RECHECK; after a send returned would-block (`sendBlocked`) also ANY (the next
 *   packet after the failed send, typically the SACK that frees space), plus POLL on one-to-many sockets;
 * - everything else (unbound, bound, bind-started, listen-started, connect-failed, closed): 0, ready at once.
 */
export function interest(type: SocketType, state: SocketState, sendBlocked: boolean): number {
  const poll = type === 'one-to-many' ? WAIT_POLL : 0;
  switch (state) {
    case 'connect-started':
    case 'connecting':
      return type === 'one-to-one' ? EVENT_WRITE | EVENT_ERROR : EVENT_ANY | poll;
    case 'listen-started':
      return type === 'one-to-many' && sendBlocked ? EVENT_READ | EVENT_ERROR | EVENT_ANY | poll : 0;
    case 'listening':
    case 'connected': {
      let mask = EVENT_READ | EVENT_ERROR | WAIT_RECHECK;
      if (sendBlocked) mask |= EVENT_ANY | poll;
      return mask;
    }
    default:
      return 0;
  }
}
