/**
 * Notification kinds, spelled once: as the WIT's `event-kind` names them, which is also the `type` the addon gives a
 * parsed notification (src/native/notifications.cc) and the key of the `event` option. Each kind's stack constant
 * is here too.
 */
import type { NativeConstantName, NativeNotification } from '../native.js';
import type { InForm, SocketAddress } from '../addresses/text.js';

export const EVENT_TYPES = {
  'assoc-change': 'SCTP_ASSOC_CHANGE',
  'peer-addr-change': 'SCTP_PEER_ADDR_CHANGE',
  'remote-error': 'SCTP_REMOTE_ERROR',
  'send-failed': 'SCTP_SEND_FAILED_EVENT',
  shutdown: 'SCTP_SHUTDOWN_EVENT',
  'adaptation-indication': 'SCTP_ADAPTATION_INDICATION',
  'partial-delivery': 'SCTP_PARTIAL_DELIVERY_EVENT',
  authentication: 'SCTP_AUTHENTICATION_EVENT',
  'sender-dry': 'SCTP_SENDER_DRY_EVENT',
  'notifications-stopped': 'SCTP_NOTIFICATIONS_STOPPED_EVENT',
  'stream-reset': 'SCTP_STREAM_RESET_EVENT',
  'assoc-reset': 'SCTP_ASSOC_RESET_EVENT',
  'stream-change': 'SCTP_STREAM_CHANGE_EVENT',
} as const satisfies Record<string, NativeConstantName>;

export type EventKind = keyof typeof EVENT_TYPES;

/** The event kinds, in the WIT's order. */
export const EVENT_KINDS = Object.keys(EVENT_TYPES) as EventKind[];

/**
 * A notification as usrsctp reported it (camelCase fields, `type` an EventKind or 'unknown' / 'truncated'), with
 * the peer address of a peer-addr-change in the socket's address form.
 */
export type Notification<A = SocketAddress> = InForm<Reported, A>;

type Reported = NativeNotification extends infer N
  ? N extends { type: 'peer-addr-change'; address: unknown } ? Omit<N, 'address'> & { address: SocketAddress | undefined } : N
  : never;

// The addon's kinds (src/native.ts) and the ones above are the same set: a compile error otherwise.
type Same<X, Y> = [X] extends [Y] ? ([Y] extends [X] ? true : false) : false;
true satisfies Same<Exclude<NativeNotification['type'], 'unknown' | 'truncated'>, EventKind>;
