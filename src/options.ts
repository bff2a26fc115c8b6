/**
 * The socket option TABLE, as data. One row per option: its WIT getter/setter names, the native level and option
 * constant (looked up in the addon's `constants`), the value codec (struct layouts come from the addon's `sizes` and
 * `offsets`), the mode, the association-id rule, validation, and a doc line. `getOption` / `setOption` are generic
 * and driven by the table: adding an option means adding a row to `OPTIONS`, nothing else (its TypeScript value type
 * follows from the codec).
 *
 * Association-id rules:
 * - 'socket': the option has no association id (it applies to the socket/endpoint).
 * - 'future-current-all-or-id': reads take an association id or 'future' (the default for new associations; on a
 *   one-to-one socket any id means its association, if any); writes also take 'current' or 'all'. Default: 'future'.
 * - 'id-only': a specific association (one-to-many sockets must name one; one-to-one sockets default to theirs).
 */
import { encodeSockaddr, decodeSockaddr, wildcard, type IpAddressFamily, type SocketAddress } from './addresses.js';
import { SctpError, check } from './errors.js';
import { C, SIZES, native, offsetOf, type NativeConstantName, type NativeStructName } from './native.js';
import { endianness } from 'node:os';

export type OptionMode = 'rw' | 'ro' | 'wo';
export type AssocRule = 'socket' | 'future-current-all-or-id' | 'id-only';
/** Which association(s) an option call applies to: a specific association id, or one of the special ids. */
export type AssocScope = 'future' | 'current' | 'all' | number;

export interface CodecContext {
  /** Association id written into the struct (SCTP_FUTURE_ASSOC etc. or a real id); 0 for 'socket' options. */
  assocId: number;
  /** The socket's address family (for address fields that mean "the association", i.e. a wildcard). */
  family: IpAddressFamily;
}

export interface Codec<T> {
  /** The value's shape, for generated docs. */
  readonly shape: string;
  /** The struct size in bytes. */
  size(): number;
  /** Validates a value given to setOption (throws invalid-argument) and returns it normalised. */
  check(value: unknown): T;
  /** Prepares a getsockopt buffer (in fields such as the association id). */
  prepare(buf: Buffer, ctx: CodecContext): void;
  encode(value: T, buf: Buffer, ctx: CodecContext): void;
  decode(buf: Buffer, length: number, ctx: CodecContext): T;
}

