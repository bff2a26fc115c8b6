/**
 * THE option table: one row per socket option, as data (schema.ts says what a row holds). getOption / setOption
 * (engine.ts) are driven by it, host/options.ts installs the WIT's option functions from it (their names are the
 * rows' `getter` and `setter`, checked against the WIT at compile time there), and scripts/options-doc.ts renders the
 * guide's table from it. Adding an option means a row here, its constant (and struct layout) in the addon
 * (src/native/options.cc, with its name in src/native.ts), and its functions in wit/sctp.wit: nothing else. Its
 * TypeScript value type follows from the codec, its key object from `keys`.
 */
import type { InForm, SocketAddress } from '../addresses/text.js';
import type { ErrorCode } from '../errors.js';
import type { NativeConstantName } from '../native.js';
import type { EventKind } from '../socket/notifications.js';
import type { PrPolicyKind } from '../socket/send-flags.js';
import {
  assocIdListCodec, authChunksCodec, autoAsconfCodec, authKeyCodec, eventCodec, hmacIdentCodec, ipv6OnlyCodec, lingerCodec,
  peerAddrInfoCodec, peerAddrParamsCodec, prinfoCodec, prStatusCodec, resetAssocCodec, resetStreamsCodec,
  sndinfoCodec, statusCodec,
} from './codecs.js';
import { boolValue, only, scalar, u32Value } from './fields.js';
import type { Codec, KeyKind, KeySpec, OptionCompat, OptionRow } from './schema.js';
import {
  addStreamsCodec, assocInfoCodec, delayedSackCodec, enableStreamResetCodec, fragmentInterleaveCodec, initMsgCodec,
  peerAddrThresholdsCodec, remoteUdpEncapsPortCodec, rtoInfoCodec, streamSchedulerCodec, streamSchedulerValueCodec,
  timeoutsCodec,
} from './structs.js';

/** A row, its names and keys kept as literal types (the host's option methods and the key objects follow from them). */
function row<const R extends OptionRow<any>>(r: R): R {
  return r;
}

/** Facts shared by the options all three stacks have under the same name. */
const everywhere = (option: string, note?: string): OptionCompat => ({ option, linux: 'Y', freebsd: 'Y', usrsctp: 'Y', note });

const supportedSwitch = <const N extends string>(name: N, constant: NativeConstantName, doc: string,
  compat: OptionCompat, errors: Record<string, ErrorCode> = { EINVAL: 'invalid-state' }) => row({
  getter: name, setter: `set-${name}` as const, level: 'IPPROTO_SCTP', constant, codec: boolValue(), mode: 'rw',
  assoc: 'negotiated', errors, doc, compat,
});

const addressKey = { name: 'address', kind: 'address' } as const satisfies KeySpec;
const optionalAddressKey = { name: 'address', kind: 'optional-address' } as const satisfies KeySpec;
const streamKey = { name: 'stream', kind: 'stream' } as const satisfies KeySpec;
const policyKey = { name: 'policy', kind: 'optional-pr-policy' } as const satisfies KeySpec;

