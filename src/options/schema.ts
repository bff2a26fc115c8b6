/**
 * What a row of the option table (table.ts) says, and what its value codec does. One row per option: its WIT getter
 * and setter names, the native level and option constant (looked up in the addon's `constants`), the value codec
 * (struct layouts come from the addon's `sizes` and `offsets`), the mode, the association-id rule, the extra key
 * arguments, the host's screening rule, the WIT shape of the value, a doc line and the facts POSIX-COMPAT.md shows.
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
import type { AddressForm, IpAddressFamily } from '../addresses/sockaddr.js';
import type { ErrorCode } from '../errors.js';
import type { NativeConstantName } from '../native.js';
import type { SocketType } from '../socket/state.js';

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
  /** A socket address (in the socket's address form) <-> ip-socket-address (WIT variant). */
  | 'address'
  /** number[] (TS) <-> Uint8Array / Uint16Array / Uint32Array (WIT list<u8/u16/u32>). */
  | 'u8-list' | 'u16-list' | 'u32-list'
  | { readonly option: WitShape }
  | { readonly record: Readonly<Record<string, WitShape>> };

/**
 * What the host must check before a call of this option besides the association the call names, because the call
 * reaches beyond it (host/options.ts applies it with the network policy):
 * - 'lists-associations': the getter lists every association of a one-to-many socket;
 * - 'connects-to-value': the setter's value is a peer address packets will go to (the connect rules decide);
 * - 'connects-on-heartbeat-now': a setter value with `heartbeatNow` sends a heartbeat to the key's address.
 */
export type ScreenRule = 'lists-associations' | 'connects-to-value' | 'connects-on-heartbeat-now';

/** The kinds of key arguments (extra parameters of a getter/setter that select what the option is about). */
export type KeyKind = 'address' | 'optional-address' | 'stream' | 'event-kind' | 'optional-pr-policy';

export interface KeySpec {
  /** The WIT parameter name, camelCased (the key object's property). */
  readonly name: string;
  readonly kind: KeyKind;
}

export interface CodecContext {
  /** Association id written into the struct (SCTP_FUTURE_ASSOC etc. or a real id); 0 for 'socket' options. */
  assocId: number;
  /** The socket's address family (for address fields that mean "the association", i.e. a wildcard). */
  family: IpAddressFamily;
  type: SocketType;
  /** How the caller holds addresses (values are converted with it; keys arrive converted to the byte form). */
  form: AddressForm<unknown>;
  /** The call's key arguments, validated (e.g. `{ address }` for peer-addr-params, an address in the byte form). */
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

/** Facts of one option for POSIX-COMPAT.md (the RFC 6458 and gen_sctp inventory). */
export interface OptionCompat {
  /** The POSIX / RFC name(s), as the guide shows them (e.g. '`SCTP_RTOINFO`'). */
  readonly option: string;
  readonly linux: string;
  readonly freebsd: string;
  readonly usrsctp: string;
  /** Added to the Implemented cell (what is not supported and why). */
  readonly note?: string;
}

export interface OptionRow<T> {
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
  /** What the host checks before a call (see ScreenRule); undefined: the named association only. */
  readonly screen?: ScreenRule;
  /** How the value differs in the WIT (see WitShape); undefined when it does not. */
  readonly wit?: WitShape;
  readonly doc: string;
  readonly compat: OptionCompat;
}
