/**
 * The native addon (`build/Release/sctp_native.node`, built from `src/native/` by `npm run build:native`) and its exact
 * TypeScript declarations. Only `src/` talks to this module; the host and applications use `SctpSocket`.
 *
 * Conventions of the addon:
 * - Data-path functions return a non-negative result or a negative errno (`-errno`, Linux numbering, compare with
 *   `os.constants.errno`). They never throw for would-block, in-progress, refused, ...
 * - They throw (TypeError/RangeError/Error) only for programming errors: wrong argument types, or `socket()` before
 *   `init()`. An unknown or closed socket id gives `-EBADF`.
 * - Socket ids are integers, monotonic and never reused, shared by every JS thread (main thread and workers) of the
 *   process: a socket created on one thread can be used, watched and closed from another.
 */
import { createRequire } from 'node:module';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

/**
 * A socket address as the addon takes and reports it: the bytes of a struct sockaddr_in or sockaddr_in6 (see
 * src/addresses/sockaddr.ts, the one place that builds and reads them).
 */
export type NativeAddress = Uint8Array;

/** One message for `sendBatch`. Numbers are host order; the addon converts the PPID with htonl. */
export interface NativeOutgoing {
  data: Uint8Array;
  /** Stream id (u16). */
  sid?: number;
  /** Payload protocol identifier (u32, host order). */
  ppid?: number;
  /** `snd_flags`: SCTP_UNORDERED | SCTP_EOF | SCTP_ABORT | SCTP_SENDALL | SCTP_SACK_IMMEDIATELY | SCTP_EOR. */
  flags?: number;
  /** Opaque u32 reported back in send-failed notifications. */
  context?: number;
  /** Association id (one-to-many); ignored by one-to-one sockets. */
  assocId?: number;
  /**
   * SCTP_PR_SCTP_NONE (0, reliable) | SCTP_PR_SCTP_TTL | SCTP_PR_SCTP_BUF | SCTP_PR_SCTP_RTX; left out, the
   * association's SCTP_DEFAULT_PRINFO (policy and value).
   */
  prPolicy?: number;
  /** TTL in ms, buffer priority, or retransmission count, depending on prPolicy. */
  prValue?: number;
  /** A destination: sets up an association implicitly on a one-to-many socket, or, with SCTP_ADDR_OVER, picks the
   * peer address to send to. */
  to?: NativeAddress;
}

/**
 * Notifications, parsed from the usrsctp structs (see `src/native/notifications.cc`). `type` is the kind as the WIT's
 * `event-kind` spells it (plus 'unknown' and 'truncated' for what the stack sent that has no kind here).
 */
export type NativeNotification =
  | {
      type: 'assoc-change';
      flags: number;
      state: 'comm-up' | 'comm-lost' | 'restart' | 'shutdown-comp' | 'cant-str-assoc' | 'unknown';
      error: number;
      outboundStreams: number;
      inboundStreams: number;
      assocId: number;
      /** Features the peer supports (comm-up, restart). */
      features: Array<'pr' | 'auth' | 'asconf' | 'multibuf' | 're-config' | 'interleaving' | 'unknown'>;
      /** The ABORT chunk that ended the association (comm-lost, cant-str-assoc); empty otherwise. */
      abortInfo: Buffer;
    }
  | {
      type: 'peer-addr-change';
      flags: number;
      address: NativeAddress | undefined;
      state: 'available' | 'unreachable' | 'removed' | 'added' | 'made-primary' | 'confirmed' | 'unknown';
      error: number;
      assocId: number;
    }
  | { type: 'remote-error'; flags: number; error: number; assocId: number; data: Buffer }
  | {
      type: 'send-failed';
      flags: number;
      unsent: boolean;
      sent: boolean;
      error: number;
      sndinfo: { sid: number; flags: number; ppid: number; context: number; assocId: number };
      assocId: number;
      data: Buffer;
    }
  | { type: 'shutdown'; flags: number; assocId: number }
  | { type: 'adaptation-indication'; flags: number; adaptationInd: number; assocId: number }
  | {
      type: 'partial-delivery';
      flags: number;
      indication: 'aborted' | 'unknown';
      stream: number;
      seq: number;
      assocId: number;
    }
  | {
      type: 'authentication';
      flags: number;
      keyNumber: number;
      indication: 'new-key' | 'no-auth' | 'free-key' | 'unknown';
      assocId: number;
    }
  | { type: 'sender-dry'; flags: number; assocId: number }
  | { type: 'notifications-stopped'; flags: number; assocId: number }
  | {
      type: 'stream-reset';
      flags: number;
      incoming: boolean;
      outgoing: boolean;
      denied: boolean;
      failed: boolean;
      streams: number[];
      assocId: number;
    }
  | {
      type: 'assoc-reset';
      flags: number;
      denied: boolean;
      failed: boolean;
      localTsn: number;
      remoteTsn: number;
      assocId: number;
    }
  | {
      type: 'stream-change';
      flags: number;
      denied: boolean;
      failed: boolean;
      inboundStreams: number;
      outboundStreams: number;
      assocId: number;
    }
  | { type: 'unknown'; flags: number; notificationType: number; assocId: number; data: Buffer }
  | { type: 'truncated'; assocId: number };

