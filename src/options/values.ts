/**
 * The value types of the option table's rows. They match the WIT records field by field (jco's camelCase), except
 * where a row's `wit` shape says otherwise (addresses, u64, lists). Addresses are text here; a socket that works in
 * another address form gets them in that form (see InForm).
 */
import type { SocketAddress } from '../addresses/text.js';
import type { SendFlags, PrPolicyKind } from '../socket/send-flags.js';

export type { EventKind } from '../socket/notifications.js';
export type { PrPolicyKind } from '../socket/send-flags.js';

export interface InitMsg {
  /** Outbound streams requested (0: keep the default, 10). */
  numOstreams: number;
  /** Inbound streams accepted at most (0: keep the default, 2048). */
  maxInstreams: number;
  /** INIT retransmissions before giving up (0: keep the default, 8). */
  maxAttempts: number;
  /** Largest INIT retransmission timeout, ms (0: keep the default, 60000). Named as the WIT's max-init-timeo. */
  maxInitTimeo: number;
}

export interface RtoInfo {
  /** ms; 0 leaves a value unchanged. */
  initial: number;
  max: number;
  min: number;
}

export interface AssocParams {
  /** Reported only. */
  peerRwnd?: number;
  /** Reported only. */
  localRwnd?: number;
  /** ms, 1000..3600000; 0 leaves it unchanged. */
  cookieLife: number;
  /** 0 leaves it unchanged. */
  maxRetransmits: number;
  /** Reported only. */
  peerDestinations?: number;
}

export interface PeerAddrParams {
  heartbeat?: boolean;
  /** ms. */
  heartbeatInterval?: number;
  /** Set only: a heartbeat now (needs an address). */
  heartbeatNow: boolean;
  pmtud?: boolean;
  pathMtu: number;
  pathMaxRetransmits?: number;
  /** Linux only: not supported. */
  sackDelay?: number;
  ipv6FlowLabel?: number;
  dscp?: number;
}

export type AssociationState =
  | 'closed' | 'bound' | 'listen' | 'cookie-wait' | 'cookie-echoed' | 'established' | 'shutdown-sent'
  | 'shutdown-received' | 'shutdown-ack-sent' | 'shutdown-pending';

export type PathState = 'active' | 'inactive' | 'unconfirmed';

export interface PeerAddrInfo {
  address: SocketAddress;
  state: PathState;
  /** Bytes. */
  cwnd: number;
  /** ms. */
  srtt: number;
  /** ms. */
  rto: number;
  /** Bytes. */
  mtu: number;
}

export interface AssociationStatus {
  /** The association's id (one-to-one sockets: the id of their association). */
  association: number;
  state: AssociationState;
  /** The raw sstat_state value. */
  stateCode: number;
  /** The peer's receive window. */
  peerRwnd: number;
  unackedData: number;
  pendingData: number;
  inboundStreams: number;
  outboundStreams: number;
  fragmentationPoint: number;
  /** The primary path (undefined only while the association has none). */
  primary: PeerAddrInfo | undefined;
}

export interface SackInfo {
  /** ms, at most 500; 0 leaves it unchanged. */
  delay: number;
  /** 0 leaves it unchanged. */
  frequency: number;
}

export type FragmentInterleaveLevel = 'none' | 'associations' | 'streams';
export type HmacAlgorithm = 'sha1' | 'sha256';

export interface AuthKey {
  keyNumber: number;
  key: ArrayLike<number>;
}

export interface SndInfo {
  stream: number;
  /** Host order. */
  ppid: number;
  flags: SendFlags;
  context: number;
}

export interface PrInfo {
  policy: PrPolicyKind;
  value: number;
}

export interface PrStatus {
  abandonedUnsent: number;
  abandonedSent: number;
}

export interface ReconfigRequests {
  resetStreams?: boolean;
  resetAssociation?: boolean;
  addStreams?: boolean;
}

export interface ResetStreamsRequest {
  directions: { incoming?: boolean; outgoing?: boolean };
  /** Empty: all streams. */
  streams: ArrayLike<number>;
}

export interface AddStreamsRequest {
  inbound: number;
  outbound: number;
}

export type StreamScheduler =
  | 'first-come-first-served' | 'default' | 'round-robin' | 'round-robin-packet' | 'priority' | 'fair-bandwidth'
  | 'weighted-fair-queueing';

export interface PeerAddrThresholds {
  pathMaxRetransmits: number;
  potentiallyFailedThreshold: number;
}

export interface TimeoutCounts {
  init: number;
  data: number;
  sack: number;
  shutdown: number;
  heartbeat: number;
  cookie: number;
  shutdownAck: number;
}
