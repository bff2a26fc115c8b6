/**
 * The socket option TABLE, as data. One row per option: its WIT getter/setter names, the native level and option
 * constant (looked up in the addon's `constants`), the value codec (struct layouts come from the addon's `sizes` and
 * `offsets`), the mode, the association-id rule, the extra key arguments, validation, the WIT shape of the value, a
 * doc line and the facts POSIX-COMPAT.md shows. `getOption` / `setOption` are generic and driven by the table:
 * adding an option means adding a row to `OPTIONS`, nothing else (its TypeScript value type follows from the codec).
 * host/options.ts installs the WIT methods from the same rows; scripts/options-doc.ts renders the guide's table.
 *
 * Association-id rules (the WIT signatures follow from them):
 * - 'socket': no association id; getter `()`, setter `(value)`.
 * - 'future-current-all-or-id': getter `(association?)` (none: 'future', the defaults of new associations; on a
 *   one-to-one socket any id means its association, if any); setter `(scope, value)` with future/current/all/id.
 * - 'future-or-id': as above, but the stack applies the setter only to the defaults or to one association:
 *   'current' and 'all' are invalid-argument on one-to-many sockets.
 * - 'negotiated': a feature offered at association setup: getter `(association?)` reads what an association
 *   negotiated (none: the offer for future ones); setter `(value)` changes the offer for future associations.
 * - 'id-only': one association: getter and setter `(association?)` (none: the association of a one-to-one socket;
 *   one-to-many sockets must name one).
 * Key arguments (`keys`) come after the association or scope, and before the value.
 */
import {
  encodeSockaddr, decodeSockaddr, fromNative as addressFromNative, validateAddress, wildcard, type IpAddressFamily, type SocketAddress,
} from './addresses.js';
import { SctpError, errorFromErrno, type ErrorCode } from './errors.js';
import { C, SIZES, native, offsetOf, type NativeConstantName, type NativeStructName } from './native.js';
import type { SocketType } from './state.js';
import { endianness } from 'node:os';

export type OptionMode = 'rw' | 'ro' | 'wo';
export type AssocRule = 'socket' | 'future-current-all-or-id' | 'future-or-id' | 'negotiated' | 'id-only';
/** Which association(s) an option call applies to: a specific association id, or one of the special ids. */
export type AssocScope = 'future' | 'current' | 'all' | number;

/**
 * How a value travels between the TS API and the WIT (as jco represents it), where the two differ. Everything
 * else (records of numbers and booleans, enums as strings, flags as objects of booleans, option as undefined) is
 * the same on both sides.
 */
export type WitShape =
  /** number (TS) <-> bigint (WIT u64). */
  | 'u64'
  /** SocketAddress (TS) <-> ip-socket-address (WIT variant). */
  | 'address'
  /** number[] (TS) <-> Uint8Array / Uint16Array / Uint32Array (WIT list<u8/u16/u32>). */
  | 'u8-list' | 'u16-list' | 'u32-list'
  | { readonly option: WitShape }
  | { readonly record: Readonly<Record<string, WitShape>> };

/** The kinds of key arguments (extra parameters of a getter/setter that select what the option is about). */
export type KeyKind = 'address' | 'optional-address' | 'stream' | 'event-kind' | 'optional-pr-policy';

export interface KeySpec {
  /** The WIT parameter name, camelCased (the key object's property). */
  readonly name: string;
  readonly kind: KeyKind;
}

/** WIT shapes of the key kinds. */
export const KEY_WIT_SHAPES: Readonly<Record<KeyKind, WitShape | undefined>> = {
  address: 'address',
  'optional-address': { option: 'address' },
  stream: undefined,
  'event-kind': undefined,
  'optional-pr-policy': undefined,
};

export interface CodecContext {
  /** Association id written into the struct (SCTP_FUTURE_ASSOC etc. or a real id); 0 for 'socket' options. */
  assocId: number;
  /** The socket's address family (for address fields that mean "the association", i.e. a wildcard). */
  family: IpAddressFamily;
  type: SocketType;
  /** The call's key arguments, validated (e.g. `{ address }` for peer-addr-params). */
  key: Readonly<Record<string, unknown>>;
}

export interface Codec<T> {
  /** The value's shape, for generated docs. */
  readonly shape: string;
  /** The buffer size in bytes (for a set, `value` is the checked value). */
  size(ctx: CodecContext, value?: T): number;
  /** Validates a value given to setOption (throws invalid-argument or not-supported) and returns it normalised. */
  check(value: unknown, ctx: CodecContext): T;
  /** Prepares a getsockopt buffer (in fields such as the association id or a key). */
  prepare(buf: Buffer, ctx: CodecContext): void;
  encode(value: T, buf: Buffer, ctx: CodecContext): void;
  decode(buf: Buffer, length: number, ctx: CodecContext): T;
}

/** Facts of one option for POSIX-COMPAT.md (from notes/sctp-api-inventory.md). */
export interface OptionCompat {
  /** The POSIX / RFC name(s), as the guide shows them (e.g. '`SCTP_RTOINFO`'). */
  readonly option: string;
  readonly linux: string;
  readonly freebsd: string;
  readonly usrsctp: string;
  /** Added to the Implemented cell (what is not supported and why). */
  readonly note?: string;
}

export interface OptionRow<T, K = undefined> {
  /** WIT getter name ('nodelay'); undefined for write-only options. */
  readonly getter: string | undefined;
  /** WIT setter name ('set-nodelay', or an action such as 'reset-streams'); undefined for read-only options. */
  readonly setter: string | undefined;
  /** 'none': the option has no native counterpart; the codec answers alone (ipv6-only). */
  readonly level: 'SOL_SOCKET' | 'IPPROTO_SCTP' | 'none';
  readonly constant: NativeConstantName | undefined;
  readonly codec: Codec<T>;
  readonly mode: OptionMode;
  readonly assoc: AssocRule;
  /** Key arguments after the association / scope (see KeySpec). */
  readonly keys?: readonly KeySpec[];
  /** The setter takes no value (reset-assoc). */
  readonly noValue?: true;
  /**
   * The stack keeps a copy on every path (peer address) of an association and uses that copy: setting the option
   * for existing associations updates their paths too (the codec's address field names the path).
   */
  readonly perPath?: true;
  /** Only sockets of this style have the option; the other style gets invalid-state. */
  readonly style?: SocketType;
  /** errno names whose error-code differs for this option (e.g. EINVAL meaning "wrong state" here). */
  readonly errors?: Readonly<Record<string, ErrorCode>>;
  /** How the value differs in the WIT (see WitShape); undefined when it does not. */
  readonly wit?: WitShape;
  readonly doc: string;
  readonly compat: OptionCompat;
  /** Phantom: the key object's type. */
  readonly _key?: K;
}

// ---------------------------------------------------------------------------------------------------------------
// Field codecs

const LE = endianness() === 'LE';

function invalid(message: string): SctpError {
  return new SctpError('invalid-argument', message);
}

function unsupported(message: string): SctpError {
  return new SctpError('not-supported', message);
}

function checkInt(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${what} must be an integer ${min}..${max}`);
  }
  return value;
}

function checkBool(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw invalid(`${what} must be a boolean`);
  return value;
}

function checkObject(value: unknown, what = 'the value'): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${what} must be an object`);
  return value as Record<string, unknown>;
}

/** An array or a typed array (the WIT's list<u8/u16/u32> arrive as typed arrays), as a plain array. */
/** A list of at most `max` items (checked before anything is copied: a guest may pass megabytes). */
function checkList(value: unknown, what: string, max: number): unknown[] {
  const list = Array.isArray(value) ? value : ArrayBuffer.isView(value) && !(value instanceof DataView) ? value as unknown as ArrayLike<unknown> : undefined;
  if (list === undefined) throw invalid(`${what} must be a list`);
  if (list.length > max) throw invalid(`${what} has ${list.length} items; at most ${max}`);
  return Array.isArray(list) ? list : Array.from(list);
}

/** How one C field is stored. Host-order integers unless noted. */
type FieldKind = 'u8' | 'u16' | 'u32' | 'i32' | 'u64' | 'bool32' | 'port' | 'be32' | 'sockaddr';

interface FieldSpec<T> {
  /** The C field name (its offset is `offsets["struct.field"]`). */
  field: string;
  kind: FieldKind;
  /** Allowed range of the value (defaults: the C type's range, times `scale`). */
  min?: number;
  max?: number;
  /** The stack counts in units of `scale` API units: native = value / scale (e.g. 1000: ms here, seconds there). */
  scale?: number;
  /** Reported by the getter, ignored by the setter (may be omitted there). */
  readOnly?: boolean;
}

const RANGES: Record<string, [number, number]> = {
  u8: [0, 0xff],
  u16: [0, 0xffff],
  u32: [0, 0xffffffff],
  i32: [-0x80000000, 0x7fffffff],
  u64: [0, Number.MAX_SAFE_INTEGER],
  port: [0, 0xffff],
  be32: [0, 0xffffffff],
};

function readField(buf: Buffer, offset: number, kind: FieldKind): unknown {
  switch (kind) {
    case 'u8': return buf.readUInt8(offset);
    case 'u16': return LE ? buf.readUInt16LE(offset) : buf.readUInt16BE(offset);
    case 'u32': return LE ? buf.readUInt32LE(offset) : buf.readUInt32BE(offset);
    case 'i32': return LE ? buf.readInt32LE(offset) : buf.readInt32BE(offset);
    case 'u64': return Number(LE ? buf.readBigUInt64LE(offset) : buf.readBigUInt64BE(offset));
    case 'bool32': return (LE ? buf.readInt32LE(offset) : buf.readInt32BE(offset)) !== 0;
    case 'port': return buf.readUInt16BE(offset);  // network byte order
    case 'be32': return buf.readUInt32BE(offset);  // network byte order (PPIDs)
    case 'sockaddr': return decodeSockaddr(buf, offset);
  }
}

function writeField(buf: Buffer, offset: number, kind: FieldKind, value: unknown): void {
  switch (kind) {
    case 'u8': buf.writeUInt8(value as number, offset); return;
    case 'u16': LE ? buf.writeUInt16LE(value as number, offset) : buf.writeUInt16BE(value as number, offset); return;
    case 'u32': LE ? buf.writeUInt32LE(value as number, offset) : buf.writeUInt32BE(value as number, offset); return;
    case 'i32': LE ? buf.writeInt32LE(value as number, offset) : buf.writeInt32BE(value as number, offset); return;
    case 'u64': {
      const v = BigInt(value as number);
      LE ? buf.writeBigUInt64LE(v, offset) : buf.writeBigUInt64BE(v, offset);
      return;
    }
    case 'bool32': LE ? buf.writeInt32LE(value ? 1 : 0, offset) : buf.writeInt32BE(value ? 1 : 0, offset); return;
    case 'port': buf.writeUInt16BE(value as number, offset); return;
    case 'be32': buf.writeUInt32BE(value as number, offset); return;
    case 'sockaddr': encodeSockaddr(value as SocketAddress, buf, offset); return;
  }
}

function checkField(value: unknown, spec: FieldSpec<unknown>, what: string): unknown {
  if (spec.kind === 'bool32') return checkBool(value, what);
  if (spec.kind === 'sockaddr') return checkPeerAddress(value, what);
  const [lo, hi] = RANGES[spec.kind];
  const scale = spec.scale ?? 1;
  const v = checkInt(value, what, spec.min ?? lo * scale, spec.max ?? hi * scale);
  if (v % scale !== 0) throw invalid(`${what} must be a multiple of ${scale} (the stack counts in units of ${scale})`);
  return v;
}

/** A socket address of either family (peers of an IPv6 socket may be IPv4 addresses: sockets are dual-stack). */
function checkPeerAddress(value: unknown, what: string): SocketAddress {
  const a = checkObject(value, what) as Partial<SocketAddress>;
  if (a.family !== 'ipv4' && a.family !== 'ipv6') throw invalid(`${what}.family must be 'ipv4' or 'ipv6'`);
  return validateAddress(a, a.family, false);
}