/** Where the reads of one association came from (see `recvBatch`). */
export interface NativeSource {
  assocId: number;
  address: NativeAddress;
}

/** A received message or notification. */
export interface NativeRecord {
  /** Exactly the bytes of this read (a partial message when `eor` is false). */
  data: Buffer;
  /** MSG_EOR: the message is complete. */
  eor: boolean;
  /** Set for MSG_NOTIFICATION reads. */
  notification: NativeNotification | undefined;
  sid: number;
  ssn: number;
  /** rcv_flags (SCTP_UNORDERED, ...). */
  flags: number;
  /** Host order. */
  ppid: number;
  tsn: number;
  cumtsn: number;
  /** The receiving socket's SCTP_CONTEXT for the association (not sent by the peer). */
  context: number;
  assocId: number;
  /** SCTP_NXTINFO, when SCTP_RECVNXTINFO is on and the stack knew the next item. */
  next: { sid: number; flags: number; ppid: number; length: number; assocId: number } | undefined;
  /**
   * The association ended during a partial delivery: this piece is the last there will be of its message (MSG_TRUNC,
   * or the partial-delivery event "aborted" that the stack queued right behind it).
   */
  truncated: boolean;
}

/** End of stream on a one-to-one socket: the association was shut down and everything was read. */
export interface NativeEof {
  eof: true;
}

