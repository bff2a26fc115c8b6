/**
 * The public shapes of the socket API's messages: what `send` takes and what `receive` returns. A socket that works
 * in another address form (see addresses/sockaddr.ts) has its addresses in that form (the type parameter A).
 */
import type { SocketAddress } from '../addresses/text.js';
import type { InitMsg } from '../options/values.js';
import type { Notification } from './notifications.js';
import type { PrPolicy, SendFlags } from './send-flags.js';

export interface OutgoingMessage<A = SocketAddress> {
  data: Uint8Array;
  /**
   * Stream id, 0..65535; must be below the association's negotiated outbound streams. Left out, it comes from the
   * association's `default-sndinfo` (0 unless set), as do `ppid`, `context` and the flags when both `unordered`
   * and `flags` are left out.
   */
  stream?: number;
  /** Payload protocol identifier, u32 host order. */
  ppid?: number;
  /** The same as `flags.unordered`. */
  unordered?: boolean;
  /** One-to-many: the association to send on (required). Ignored by one-to-one sockets. */
  association?: number;
  /** Opaque u32 reported back in send-failed notifications. */
  context?: number;
  flags?: SendFlags;
  /**
   * The INIT parameters of the association this message sets up implicitly (RFC 6458 SCTP_INIT cmsg); ignored
   * when the association exists. Zero fields keep the socket's `init-msg` values.
   */
  init?: InitMsg;
  /** The shared key (RFC 4895) that authenticates this message instead of the active key (SCTP_AUTHINFO). */
  authKey?: number;
  /** Partial reliability (RFC 7496); left out, the association's `default-prinfo` (fully reliable unless set). */
  prPolicy?: PrPolicy;
  /**
   * Where to send: on a one-to-many socket, the peer of a new association set up implicitly by this message
   * (RFC 6458 3.1.3); with `flags.addrOver`, the peer address to use instead of the primary path. An IPv6 socket
   * reaches an IPv4 peer by its IPv4-mapped address.
   */
  destination?: A;
}

export interface ReceivedMessage {
  kind: 'message';
  data: Buffer;
  association: number;
  stream: number;
  ssn: number;
  ppid: number;
  tsn: number;
  cumulativeTsn: number;
  context: number;
  unordered: boolean;
  /** False for every piece but the last of a message delivered in pieces. */
  complete: boolean;
  /**
   * With `recv-nxtinfo` on, what the stack holds next for this socket when the message was read (SCTP_NXTINFO);
   * undefined when it is off or nothing was queued.
   */
  next?: NextInfo;
}

/** RFC 6458 5.3.6 `struct sctp_nxtinfo`: the next message or notification waiting on the socket. */
export interface NextInfo {
  association: number;
  stream: number;
  ppid: number;
  /** Bytes of it received so far (all of it when `complete`). */
  length: number;
  unordered: boolean;
  /** It is whole: every piece has arrived. */
  complete: boolean;
  /** It is a notification, not a message. */
  notification: boolean;
}

export type Incoming<A = SocketAddress> =
  | ReceivedMessage
  | { kind: 'notification'; notification: Notification<A> }
  /** One-to-one: the association ended gracefully and everything was read (returned again by later calls). */
  | { kind: 'end-of-stream' };