export interface OptionRow<T> {
  /** WIT getter name ('nodelay'); also the option's key in OPTIONS. */
  readonly getter: string;
  /** WIT setter name ('set-nodelay'); undefined for read-only options. */
  readonly setter: string | undefined;
  readonly level: 'SOL_SOCKET' | 'IPPROTO_SCTP';
  readonly constant: NativeConstantName;
  readonly codec: Codec<T>;
  readonly mode: OptionMode;
  readonly assoc: AssocRule;
  /** The WIT type of the value when it differs from the TypeScript one ('u64': the WIT passes a bigint). */
  readonly witValue?: 'u64';
  readonly doc: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Field codecs

const LE = endianness() === 'LE';

function invalid(message: string): SctpError {
  return new SctpError('invalid-argument', message);
}

function checkInt(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${what} must be an integer ${min}..${max}`);
  }
  return value;
}

/** How one C field is stored. Host-order integers unless noted. */
type FieldKind = 'u8' | 'u16' | 'u32' | 'i32' | 'bool32' | 'port' | 'sockaddr';

interface FieldSpec<T> {
  /** The C field name (its offset is `offsets["struct.field"]`). */
  field: string;
  kind: FieldKind;
  /** Allowed range for integer kinds (defaults: the type's range). */
  min?: number;
  max?: number;
  /** Value used when setOption omits this field; required otherwise. */
  default?: T;
}

const RANGES: Record<string, [number, number]> = {
  u8: [0, 0xff],
  u16: [0, 0xffff],
  u32: [0, 0xffffffff],
  i32: [-0x80000000, 0x7fffffff],
  port: [0, 0xffff],
};

function readField(buf: Buffer, offset: number, kind: FieldKind): unknown {
  switch (kind) {
    case 'u8': return buf.readUInt8(offset);
    case 'u16': return LE ? buf.readUInt16LE(offset) : buf.readUInt16BE(offset);
    case 'u32': return LE ? buf.readUInt32LE(offset) : buf.readUInt32BE(offset);
    case 'i32': return LE ? buf.readInt32LE(offset) : buf.readInt32BE(offset);
    case 'bool32': return (LE ? buf.readInt32LE(offset) : buf.readInt32BE(offset)) !== 0;
    case 'port': return buf.readUInt16BE(offset);  // network byte order
    case 'sockaddr': return decodeSockaddr(buf, offset);
  }
}

function writeField(buf: Buffer, offset: number, kind: FieldKind, value: unknown): void {
  switch (kind) {
    case 'u8': buf.writeUInt8(value as number, offset); return;
    case 'u16': LE ? buf.writeUInt16LE(value as number, offset) : buf.writeUInt16BE(value as number, offset); return;
    case 'u32': LE ? buf.writeUInt32LE(value as number, offset) : buf.writeUInt32BE(value as number, offset); return;
    case 'i32': LE ? buf.writeInt32LE(value as number, offset) : buf.writeInt32BE(value as number, offset); return;
    case 'bool32': LE ? buf.writeInt32LE(value ? 1 : 0, offset) : buf.writeInt32BE(value ? 1 : 0, offset); return;
    case 'port': buf.writeUInt16BE(value as number, offset); return;
    case 'sockaddr': encodeSockaddr(value as SocketAddress, buf, offset); return;
  }
}

function checkField(value: unknown, spec: FieldSpec<unknown>, what: string): unknown {
  if (spec.kind === 'bool32') {
    if (typeof value !== 'boolean') throw invalid(`${what} must be a boolean`);
    return value;
  }
  if (spec.kind === 'sockaddr') {
    if (typeof value !== 'object' || value === null) throw invalid(`${what} must be a socket address`);
    return value;
  }
  const [lo, hi] = RANGES[spec.kind];
  return checkInt(value, what, spec.min ?? lo, spec.max ?? hi);
}

interface StructOptions {
  /** The struct's association-id field, filled from the call's scope. */
  assocField?: string;
  /** An address field that selects "the association / endpoint" when it is the wildcard of the socket's family. */
  wildcardAddressField?: string;
}

function fillCommon(struct: NativeStructName, opts: StructOptions, buf: Buffer, ctx: CodecContext): void {
  if (opts.assocField) writeField(buf, offsetOf(`${struct}.${opts.assocField}`), 'u32', ctx.assocId);
  if (opts.wildcardAddressField) {
    encodeSockaddr(wildcard(ctx.family), buf, offsetOf(`${struct}.${opts.wildcardAddressField}`));
  }
}

/** A struct whose value is a record of named fields. */
function record<T extends object>(
  struct: NativeStructName,
  fields: { [K in keyof T]: FieldSpec<T[K]> },
  opts: StructOptions = {},
): Codec<T> {
  const entries = Object.entries(fields) as Array<[string, FieldSpec<unknown>]>;
  return {
    shape: `{ ${entries.map(([k, f]) => `${k}: ${f.kind}${f.default !== undefined ? '?' : ''}`).join(', ')} }`,
    size: () => SIZES[struct],
    check(value) {
      if (typeof value !== 'object' || value === null) throw invalid('the value must be an object');
      const v = value as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const [k, f] of entries) {
        if (v[k] === undefined && f.default !== undefined) out[k] = f.default;
        else out[k] = checkField(v[k], f, k);
      }
      for (const k of Object.keys(v)) if (!(k in fields)) throw invalid(`unknown field ${k}`);
      return out as T;
    },
    prepare: (buf, ctx) => fillCommon(struct, opts, buf, ctx),
    encode(value, buf, ctx) {
      fillCommon(struct, opts, buf, ctx);
      const v = value as Record<string, unknown>;
      for (const [k, f] of entries) writeField(buf, offsetOf(`${struct}.${f.field}`), f.kind, v[k]);
    },
    decode(buf) {
      const out: Record<string, unknown> = {};
      for (const [k, f] of entries) out[k] = readField(buf, offsetOf(`${struct}.${f.field}`), f.kind);
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
      writeField(buf, offset(), f.kind, value);
    },
    decode: (buf) => readField(buf, offset(), f.kind) as T,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Value types of the rows (exported for the host and docs)

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

export type AssociationState =
  | 'closed' | 'bound' | 'listen' | 'cookie-wait' | 'cookie-echoed' | 'established' | 'shutdown-sent'
  | 'shutdown-received' | 'shutdown-ack-sent' | 'shutdown-pending' | 'unknown';

export interface AssociationStatus {
  /** The association's id (one-to-one sockets: the id of their association). */
  association: number;
  state: AssociationState;
  /** The raw sstat_state value. */
  stateCode: number;
  /** The peer's receive window. */
  rwnd: number;
  unackedData: number;
  pendingData: number;
  inboundStreams: number;
  outboundStreams: number;
  fragmentationPoint: number;
  primary: {
    address: SocketAddress | undefined;
    /** SCTP_ACTIVE / SCTP_INACTIVE / SCTP_UNCONFIRMED bits. */
    state: number;
    cwnd: number;
    srtt: number;
    rto: number;
    mtu: number;
  };
}

function associationState(code: number): AssociationState {
  const names: Array<[NativeConstantName, AssociationState]> = [
    ['SCTP_CLOSED', 'closed'], ['SCTP_BOUND', 'bound'], ['SCTP_LISTEN', 'listen'],
    ['SCTP_COOKIE_WAIT', 'cookie-wait'], ['SCTP_COOKIE_ECHOED', 'cookie-echoed'],
    ['SCTP_ESTABLISHED', 'established'], ['SCTP_SHUTDOWN_SENT', 'shutdown-sent'],
    ['SCTP_SHUTDOWN_RECEIVED', 'shutdown-received'], ['SCTP_SHUTDOWN_ACK_SENT', 'shutdown-ack-sent'],
    ['SCTP_SHUTDOWN_PENDING', 'shutdown-pending'],
  ];
  return names.find(([c]) => C[c] === code)?.[1] ?? 'unknown';
}

const statusCodec: Codec<AssociationStatus> = (() => {
  const paddr = 'sctp_status.sstat_primary';
  const base = record<{
    association: number; stateCode: number; rwnd: number; unackedData: number; pendingData: number;
    inboundStreams: number; outboundStreams: number; fragmentationPoint: number;
  }>('sctp_status', {
    association: { field: 'sstat_assoc_id', kind: 'u32' },
    stateCode: { field: 'sstat_state', kind: 'i32' },
    rwnd: { field: 'sstat_rwnd', kind: 'u32' },
    unackedData: { field: 'sstat_unackdata', kind: 'u16' },
    pendingData: { field: 'sstat_penddata', kind: 'u16' },
    inboundStreams: { field: 'sstat_instrms', kind: 'u16' },
    outboundStreams: { field: 'sstat_outstrms', kind: 'u16' },
    fragmentationPoint: { field: 'sstat_fragmentation_point', kind: 'u32' },
  });
  return {
    shape: '{ association, state, stateCode, rwnd, unackedData, pendingData, inboundStreams, outboundStreams, fragmentationPoint, primary }',
    size: base.size,
    check: () => {
      throw new SctpError('not-supported', 'status is read-only');
    },
    prepare: (buf, ctx) => writeField(buf, offsetOf('sctp_status.sstat_assoc_id'), 'u32', ctx.assocId),
    encode: () => {
      throw new SctpError('not-supported', 'status is read-only');
    },
    decode(buf, length, ctx) {
      const v = base.decode(buf, length, ctx);
      const p = offsetOf(paddr);
      const u32 = (field: string) => readField(buf, p + offsetOf(`sctp_paddrinfo.${field}`), 'u32') as number;
      return {
        state: associationState(v.stateCode),
        ...v,
        primary: {
          address: decodeSockaddr(buf, p + offsetOf('sctp_paddrinfo.spinfo_address')),
          state: readField(buf, p + offsetOf('sctp_paddrinfo.spinfo_state'), 'i32') as number,
          cwnd: u32('spinfo_cwnd'),
          srtt: u32('spinfo_srtt'),
          rto: u32('spinfo_rto'),
          mtu: u32('spinfo_mtu'),
        },
      };
    },
  };
})();

// ---------------------------------------------------------------------------------------------------------------
// THE TABLE

function row<T>(r: OptionRow<T>): OptionRow<T> {
  return r;
}

export const OPTIONS = {
  nodelay: row({
    getter: 'nodelay', setter: 'set-nodelay', level: 'IPPROTO_SCTP', constant: 'SCTP_NODELAY',
    codec: scalar<boolean>('int', 'bool32'), mode: 'rw', assoc: 'socket',
    doc: 'Disable Nagle-like bundling delays: send DATA chunks at once.',
  }),
  'init-msg': row({
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
  }),
  'rto-info': row({
    getter: 'rto-info', setter: 'set-rto-info', level: 'IPPROTO_SCTP', constant: 'SCTP_RTOINFO',
    codec: record<RtoInfo>('sctp_rtoinfo', {
      initial: { field: 'srto_initial', kind: 'u32' },
      max: { field: 'srto_max', kind: 'u32' },
      min: { field: 'srto_min', kind: 'u32' },
    }, { assocField: 'srto_assoc_id' }),
    mode: 'rw', assoc: 'future-current-all-or-id',
    doc: 'Retransmission timeout bounds in ms (RFC 4960 RTO.Initial/Max/Min; usrsctp defaults 3000/60000/1000). '
      + 'The initial RTO also paces INIT retransmissions. 0 leaves a value unchanged; min <= initial <= max.',
  }),
  'remote-udp-encaps-port': row({
    getter: 'remote-udp-encaps-port', setter: 'set-remote-udp-encaps-port', level: 'IPPROTO_SCTP',
    constant: 'SCTP_REMOTE_UDP_ENCAPS_PORT',
    codec: scalar<number>('sctp_udpencaps', { field: 'sue_port', kind: 'port' },
      { assocField: 'sue_assoc_id', wildcardAddressField: 'sue_address' }),
    mode: 'rw', assoc: 'future-current-all-or-id',
    doc: "The peer's UDP encapsulation port (RFC 6951), per association or for future associations "
      + '(0: plain SCTP over IP). Set it before connect to reach a peer over UDP.',
  }),
  'receive-buffer-size': row({
    getter: 'receive-buffer-size', setter: 'set-receive-buffer-size', level: 'SOL_SOCKET', constant: 'SO_RCVBUF',
    codec: scalar<number>('int', { field: '', kind: 'i32', min: 1 }), mode: 'rw', assoc: 'socket', witValue: 'u64',
    doc: 'Socket receive buffer in bytes (SO_RCVBUF; usrsctp default 128 KiB). Also bounds the advertised window.',
  }),
  'send-buffer-size': row({
    getter: 'send-buffer-size', setter: 'set-send-buffer-size', level: 'SOL_SOCKET', constant: 'SO_SNDBUF',
    codec: scalar<number>('int', { field: '', kind: 'i32', min: 1 }), mode: 'rw', assoc: 'socket', witValue: 'u64',
    doc: 'Socket send buffer in bytes (SO_SNDBUF; usrsctp default 256 KiB). A message larger than this is '
      + 'datagram-too-large.',
  }),
  status: row({
    getter: 'status', setter: undefined, level: 'IPPROTO_SCTP', constant: 'SCTP_STATUS',
    codec: statusCodec, mode: 'ro', assoc: 'id-only',
    doc: 'State of one association: SCTP state, negotiated stream counts, peer window, primary path.',
  }),
} as const;

export type OptionName = keyof typeof OPTIONS;
export type OptionValue<N extends OptionName> = (typeof OPTIONS)[N] extends OptionRow<infer T> ? T : never;

/** The table as a list (e.g. to generate docs). */
export const OPTION_TABLE: ReadonlyArray<OptionRow<unknown> & { name: OptionName }> = Object.entries(OPTIONS).map(
  ([name, r]) => ({ name: name as OptionName, ...(r as OptionRow<unknown>) }),
);

// ---------------------------------------------------------------------------------------------------------------
// Generic get / set

/** What the generic functions need from a socket. */
export interface OptionTarget {
  readonly id: number;
  readonly family: IpAddressFamily;
  readonly type: 'one-to-one' | 'one-to-many';
  /** Throws invalid-state on a closed socket. */
  assertOpen(operation: string): void;
}

function lookup(name: string): OptionRow<unknown> {
  const r = (OPTIONS as Record<string, OptionRow<unknown>>)[name];
  if (!r || !Object.prototype.hasOwnProperty.call(OPTIONS, name)) throw invalid(`unknown option ${name}`);
  return r;
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

function resolveAssoc(r: OptionRow<unknown>, target: OptionTarget, scope: AssocScope | undefined, write: boolean,
  name: string): number {
  switch (r.assoc) {
    case 'socket':
      if (scope !== undefined) throw invalid(`${name} applies to the socket, not to an association`);
      return 0;
    case 'future-current-all-or-id':
      if (scope === undefined || scope === 'future') return C.SCTP_FUTURE_ASSOC;
      if (scope === 'current' || scope === 'all') {
        if (!write) throw invalid(`${name}: reads take an association id or 'future'`);
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

function level(r: OptionRow<unknown>): number {
  return r.level === 'SOL_SOCKET' ? C.SOL_SOCKET : C.IPPROTO_SCTP;
}

/** Reads an option (`association`: see the row's association rule). */
export function getOption<N extends OptionName>(target: OptionTarget, name: N, association?: AssocScope): OptionValue<N> {
  const r = lookup(name);
  target.assertOpen(`get ${name}`);
  if (r.mode === 'wo') throw new SctpError('not-supported', `${name} is write-only`);
  const ctx: CodecContext = { assocId: resolveAssoc(r, target, association, false, name), family: target.family };
  const buf = Buffer.alloc(r.codec.size());
  r.codec.prepare(buf, ctx);
  const length = check(native.getsockopt(target.id, level(r), C[r.constant], buf), `get ${name}`);
  return r.codec.decode(buf, length, ctx) as OptionValue<N>;
}

/** Writes an option; invalid values throw invalid-argument before usrsctp is called. */
export function setOption<N extends OptionName>(target: OptionTarget, name: N, value: OptionValue<N>,
  scope?: AssocScope): void {
  const r = lookup(name);
  target.assertOpen(`set ${name}`);
  if (r.mode === 'ro') throw new SctpError('not-supported', `${name} is read-only`);
  const ctx: CodecContext = { assocId: resolveAssoc(r, target, scope, true, name), family: target.family };
  const normalised = r.codec.check(value);
  const buf = Buffer.alloc(r.codec.size());
  r.codec.encode(normalised, buf, ctx);
  check(native.setsockopt(target.id, level(r), C[r.constant], buf), `set ${name}`);
}