export type NativeConstantName =
  | 'AF_INET' | 'AF_INET6' | 'AF_CONN' | 'SOCK_STREAM' | 'SOCK_SEQPACKET' | 'IPPROTO_SCTP'
  | 'SOL_SOCKET' | 'SO_RCVBUF' | 'SO_SNDBUF' | 'SO_LINGER' | 'SO_ERROR' | 'SO_REUSEADDR'
  | 'SHUT_RD' | 'SHUT_WR' | 'SHUT_RDWR' | 'MSG_NOTIFICATION' | 'MSG_EOR' | 'MSG_DONTWAIT' | 'MSG_PEEK'
  | 'SCTP_FUTURE_ASSOC' | 'SCTP_CURRENT_ASSOC' | 'SCTP_ALL_ASSOC'
  | 'SCTP_RTOINFO' | 'SCTP_ASSOCINFO' | 'SCTP_INITMSG' | 'SCTP_NODELAY' | 'SCTP_AUTOCLOSE' | 'SCTP_PRIMARY_ADDR'
  | 'SCTP_ADAPTATION_LAYER' | 'SCTP_DISABLE_FRAGMENTS' | 'SCTP_PEER_ADDR_PARAMS' | 'SCTP_I_WANT_MAPPED_V4_ADDR'
  | 'SCTP_MAXSEG' | 'SCTP_DELAYED_SACK' | 'SCTP_FRAGMENT_INTERLEAVE' | 'SCTP_PARTIAL_DELIVERY_POINT'
  | 'SCTP_HMAC_IDENT' | 'SCTP_AUTH_ACTIVE_KEY' | 'SCTP_AUTO_ASCONF' | 'SCTP_MAX_BURST' | 'SCTP_CONTEXT'
  | 'SCTP_EXPLICIT_EOR' | 'SCTP_REUSE_PORT' | 'SCTP_EVENT' | 'SCTP_RECVRCVINFO' | 'SCTP_RECVNXTINFO'
  | 'SCTP_DEFAULT_SNDINFO' | 'SCTP_DEFAULT_PRINFO' | 'SCTP_REMOTE_UDP_ENCAPS_PORT' | 'SCTP_ECN_SUPPORTED'
  | 'SCTP_PR_SUPPORTED' | 'SCTP_AUTH_SUPPORTED' | 'SCTP_ASCONF_SUPPORTED' | 'SCTP_RECONFIG_SUPPORTED'
  | 'SCTP_NRSACK_SUPPORTED' | 'SCTP_PKTDROP_SUPPORTED' | 'SCTP_MAX_CWND' | 'SCTP_ENABLE_STREAM_RESET'
  | 'SCTP_PLUGGABLE_SS' | 'SCTP_SS_VALUE'
  | 'SCTP_STATUS' | 'SCTP_GET_PEER_ADDR_INFO' | 'SCTP_PEER_AUTH_CHUNKS' | 'SCTP_LOCAL_AUTH_CHUNKS'
  | 'SCTP_GET_ASSOC_NUMBER' | 'SCTP_GET_ASSOC_ID_LIST' | 'SCTP_TIMEOUTS' | 'SCTP_PR_STREAM_STATUS'
  | 'SCTP_PR_ASSOC_STATUS'
  | 'SCTP_SET_PEER_PRIMARY_ADDR' | 'SCTP_AUTH_CHUNK' | 'SCTP_AUTH_KEY' | 'SCTP_AUTH_DEACTIVATE_KEY'
  | 'SCTP_AUTH_DELETE_KEY' | 'SCTP_RESET_STREAMS' | 'SCTP_RESET_ASSOC' | 'SCTP_ADD_STREAMS'
  | 'SCTP_PEER_ADDR_THLDS' | 'SCTP_INTERLEAVING_SUPPORTED'
  | 'SCTP_FRAG_LEVEL_0' | 'SCTP_FRAG_LEVEL_1' | 'SCTP_FRAG_LEVEL_2' | 'SCTP_PR_SCTP_ALL'
  | 'SCTP_ENABLE_RESET_STREAM_REQ' | 'SCTP_ENABLE_RESET_ASSOC_REQ' | 'SCTP_ENABLE_CHANGE_ASSOC_REQ'
  | 'SCTP_ENABLE_VALUE_MASK' | 'SCTP_STREAM_RESET_INCOMING' | 'SCTP_STREAM_RESET_OUTGOING'
  | 'SPP_HB_ENABLE' | 'SPP_HB_DISABLE' | 'SPP_HB_DEMAND' | 'SPP_PMTUD_ENABLE' | 'SPP_PMTUD_DISABLE'
  | 'SPP_HB_TIME_IS_ZERO' | 'SPP_IPV6_FLOWLABEL' | 'SPP_DSCP'
  | 'SCTP_AUTH_HMAC_ID_SHA1' | 'SCTP_AUTH_HMAC_ID_SHA256'
  | 'SCTP_SS_DEFAULT' | 'SCTP_SS_ROUND_ROBIN' | 'SCTP_SS_ROUND_ROBIN_PACKET' | 'SCTP_SS_PRIORITY'
  | 'SCTP_SS_FAIR_BANDWITH' | 'SCTP_SS_FIRST_COME'
  | 'SCTP_CC_RFC2581' | 'SCTP_CC_HSTCP' | 'SCTP_CC_HTCP' | 'SCTP_CC_RTCC'
  | 'SCTP_BINDX_ADD_ADDR' | 'SCTP_BINDX_REM_ADDR'
  | 'SCTP_UNORDERED' | 'SCTP_ADDR_OVER' | 'SCTP_ABORT' | 'SCTP_EOF' | 'SCTP_SENDALL' | 'SCTP_SACK_IMMEDIATELY'
  | 'SCTP_EOR' | 'SCTP_NOTIFICATION' | 'SCTP_COMPLETE' | 'SCTP_DATA_LAST_FRAG' | 'SCTP_DATA_NOT_FRAG'
  | 'SCTP_PR_SCTP_NONE' | 'SCTP_PR_SCTP_TTL' | 'SCTP_PR_SCTP_BUF' | 'SCTP_PR_SCTP_RTX'
  | 'SCTP_SENDV_NOINFO' | 'SCTP_SENDV_SNDINFO' | 'SCTP_SENDV_PRINFO' | 'SCTP_SENDV_AUTHINFO' | 'SCTP_SENDV_SPA'
  | 'SCTP_RECVV_NOINFO' | 'SCTP_RECVV_RCVINFO' | 'SCTP_RECVV_NXTINFO' | 'SCTP_RECVV_RN'
  | 'SCTP_ASSOC_CHANGE' | 'SCTP_PEER_ADDR_CHANGE' | 'SCTP_REMOTE_ERROR' | 'SCTP_SEND_FAILED'
  | 'SCTP_SHUTDOWN_EVENT' | 'SCTP_ADAPTATION_INDICATION' | 'SCTP_PARTIAL_DELIVERY_EVENT'
  | 'SCTP_AUTHENTICATION_EVENT' | 'SCTP_STREAM_RESET_EVENT' | 'SCTP_SENDER_DRY_EVENT'
  | 'SCTP_NOTIFICATIONS_STOPPED_EVENT' | 'SCTP_ASSOC_RESET_EVENT' | 'SCTP_STREAM_CHANGE_EVENT'
  | 'SCTP_SEND_FAILED_EVENT'
  | 'SCTP_COMM_UP' | 'SCTP_COMM_LOST' | 'SCTP_RESTART' | 'SCTP_SHUTDOWN_COMP' | 'SCTP_CANT_STR_ASSOC'
  | 'SCTP_ADDR_AVAILABLE' | 'SCTP_ADDR_UNREACHABLE' | 'SCTP_ADDR_REMOVED' | 'SCTP_ADDR_ADDED'
  | 'SCTP_ADDR_MADE_PRIM' | 'SCTP_ADDR_CONFIRMED'
  | 'SCTP_CLOSED' | 'SCTP_BOUND' | 'SCTP_LISTEN' | 'SCTP_COOKIE_WAIT' | 'SCTP_COOKIE_ECHOED' | 'SCTP_ESTABLISHED'
  | 'SCTP_SHUTDOWN_SENT' | 'SCTP_SHUTDOWN_RECEIVED' | 'SCTP_SHUTDOWN_ACK_SENT' | 'SCTP_SHUTDOWN_PENDING'
  | 'SCTP_ACTIVE' | 'SCTP_INACTIVE' | 'SCTP_UNCONFIRMED';