interface StructOptions {
  /** The struct's association-id field, filled from the call's scope. */
  assocField?: string;
  /**
   * An address field: the key argument `key` when given, else the wildcard address of the socket's family (which
   * means "the association" or "the endpoint" to the stack).
   */
  addressField?: { field: string; key?: string };
  /** Key arguments written into fields: key name -> [field, kind]. */
  keyFields?: Record<string, [string, FieldKind]>;
  /** Fields written with a fixed value on every call (e.g. a field the stack insists on). */
  fixed?: Record<string, [FieldKind, number]>;
  /** Cross-field validation of a checked value. */
  validate?: (value: Record<string, unknown>) => void;
}

function fillCommon(struct: NativeStructName, opts: StructOptions, buf: Buffer, ctx: CodecContext): void {
  if (opts.assocField) writeField(buf, offsetOf(`${struct}.${opts.assocField}`), 'u32', ctx.assocId);
  if (opts.addressField) {
    const keyed = opts.addressField.key ? ctx.key[opts.addressField.key] as SocketAddress | undefined : undefined;
    encodeSockaddr(keyed ?? wildcard(ctx.family), buf, offsetOf(`${struct}.${opts.addressField.field}`));
  }
  for (const [key, [field, kind]] of Object.entries(opts.keyFields ?? {})) {
    writeField(buf, offsetOf(`${struct}.${field}`), kind, ctx.key[key]);
  }
  for (const [field, [kind, value]] of Object.entries(opts.fixed ?? {})) {
    writeField(buf, offsetOf(`${struct}.${field}`), kind, value);
  }
}

function toNative(value: unknown, spec: FieldSpec<unknown>): unknown {
  return spec.scale ? (value as number) / spec.scale : value;
}

function fromNative(value: unknown, spec: FieldSpec<unknown>): unknown {
  return spec.scale ? (value as number) * spec.scale : value;
}

/** A struct whose value is a record of named fields. */
function record<T extends object>(
  struct: NativeStructName,
  fields: { [K in keyof T]: FieldSpec<T[K]> },
  opts: StructOptions = {},
): Codec<T> {
  const entries = Object.entries(fields) as Array<[string, FieldSpec<unknown>]>;
  return {
    shape: `{ ${entries.map(([k, f]) => `${k}: ${f.kind}`).join(', ')} }`,
    size: () => SIZES[struct],
    check(value) {
      const v = checkObject(value);
      const out: Record<string, unknown> = {};
      for (const [k, f] of entries) out[k] = f.readOnly && v[k] === undefined ? 0 : checkField(v[k], f, k);
      for (const k of Object.keys(v)) if (!(k in fields)) throw invalid(`unknown field ${k}`);
      opts.validate?.(out);
      return out as T;
    },
    prepare: (buf, ctx) => fillCommon(struct, opts, buf, ctx),
    encode(value, buf, ctx) {
      fillCommon(struct, opts, buf, ctx);
      const v = value as Record<string, unknown>;
      for (const [k, f] of entries) {
        if (!f.readOnly) writeField(buf, offsetOf(`${struct}.${f.field}`), f.kind, toNative(v[k], f));
      }
    },
    decode(buf) {
      const out: Record<string, unknown> = {};
      for (const [k, f] of entries) out[k] = fromNative(readField(buf, offsetOf(`${struct}.${f.field}`), f.kind), f);
      return out as T;
    },
  };
}

/** A struct (or a bare int when struct is 'int') whose value is one field. */
function scalar<T>(struct: NativeStructName, spec: FieldSpec<T> | FieldKind, opts: StructOptions = {}): Codec<T> {
  const f: FieldSpec<T> = typeof spec === 'string' ? { field: '', kind: spec } : spec;
  const offset = () => (struct === 'int' ? 0 : offsetOf(`${struct}.${f.field}`));
  return {
    shape: f.kind === 'bool32' ? 'bool' : f.kind,
    size: () => SIZES[struct],
    check: (value) => checkField(value, f as FieldSpec<unknown>, 'value') as T,
    prepare: (buf, ctx) => fillCommon(struct, opts, buf, ctx),
    encode(value, buf, ctx) {
      fillCommon(struct, opts, buf, ctx);
      writeField(buf, offset(), f.kind, toNative(value, f as FieldSpec<unknown>));
    },
    decode: (buf) => fromNative(readField(buf, offset(), f.kind), f as FieldSpec<unknown>) as T,
  };
}

/** A codec whose setter accepts only some values: the others are not-supported, with the reason. */
function only<T>(codec: Codec<T>, allowed: (value: T) => boolean, reason: string): Codec<T> {
  return {
    ...codec,
    check(value, ctx) {
      const v = codec.check(value, ctx);
      if (!allowed(v)) throw unsupported(reason);
      return v;
    },
  };
}

/** A u32 field holding one of several constants, presented as a string enum. */
function enumField<E extends string>(struct: NativeStructName, field: string,
  names: ReadonlyArray<readonly [E, NativeConstantName | undefined]>, opts: StructOptions = {},
  unsupportedReason?: (name: E) => string): Codec<E> {
  const inner = scalar<number>(struct, { field, kind: 'u32' }, opts);
  return {
    shape: names.map(([n]) => `'${n}'`).join(' | '),
    size: (ctx) => inner.size(ctx),
    check(value) {
      const hit = names.find(([n]) => n === value);
      if (!hit) throw invalid(`the value must be one of ${names.map(([n]) => n).join(', ')}`);
      if (hit[1] === undefined) throw unsupported(unsupportedReason?.(hit[0]) ?? `${hit[0]} is not supported`);
      return hit[0];
    },
    prepare: inner.prepare,
    encode(value, buf, ctx) {
      inner.encode(C[names.find(([n]) => n === value)![1]!], buf, ctx);
    },
    decode(buf, length, ctx) {
      const code = inner.decode(buf, length, ctx);
      const hit = names.find(([, c]) => c !== undefined && C[c] === code);
      if (!hit) throw new SctpError('unknown', `the stack reported an unknown value ${code}`);
      return hit[0];
    },
  };
}

/** A bit set in a u32/u16 field, presented as an object of booleans (a WIT `flags`). */
function flagsField<F extends string>(struct: NativeStructName, field: string, kind: 'u16' | 'u32',
  bits: Readonly<Record<F, NativeConstantName>>, opts: StructOptions = {}): Codec<Partial<Record<F, boolean>>> {
  const inner = scalar<number>(struct, { field, kind }, opts);
  const names = Object.keys(bits) as F[];
  return {
    shape: `{ ${names.map((n) => `${n}?: bool`).join(', ')} }`,
    size: (ctx) => inner.size(ctx),
    check: (value) => checkFlags(value, names),
    prepare: inner.prepare,
    encode(value, buf, ctx) {
      inner.encode(flagsToBits(value, bits), buf, ctx);
    },
    decode: (buf, length, ctx) => bitsToFlags(inner.decode(buf, length, ctx), bits),
  };
}

function checkFlags<F extends string>(value: unknown, names: readonly F[], what = 'the flags'): Partial<Record<F, boolean>> {
  const v = checkObject(value, what);
  const out: Partial<Record<F, boolean>> = {};
  for (const [k, b] of Object.entries(v)) {
    if (!names.includes(k as F)) throw invalid(`unknown flag ${k}`);
    if (b !== undefined) out[k as F] = checkBool(b, k);
  }
  return out;
}

function flagsToBits<F extends string>(value: Partial<Record<F, boolean>>, bits: Readonly<Record<F, NativeConstantName>>): number {
  let n = 0;
  for (const [k, c] of Object.entries(bits) as Array<[F, NativeConstantName]>) if (value[k]) n |= C[c];
  return n;
}