export const OPTIONS = {
  'rto-info': row({
    getter: 'rto-info', setter: 'set-rto-info', level: 'IPPROTO_SCTP', constant: 'SCTP_RTOINFO',
    codec: rtoInfoCodec, mode: 'rw', assoc: 'future-or-id',
    doc: 'Retransmission timeout bounds in ms (RFC 4960 RTO.Initial/Max/Min; usrsctp defaults 3000/60000/1000). '
      + 'The initial RTO also paces INIT retransmissions. 0 leaves a value unchanged; min <= initial <= max.',
    compat: everywhere('`SCTP_RTOINFO`'),
  }),
  'assoc-info': row({
    getter: 'assoc-info', setter: 'set-assoc-info', level: 'IPPROTO_SCTP', constant: 'SCTP_ASSOCINFO',
    codec: assocInfoCodec, mode: 'rw', assoc: 'future-or-id',
    doc: 'Association.Max.Retrans and the cookie lifetime (ms); the windows and the number of peer addresses are '
      + 'reported only.',
    compat: everywhere('`SCTP_ASSOCINFO`'),
  }),
  'init-msg': row({
    getter: 'init-msg', setter: 'set-init-msg', level: 'IPPROTO_SCTP', constant: 'SCTP_INITMSG',
    codec: initMsgCodec, mode: 'rw', assoc: 'socket',
    doc: 'Parameters of the INIT this socket sends (streams, INIT retransmissions and their largest timeout in ms); '
      + 'set before connect or listen. 0 leaves a field unchanged.',
    compat: everywhere('`SCTP_INITMSG`'),
  }),
  linger: row({
    getter: 'linger', setter: 'set-linger', level: 'SOL_SOCKET', constant: 'SO_LINGER',
    codec: lingerCodec, mode: 'rw', assoc: 'socket',
    doc: 'SO_LINGER in ms: none, the default, closes gracefully in the background; 0 aborts the associations on '
      + 'close; other values act as none (closing never blocks here). Whole seconds only.',
    compat: everywhere('`SO_LINGER`', 'in ms, whole seconds; closing never blocks, so only 0 (abort) differs from none'),
  }),
  nodelay: row({
    getter: 'nodelay', setter: 'set-nodelay', level: 'IPPROTO_SCTP', constant: 'SCTP_NODELAY',
    codec: scalar<boolean>('int', 'bool32'), mode: 'rw', assoc: 'socket',
    doc: 'Disable Nagle-like bundling delays: send DATA chunks at once.',
    compat: everywhere('`SCTP_NODELAY`'),
  }),
  'receive-buffer-size': row({
    getter: 'receive-buffer-size', setter: 'set-receive-buffer-size', level: 'SOL_SOCKET', constant: 'SO_RCVBUF',
    codec: scalar<number>('int', { field: '', kind: 'i32', min: 1 }), mode: 'rw', assoc: 'socket', wit: 'u64',
    doc: 'Socket receive buffer in bytes (SO_RCVBUF; usrsctp default 128 KiB). Also bounds the advertised window.',
    compat: everywhere('`SO_RCVBUF`'),
  }),
  'send-buffer-size': row({
    getter: 'send-buffer-size', setter: 'set-send-buffer-size', level: 'SOL_SOCKET', constant: 'SO_SNDBUF',
    codec: scalar<number>('int', { field: '', kind: 'i32', min: 1 }), mode: 'rw', assoc: 'socket', wit: 'u64',
    doc: 'Socket send buffer in bytes (SO_SNDBUF; usrsctp default 256 KiB). A message larger than this is '
      + 'datagram-too-large.',
    compat: everywhere('`SO_SNDBUF`'),
  }),
  autoclose: row({
    getter: 'autoclose', setter: 'set-autoclose', level: 'IPPROTO_SCTP', constant: 'SCTP_AUTOCLOSE',
    codec: scalar<number>('int', { field: '', kind: 'u32', scale: 1000, max: 0xffffffff - (0xffffffff % 1000) }),
    mode: 'rw', assoc: 'socket', style: 'one-to-many',
    doc: 'Close associations idle for this many ms (whole seconds; 0: never). One-to-many sockets only.',
    compat: everywhere('`SCTP_AUTOCLOSE`', 'in ms, whole seconds; one-to-many sockets only'),
  }),
  'primary-addr': row({
    getter: 'primary-addr', setter: 'set-primary-addr', level: 'IPPROTO_SCTP', constant: 'SCTP_PRIMARY_ADDR',
    codec: scalar<SocketAddress>('sctp_setprim', { field: 'ssp_addr', kind: 'sockaddr' }, { assocField: 'ssp_assoc_id' }),
    mode: 'rw', assoc: 'id-only', wit: 'address', screen: 'connects-to-value',
    doc: 'The peer address the association sends to by default (its primary path).',
    compat: everywhere('`SCTP_PRIMARY_ADDR`'),
  }),
  'adaptation-layer': row({
    getter: 'adaptation-layer', setter: 'set-adaptation-layer', level: 'IPPROTO_SCTP', constant: 'SCTP_ADAPTATION_LAYER',
    codec: scalar<number>('sctp_setadaptation', { field: 'ssb_adaptation_ind', kind: 'u32' }),
    mode: 'rw', assoc: 'socket',
    doc: 'The Adaptation Layer Indication sent in INIT / INIT-ACK (the peer sees an adaptation-indication).',
    compat: everywhere('`SCTP_ADAPTATION_LAYER`'),
  }),
  'disable-fragments': row({
    getter: 'disable-fragments', setter: 'set-disable-fragments', level: 'IPPROTO_SCTP', constant: 'SCTP_DISABLE_FRAGMENTS',
    codec: scalar<boolean>('int', 'bool32'), mode: 'rw', assoc: 'socket',
    doc: 'Never fragment a message: one that does not fit one DATA chunk is datagram-too-large.',
    compat: everywhere('`SCTP_DISABLE_FRAGMENTS`'),
  }),
  'peer-addr-params': row({
    getter: 'peer-addr-params', setter: 'set-peer-addr-params', level: 'IPPROTO_SCTP', constant: 'SCTP_PEER_ADDR_PARAMS',
    codec: peerAddrParamsCodec, mode: 'rw', assoc: 'future-or-id', keys: [optionalAddressKey],
    screen: 'connects-on-heartbeat-now',
    doc: 'Heartbeats (on/off/now, interval ms), path MTU discovery (on/off, fixed MTU) and Path.Max.Retrans of one '
      + 'peer address, of all paths, or the defaults.',
    compat: everywhere('`SCTP_PEER_ADDR_PARAMS`', 'the Linux-only SACK delay flags are not-supported (`SCTP_DELAYED_SACK` sets the delay)'),
  }),
  'mapped-v4-addresses': row({
    getter: 'mapped-v4-addresses', setter: 'set-mapped-v4-addresses', level: 'IPPROTO_SCTP',
    constant: 'SCTP_I_WANT_MAPPED_V4_ADDR', codec: scalar<boolean>('int', 'bool32'), mode: 'rw', assoc: 'socket',
    doc: 'IPv6 sockets report IPv4 peers as IPv4-mapped IPv6 addresses.',
    compat: everywhere('`SCTP_I_WANT_MAPPED_V4_ADDR`'),
  }),
  maxseg: row({
    getter: 'maxseg', setter: 'set-maxseg', level: 'IPPROTO_SCTP', constant: 'SCTP_MAXSEG',
    codec: u32Value(), mode: 'rw', assoc: 'future-or-id',
    doc: 'The largest message piece per DATA chunk in bytes (0: the path MTU decides).',
    compat: everywhere('`SCTP_MAXSEG`'),
  }),
  'hmac-ident': row({
    getter: 'hmac-ident', setter: 'set-hmac-ident', level: 'IPPROTO_SCTP', constant: 'SCTP_HMAC_IDENT',
    codec: hmacIdentCodec, mode: 'rw', assoc: 'socket',
    doc: 'The HMAC algorithms accepted for SCTP-AUTH, in order of preference (must contain sha1).',
    compat: everywhere('`SCTP_HMAC_IDENT`', "Debian's usrsctp is built without SHA-256"),
  }),
  'auth-active-key': row({
    getter: 'auth-active-key', setter: 'set-auth-active-key', level: 'IPPROTO_SCTP', constant: 'SCTP_AUTH_ACTIVE_KEY',
    codec: scalar<number>('sctp_authkeyid', { field: 'scact_keynumber', kind: 'u16' }, { assocField: 'scact_assoc_id' }),
    mode: 'rw', assoc: 'future-current-all-or-id',
    doc: 'The shared key number that authenticates outgoing chunks.',
    compat: everywhere('`SCTP_AUTH_ACTIVE_KEY`'),
  }),
  'delayed-sack': row({
    getter: 'delayed-sack', setter: 'set-delayed-sack', level: 'IPPROTO_SCTP', constant: 'SCTP_DELAYED_SACK',
    codec: delayedSackCodec, mode: 'rw', assoc: 'future-current-all-or-id',
    doc: 'The SACK delay in ms (at most 500) and frequency; 0 leaves a field unchanged.',
    compat: everywhere('`SCTP_DELAYED_SACK`'),
  }),
  'fragment-interleave': row({
    getter: 'fragment-interleave', setter: 'set-fragment-interleave', level: 'IPPROTO_SCTP',
    constant: 'SCTP_FRAGMENT_INTERLEAVE',
    codec: fragmentInterleaveCodec, mode: 'rw', assoc: 'socket',
    doc: 'Whether partial deliveries interleave across associations (level 1) or streams too (level 2).',
    compat: everywhere('`SCTP_FRAGMENT_INTERLEAVE`'),
  }),
  'partial-delivery-point': row({
    getter: 'partial-delivery-point', setter: 'set-partial-delivery-point', level: 'IPPROTO_SCTP',
    constant: 'SCTP_PARTIAL_DELIVERY_POINT', codec: scalar<number>('int', 'u32'), mode: 'rw', assoc: 'socket',
    doc: 'The message size in bytes from which partial delivery starts (at most the receive buffer).',
    compat: everywhere('`SCTP_PARTIAL_DELIVERY_POINT`'),
  }),
  'auto-asconf': row({
    getter: 'auto-asconf', setter: 'set-auto-asconf', level: 'none', constant: undefined,
    codec: autoAsconfCodec, mode: 'rw', assoc: 'socket',
    doc: 'Always false: usrsctp on Linux never learns of the host\'s address changes, so nothing follows them. '
      + 'Turning it on is not-supported.',
    compat: everywhere('`SCTP_AUTO_ASCONF`'),
  }),
  'max-burst': row({
    getter: 'max-burst', setter: 'set-max-burst', level: 'IPPROTO_SCTP', constant: 'SCTP_MAX_BURST',
    codec: u32Value(), mode: 'rw', assoc: 'future-current-all-or-id',
    doc: 'The most packets sent at once per path (usrsctp default 4; 0: no limit).',
    compat: everywhere('`SCTP_MAX_BURST`'),
  }),
  context: row({
    getter: 'context', setter: 'set-context', level: 'IPPROTO_SCTP', constant: 'SCTP_CONTEXT',
    codec: u32Value(), mode: 'rw', assoc: 'future-current-all-or-id',
    doc: 'An opaque u32 reported with every received message of the association.',
    compat: everywhere('`SCTP_CONTEXT`'),
  }),
  'explicit-eor': row({
    getter: 'explicit-eor', setter: 'set-explicit-eor', level: 'IPPROTO_SCTP', constant: 'SCTP_EXPLICIT_EOR',
    codec: scalar<boolean>('int', 'bool32'), mode: 'rw', assoc: 'socket',
    doc: 'A message may span several sends; the eor flag ends it.',
    compat: { option: '`SCTP_EXPLICIT_EOR`', linux: 'N', freebsd: 'Y', usrsctp: 'Y' },
  }),
  'reuse-port': row({
    getter: 'reuse-port', setter: 'set-reuse-port', level: 'IPPROTO_SCTP', constant: 'SCTP_REUSE_PORT',
    codec: only(scalar<boolean>('int', 'bool32'), (v) => v,
      "usrsctp's SCTP_REUSE_PORT setter turns the option on whatever the value, so it cannot be turned off"),
    mode: 'rw', assoc: 'socket', style: 'one-to-one', errors: { EINVAL: 'invalid-state' },
    doc: 'Several one-to-one sockets may bind one port (set before bind; cannot be turned off).',
    compat: everywhere('`SCTP_REUSE_PORT`', 'cannot be turned off (usrsctp turns it on whatever the value)'),
  }),
  event: row({
    getter: 'event', setter: 'set-event', level: 'IPPROTO_SCTP', constant: 'SCTP_EVENT',
    codec: eventCodec, mode: 'rw', assoc: 'future-current-all-or-id', keys: [{ name: 'kind', kind: 'event-kind' }],
    doc: 'Whether notifications of one kind are delivered (per kind of the WIT event-kind).',
    compat: everywhere('`SCTP_EVENT`', '`notifications-stopped` is not-supported (no stack sends it)'),
  }),
  'recv-rcvinfo': row({
    getter: 'recv-rcvinfo', setter: 'set-recv-rcvinfo', level: 'IPPROTO_SCTP', constant: 'SCTP_RECVRCVINFO',
    codec: only(scalar<boolean>('int', 'bool32'), (v) => v,
      'received-message is built from SCTP_RCVINFO: the host keeps it on'),
    mode: 'rw', assoc: 'socket',
    doc: 'Always on: received-message carries the RCVINFO fields. Turning it off is not-supported.',
    compat: everywhere('`SCTP_RECVRCVINFO`', 'always on (`received-message`); false is not-supported'),
  }),
  'recv-nxtinfo': row({
    getter: 'recv-nxtinfo', setter: 'set-recv-nxtinfo', level: 'IPPROTO_SCTP', constant: 'SCTP_RECVNXTINFO',
    codec: scalar<boolean>('int', 'bool32'),
    mode: 'rw', assoc: 'socket',
    doc: 'Whether each received message says what waits next (`received-message.next`, SCTP_NXTINFO). Off by default.',
    compat: everywhere('`SCTP_RECVNXTINFO`', '`received-message.next`'),
  }),
  'default-sndinfo': row({
    getter: 'default-sndinfo', setter: 'set-default-sndinfo', level: 'IPPROTO_SCTP', constant: 'SCTP_DEFAULT_SNDINFO',
    codec: sndinfoCodec, mode: 'rw', assoc: 'future-current-all-or-id',
    doc: 'Stream, PPID, flags and context of messages sent without send info.',
    compat: everywhere('`SCTP_DEFAULT_SNDINFO`', 'fills in the fields a `send-info` leaves out'),
  }),
  'default-prinfo': row({
    getter: 'default-prinfo', setter: 'set-default-prinfo', level: 'IPPROTO_SCTP', constant: 'SCTP_DEFAULT_PRINFO',
    codec: prinfoCodec, mode: 'rw', assoc: 'future-current-all-or-id',
    doc: 'The partial-reliability policy of messages sent without one.',
    compat: everywhere('`SCTP_DEFAULT_PRINFO` (RFC 7496)', 'applies when `send-info.pr-policy` is none'),
  }),
  status: row({
    getter: 'status', setter: undefined, level: 'IPPROTO_SCTP', constant: 'SCTP_STATUS',
    codec: statusCodec, mode: 'ro', assoc: 'id-only',
    wit: { record: { primary: { option: { record: { address: 'address' } } } } },
    doc: 'State of one association: SCTP state, negotiated stream counts, peer window, primary path.',
    compat: everywhere('`SCTP_STATUS`'),
  }),
  'peer-addr-info': row({
    getter: 'peer-addr-info', setter: undefined, level: 'IPPROTO_SCTP', constant: 'SCTP_GET_PEER_ADDR_INFO',
    codec: peerAddrInfoCodec, mode: 'ro', assoc: 'future-or-id', keys: [addressKey],
    errors: { ENOENT: 'invalid-argument' },  // no such peer address (not: the association ended)
    wit: { record: { address: 'address' } },
    doc: 'State, cwnd, srtt, RTO and MTU of the path to one peer address.',
    compat: everywhere('`SCTP_GET_PEER_ADDR_INFO`'),
  }),
  'peer-auth-chunks': row({
    getter: 'peer-auth-chunks', setter: undefined, level: 'IPPROTO_SCTP', constant: 'SCTP_PEER_AUTH_CHUNKS',
    codec: authChunksCodec, mode: 'ro', assoc: 'id-only', wit: 'u8-list',
    doc: 'The chunk types the peer requires to be authenticated.',
    compat: everywhere('`SCTP_PEER_AUTH_CHUNKS`'),
  }),
  'local-auth-chunks': row({
    getter: 'local-auth-chunks', setter: undefined, level: 'IPPROTO_SCTP', constant: 'SCTP_LOCAL_AUTH_CHUNKS',
    codec: authChunksCodec, mode: 'ro', assoc: 'future-or-id', wit: 'u8-list',
    doc: 'The chunk types this end requires to be authenticated.',
    compat: everywhere('`SCTP_LOCAL_AUTH_CHUNKS`'),
  }),
  'assoc-number': row({
    getter: 'assoc-number', setter: undefined, level: 'IPPROTO_SCTP', constant: 'SCTP_GET_ASSOC_NUMBER',
    codec: scalar<number>('int', 'u32'), mode: 'ro', assoc: 'socket', style: 'one-to-many',
    screen: 'lists-associations',
    doc: 'The number of associations of a one-to-many socket.',
    compat: everywhere('`SCTP_GET_ASSOC_NUMBER`'),
  }),
  'assoc-id-list': row({
    getter: 'assoc-id-list', setter: undefined, level: 'IPPROTO_SCTP', constant: 'SCTP_GET_ASSOC_ID_LIST',
    codec: assocIdListCodec, mode: 'ro', assoc: 'socket', style: 'one-to-many', wit: 'u32-list',
    screen: 'lists-associations',
    doc: 'The association ids of a one-to-many socket.',
    compat: everywhere('`SCTP_GET_ASSOC_ID_LIST`'),
  }),
  'set-peer-primary-addr': row({
    getter: undefined, setter: 'set-peer-primary-addr', level: 'IPPROTO_SCTP', constant: 'SCTP_SET_PEER_PRIMARY_ADDR',
    codec: scalar<SocketAddress>('sctp_setpeerprim', { field: 'sspp_addr', kind: 'sockaddr' }, { assocField: 'sspp_assoc_id' }),
    mode: 'wo', assoc: 'id-only', wit: 'address',
    doc: 'Ask the peer to make one of our addresses its primary path (ASCONF).',
    compat: everywhere('`SCTP_SET_PEER_PRIMARY_ADDR`'),
  }),
  'auth-chunk': row({
    getter: undefined, setter: 'add-auth-chunk', level: 'IPPROTO_SCTP', constant: 'SCTP_AUTH_CHUNK',
    codec: scalar<number>('sctp_authchunk', { field: 'sauth_chunk', kind: 'u8' }), mode: 'wo', assoc: 'socket',
    doc: 'Require the peer to authenticate chunks of a type (future associations).',
    compat: everywhere('`SCTP_AUTH_CHUNK`'),
  }),
  'auth-key': row({
    getter: undefined, setter: 'set-auth-key', level: 'IPPROTO_SCTP', constant: 'SCTP_AUTH_KEY',
    codec: authKeyCodec, mode: 'wo', assoc: 'future-current-all-or-id', wit: { record: { key: 'u8-list' } },
    doc: 'Add or replace a shared key of SCTP-AUTH.',
    compat: everywhere('`SCTP_AUTH_KEY`'),
  }),
  'auth-deactivate-key': row({
    getter: undefined, setter: 'deactivate-auth-key', level: 'IPPROTO_SCTP', constant: 'SCTP_AUTH_DEACTIVATE_KEY',
    codec: scalar<number>('sctp_authkeyid', { field: 'scact_keynumber', kind: 'u16' }, { assocField: 'scact_assoc_id' }),
    mode: 'wo', assoc: 'future-current-all-or-id',
    doc: 'Stop sending with a shared key.',
    compat: everywhere('`SCTP_AUTH_DEACTIVATE_KEY`'),
  }),
  'auth-delete-key': row({
    getter: undefined, setter: 'delete-auth-key', level: 'IPPROTO_SCTP', constant: 'SCTP_AUTH_DELETE_KEY',
    codec: scalar<number>('sctp_authkeyid', { field: 'scact_keynumber', kind: 'u16' }, { assocField: 'scact_assoc_id' }),
    mode: 'wo', assoc: 'future-current-all-or-id',
    doc: 'Forget a shared key.',
    compat: everywhere('`SCTP_AUTH_DELETE_KEY`'),
  }),
  'enable-stream-reset': row({
    getter: 'enable-stream-reset', setter: 'set-enable-stream-reset', level: 'IPPROTO_SCTP',
    constant: 'SCTP_ENABLE_STREAM_RESET',
    codec: enableStreamResetCodec, mode: 'rw', assoc: 'future-current-all-or-id',
    doc: 'Which RFC 6525 requests of the peer are accepted.',
    compat: everywhere('`SCTP_ENABLE_STREAM_RESET` (RFC 6525)'),
  }),
  'reset-streams': row({
    getter: undefined, setter: 'reset-streams', level: 'IPPROTO_SCTP', constant: 'SCTP_RESET_STREAMS',
    codec: resetStreamsCodec, mode: 'wo', assoc: 'id-only', wit: { record: { streams: 'u16-list' } },
    doc: 'Reset incoming and/or outgoing streams of an association.',
    compat: everywhere('`SCTP_RESET_STREAMS` (RFC 6525)'),
  }),
  'reset-assoc': row({
    getter: undefined, setter: 'reset-assoc', level: 'IPPROTO_SCTP', constant: 'SCTP_RESET_ASSOC',
    codec: resetAssocCodec, mode: 'wo', assoc: 'id-only', noValue: true, errors: { EBUSY: 'invalid-state' },
    doc: 'Reset the TSNs and all streams of an association (no data may be queued).',
    compat: everywhere('`SCTP_RESET_ASSOC` (RFC 6525)'),
  }),
  'add-streams': row({
    getter: undefined, setter: 'add-streams', level: 'IPPROTO_SCTP', constant: 'SCTP_ADD_STREAMS',
    codec: addStreamsCodec, mode: 'wo', assoc: 'id-only',
    doc: 'Add inbound and/or outbound streams to an association.',
    compat: everywhere('`SCTP_ADD_STREAMS` (RFC 6525)'),
  }),
  'pr-supported': supportedSwitch('pr-supported', 'SCTP_PR_SUPPORTED',
    'Offer partial reliability (RFC 3758) to future associations; per association: negotiated.',
    everywhere('`SCTP_PR_SUPPORTED` (RFC 7496)')),
  'pr-assoc-status': row({
    getter: 'pr-assoc-status', setter: undefined, level: 'IPPROTO_SCTP', constant: 'SCTP_PR_ASSOC_STATUS',
    codec: prStatusCodec(false), mode: 'ro', assoc: 'id-only', keys: [policyKey],
    wit: { record: { abandonedUnsent: 'u64', abandonedSent: 'u64' } },
    doc: 'Messages of an association abandoned under one or all partial-reliability policies.',
    compat: everywhere('`SCTP_PR_ASSOC_STATUS` (RFC 7496)'),
  }),
  'pr-stream-status': row({
    getter: 'pr-stream-status', setter: undefined, level: 'IPPROTO_SCTP', constant: 'SCTP_PR_STREAM_STATUS',
    codec: prStatusCodec(true), mode: 'ro', assoc: 'id-only', keys: [streamKey, policyKey],
    wit: { record: { abandonedUnsent: 'u64', abandonedSent: 'u64' } },
    doc: 'Messages of one outgoing stream abandoned (all policies together).',
    compat: everywhere('`SCTP_PR_STREAM_STATUS` (RFC 7496)', 'all policies together only (usrsctp keeps no per-policy counts per stream)'),
  }),
  'interleaving-supported': supportedSwitch('interleaving-supported', 'SCTP_INTERLEAVING_SUPPORTED',
    'Offer I-DATA (RFC 8260) to future associations (needs fragment-interleave streams); per association: negotiated.',
    { option: '`SCTP_INTERLEAVING_SUPPORTED` (RFC 8260)', linux: 'Y', freebsd: 'Y', usrsctp: 'not in the header (0x1206 works)' }),
  'stream-scheduler': row({
    getter: 'stream-scheduler', setter: 'set-stream-scheduler', level: 'IPPROTO_SCTP', constant: 'SCTP_PLUGGABLE_SS',
    codec: streamSchedulerCodec, mode: 'rw', assoc: 'future-current-all-or-id',
    doc: 'The stream scheduler of an association or of future ones.',
    compat: {
      option: '`SCTP_STREAM_SCHEDULER` (RFC 8260)', linux: 'Y', freebsd: 'Y', usrsctp: 'as `SCTP_PLUGGABLE_SS`',
      note: '`weighted-fair-queueing` is not-supported (usrsctp has none)',
    },
  }),
  'stream-scheduler-value': row({
    getter: 'stream-scheduler-value', setter: 'set-stream-scheduler-value', level: 'IPPROTO_SCTP', constant: 'SCTP_SS_VALUE',
    codec: streamSchedulerValueCodec, mode: 'rw', assoc: 'id-only', keys: [streamKey],
    doc: 'The scheduler parameter (priority) of one outgoing stream.',
    compat: { option: '`SCTP_STREAM_SCHEDULER_VALUE` (RFC 8260)', linux: 'Y', freebsd: 'Y', usrsctp: 'as `SCTP_SS_VALUE`' },
  }),
  'remote-udp-encaps-port': row({
    getter: 'remote-udp-encaps-port', setter: 'set-remote-udp-encaps-port', level: 'IPPROTO_SCTP',
    constant: 'SCTP_REMOTE_UDP_ENCAPS_PORT',
    codec: remoteUdpEncapsPortCodec, mode: 'rw', assoc: 'future-current-all-or-id', perPath: true,
    doc: "The peer's UDP encapsulation port (RFC 6951), per association or for future associations "
      + '(0: plain SCTP over IP). Set it before connect to reach a peer over UDP.',
    compat: everywhere('`SCTP_REMOTE_UDP_ENCAPS_PORT` (RFC 6951)'),
  }),
  'peer-addr-thresholds': row({
    getter: 'peer-addr-thresholds', setter: 'set-peer-addr-thresholds', level: 'IPPROTO_SCTP',
    constant: 'SCTP_PEER_ADDR_THLDS',
    codec: peerAddrThresholdsCodec, mode: 'rw', assoc: 'future-or-id', keys: [optionalAddressKey],
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
  'max-cwnd': row({
    getter: 'max-cwnd', setter: 'set-max-cwnd', level: 'IPPROTO_SCTP', constant: 'SCTP_MAX_CWND',
    codec: u32Value(), mode: 'rw', assoc: 'future-or-id',
    doc: 'The largest congestion window in bytes (0: no limit).',
    compat: { option: '`SCTP_MAX_CWND`', linux: 'N', freebsd: 'Y', usrsctp: 'Y' },
  }),
  timeouts: row({
    getter: 'timeouts', setter: undefined, level: 'IPPROTO_SCTP', constant: 'SCTP_TIMEOUTS',
    codec: timeoutsCodec, mode: 'ro', assoc: 'id-only',
    doc: 'How often each timer of an association expired.',
    compat: { option: '`SCTP_TIMEOUTS`', linux: 'N', freebsd: 'Y', usrsctp: 'Y' },
  }),
  'ipv6-only': row({
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

type Rows = typeof OPTIONS;
export type OptionName = keyof Rows;

/** The value of an option, with its addresses in form A (text unless a socket works in another form). */
export type OptionValue<N extends OptionName, A = SocketAddress> =
  InForm<Rows[N]['codec'] extends Codec<infer T> ? T : never, A>;

interface KeyValues {
  address: SocketAddress; 'optional-address': SocketAddress; stream: number; 'event-kind': EventKind;
  'optional-pr-policy': PrPolicyKind;
}
type Optional<K extends KeyKind> = K extends `optional-${string}` ? true : false;
type KeyObject<Ks extends readonly KeySpec[]> =
  & { [S in Ks[number] as Optional<S['kind']> extends true ? never : S['name']]: KeyValues[S['kind']] }
  & { [S in Ks[number] as Optional<S['kind']> extends true ? S['name'] : never]?: KeyValues[S['kind']] };

/** The key arguments of an option (an empty object type for options without keys), addresses in form A. */
export type OptionKey<N extends OptionName, A = SocketAddress> =
  InForm<Rows[N] extends { keys: infer Ks extends readonly KeySpec[] } ? KeyObject<Ks> : Record<string, never>, A>;

/** The WIT functions of the options (kebab-case, as in wit/sctp.wit). */
export type OptionFunctionName = Exclude<{ [N in OptionName]: Rows[N]['getter'] | Rows[N]['setter'] }[OptionName], undefined>;

/** The table as a list, each row with its name (to install functions, to render docs). */
export const OPTION_TABLE: ReadonlyArray<OptionRow<unknown> & { name: OptionName }> = Object.entries(OPTIONS).map(
  ([name, r]) => ({ name: name as OptionName, ...(r as OptionRow<unknown>) }),
);