/** Structs whose `sizeof` the addon reports (plus `int` and `sctp_assoc_t`). */
export type NativeStructName =
  | 'sockaddr_in' | 'sockaddr_in6' | 'sockaddr_storage' | 'linger'
  | 'sctp_initmsg' | 'sctp_rtoinfo' | 'sctp_assocparams' | 'sctp_setprim' | 'sctp_setadaptation'
  | 'sctp_paddrparams' | 'sctp_paddrthlds' | 'sctp_assoc_value' | 'sctp_reset_streams' | 'sctp_add_streams'
  | 'sctp_hmacalgo'
  | 'sctp_sack_info' | 'sctp_default_prinfo' | 'sctp_paddrinfo' | 'sctp_status' | 'sctp_authchunks'
  | 'sctp_assoc_ids' | 'sctp_setpeerprim' | 'sctp_authchunk' | 'sctp_authkey' | 'sctp_authkeyid'
  | 'sctp_stream_value' | 'sctp_timeouts' | 'sctp_prstatus' | 'sctp_udpencaps' | 'sctp_event'
  | 'sctp_event_subscribe' | 'sctp_sndinfo' | 'sctp_prinfo' | 'sctp_rcvinfo' | 'sctp_nxtinfo' | 'sctp_sendv_spa'
  | 'int' | 'sctp_assoc_t';

/** `offsetof` values, keyed `"struct.field"` (e.g. `"sctp_initmsg.sinit_max_attempts"`). */
export type NativeOffsets = Readonly<Record<string, number>>;