function bitsToFlags<F extends string>(n: number, bits: Readonly<Record<F, NativeConstantName>>): Record<F, boolean> {
  const out = {} as Record<F, boolean>;
  for (const [k, c] of Object.entries(bits) as Array<[F, NativeConstantName]>) out[k] = (n & C[c]) !== 0;
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Value types of the rows (exported for the host and docs). They match the WIT records field by field (jco's
// camelCase), except where a row's `wit` shape says otherwise (addresses, u64, lists).

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

export interface SendFlagSet {
  unordered?: boolean;
  addrOver?: boolean;
  abort?: boolean;
  eof?: boolean;
  sendall?: boolean;
  sackImmediately?: boolean;
  eor?: boolean;
}

export interface SndInfo {
  stream: number;
  /** Host order. */
  ppid: number;
  flags: SendFlagSet;
  context: number;
}

export type PrPolicyKind = 'none' | 'ttl' | 'rtx' | 'prio';

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

export type EventKind =
  | 'assoc-change' | 'peer-addr-change' | 'remote-error' | 'send-failed' | 'shutdown' | 'adaptation-indication'
  | 'partial-delivery' | 'authentication' | 'sender-dry' | 'notifications-stopped' | 'stream-reset'
  | 'assoc-reset' | 'stream-change';

// ---------------------------------------------------------------------------------------------------------------
// Codecs of structured options

const ASSOCIATION_STATES: Array<[NativeConstantName, AssociationState]> = [
  ['SCTP_CLOSED', 'closed'], ['SCTP_BOUND', 'bound'], ['SCTP_LISTEN', 'listen'],
  ['SCTP_COOKIE_WAIT', 'cookie-wait'], ['SCTP_COOKIE_ECHOED', 'cookie-echoed'],
  ['SCTP_ESTABLISHED', 'established'], ['SCTP_SHUTDOWN_SENT', 'shutdown-sent'],
  ['SCTP_SHUTDOWN_RECEIVED', 'shutdown-received'], ['SCTP_SHUTDOWN_ACK_SENT', 'shutdown-ack-sent'],
  ['SCTP_SHUTDOWN_PENDING', 'shutdown-pending'],
];

function pathState(code: number): PathState {
  if (code & C.SCTP_UNCONFIRMED) return 'unconfirmed';
  return code & C.SCTP_ACTIVE ? 'active' : 'inactive';
}

/** A struct sctp_paddrinfo at `base` (0 for SCTP_GET_PEER_ADDR_INFO, sstat_primary's offset inside sctp_status). */
function decodePaddrinfo(buf: Buffer, base: number, fallback?: SocketAddress): PeerAddrInfo | undefined {
  const address = decodeSockaddr(buf, base + offsetOf('sctp_paddrinfo.spinfo_address')) ?? fallback;
  if (!address) return undefined;
  const u32 = (field: string) => readField(buf, base + offsetOf(`sctp_paddrinfo.${field}`), 'u32') as number;
  return {
    address,
    state: pathState(readField(buf, base + offsetOf('sctp_paddrinfo.spinfo_state'), 'i32') as number),
    cwnd: u32('spinfo_cwnd'),
    srtt: u32('spinfo_srtt'),
    rto: u32('spinfo_rto'),
    mtu: u32('spinfo_mtu'),
  };
}

function readOnlyCodec<T>(struct: NativeStructName, prepare: (buf: Buffer, ctx: CodecContext) => void,
  decode: (buf: Buffer, length: number, ctx: CodecContext) => T, shape: string,
  size: (ctx: CodecContext) => number = () => SIZES[struct]): Codec<T> {
  const refuse = (): never => {
    throw unsupported('the option is read-only');
  };
  return { shape, size, check: refuse, prepare, encode: refuse, decode };
}

const statusCodec: Codec<AssociationStatus> = (() => {
  const base = record<{
    association: number; stateCode: number; peerRwnd: number; unackedData: number; pendingData: number;
    inboundStreams: number; outboundStreams: number; fragmentationPoint: number;
  }>('sctp_status', {
    association: { field: 'sstat_assoc_id', kind: 'u32' },
    stateCode: { field: 'sstat_state', kind: 'i32' },
    peerRwnd: { field: 'sstat_rwnd', kind: 'u32' },
    unackedData: { field: 'sstat_unackdata', kind: 'u16' },
    pendingData: { field: 'sstat_penddata', kind: 'u16' },
    inboundStreams: { field: 'sstat_instrms', kind: 'u16' },
    outboundStreams: { field: 'sstat_outstrms', kind: 'u16' },
    fragmentationPoint: { field: 'sstat_fragmentation_point', kind: 'u32' },
  }, { assocField: 'sstat_assoc_id' });
  return readOnlyCodec('sctp_status', base.prepare, (buf, length, ctx) => {
    const v = base.decode(buf, length, ctx);
    return {
      ...v,
      // The stack maps every internal state to one of these (sctp_map_assoc_state).
      state: ASSOCIATION_STATES.find(([c]) => C[c] === v.stateCode)?.[1] ?? 'closed',
      primary: decodePaddrinfo(buf, offsetOf('sctp_status.sstat_primary')),
    };
  }, '{ association, state, stateCode, peerRwnd, unackedData, pendingData, inboundStreams, outboundStreams, '
    + 'fragmentationPoint, primary? }');
})();

const peerAddrInfoCodec: Codec<PeerAddrInfo> = readOnlyCodec('sctp_paddrinfo', (buf, ctx) => {
  writeField(buf, offsetOf('sctp_paddrinfo.spinfo_assoc_id'), 'u32', ctx.assocId);
  encodeSockaddr(ctx.key.address as SocketAddress, buf, offsetOf('sctp_paddrinfo.spinfo_address'));
}, (buf, _length, ctx) => decodePaddrinfo(buf, 0, ctx.key.address as SocketAddress)!,
'{ address, state, cwnd, srtt, rto, mtu }');

/** SCTP_PEER_AUTH_CHUNKS / SCTP_LOCAL_AUTH_CHUNKS: a count, then one byte per chunk type (the stack's layout). */
const authChunksCodec: Codec<number[]> = readOnlyCodec('sctp_authchunks', (buf, ctx) => {
  writeField(buf, offsetOf('sctp_authchunks.gauth_assoc_id'), 'u32', ctx.assocId);
}, (buf, length) => {
  const count = readField(buf, offsetOf('sctp_authchunks.gauth_number_of_chunks'), 'u32') as number;
  const start = offsetOf('sctp_authchunks.gauth_chunks');
  return Array.from(buf.subarray(start, Math.min(start + count, length)));
}, 'list<u8>', () => SIZES.sctp_authchunks + 256);

/** The most association ids one SCTP_GET_ASSOC_ID_LIST call can return. */
const MAX_ASSOC_IDS = 65536;

const assocIdListCodec: Codec<number[]> = readOnlyCodec('sctp_assoc_ids', () => {}, (buf, length) => {
  const count = readField(buf, offsetOf('sctp_assoc_ids.gaids_number_of_ids'), 'u32') as number;
  const start = offsetOf('sctp_assoc_ids.gaids_assoc_id');
  const out: number[] = [];
  for (let i = 0; i < count && start + 4 * (i + 1) <= length; i++) out.push(readField(buf, start + 4 * i, 'u32') as number);
  return out;
}, 'list<u32>', () => SIZES.sctp_assoc_ids + SIZES.sctp_assoc_t * MAX_ASSOC_IDS);

const HMACS: ReadonlyArray<readonly [HmacAlgorithm, NativeConstantName]> = [
  ['sha1', 'SCTP_AUTH_HMAC_ID_SHA1'], ['sha256', 'SCTP_AUTH_HMAC_ID_SHA256'],
];

const hmacIdentCodec: Codec<HmacAlgorithm[]> = {
  shape: "list<'sha1' | 'sha256'>",
  size: (_ctx, value) => SIZES.sctp_hmacalgo + 2 * (value ? value.length : 16),
  check(value) {
    const list = checkList(value, 'the HMAC list', HMACS.length).map((a) => {
      if (!HMACS.some(([n]) => n === a)) throw invalid(`unknown HMAC algorithm ${String(a)}`);
      return a as HmacAlgorithm;
    });
    if (!list.includes('sha1')) throw invalid('the HMAC list must contain sha1 (RFC 4895)');
    if (new Set(list).size !== list.length) throw invalid('the HMAC list names an algorithm twice');
    return list;
  },
  prepare: () => {},
  encode(value, buf) {
    writeField(buf, offsetOf('sctp_hmacalgo.shmac_number_of_idents'), 'u32', value.length);
    const start = offsetOf('sctp_hmacalgo.shmac_idents');
    value.forEach((a, i) => writeField(buf, start + 2 * i, 'u16', C[HMACS.find(([n]) => n === a)![1]]));
  },
  decode(buf, length) {
    const count = readField(buf, offsetOf('sctp_hmacalgo.shmac_number_of_idents'), 'u32') as number;
    const start = offsetOf('sctp_hmacalgo.shmac_idents');
    const out: HmacAlgorithm[] = [];
    for (let i = 0; i < count && start + 2 * (i + 1) <= length; i++) {
      const id = readField(buf, start + 2 * i, 'u16') as number;
      const hit = HMACS.find(([, c]) => C[c] === id);
      if (hit) out.push(hit[0]);
    }
    return out;
  },
};

const authKeyCodec: Codec<AuthKey> = {
  shape: '{ keyNumber: u16, key: list<u8> }',
  size: (_ctx, value) => SIZES.sctp_authkey + (value ? value.key.length : 0),
  check(value) {
    const v = checkObject(value);
    const key = checkList(v.key, 'the key', 0xffff);
    key.forEach((b, i) => checkInt(b, `key[${i}]`, 0, 0xff));
    for (const k of Object.keys(v)) if (k !== 'key' && k !== 'keyNumber') throw invalid(`unknown field ${k}`);
    return { keyNumber: checkInt(v.keyNumber, 'keyNumber', 0, 0xffff), key: key as number[] };
  },
  prepare: () => {},
  encode(value, buf, ctx) {
    writeField(buf, offsetOf('sctp_authkey.sca_assoc_id'), 'u32', ctx.assocId);
    writeField(buf, offsetOf('sctp_authkey.sca_keynumber'), 'u16', value.keyNumber);
    writeField(buf, offsetOf('sctp_authkey.sca_keylength'), 'u16', value.key.length);
    buf.set(Array.from(value.key), offsetOf('sctp_authkey.sca_key'));
  },
  decode: () => {
    throw unsupported('shared keys cannot be read back');
  },
};

const resetStreamsCodec: Codec<ResetStreamsRequest> = {
  shape: '{ directions: { incoming?, outgoing? }, streams: list<u16> }',
  size: (_ctx, value) => SIZES.sctp_reset_streams + 2 * (value ? value.streams.length : 0),
  check(value) {
    const v = checkObject(value);
    const directions = checkFlags(v.directions, ['incoming', 'outgoing'] as const, 'directions');
    if (!directions.incoming && !directions.outgoing) throw invalid('reset-streams needs a direction');
    const streams = checkList(v.streams, 'streams', 0xffff);
    streams.forEach((s, i) => checkInt(s, `streams[${i}]`, 0, 0xffff));
    return { directions, streams: streams as number[] };
  },
  prepare: () => {},
  encode(value, buf, ctx) {
    writeField(buf, offsetOf('sctp_reset_streams.srs_assoc_id'), 'u32', ctx.assocId);
    let flags = 0;
    if (value.directions.incoming) flags |= C.SCTP_STREAM_RESET_INCOMING;
    if (value.directions.outgoing) flags |= C.SCTP_STREAM_RESET_OUTGOING;
    writeField(buf, offsetOf('sctp_reset_streams.srs_flags'), 'u16', flags);
    writeField(buf, offsetOf('sctp_reset_streams.srs_number_streams'), 'u16', value.streams.length);
    const start = offsetOf('sctp_reset_streams.srs_stream_list');
    Array.from(value.streams).forEach((s, i) => writeField(buf, start + 2 * i, 'u16', s));
  },
  decode: () => {
    throw unsupported('write-only');
  },
};

/** SCTP_RESET_ASSOC: the value is the association id itself. */
const resetAssocCodec: Codec<undefined> = {
  shape: '(no value)',
  size: () => SIZES.sctp_assoc_t,
  check(value) {
    if (value !== undefined) throw invalid('reset-assoc takes no value');
    return undefined;
  },
  prepare: () => {},
  encode: (_value, buf, ctx) => writeField(buf, 0, 'u32', ctx.assocId),
  decode: () => {
    throw unsupported('write-only');
  },
};

const SEND_FLAG_BITS: Readonly<Record<keyof SendFlagSet, NativeConstantName>> = {
  unordered: 'SCTP_UNORDERED', addrOver: 'SCTP_ADDR_OVER', abort: 'SCTP_ABORT', eof: 'SCTP_EOF',
  sendall: 'SCTP_SENDALL', sackImmediately: 'SCTP_SACK_IMMEDIATELY', eor: 'SCTP_EOR',
};

const sndinfoCodec: Codec<SndInfo> = (() => {
  const base = record<{ stream: number; ppid: number; context: number }>('sctp_sndinfo', {
    stream: { field: 'snd_sid', kind: 'u16' },
    ppid: { field: 'snd_ppid', kind: 'be32' },
    context: { field: 'snd_context', kind: 'u32' },
  }, { assocField: 'snd_assoc_id' });
  const flagsOffset = () => offsetOf('sctp_sndinfo.snd_flags');
  return {
    shape: '{ stream: u16, ppid: u32, flags: send-flags, context: u32 }',
    size: base.size,
    check(value, ctx) {
      const v = checkObject(value);
      const { flags, ...rest } = v;
      const out = base.check(rest, ctx);
      return { ...out, flags: checkFlags(flags, Object.keys(SEND_FLAG_BITS) as Array<keyof SendFlagSet>, 'flags') };
    },
    prepare: base.prepare,
    encode(value, buf, ctx) {
      base.encode(value, buf, ctx);
      writeField(buf, flagsOffset(), 'u16', flagsToBits(value.flags, SEND_FLAG_BITS));
    },
    decode(buf, length, ctx) {
      const v = base.decode(buf, length, ctx);
      const flags = bitsToFlags(readField(buf, flagsOffset(), 'u16') as number, SEND_FLAG_BITS);
      return { stream: v.stream, ppid: v.ppid, flags, context: v.context };
    },
  };
})();

const PR_POLICIES: ReadonlyArray<readonly [PrPolicyKind, NativeConstantName]> = [
  ['none', 'SCTP_PR_SCTP_NONE'], ['ttl', 'SCTP_PR_SCTP_TTL'], ['rtx', 'SCTP_PR_SCTP_RTX'], ['prio', 'SCTP_PR_SCTP_BUF'],
];

const prinfoCodec: Codec<PrInfo> = {
  shape: "{ policy: 'none' | 'ttl' | 'rtx' | 'prio', value: u32 }",
  size: () => SIZES.sctp_default_prinfo,
  check(value) {
    const v = checkObject(value);
    const hit = PR_POLICIES.find(([n]) => n === v.policy);
    if (!hit) throw invalid("policy must be 'none', 'ttl', 'rtx' or 'prio'");
    const n = checkInt(v.value, 'value', 0, 0xffffffff);
    if (hit[0] === 'none' && n !== 0) throw invalid('the value of policy none must be 0');
    for (const k of Object.keys(v)) if (k !== 'policy' && k !== 'value') throw invalid(`unknown field ${k}`);
    return { policy: hit[0], value: n };
  },
  prepare: (buf, ctx) => writeField(buf, offsetOf('sctp_default_prinfo.pr_assoc_id'), 'u32', ctx.assocId),
  encode(value, buf, ctx) {
    writeField(buf, offsetOf('sctp_default_prinfo.pr_assoc_id'), 'u32', ctx.assocId);
    writeField(buf, offsetOf('sctp_default_prinfo.pr_policy'), 'u16', C[PR_POLICIES.find(([n]) => n === value.policy)![1]]);
    writeField(buf, offsetOf('sctp_default_prinfo.pr_value'), 'u32', value.value);
  },
  decode(buf) {
    const code = readField(buf, offsetOf('sctp_default_prinfo.pr_policy'), 'u16') as number;
    const policy = PR_POLICIES.find(([, c]) => C[c] === code)?.[0] ?? 'none';
    return { policy, value: readField(buf, offsetOf('sctp_default_prinfo.pr_value'), 'u32') as number };
  },
};

/** SCTP_PR_ASSOC_STATUS / SCTP_PR_STREAM_STATUS; `perStream`: the stream key selects the stream. */
function prStatusCodec(perStream: boolean): Codec<PrStatus> {
  return readOnlyCodec('sctp_prstatus', (buf, ctx) => {
    const policy = ctx.key.policy as PrPolicyKind | undefined;
    if (policy === 'none') throw invalid("policy none has no counters: give ttl, rtx, prio, or no policy for all");
    if (perStream && policy !== undefined) {
      throw unsupported('usrsctp counts abandoned messages per stream for all policies together (built without SCTP_DETAILED_STR_STATS)');
    }
    writeField(buf, offsetOf('sctp_prstatus.sprstat_assoc_id'), 'u32', ctx.assocId);
    writeField(buf, offsetOf('sctp_prstatus.sprstat_policy'), 'u16',
      policy === undefined ? C.SCTP_PR_SCTP_ALL : C[PR_POLICIES.find(([n]) => n === policy)![1]]);
    if (perStream) writeField(buf, offsetOf('sctp_prstatus.sprstat_sid'), 'u16', ctx.key.stream as number);
  }, (buf) => ({
    abandonedUnsent: readField(buf, offsetOf('sctp_prstatus.sprstat_abandoned_unsent'), 'u64') as number,
    abandonedSent: readField(buf, offsetOf('sctp_prstatus.sprstat_abandoned_sent'), 'u64') as number,
  }), '{ abandonedUnsent: u64, abandonedSent: u64 }');
}

const EVENT_TYPES: Readonly<Record<EventKind, NativeConstantName>> = {
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
};

/** The event kinds, in the WIT's order. */
export const EVENT_KINDS = Object.keys(EVENT_TYPES) as EventKind[];

const eventCodec: Codec<boolean> = (() => {
  const fill = (buf: Buffer, ctx: CodecContext) => {
    const kind = ctx.key.kind as EventKind;
    if (kind === 'notifications-stopped') {
      throw unsupported('no SCTP stack sends notifications-stopped; usrsctp refuses the subscription');
    }
    writeField(buf, offsetOf('sctp_event.se_assoc_id'), 'u32', ctx.assocId);
    writeField(buf, offsetOf('sctp_event.se_type'), 'u16', C[EVENT_TYPES[kind]]);
  };
  return {
    shape: 'bool',
    size: () => SIZES.sctp_event,
    check: (value) => checkBool(value, 'value'),
    prepare: fill,
    encode(value, buf, ctx) {
      fill(buf, ctx);
      writeField(buf, offsetOf('sctp_event.se_on'), 'u8', value ? 1 : 0);
    },
    decode: (buf) => readField(buf, offsetOf('sctp_event.se_on'), 'u8') !== 0,
  };
})();

const SPP = {
  hbEnable: () => C.SPP_HB_ENABLE, hbDisable: () => C.SPP_HB_DISABLE, hbDemand: () => C.SPP_HB_DEMAND,
  pmtudEnable: () => C.SPP_PMTUD_ENABLE, pmtudDisable: () => C.SPP_PMTUD_DISABLE,
  hbTimeIsZero: () => C.SPP_HB_TIME_IS_ZERO, flowLabel: () => C.SPP_IPV6_FLOWLABEL, dscp: () => C.SPP_DSCP,
};

const peerAddrParamsCodec: Codec<PeerAddrParams> = (() => {
  const S = 'sctp_paddrparams';
  const at = (f: string) => offsetOf(`${S}.${f}`);
  const opts: StructOptions = { assocField: 'spp_assoc_id', addressField: { field: 'spp_address', key: 'address' } };
  const optional = (v: unknown, what: string, min: number, max: number) => (v === undefined ? undefined : checkInt(v, what, min, max));
  const optionalBool = (v: unknown, what: string) => (v === undefined ? undefined : checkBool(v, what));
  return {
    shape: '{ heartbeat?, heartbeatInterval?, heartbeatNow, pmtud?, pathMtu, pathMaxRetransmits?, sackDelay?, ipv6FlowLabel?, dscp? }',
    size: () => SIZES[S],
    check(value, ctx) {
      const v = checkObject(value);
      const known = ['heartbeat', 'heartbeatInterval', 'heartbeatNow', 'pmtud', 'pathMtu', 'pathMaxRetransmits',
        'sackDelay', 'ipv6FlowLabel', 'dscp'];
      for (const k of Object.keys(v)) if (!known.includes(k)) throw invalid(`unknown field ${k}`);
      const out: PeerAddrParams = {
        heartbeat: optionalBool(v.heartbeat, 'heartbeat'),
        heartbeatInterval: optional(v.heartbeatInterval, 'heartbeatInterval', 0, 14_400_000),
        heartbeatNow: v.heartbeatNow === undefined ? false : checkBool(v.heartbeatNow, 'heartbeatNow'),
        pmtud: optionalBool(v.pmtud, 'pmtud'),
        pathMtu: v.pathMtu === undefined ? 0 : checkInt(v.pathMtu, 'pathMtu', 0, 0xffffffff),
        pathMaxRetransmits: optional(v.pathMaxRetransmits, 'pathMaxRetransmits', 1, 0xffff),
        sackDelay: optional(v.sackDelay, 'sackDelay', 0, 0xffffffff),
        ipv6FlowLabel: optional(v.ipv6FlowLabel, 'ipv6FlowLabel', 0, 0xfffff),
        dscp: optional(v.dscp, 'dscp', 0, 0xfc),
      };
      if (out.sackDelay !== undefined) {
        throw unsupported('per-path SACK delay is Linux-only (SPP_SACKDELAY_*); use set-delayed-sack');
      }
      if (out.dscp !== undefined && out.dscp % 4 !== 0) throw invalid('dscp is the upper 6 bits of the byte: a multiple of 4');
      if (out.pmtud === false && (out.pathMtu < 512 || out.pathMtu > 65536)) {
        throw invalid('with pmtud off, pathMtu must be 512..65536');
      }
      if (out.heartbeatInterval !== undefined && out.heartbeat === false) {
        throw invalid('a heartbeat interval turns heartbeats on: heartbeat must not be false');
      }
      if (out.heartbeatNow && ctx.key.address === undefined) throw invalid('heartbeatNow needs the address of the path');
      return out;
    },
    prepare: (buf, ctx) => fillCommon(S, opts, buf, ctx),
    encode(value, buf, ctx) {
      fillCommon(S, opts, buf, ctx);
      let flags = 0;
      if (value.heartbeat === true || value.heartbeatInterval !== undefined) flags |= SPP.hbEnable();
      if (value.heartbeat === false) flags |= SPP.hbDisable();
      if (value.heartbeatInterval === 0) flags |= SPP.hbTimeIsZero();
      if (value.heartbeatNow) flags |= SPP.hbDemand();
      if (value.pmtud === true) flags |= SPP.pmtudEnable();
      if (value.pmtud === false) flags |= SPP.pmtudDisable();
      if (value.ipv6FlowLabel !== undefined) flags |= SPP.flowLabel();
      if (value.dscp !== undefined) flags |= SPP.dscp();
      writeField(buf, at('spp_flags'), 'u32', flags);
      writeField(buf, at('spp_hbinterval'), 'u32', value.heartbeatInterval ?? 0);
      writeField(buf, at('spp_pathmtu'), 'u32', value.pathMtu);
      writeField(buf, at('spp_pathmaxrxt'), 'u16', value.pathMaxRetransmits ?? 0);
      writeField(buf, at('spp_ipv6_flowlabel'), 'u32', value.ipv6FlowLabel ?? 0);
      writeField(buf, at('spp_dscp'), 'u8', value.dscp ?? 0);
    },
    decode(buf) {
      const flags = readField(buf, at('spp_flags'), 'u32') as number;
      const tri = (on: number, off: number) => ((flags & on) !== 0 ? true : (flags & off) !== 0 ? false : undefined);
      return {
        heartbeat: tri(SPP.hbEnable(), SPP.hbDisable()),
        heartbeatInterval: readField(buf, at('spp_hbinterval'), 'u32') as number,
        heartbeatNow: false,
        pmtud: tri(SPP.pmtudEnable(), SPP.pmtudDisable()),
        pathMtu: readField(buf, at('spp_pathmtu'), 'u32') as number,
        pathMaxRetransmits: readField(buf, at('spp_pathmaxrxt'), 'u16') as number,
        sackDelay: undefined,
        ipv6FlowLabel: flags & SPP.flowLabel() ? readField(buf, at('spp_ipv6_flowlabel'), 'u32') as number : undefined,
        dscp: flags & SPP.dscp() ? readField(buf, at('spp_dscp'), 'u8') as number : undefined,
      };
    },
  };
})();

/** SO_LINGER: none, or the linger time in ms (the stack counts seconds). */
const lingerCodec: Codec<number | undefined> = {
  shape: 'option<u32> (ms)',
  size: () => SIZES.linger,
  check(value) {
    if (value === undefined) return undefined;
    const ms = checkInt(value, 'the linger time', 0, 0xffffffff);
    if (ms % 1000 !== 0) throw invalid('the linger time must be a multiple of 1000 ms (the stack counts seconds)');
    return ms;
  },
  prepare: () => {},
  encode(value, buf) {
    writeField(buf, offsetOf('linger.l_onoff'), 'i32', value === undefined ? 0 : 1);
    writeField(buf, offsetOf('linger.l_linger'), 'i32', value === undefined ? 0 : value / 1000);
  },
  decode(buf) {
    if (!readField(buf, offsetOf('linger.l_onoff'), 'i32')) return undefined;
    return (readField(buf, offsetOf('linger.l_linger'), 'i32') as number) * 1000;
  },
};

/** IPV6_V6ONLY: no native option (usrsctp sockets are dual-stack); the codec answers alone. */
const ipv6OnlyCodec: Codec<boolean> = {
  shape: 'bool',
  size: () => 0,
  check(value, ctx) {
    if (ctx.family === 'ipv4') throw unsupported('ipv6-only applies to IPv6 sockets');
    if (checkBool(value, 'value')) throw unsupported('usrsctp has no IPV6_V6ONLY: its IPv6 sockets are always dual-stack');
    return false;
  },
  prepare: () => {},
  encode: () => {},
  decode(_buf, _length, ctx) {
    if (ctx.family === 'ipv4') throw unsupported('ipv6-only applies to IPv6 sockets');
    return false;
  },
};

const SCHEDULERS: ReadonlyArray<readonly [StreamScheduler, NativeConstantName | undefined]> = [
  ['first-come-first-served', 'SCTP_SS_FIRST_COME'], ['default', 'SCTP_SS_DEFAULT'],
  ['round-robin', 'SCTP_SS_ROUND_ROBIN'], ['round-robin-packet', 'SCTP_SS_ROUND_ROBIN_PACKET'],
  ['priority', 'SCTP_SS_PRIORITY'], ['fair-bandwidth', 'SCTP_SS_FAIR_BANDWITH'], ['weighted-fair-queueing', undefined],
];

/** A struct sctp_assoc_value: the association id and one u32 value. */
const u32Value = () => scalar<number>('sctp_assoc_value', { field: 'assoc_value', kind: 'u32' }, { assocField: 'assoc_id' });
const boolValue = () => scalar<boolean>('sctp_assoc_value', { field: 'assoc_value', kind: 'bool32' }, { assocField: 'assoc_id' });

/** Facts shared by the options all three stacks have under the same name. */
const everywhere = (option: string, note?: string): OptionCompat => ({ option, linux: 'Y', freebsd: 'Y', usrsctp: 'Y', note });

const supportedSwitch = (name: string, constant: NativeConstantName, doc: string, compat: OptionCompat,
  errors: Record<string, ErrorCode> = { EINVAL: 'invalid-state' }) => row<boolean>({
  getter: name, setter: `set-${name}`, level: 'IPPROTO_SCTP', constant, codec: boolValue(), mode: 'rw',
  assoc: 'negotiated', errors, doc, compat,
});

// ---------------------------------------------------------------------------------------------------------------
// THE TABLE

function row<T, K = undefined>(r: OptionRow<T, K>): OptionRow<T, K> {
  return r;
}

const addressKey: KeySpec = { name: 'address', kind: 'address' };
const optionalAddressKey: KeySpec = { name: 'address', kind: 'optional-address' };
const streamKey: KeySpec = { name: 'stream', kind: 'stream' };
const policyKey: KeySpec = { name: 'policy', kind: 'optional-pr-policy' };

export const OPTIONS = {
  'rto-info': row<RtoInfo>({
    getter: 'rto-info', setter: 'set-rto-info', level: 'IPPROTO_SCTP', constant: 'SCTP_RTOINFO',
    codec: record<RtoInfo>('sctp_rtoinfo', {
      initial: { field: 'srto_initial', kind: 'u32' },
      max: { field: 'srto_max', kind: 'u32' },
      min: { field: 'srto_min', kind: 'u32' },
    }, {
      assocField: 'srto_assoc_id',
      validate(v) {
        const { initial, max, min } = v as unknown as RtoInfo;
        const bad = (a: number, b: number) => a !== 0 && b !== 0 && a > b;
        if (bad(min, initial) || bad(initial, max) || bad(min, max)) throw invalid('rto-info needs min <= initial <= max');
      },
    }),
    mode: 'rw', assoc: 'future-or-id',
    doc: 'Retransmission timeout bounds in ms (RFC 4960 RTO.Initial/Max/Min; usrsctp defaults 3000/60000/1000). '
      + 'The initial RTO also paces INIT retransmissions. 0 leaves a value unchanged; min <= initial <= max.',
    compat: everywhere('`SCTP_RTOINFO`'),
  }),
  'assoc-info': row<AssocParams>({
    getter: 'assoc-info', setter: 'set-assoc-info', level: 'IPPROTO_SCTP', constant: 'SCTP_ASSOCINFO',
    codec: record<AssocParams>('sctp_assocparams', {
      peerRwnd: { field: 'sasoc_peer_rwnd', kind: 'u32', readOnly: true },
      localRwnd: { field: 'sasoc_local_rwnd', kind: 'u32', readOnly: true },
      cookieLife: { field: 'sasoc_cookie_life', kind: 'u32' },
      maxRetransmits: { field: 'sasoc_asocmaxrxt', kind: 'u16' },
      peerDestinations: { field: 'sasoc_number_peer_destinations', kind: 'u16', readOnly: true },
    }, {
      assocField: 'sasoc_assoc_id',
      validate(v) {
        const life = v.cookieLife as number;
        if (life !== 0 && (life < 1000 || life > 3_600_000)) throw invalid('cookieLife must be 0 or 1000..3600000 ms');
      },
    }),
    mode: 'rw', assoc: 'future-or-id',
    doc: 'Association.Max.Retrans and the cookie lifetime (ms); the windows and the number of peer addresses are '
      + 'reported only.',
    compat: everywhere('`SCTP_ASSOCINFO`'),
  }),
  'init-msg': row<InitMsg>({
    getter: 'init-msg', setter: 'set-init-msg', level: 'IPPROTO_SCTP', constant: 'SCTP_INITMSG',
    codec: record<InitMsg>('sctp_initmsg', {
      numOstreams: { field: 'sinit_num_ostreams', kind: 'u16' },
      maxInstreams: { field: 'sinit_max_instreams', kind: 'u16' },
      maxAttempts: { field: 'sinit_max_attempts', kind: 'u16' },
      maxInitTimeo: { field: 'sinit_max_init_timeo', kind: 'u16' },
    }),
    mode: 'rw', assoc: 'socket',
    doc: 'Parameters of the INIT this socket sends (streams, INIT retransmissions and their largest timeout in ms); '
      + 'set before connect or listen. 0 leaves a field unchanged.',
    compat: everywhere('`SCTP_INITMSG`'),
  }),
  linger: row<number | undefined>({
    getter: 'linger', setter: 'set-linger', level: 'SOL_SOCKET', constant: 'SO_LINGER',
    codec: lingerCodec, mode: 'rw', assoc: 'socket',
    doc: 'SO_LINGER in ms: none, the default, closes gracefully in the background; 0 aborts the associations on '
      + 'close; other values act as none (closing never blocks here). Whole seconds only.',
    compat: everywhere('`SO_LINGER`', 'in ms, whole seconds; closing never blocks, so only 0 (abort) differs from none'),
  }),
  nodelay: row<boolean>({
    getter: 'nodelay', setter: 'set-nodelay', level: 'IPPROTO_SCTP', constant: 'SCTP_NODELAY',
    codec: scalar<boolean>('int', 'bool32'), mode: 'rw', assoc: 'socket',
    doc: 'Disable Nagle-like bundling delays: send DATA chunks at once.',
    compat: everywhere('`SCTP_NODELAY`'),
  }),
  'receive-buffer-size': row<number>({
    getter: 'receive-buffer-size', setter: 'set-receive-buffer-size', level: 'SOL_SOCKET', constant: 'SO_RCVBUF',
    codec: scalar<number>('int', { field: '', kind: 'i32', min: 1 }), mode: 'rw', assoc: 'socket', wit: 'u64',
    doc: 'Socket receive buffer in bytes (SO_RCVBUF; usrsctp default 128 KiB). Also bounds the advertised window.',
    compat: everywhere('`SO_RCVBUF`'),
  }),
  'send-buffer-size': row<number>({
    getter: 'send-buffer-size', setter: 'set-send-buffer-size', level: 'SOL_SOCKET', constant: 'SO_SNDBUF',
    codec: scalar<number>('int', { field: '', kind: 'i32', min: 1 }), mode: 'rw', assoc: 'socket', wit: 'u64',
    doc: 'Socket send buffer in bytes (SO_SNDBUF; usrsctp default 256 KiB). A message larger than this is '
      + 'datagram-too-large.',
    compat: everywhere('`SO_SNDBUF`'),
  }),
  autoclose: row<number>({
    getter: 'autoclose', setter: 'set-autoclose', level: 'IPPROTO_SCTP', constant: 'SCTP_AUTOCLOSE',
    codec: scalar<number>('int', { field: '', kind: 'u32', scale: 1000, max: 0xffffffff - (0xffffffff % 1000) }),
    mode: 'rw', assoc: 'socket', style: 'one-to-many',
    doc: 'Close associations idle for this many ms (whole seconds; 0: never). One-to-many sockets only.',
    compat: everywhere('`SCTP_AUTOCLOSE`', 'in ms, whole seconds; one-to-many sockets only'),
  }),
  'primary-addr': row<SocketAddress>({
    getter: 'primary-addr', setter: 'set-primary-addr', level: 'IPPROTO_SCTP', constant: 'SCTP_PRIMARY_ADDR',
    codec: scalar<SocketAddress>('sctp_setprim', { field: 'ssp_addr', kind: 'sockaddr' }, { assocField: 'ssp_assoc_id' }),
    mode: 'rw', assoc: 'id-only', wit: 'address',
    doc: 'The peer address the association sends to by default (its primary path).',
    compat: everywhere('`SCTP_PRIMARY_ADDR`'),
  }),
  'adaptation-layer': row<number>({
    getter: 'adaptation-layer', setter: 'set-adaptation-layer', level: 'IPPROTO_SCTP', constant: 'SCTP_ADAPTATION_LAYER',
    codec: scalar<number>('sctp_setadaptation', { field: 'ssb_adaptation_ind', kind: 'u32' }),
    mode: 'rw', assoc: 'socket',
    doc: 'The Adaptation Layer Indication sent in INIT / INIT-ACK (the peer sees an adaptation-indication).',
    compat: everywhere('`SCTP_ADAPTATION_LAYER`'),
  }),
  'disable-fragments': row<boolean>({
    getter: 'disable-fragments', setter: 'set-disable-fragments', level: 'IPPROTO_SCTP', constant: 'SCTP_DISABLE_FRAGMENTS',
    codec: scalar<boolean>('int', 'bool32'), mode: 'rw', assoc: 'socket',
    doc: 'Never fragment a message: one that does not fit one DATA chunk is datagram-too-large.',
    compat: everywhere('`SCTP_DISABLE_FRAGMENTS`'),
  }),
  'peer-addr-params': row<PeerAddrParams, { address?: SocketAddress }>({
    getter: 'peer-addr-params', setter: 'set-peer-addr-params', level: 'IPPROTO_SCTP', constant: 'SCTP_PEER_ADDR_PARAMS',
    codec: peerAddrParamsCodec, mode: 'rw', assoc: 'future-or-id', keys: [optionalAddressKey],
    doc: 'Heartbeats (on/off/now, interval ms), path MTU discovery (on/off, fixed MTU) and Path.Max.Retrans of one '
      + 'peer address, of all paths, or the defaults.',
    compat: everywhere('`SCTP_PEER_ADDR_PARAMS`', 'the Linux-only SACK delay flags are not-supported: use `set-delayed-sack`'),
  }),
  'mapped-v4-addresses': row<boolean>({
    getter: 'mapped-v4-addresses', setter: 'set-mapped-v4-addresses', level: 'IPPROTO_SCTP',
    constant: 'SCTP_I_WANT_MAPPED_V4_ADDR', codec: scalar<boolean>('int', 'bool32'), mode: 'rw', assoc: 'socket',
    doc: 'IPv6 sockets report IPv4 peers as IPv4-mapped IPv6 addresses.',
    compat: everywhere('`SCTP_I_WANT_MAPPED_V4_ADDR`'),
  }),
  maxseg: row<number>({
    getter: 'maxseg', setter: 'set-maxseg', level: 'IPPROTO_SCTP', constant: 'SCTP_MAXSEG',
    codec: u32Value(), mode: 'rw', assoc: 'future-or-id',
    doc: 'The largest message piece per DATA chunk in bytes (0: the path MTU decides).',
    compat: everywhere('`SCTP_MAXSEG`'),
  }),
  'hmac-ident': row<HmacAlgorithm[]>({
    getter: 'hmac-ident', setter: 'set-hmac-ident', level: 'IPPROTO_SCTP', constant: 'SCTP_HMAC_IDENT',
    codec: hmacIdentCodec, mode: 'rw', assoc: 'socket',
    doc: 'The HMAC algorithms accepted for SCTP-AUTH, in order of preference (must contain sha1).',
    compat: everywhere('`SCTP_HMAC_IDENT`', "Debian's usrsctp is built without SHA-256"),
  }),
  'auth-active-key': row<number>({
    getter: 'auth-active-key', setter: 'set-auth-active-key', level: 'IPPROTO_SCTP', constant: 'SCTP_AUTH_ACTIVE_KEY',
    codec: scalar<number>('sctp_authkeyid', { field: 'scact_keynumber', kind: 'u16' }, { assocField: 'scact_assoc_id' }),
    mode: 'rw', assoc: 'future-current-all-or-id',
    doc: 'The shared key number that authenticates outgoing chunks.',
    compat: everywhere('`SCTP_AUTH_ACTIVE_KEY`'),
  }),
  'delayed-sack': row<SackInfo>({
    getter: 'delayed-sack', setter: 'set-delayed-sack', level: 'IPPROTO_SCTP', constant: 'SCTP_DELAYED_SACK',
    codec: record<SackInfo>('sctp_sack_info', {
      delay: { field: 'sack_delay', kind: 'u32', max: 500 },
      frequency: { field: 'sack_freq', kind: 'u32' },
    }, { assocField: 'sack_assoc_id' }),
    mode: 'rw', assoc: 'future-current-all-or-id',
    doc: 'The SACK delay in ms (at most 500) and frequency; 0 leaves a field unchanged.',
    compat: everywhere('`SCTP_DELAYED_SACK`'),
  }),
  'fragment-interleave': row<FragmentInterleaveLevel>({
    getter: 'fragment-interleave', setter: 'set-fragment-interleave', level: 'IPPROTO_SCTP',
    constant: 'SCTP_FRAGMENT_INTERLEAVE',
    codec: enumField<FragmentInterleaveLevel>('int', '', [
      ['none', 'SCTP_FRAG_LEVEL_0'], ['associations', 'SCTP_FRAG_LEVEL_1'], ['streams', 'SCTP_FRAG_LEVEL_2'],
    ]),
    mode: 'rw', assoc: 'socket',
    doc: 'Whether partial deliveries interleave across associations (level 1) or streams too (level 2).',
    compat: everywhere('`SCTP_FRAGMENT_INTERLEAVE`'),
  }),
  'partial-delivery-point': row<number>({
    getter: 'partial-delivery-point', setter: 'set-partial-delivery-point', level: 'IPPROTO_SCTP',
    constant: 'SCTP_PARTIAL_DELIVERY_POINT', codec: scalar<number>('int', 'u32'), mode: 'rw', assoc: 'socket',
    doc: 'The message size in bytes from which partial delivery starts (at most the receive buffer).',
    compat: everywhere('`SCTP_PARTIAL_DELIVERY_POINT`'),
  }),
  'auto-asconf': row<boolean>({
    getter: 'auto-asconf', setter: 'set-auto-asconf', level: 'IPPROTO_SCTP', constant: 'SCTP_AUTO_ASCONF',
    codec: scalar<boolean>('int', 'bool32'), mode: 'rw', assoc: 'socket', errors: { EINVAL: 'invalid-state' },
    doc: 'Follow the host\'s address changes with ASCONF (wildcard-bound sockets only).',
    compat: everywhere('`SCTP_AUTO_ASCONF`'),
  }),
  'max-burst': row<number>({
    getter: 'max-burst', setter: 'set-max-burst', level: 'IPPROTO_SCTP', constant: 'SCTP_MAX_BURST',
    codec: u32Value(), mode: 'rw', assoc: 'future-current-all-or-id',
    doc: 'The most packets sent at once per path (usrsctp default 4; 0: no limit).',
    compat: everywhere('`SCTP_MAX_BURST`'),
  }),
  context: row<number>({
    getter: 'context', setter: 'set-context', level: 'IPPROTO_SCTP', constant: 'SCTP_CONTEXT',
    codec: u32Value(), mode: 'rw', assoc: 'future-current-all-or-id',
    doc: 'An opaque u32 reported with every received message of the association.',
    compat: everywhere('`SCTP_CONTEXT`'),
  }),
  'explicit-eor': row<boolean>({
    getter: 'explicit-eor', setter: 'set-explicit-eor', level: 'IPPROTO_SCTP', constant: 'SCTP_EXPLICIT_EOR',
    codec: scalar<boolean>('int', 'bool32'), mode: 'rw', assoc: 'socket',
    doc: 'A message may span several sends; the eor flag ends it.',
    compat: { option: '`SCTP_EXPLICIT_EOR`', linux: 'N', freebsd: 'Y', usrsctp: 'Y' },
  }),
  'reuse-port': row<boolean>({
    getter: 'reuse-port', setter: 'set-reuse-port', level: 'IPPROTO_SCTP', constant: 'SCTP_REUSE_PORT',
    codec: only(scalar<boolean>('int', 'bool32'), (v) => v,
      "usrsctp's SCTP_REUSE_PORT setter turns the option on whatever the value, so it cannot be turned off"),
    mode: 'rw', assoc: 'socket', style: 'one-to-one', errors: { EINVAL: 'invalid-state' },
    doc: 'Several one-to-one sockets may bind one port (set before bind; cannot be turned off).',
    compat: everywhere('`SCTP_REUSE_PORT`', 'cannot be turned off (usrsctp turns it on whatever the value)'),
  }),
  event: row<boolean, { kind: EventKind }>({
    getter: 'event', setter: 'set-event', level: 'IPPROTO_SCTP', constant: 'SCTP_EVENT',
    codec: eventCodec, mode: 'rw', assoc: 'future-current-all-or-id', keys: [{ name: 'kind', kind: 'event-kind' }],
    doc: 'Whether notifications of one kind are delivered (per kind of the WIT event-kind).',
    compat: everywhere('`SCTP_EVENT`', '`notifications-stopped` is not-supported (no stack sends it)'),
  }),
  'recv-rcvinfo': row<boolean>({
    getter: 'recv-rcvinfo', setter: 'set-recv-rcvinfo', level: 'IPPROTO_SCTP', constant: 'SCTP_RECVRCVINFO',
    codec: only(scalar<boolean>('int', 'bool32'), (v) => v,
      'received-message is built from SCTP_RCVINFO: the host keeps it on'),
    mode: 'rw', assoc: 'socket',
    doc: 'Always on: received-message carries the RCVINFO fields. Turning it off is not-supported.',
    compat: everywhere('`SCTP_RECVRCVINFO`', 'always on (`received-message`); false is not-supported'),
  }),
  'recv-nxtinfo': row<boolean>({
    getter: 'recv-nxtinfo', setter: 'set-recv-nxtinfo', level: 'IPPROTO_SCTP', constant: 'SCTP_RECVNXTINFO',
    codec: scalar<boolean>('int', 'bool32'),
    mode: 'rw', assoc: 'socket',
    doc: 'Whether each received message says what waits next (`received-message.next`, SCTP_NXTINFO). Off by default.',
    compat: everywhere('`SCTP_RECVNXTINFO`', '`received-message.next`'),
  }),
  'default-sndinfo': row<SndInfo>({
    getter: 'default-sndinfo', setter: 'set-default-sndinfo', level: 'IPPROTO_SCTP', constant: 'SCTP_DEFAULT_SNDINFO',
    codec: sndinfoCodec, mode: 'rw', assoc: 'future-current-all-or-id',
    doc: 'Stream, PPID, flags and context of messages sent without send info.',
    compat: everywhere('`SCTP_DEFAULT_SNDINFO`', 'fills in the fields a `send-info` leaves out'),
  }),
  'default-prinfo': row<PrInfo>({
    getter: 'default-prinfo', setter: 'set-default-prinfo', level: 'IPPROTO_SCTP', constant: 'SCTP_DEFAULT_PRINFO',
    codec: prinfoCodec, mode: 'rw', assoc: 'future-current-all-or-id',
    doc: 'The partial-reliability policy of messages sent without one.',
    compat: everywhere('`SCTP_DEFAULT_PRINFO` (RFC 7496)', 'applies when `send-info.pr-policy` is none'),
  }),
  status: row<AssociationStatus>({
    getter: 'status', setter: undefined, level: 'IPPROTO_SCTP', constant: 'SCTP_STATUS',
    codec: statusCodec, mode: 'ro', assoc: 'id-only',
    wit: { record: { primary: { option: { record: { address: 'address' } } } } },
    doc: 'State of one association: SCTP state, negotiated stream counts, peer window, primary path.',
    compat: everywhere('`SCTP_STATUS`'),
  }),
  'peer-addr-info': row<PeerAddrInfo, { address: SocketAddress }>({
    getter: 'peer-addr-info', setter: undefined, level: 'IPPROTO_SCTP', constant: 'SCTP_GET_PEER_ADDR_INFO',
    codec: peerAddrInfoCodec, mode: 'ro', assoc: 'future-or-id', keys: [addressKey],
    errors: { ENOENT: 'invalid-argument' },  // no such peer address (not: the association ended)
    wit: { record: { address: 'address' } },
    doc: 'State, cwnd, srtt, RTO and MTU of the path to one peer address.',
    compat: everywhere('`SCTP_GET_PEER_ADDR_INFO`'),
  }),
  'peer-auth-chunks': row<number[]>({
    getter: 'peer-auth-chunks', setter: undefined, level: 'IPPROTO_SCTP', constant: 'SCTP_PEER_AUTH_CHUNKS',
    codec: authChunksCodec, mode: 'ro', assoc: 'id-only', wit: 'u8-list',
    doc: 'The chunk types the peer requires to be authenticated.',
    compat: everywhere('`SCTP_PEER_AUTH_CHUNKS`'),
  }),
  'local-auth-chunks': row<number[]>({
    getter: 'local-auth-chunks', setter: undefined, level: 'IPPROTO_SCTP', constant: 'SCTP_LOCAL_AUTH_CHUNKS',
    codec: authChunksCodec, mode: 'ro', assoc: 'future-or-id', wit: 'u8-list',
    doc: 'The chunk types this end requires to be authenticated.',
    compat: everywhere('`SCTP_LOCAL_AUTH_CHUNKS`'),
  }),
  'assoc-number': row<number>({
    getter: 'assoc-number', setter: undefined, level: 'IPPROTO_SCTP', constant: 'SCTP_GET_ASSOC_NUMBER',
    codec: scalar<number>('int', 'u32'), mode: 'ro', assoc: 'socket', style: 'one-to-many',
    doc: 'The number of associations of a one-to-many socket.',
    compat: everywhere('`SCTP_GET_ASSOC_NUMBER`'),
  }),
  'assoc-id-list': row<number[]>({
    getter: 'assoc-id-list', setter: undefined, level: 'IPPROTO_SCTP', constant: 'SCTP_GET_ASSOC_ID_LIST',
    codec: assocIdListCodec, mode: 'ro', assoc: 'socket', style: 'one-to-many', wit: 'u32-list',
    doc: 'The association ids of a one-to-many socket.',
    compat: everywhere('`SCTP_GET_ASSOC_ID_LIST`'),
  }),
  'set-peer-primary-addr': row<SocketAddress>({
    getter: undefined, setter: 'set-peer-primary-addr', level: 'IPPROTO_SCTP', constant: 'SCTP_SET_PEER_PRIMARY_ADDR',
    codec: scalar<SocketAddress>('sctp_setpeerprim', { field: 'sspp_addr', kind: 'sockaddr' }, { assocField: 'sspp_assoc_id' }),
    mode: 'wo', assoc: 'id-only', wit: 'address',
    doc: 'Ask the peer to make one of our addresses its primary path (ASCONF).',
    compat: everywhere('`SCTP_SET_PEER_PRIMARY_ADDR`'),
  }),
  'auth-chunk': row<number>({
    getter: undefined, setter: 'add-auth-chunk', level: 'IPPROTO_SCTP', constant: 'SCTP_AUTH_CHUNK',
    codec: scalar<number>('sctp_authchunk', { field: 'sauth_chunk', kind: 'u8' }), mode: 'wo', assoc: 'socket',
    doc: 'Require the peer to authenticate chunks of a type (future associations).',
    compat: everywhere('`SCTP_AUTH_CHUNK`'),
  }),
  'auth-key': row<AuthKey>({
    getter: undefined, setter: 'set-auth-key', level: 'IPPROTO_SCTP', constant: 'SCTP_AUTH_KEY',
    codec: authKeyCodec, mode: 'wo', assoc: 'future-current-all-or-id', wit: { record: { key: 'u8-list' } },
    doc: 'Add or replace a shared key of SCTP-AUTH.',
    compat: everywhere('`SCTP_AUTH_KEY`'),
  }),
  'auth-deactivate-key': row<number>({
    getter: undefined, setter: 'deactivate-auth-key', level: 'IPPROTO_SCTP', constant: 'SCTP_AUTH_DEACTIVATE_KEY',
    codec: scalar<number>('sctp_authkeyid', { field: 'scact_keynumber', kind: 'u16' }, { assocField: 'scact_assoc_id' }),
    mode: 'wo', assoc: 'future-current-all-or-id',
    doc: 'Stop sending with a shared key.',
    compat: everywhere('`SCTP_AUTH_DEACTIVATE_KEY`'),
  }),
  'auth-delete-key': row<number>({
    getter: undefined, setter: 'delete-auth-key', level: 'IPPROTO_SCTP', constant: 'SCTP_AUTH_DELETE_KEY',
    codec: scalar<number>('sctp_authkeyid', { field: 'scact_keynumber', kind: 'u16' }, { assocField: 'scact_assoc_id' }),
    mode: 'wo', assoc: 'future-current-all-or-id',
    doc: 'Forget a shared key.',
    compat: everywhere('`SCTP_AUTH_DELETE_KEY`'),
  }),
  'enable-stream-reset': row<ReconfigRequests>({
    getter: 'enable-stream-reset', setter: 'set-enable-stream-reset', level: 'IPPROTO_SCTP',
    constant: 'SCTP_ENABLE_STREAM_RESET',
    codec: flagsField('sctp_assoc_value', 'assoc_value', 'u32', {
      resetStreams: 'SCTP_ENABLE_RESET_STREAM_REQ', resetAssociation: 'SCTP_ENABLE_RESET_ASSOC_REQ',
      addStreams: 'SCTP_ENABLE_CHANGE_ASSOC_REQ',
    }, { assocField: 'assoc_id' }),
    mode: 'rw', assoc: 'future-current-all-or-id',
    doc: 'Which RFC 6525 requests of the peer are accepted.',
    compat: everywhere('`SCTP_ENABLE_STREAM_RESET` (RFC 6525)'),
  }),
  'reset-streams': row<ResetStreamsRequest>({
    getter: undefined, setter: 'reset-streams', level: 'IPPROTO_SCTP', constant: 'SCTP_RESET_STREAMS',
    codec: resetStreamsCodec, mode: 'wo', assoc: 'id-only', wit: { record: { streams: 'u16-list' } },
    doc: 'Reset incoming and/or outgoing streams of an association.',
    compat: everywhere('`SCTP_RESET_STREAMS` (RFC 6525)'),
  }),
  'reset-assoc': row<undefined>({
    getter: undefined, setter: 'reset-assoc', level: 'IPPROTO_SCTP', constant: 'SCTP_RESET_ASSOC',
    codec: resetAssocCodec, mode: 'wo', assoc: 'id-only', noValue: true, errors: { EBUSY: 'invalid-state' },
    doc: 'Reset the TSNs and all streams of an association (no data may be queued).',
    compat: everywhere('`SCTP_RESET_ASSOC` (RFC 6525)'),
  }),
  'add-streams': row<AddStreamsRequest>({
    getter: undefined, setter: 'add-streams', level: 'IPPROTO_SCTP', constant: 'SCTP_ADD_STREAMS',
    codec: record<AddStreamsRequest>('sctp_add_streams', {
      inbound: { field: 'sas_instrms', kind: 'u16' },
      outbound: { field: 'sas_outstrms', kind: 'u16' },
    }, {
      assocField: 'sas_assoc_id',
      validate(v) {
        if (v.inbound === 0 && v.outbound === 0) throw invalid('add-streams needs inbound or outbound streams');
      },
    }),
    mode: 'wo', assoc: 'id-only',
    doc: 'Add inbound and/or outbound streams to an association.',
    compat: everywhere('`SCTP_ADD_STREAMS` (RFC 6525)'),
  }),
  'pr-supported': supportedSwitch('pr-supported', 'SCTP_PR_SUPPORTED',
    'Offer partial reliability (RFC 3758) to future associations; per association: negotiated.',
    everywhere('`SCTP_PR_SUPPORTED` (RFC 7496)')),
  'pr-assoc-status': row<PrStatus, { policy?: PrPolicyKind }>({
    getter: 'pr-assoc-status', setter: undefined, level: 'IPPROTO_SCTP', constant: 'SCTP_PR_ASSOC_STATUS',
    codec: prStatusCodec(false), mode: 'ro', assoc: 'id-only', keys: [policyKey],
    wit: { record: { abandonedUnsent: 'u64', abandonedSent: 'u64' } },
    doc: 'Messages of an association abandoned under one or all partial-reliability policies.',
    compat: everywhere('`SCTP_PR_ASSOC_STATUS` (RFC 7496)'),
  }),
  'pr-stream-status': row<PrStatus, { stream: number; policy?: PrPolicyKind }>({
    getter: 'pr-stream-status', setter: undefined, level: 'IPPROTO_SCTP', constant: 'SCTP_PR_STREAM_STATUS',
    codec: prStatusCodec(true), mode: 'ro', assoc: 'id-only', keys: [streamKey, policyKey],
    wit: { record: { abandonedUnsent: 'u64', abandonedSent: 'u64' } },
    doc: 'Messages of one outgoing stream abandoned (all policies together).',
    compat: everywhere('`SCTP_PR_STREAM_STATUS` (RFC 7496)', 'all policies together only (usrsctp keeps no per-policy counts per stream)'),
  }),
  'interleaving-supported': supportedSwitch('interleaving-supported', 'SCTP_INTERLEAVING_SUPPORTED',
    'Offer I-DATA (RFC 8260) to future associations (needs fragment-interleave streams); per association: negotiated.',
    { option: '`SCTP_INTERLEAVING_SUPPORTED` (RFC 8260)', linux: 'Y', freebsd: 'Y', usrsctp: 'not in the header (0x1206 works)' }),
  'stream-scheduler': row<StreamScheduler>({
    getter: 'stream-scheduler', setter: 'set-stream-scheduler', level: 'IPPROTO_SCTP', constant: 'SCTP_PLUGGABLE_SS',
    codec: enumField<StreamScheduler>('sctp_assoc_value', 'assoc_value', SCHEDULERS, { assocField: 'assoc_id' },
      () => 'usrsctp has no weighted fair queueing scheduler'),
    mode: 'rw', assoc: 'future-current-all-or-id',
    doc: 'The stream scheduler of an association or of future ones.',
    compat: {
      option: '`SCTP_STREAM_SCHEDULER` (RFC 8260)', linux: 'Y', freebsd: 'Y', usrsctp: 'as `SCTP_PLUGGABLE_SS`',
      note: '`weighted-fair-queueing` is not-supported (usrsctp has none)',
    },
  }),
  'stream-scheduler-value': row<number, { stream: number }>({
    getter: 'stream-scheduler-value', setter: 'set-stream-scheduler-value', level: 'IPPROTO_SCTP', constant: 'SCTP_SS_VALUE',
    codec: scalar<number>('sctp_stream_value', { field: 'stream_value', kind: 'u16' },
      { assocField: 'assoc_id', keyFields: { stream: ['stream_id', 'u16'] } }),
    mode: 'rw', assoc: 'id-only', keys: [streamKey],
    doc: 'The scheduler parameter (priority) of one outgoing stream.',
    compat: { option: '`SCTP_STREAM_SCHEDULER_VALUE` (RFC 8260)', linux: 'Y', freebsd: 'Y', usrsctp: 'as `SCTP_SS_VALUE`' },
  }),
  'remote-udp-encaps-port': row<number>({
    getter: 'remote-udp-encaps-port', setter: 'set-remote-udp-encaps-port', level: 'IPPROTO_SCTP',
    constant: 'SCTP_REMOTE_UDP_ENCAPS_PORT',
    codec: scalar<number>('sctp_udpencaps', { field: 'sue_port', kind: 'port' },
      { assocField: 'sue_assoc_id', addressField: { field: 'sue_address', key: 'path' } }),
    mode: 'rw', assoc: 'future-current-all-or-id', perPath: true,
    doc: "The peer's UDP encapsulation port (RFC 6951), per association or for future associations "
      + '(0: plain SCTP over IP). Set it before connect to reach a peer over UDP.',
    compat: everywhere('`SCTP_REMOTE_UDP_ENCAPS_PORT` (RFC 6951)'),
  }),
  'peer-addr-thresholds': row<PeerAddrThresholds, { address?: SocketAddress }>({
    getter: 'peer-addr-thresholds', setter: 'set-peer-addr-thresholds', level: 'IPPROTO_SCTP',
    constant: 'SCTP_PEER_ADDR_THLDS',
    codec: record<PeerAddrThresholds>('sctp_paddrthlds', {
      pathMaxRetransmits: { field: 'spt_pathmaxrxt', kind: 'u16' },
      potentiallyFailedThreshold: { field: 'spt_pathpfthld', kind: 'u16' },
    }, {
      assocField: 'spt_assoc_id', addressField: { field: 'spt_address', key: 'address' },
      // The stack takes only 0xffff (no "primary path switchover" threshold).
      fixed: { spt_pathcpthld: ['u16', 0xffff] },
    }),
    mode: 'rw', assoc: 'future-or-id', keys: [optionalAddressKey],
    doc: 'Path.Max.Retrans and the potentially-failed threshold of a path, of all paths, or the defaults.',
    compat: { option: '`SCTP_PEER_ADDR_THLDS` (RFC 7829)', linux: 'Y', freebsd: 'Y', usrsctp: 'not in the header (0x23 works)' },
  }),
  'ecn-supported': supportedSwitch('ecn-supported', 'SCTP_ECN_SUPPORTED', 'Offer ECN to future associations.',
    { option: '`SCTP_ECN_SUPPORTED`', linux: 'Y', freebsd: 'Y', usrsctp: 'Y' }),
  'auth-supported': supportedSwitch('auth-supported', 'SCTP_AUTH_SUPPORTED',
    'Offer SCTP-AUTH (RFC 4895) to future associations.', everywhere('`SCTP_AUTH_SUPPORTED`')),
  'asconf-supported': supportedSwitch('asconf-supported', 'SCTP_ASCONF_SUPPORTED',
    'Offer ASCONF (RFC 5061) to future associations (needs auth).', everywhere('`SCTP_ASCONF_SUPPORTED`')),
  'reconfig-supported': supportedSwitch('reconfig-supported', 'SCTP_RECONFIG_SUPPORTED',
    'Offer stream reconfiguration (RFC 6525) to future associations.', everywhere('`SCTP_RECONFIG_SUPPORTED`')),
  'nrsack-supported': supportedSwitch('nrsack-supported', 'SCTP_NRSACK_SUPPORTED',
    'Offer non-renegable SACKs to future associations.', { option: '`SCTP_NRSACK_SUPPORTED`', linux: 'N', freebsd: 'Y', usrsctp: 'Y' }),
  'pktdrop-supported': supportedSwitch('pktdrop-supported', 'SCTP_PKTDROP_SUPPORTED',
    'Offer packet-drop reports to future associations.', { option: '`SCTP_PKTDROP_SUPPORTED`', linux: 'N', freebsd: 'Y', usrsctp: 'Y' }),
  'max-cwnd': row<number>({
    getter: 'max-cwnd', setter: 'set-max-cwnd', level: 'IPPROTO_SCTP', constant: 'SCTP_MAX_CWND',
    codec: u32Value(), mode: 'rw', assoc: 'future-or-id',
    doc: 'The largest congestion window in bytes (0: no limit).',
    compat: { option: '`SCTP_MAX_CWND`', linux: 'N', freebsd: 'Y', usrsctp: 'Y' },
  }),
  timeouts: row<TimeoutCounts>({
    getter: 'timeouts', setter: undefined, level: 'IPPROTO_SCTP', constant: 'SCTP_TIMEOUTS',
    codec: record<TimeoutCounts>('sctp_timeouts', {
      init: { field: 'stimo_init', kind: 'u32' },
      data: { field: 'stimo_data', kind: 'u32' },
      sack: { field: 'stimo_sack', kind: 'u32' },
      shutdown: { field: 'stimo_shutdown', kind: 'u32' },
      heartbeat: { field: 'stimo_heartbeat', kind: 'u32' },
      cookie: { field: 'stimo_cookie', kind: 'u32' },
      shutdownAck: { field: 'stimo_shutdownack', kind: 'u32' },
    }, { assocField: 'stimo_assoc_id' }),
    mode: 'ro', assoc: 'id-only',
    doc: 'How often each timer of an association expired.',
    compat: { option: '`SCTP_TIMEOUTS`', linux: 'N', freebsd: 'Y', usrsctp: 'Y' },
  }),
  'ipv6-only': row<boolean>({
    getter: 'ipv6-only', setter: 'set-ipv6-only', level: 'none', constant: undefined,
    codec: ipv6OnlyCodec, mode: 'rw', assoc: 'socket',
    doc: 'IPV6_V6ONLY: false (usrsctp sockets are dual-stack); true is not-supported.',
    compat: {
      option: '`IPV6_V6ONLY` (IPPROTO_IPV6)', linux: 'Y', freebsd: 'Y', usrsctp: 'N',
      note: 'reports false: IPv6 sockets are always dual-stack here (usrsctp has no `IPV6_V6ONLY`; '
        + '`wasi:sockets` makes them IPv6-only); true is not-supported',
    },
  }),
} as const;

export type OptionName = keyof typeof OPTIONS;
export type OptionValue<N extends OptionName> = (typeof OPTIONS)[N] extends OptionRow<infer T, infer _K> ? T : never;
/** The key arguments of an option (an empty object type for options without keys). */
export type OptionKey<N extends OptionName> = (typeof OPTIONS)[N] extends OptionRow<infer _T, infer K>
  ? (K extends undefined ? Record<string, never> : K) : never;

/** The table as a list (e.g. to generate docs). */
export const OPTION_TABLE: ReadonlyArray<OptionRow<unknown, unknown> & { name: OptionName }> = Object.entries(OPTIONS).map(
  ([name, r]) => ({ name: name as OptionName, ...(r as OptionRow<unknown, unknown>) }),
);

/**
 * Rows of the guide's options table with no row of their own in OPTION_TABLE: deprecated names, other
 * systems' options and extensions, each after the option it belongs next to. `implemented` is the
 * Implemented cell: ✅ with the WIT items, or ⛔ with the reason (test/posix-compat.test.ts checks both).
 */
export const OPTION_DOC_EXTRAS: ReadonlyArray<{ compat: OptionCompat; implemented: string; after: OptionName }> = [
  {
    after: 'peer-addr-params',
    compat: { option: '`IP_TOS`, `IPV6_TCLASS` (IPPROTO_IP, IPPROTO_IPV6)', linux: 'Y', freebsd: 'Y', usrsctp: 'N (per path: `SPP_DSCP`)' },
    implemented: '✅ per path, as in `SCTP_PEER_ADDR_PARAMS`: `peer-addr-params.dscp` (the ECN bits stay with the stack)',
  },
  {
    after: 'delayed-sack',
    compat: { option: '`SCTP_DELAYED_ACK_TIME`, `SCTP_DELAYED_ACK` (Linux\'s older names)', linux: 'Y', freebsd: 'N', usrsctp: 'N' },
    implemented: '⛔ older names of `SCTP_DELAYED_SACK`: `delayed-sack`, `set-delayed-sack` (`sack-info.delay`)',
  },
  {
    after: 'reuse-port',
    compat: { option: '`SO_REUSEADDR`', linux: 'Y', freebsd: 'Y', usrsctp: 'N' },
    implemented: '⛔ not needed: SCTP has no TIME-WAIT state, a port is free again once its sockets are gone; '
      + 'to share a port use `set-reuse-port`',
  },
  {
    after: 'event',
    compat: { option: '`SCTP_EVENTS` (deprecated)', linux: 'Y', freebsd: 'Y', usrsctp: 'N' },
    implemented: '⛔ deprecated; use `SCTP_EVENT`: `event`, `set-event` per `event-kind`',
  },
  {
    after: 'recv-nxtinfo',
    compat: { option: '`SCTP_USE_EXT_RCVINFO` (deprecated)', linux: 'N', freebsd: 'Y', usrsctp: 'N' },
    implemented: '⛔ deprecated; its successor is `SCTP_RECVNXTINFO` (`recv-nxtinfo`)',
  },
  {
    after: 'default-prinfo',
    compat: { option: '`SCTP_DEFAULT_SEND_PARAM` (deprecated)', linux: 'Y', freebsd: 'Y', usrsctp: 'N' },
    implemented: '⛔ deprecated; use `SCTP_DEFAULT_SNDINFO` and `SCTP_DEFAULT_PRINFO`: `default-sndinfo`, '
      + '`set-default-sndinfo`, `default-prinfo`, `set-default-prinfo`',
  },
  {
    after: 'status',
    compat: { option: '`SCTP_GET_ASSOC_STATS`', linux: 'Y', freebsd: 'N', usrsctp: 'N' },
    implemented: '⛔ Linux only: usrsctp keeps no per-association statistics; `status`, `timeouts` and '
      + '`pr-assoc-status` report some of them',
  },
  {
    after: 'peer-addr-thresholds',
    compat: { option: '`SCTP_PEER_ADDR_THLDS_V2`', linux: 'Y', freebsd: 'N', usrsctp: 'N' },
    implemented: '⛔ Linux only: adds a primary path switch-over threshold (`spt_pathcpthld`) that usrsctp lacks; '
      + 'the other thresholds are `peer-addr-thresholds`',
  },
  {
    after: 'peer-addr-thresholds',
    compat: { option: '`SCTP_EXPOSE_POTENTIALLY_FAILED_STATE` (`SCTP_EXPOSE_PF_STATE`)', linux: 'Y', freebsd: 'N', usrsctp: 'N' },
    implemented: '⛔ Linux only: usrsctp keeps the potentially-failed state to itself '
      + '(`peer-address-state::potentially-failed` never arrives here)',
  },
  {
    after: 'max-cwnd',
    compat: { option: '`SCTP_PLUGGABLE_CC`, `SCTP_CC_OPTION`', linux: 'N', freebsd: 'Y', usrsctp: 'not in the header' },
    implemented: '⛔ not offered: the choice of congestion control module is tuning specific to FreeBSD\'s stack',
  },
  {
    after: 'max-cwnd',
    compat: { option: '`SCTP_CMT_ON_OFF`', linux: 'N', freebsd: 'Y', usrsctp: 'not in the header' },
    implemented: '⛔ not offered: concurrent multipath transfer is an experimental FreeBSD feature, not standardised',
  },
  {
    after: 'max-cwnd',
    compat: { option: '`SCTP_PLPMTUD_PROBE_INTERVAL` (RFC 8899)', linux: 'Y', freebsd: 'N', usrsctp: 'N' },
    implemented: '⛔ Linux only: usrsctp has no packetization-layer path MTU discovery; see `peer-addr-params`',
  },
  {
    after: 'ipv6-only',
    compat: { option: '`SO_ACCEPTCONN`', linux: 'Y', freebsd: 'Y', usrsctp: 'N' },
    implemented: '✅ `is-listening`',
  },
  {
    after: 'ipv6-only',
    compat: { option: '`SO_DOMAIN`', linux: 'Y', freebsd: 'Y', usrsctp: 'N' },
    implemented: '✅ `address-family`',
  },
  {
    after: 'ipv6-only',
    compat: { option: '`SO_TYPE`', linux: 'Y', freebsd: 'Y', usrsctp: 'N' },
    implemented: '✅ `socket-type`',
  },
  {
    after: 'ipv6-only',
    compat: { option: '`SO_ERROR`', linux: 'Y', freebsd: 'Y', usrsctp: 'Y' },
    implemented: '✅ no option: a pending error is the `error-code` that `finish-connect`, `send` or `receive` return',
  },
];

// ---------------------------------------------------------------------------------------------------------------
// Generic get / set

/** What the generic functions need from a socket. */
export interface OptionTarget {
  readonly id: number;
  readonly family: IpAddressFamily;
  readonly type: SocketType;
  /** Throws invalid-state on a closed socket. */
  assertOpen(operation: string): void;
}

function lookup(name: string): OptionRow<unknown, unknown> {
  if (!Object.prototype.hasOwnProperty.call(OPTIONS, name)) throw invalid(`unknown option ${name}`);
  return (OPTIONS as Record<string, OptionRow<unknown, unknown>>)[name];
}

function specialId(scope: 'future' | 'current' | 'all'): number {
  return scope === 'future' ? C.SCTP_FUTURE_ASSOC : scope === 'current' ? C.SCTP_CURRENT_ASSOC : C.SCTP_ALL_ASSOC;
}

function checkAssocNumber(n: unknown): number {
  const v = checkInt(n, 'association id', 0, 0xffffffff);
  if (v <= C.SCTP_ALL_ASSOC && v !== C.SCTP_FUTURE_ASSOC) {
    throw invalid(`association id ${v} is reserved: use 'current' or 'all'`);
  }
  return v;
}

function resolveAssoc(r: OptionRow<unknown, unknown>, target: OptionTarget, scope: AssocScope | undefined,
  write: boolean, name: string): number {
  switch (r.assoc) {
    case 'socket':
      if (scope !== undefined) throw invalid(`${name} applies to the socket, not to an association`);
      return 0;
    case 'negotiated':
      if (write) {
        if (scope !== undefined && scope !== 'future') throw invalid(`${name} is set for future associations only`);
        return C.SCTP_FUTURE_ASSOC;
      }
      // falls through: reads take an association
    case 'future-current-all-or-id':
    case 'future-or-id':
      if (scope === undefined || scope === 'future') return C.SCTP_FUTURE_ASSOC;
      if (scope === 'current' || scope === 'all') {
        if (!write) throw invalid(`${name}: reads take an association id or 'future'`);
        if (r.assoc === 'future-or-id' && target.type === 'one-to-many') {
          throw invalid(`${name} applies to the defaults or to one association, not to '${scope}'`);
        }
        return specialId(scope);
      }
      return checkAssocNumber(scope);
    case 'id-only':
      if (scope === undefined) {
        if (target.type === 'one-to-one') return 0;
        throw invalid(`${name}: a one-to-many socket must name the association`);
      }
      if (typeof scope !== 'number') throw invalid(`${name} applies to one association id`);
      return checkAssocNumber(scope);
  }
}

function checkKeys(r: OptionRow<unknown, unknown>, key: unknown, name: string): Record<string, unknown> {
  const specs = r.keys ?? [];
  const given = key === undefined ? {} : checkObject(key, `the key of ${name}`);
  for (const k of Object.keys(given)) {
    if (!specs.some((s) => s.name === k)) throw invalid(`${name} takes no key ${k}`);
  }
  const out: Record<string, unknown> = {};
  for (const s of specs) {
    const v = given[s.name];
    switch (s.kind) {
      case 'address': out[s.name] = checkPeerAddress(v, s.name); break;
      case 'optional-address': out[s.name] = v === undefined ? undefined : checkPeerAddress(v, s.name); break;
      case 'stream': out[s.name] = checkInt(v, s.name, 0, 0xffff); break;
      case 'event-kind':
        if (!EVENT_KINDS.includes(v as EventKind)) throw invalid(`${s.name} must be one of ${EVENT_KINDS.join(', ')}`);
        out[s.name] = v;
        break;
      case 'optional-pr-policy':
        if (v !== undefined && !PR_POLICIES.some(([n]) => n === v)) throw invalid(`${s.name} must be none, ttl, rtx or prio`);
        out[s.name] = v;
        break;
    }
  }
  return out;
}

function level(r: OptionRow<unknown, unknown>): number {
  return r.level === 'SOL_SOCKET' ? C.SOL_SOCKET : C.IPPROTO_SCTP;
}

function prologue(r: OptionRow<unknown, unknown>, target: OptionTarget, name: string, op: string): void {
  target.assertOpen(`${op} ${name}`);
  if (r.style !== undefined && target.type !== r.style) {
    throw new SctpError('invalid-state', `${name} applies to ${r.style} sockets only`);
  }
}

function nativeCheck(r: OptionRow<unknown, unknown>, target: OptionTarget, result: number, operation: string): number {
  if (result >= 0) return result;
  const e = errorFromErrno(result, operation, { oneToOne: target.type === 'one-to-one' });
  const override = e.errno !== undefined ? r.errors?.[e.errno] : undefined;
  if (override !== undefined) throw new SctpError(override, `${operation}: ${override} (${e.errno})`, e.errno);
  throw e;
}

/** Reads an option (`association`: see the row's association rule; `key`: the row's key arguments). */
export function getOption<N extends OptionName>(target: OptionTarget, name: N, association?: AssocScope,
  key?: OptionKey<N>): OptionValue<N> {
  const r = lookup(name);
  prologue(r, target, name, 'get');
  if (r.mode === 'wo') throw unsupported(`${name} is write-only`);
  const ctx: CodecContext = {
    assocId: resolveAssoc(r, target, association, false, name), family: target.family, type: target.type,
    key: checkKeys(r, key, name),
  };
  if (r.level === 'none') return r.codec.decode(Buffer.alloc(0), 0, ctx) as OptionValue<N>;
  const buf = Buffer.alloc(r.codec.size(ctx));
  r.codec.prepare(buf, ctx);
  const length = nativeCheck(r, target, native.getsockopt(target.id, level(r), C[r.constant!], buf), `get ${name}`);
  return r.codec.decode(buf, length, ctx) as OptionValue<N>;
}

/** Writes an option; invalid values throw invalid-argument (or not-supported) before usrsctp is called. */
export function setOption<N extends OptionName>(target: OptionTarget, name: N, value: OptionValue<N>,
  scope?: AssocScope, key?: OptionKey<N>): void {
  const r = lookup(name);
  prologue(r, target, name, 'set');
  if (r.mode === 'ro') throw unsupported(`${name} is read-only`);
  const ctx: CodecContext = {
    assocId: resolveAssoc(r, target, scope, true, name), family: target.family, type: target.type,
    key: checkKeys(r, key, name),
  };
  const normalised = r.codec.check(value, ctx);
  if (r.level === 'none') return;
  const write = (c: CodecContext) => {
    const buf = Buffer.alloc(r.codec.size(c, normalised));
    r.codec.encode(normalised, buf, c);
    nativeCheck(r, target, native.setsockopt(target.id, level(r), C[r.constant!], buf), `set ${name}`);
  };
  write(ctx);
  if (r.perPath && ctx.assocId !== C.SCTP_FUTURE_ASSOC) {
    for (const assocId of associationsOf(target, ctx.assocId)) {
      for (const path of peerAddresses(target, assocId)) write({ ...ctx, assocId, key: { path } });
    }
  }
}

/** The associations a scope names: the id itself, or every association for current/all. */
function associationsOf(target: OptionTarget, assocId: number): number[] {
  if (assocId !== C.SCTP_CURRENT_ASSOC && assocId !== C.SCTP_ALL_ASSOC) return [assocId];
  if (target.type === 'one-to-one') return [0];
  return getOption(target, 'assoc-id-list');
}

/** The peer addresses (paths) of an association (sctp_getpaddrs); none when it is gone. */
function peerAddresses(target: OptionTarget, assocId: number): SocketAddress[] {
  const r = native.peerAddresses(target.id, target.type === 'one-to-one' ? 0 : assocId);
  return typeof r === 'number' ? [] : r.map(addressFromNative);
}
