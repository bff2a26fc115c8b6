/**
 * The readiness mask bits, the one place TypeScript defines them: the addon's bits (src/native/readiness.h, read
 * from the addon, never restated) and two bits of TypeScript's own above them, which only the waits of wait.ts and
 * level.ts look at.
 */
import { native } from '../native.js';

/** The socket is readable: a message, a notification or end-of-stream is waiting. */
export const EVENT_READ = native.readiness.read;
/** At least the low-water mark of send-buffer space is free (not: the next message fits; see interest.ts). */
export const EVENT_WRITE = native.readiness.write;
/** The socket has a pending error, or is closed. */
export const EVENT_ERROR = native.readiness.error;
/** The first usrsctp upcall after the socket's last would-block send or connect, whatever the events. */
export const EVENT_ANY = native.readiness.any;
/**
 * For watches only: also end when the socket's published interest changes (level.ts's publishInterest); the events
 * a watch resolves with then carry this bit too.
 */
export const EVENT_INTEREST = native.readiness.interest;

/** usrsctp's own event bits (what getEvents reports). */
export const STACK_EVENTS = EVENT_READ | EVENT_WRITE | EVENT_ERROR;
const ADDON_BITS = STACK_EVENTS | EVENT_ANY | EVENT_INTEREST;
const FIRST_OWN_BIT = 2 ** Math.ceil(Math.log2(ADDON_BITS + 1));

/**
 * The wait must also end after POLL_MS, because usrsctp gives no upcall for what it waits for (one-to-many sockets:
 * association established or timed out, send-buffer space; see interest.ts). Spurious wake-ups are allowed: callers
 * re-try and wait again.
 */
export const WAIT_POLL = FIRST_OWN_BIT;
export const POLL_MS = 5;

/**
 * While waiting, also look at the socket's events every RECHECK_MS and end the wait only when they match. usrsctp's
 * timers (heartbeat and retransmission timeouts, PR-SCTP abandonment) queue notifications such as peer-addr-change
 * unreachable or comm-lost without an upcall, unless they also set the socket's error; a recheck finds them without
 * waking a waiter for nothing.
 */
export const WAIT_RECHECK = FIRST_OWN_BIT * 2;
export const RECHECK_MS = 50;

/** The bits the addon's `watch` takes. */
export const ADDON_MASK = ADDON_BITS;