export interface NativeAddon {
  /**
   * Initialises the process-wide usrsctp stack once. `port` >= 1: UDP encapsulation on that local UDP port; 0: raw
   * IP only (needs root); -1: pick a free UDP port. Returns the port in use (0 for raw IP), or -EADDRINUSE when no
   * free port was found or the port given is taken. Later calls, from any thread, return the existing port and
   * ignore the argument.
   */
  init(port: number): number;
  /** Closes every socket and blocks until usrsctp finished their graceful shutdowns or timeoutMs passed. */
  drain(timeoutMs: number): boolean;
  /**
   * From now on each of these signals ends every association (SHUTDOWN, then ABORT for those still up after
   * lingerMs) on a native thread, and then the process, as the signal would have.
   */
  endOnSignals(signals: number[], lingerMs: number): void;
  /** -1 when not initialised, 0 for raw IP, else the local UDP encapsulation port. */
  stackPort(): number;

  /** family 4 | 6; style 1 = one-to-one (SOCK_STREAM), 2 = one-to-many (SOCK_SEQPACKET). Non-blocking, RCVINFO on. */
  socket(family: 4 | 6, style: 1 | 2): number;
  /** Removes the socket; its watchers fire with ERROR. usrsctp_close runs once no other thread is inside a call. */
  close(id: number): number;
  bind(id: number, address: NativeAddress): number;
  listen(id: number, backlog: number): number;
  /** New socket id (same family and style), or -EAGAIN when none is pending. */
  accept(id: number): number;
  /** usrsctp_peeloff: the association as a one-to-one socket of its own. */
  peeloff(id: number, assocId: number): number;
  /**
   * Starts an association with a peer reachable at any of `addresses` (usrsctp_connectx; one port for all): the
   * association id, or -errno. One-to-one sockets then report WRITE (connected) or ERROR + soError (failed) in
   * getEvents. Records the generation `watch`'s ANY bit waits past. An empty list or bytes that are no address:
   * -EINVAL.
   */
  connectx(id: number, addresses: readonly NativeAddress[]): number;
  /**
   * usrsctp_bindx: flags SCTP_BINDX_ADD_ADDR binds an unbound socket to the addresses (or adds them to a bound one,
   * sending ASCONF to the peers of its associations); SCTP_BINDX_REM_ADDR removes them. usrsctp applies them one at
   * a time and stops at the first failure. 0 or -errno.
   */
  bindx(id: number, addresses: readonly NativeAddress[], flags: number): number;
  /** how: SHUT_RD | SHUT_WR | SHUT_RDWR. */
  shutdown(id: number, how: number): number;
  /** The socket's readiness bits (`readiness`'s read, write and error), or -errno. */
  getEvents(id: number): number;
  /** The pending SO_ERROR (0 if none). Reading does not clear it; recvBatch reporting it does. */
  soError(id: number): number;
  /** The id of the association with that peer address; 0 when none. */
  assocId(id: number, address: NativeAddress): number;

  /** usrsctp_getsockopt: `buf` is in/out (pre-fill e.g. the assoc id); returns the length written, or -errno. */
  getsockopt(id: number, level: number, name: number, buf: Uint8Array): number;
  /** usrsctp_setsockopt with the whole of `buf`: 0 or -errno. */
  setsockopt(id: number, level: number, name: number, buf: Uint8Array): number;

  /** usrsctp_getladdrs: bound addresses (of the association, or of the endpoint for assocId 0). */
  localAddresses(id: number, assocId: number): NativeAddress[] | number;
  /** usrsctp_getpaddrs: the peer's addresses of that association (any id for one-to-one). */
  peerAddresses(id: number, assocId: number): NativeAddress[] | number;

  /**
   * One usrsctp_sendv per message; stops at the first failure. A message with none of the send fields (only
   * `data`) goes without send info (SCTP_SENDV_NOINFO): the association's SCTP_DEFAULT_SNDINFO / _PRINFO apply. Count accepted, or -errno if the first failed (a
   * would-block first message records the generation `watch`'s ANY bit waits past).
   */
  sendBatch(id: number, messages: readonly NativeOutgoing[]): number;
  /**
   * Up to `max` reads; `[]` when nothing is pending. An error after some reads is reported by the next call. With
   * `sources`, appends the peer address of the first read of each association in this batch (the path the data came
   * from; the primary path for notifications): known even after the association is gone.
   */
  recvBatch(id: number, max: number, sources?: NativeSource[]): Array<NativeRecord | NativeEof> | number;

  /**
   * Calls `callback(events)` once, on this JS thread, when `events & mask` is non-zero. The ANY bit of `readiness`:
   * fire on the first usrsctp upcall after generation `since` (default: the generation recorded just before the
   * socket's last would-block send or last connect), whatever the events -- at once if that upcall already
   * happened. Checked at registration too, but the callback always runs asynchronously. Unknown/closed socket: fires
   * with the error bit. Returns the watch id. A pending watch keeps the event loop alive.
   */
  watch(id: number, mask: number, callback: (events: number) => void, since?: number): number;
  /** Cancels a watch registered on this thread; true if it was still pending. */
  unwatch(watchId: number): boolean;
  /**
   * Whether a wait for `mask` (`readiness`'s read, write, error, any) would end now: `events & mask`, or for ANY an
   * upcall after the generation `watch` would wait past. True for a mask of nothing and for a closed/unknown socket.
   */
  ready(id: number, mask: number): boolean;
  /**
   * Blocks the calling thread until `ready(ids[i], masks[i])` for some i and returns those i, or `[]` once
   * `timeoutMs` (>= 0; -1: never) passed. Upcalls and close wake it; it also looks again every `recheckMs` (> 0).
   * No JS runs on the thread meanwhile.
   */
  waitReady(ids: readonly number[], masks: readonly number[], timeoutMs: number, recheckMs: number): number[];
  /**
   * Publishes the mask (any bits, stored as given) a wait on the socket looks for now, for level checks made on
   * other threads; a change fires the socket's watchers with the `interest` bit in their mask (their callback gets
   * the events with that bit added). Unknown ids are ignored.
   */
  setInterest(id: number, mask: number): void;
  /** The mask last published with setInterest (0: none, or an unknown id). */
  interest(id: number): number;
  /**
   * Counters for leak checks: sockets in the table (open), pending watchers, and socket records alive (a closed
   * socket whose usrsctp socket is not released yet counts until it is).
   */
  stats(): { sockets: number; watchers: number; records: number };
  /**
   * usrsctp's own statistics (zeros before the stack runs): associations in ESTABLISHED state now, and the
   * packets it dropped for a bad CRC32c or verification tag, out-of-the-blue packets, and every datagram received;
   * associations ended by an ABORT (sent or received) and by a graceful shutdown so far.
   */
  stackCounters(): {
    established: number; checksumErrors: number; badVtags: number; outOfTheBlue: number; datagrams: number;
    aborted: number; shutdowns: number;
    /** Closed sockets whose associations are still ending: usrsctp_close waits for them (src/native/closer.h). */
    retiring: number;
  };

  readonly constants: Readonly<Record<NativeConstantName, number>>;
  readonly sizes: Readonly<Record<NativeStructName, number>>;
  readonly offsets: NativeOffsets;
  /** The bits of `watch` masks and `getEvents` (src/native/readiness.h): usrsctp's read, write and error, `any` and `interest`. */
  readonly readiness: Readonly<{ read: number; write: number; error: number; any: number; interest: number }>;
}

function locate(): string {
  const override = process.env.WASM_SCTP_NATIVE;
  if (override) return override;
  const here = path.dirname(fileURLToPath(import.meta.url));
  // dist/src/native.js -> ../../build; src/native.ts run from source -> ../build
  const candidates = [
    path.resolve(here, '../../build/Release/sctp_native.node'),
    path.resolve(here, '../build/Release/sctp_native.node'),
  ];
  return candidates.find((p) => existsSync(p)) ?? candidates[0];
}

const require = createRequire(import.meta.url);

/** The loaded addon (loaded once per JS thread; the usrsctp stack behind it is per process). */
export const native: NativeAddon = require(locate()) as NativeAddon;
export const C = native.constants;
export const SIZES = native.sizes;
export const OFFSETS = native.offsets;

/** The offset of `struct.field`, failing loudly if the addon does not report it. */
export function offsetOf(key: string): number {
  const v = OFFSETS[key];
  if (v === undefined) throw new Error(`sctp_native reports no offset for ${key}`);
  return v;
}
