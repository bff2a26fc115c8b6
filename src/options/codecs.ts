/**
 * The codecs of the options whose values are more than a field or a record of fields: association and path status,
 * lists, keys, send information, PR-SCTP policies, event subscriptions, path parameters, linger, ipv6-only.
 */
import { putSockaddr, type Sockaddr } from '../addresses/sockaddr.js';
import { SctpError } from '../errors.js';
import { C, SIZES, offsetOf, type NativeConstantName } from '../native.js';
import { EVENT_TYPES, type EventKind } from '../socket/notifications.js';
import {
  PR_POLICIES, SEND_FLAG_NAMES, prPolicyCode, prPolicyKindOf, sendFlagBits, sendFlagsOf, type PrPolicyKind,
} from '../socket/send-flags.js';
import {
  checkBool, checkFlags, checkInt, checkList, checkObject, fillCommon, invalid, readField, readOnlyCodec, record,
  unsupported, writeField, type StructOptions,
} from './fields.js';
import type { Codec, CodecContext } from './schema.js';
import type {
  AssociationState, AssociationStatus, AuthKey, HmacAlgorithm, PathState, PeerAddrInfo, PeerAddrParams, PrInfo,
  PrStatus, ResetStreamsRequest, SndInfo, StreamScheduler,
} from './values.js';

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

/**
 * A struct sctp_paddrinfo at `base` (0 for SCTP_GET_PEER_ADDR_INFO, sstat_primary's offset inside sctp_status);
 * `fallback`: the address asked for, when the stack leaves the field empty.
 */
function decodePaddrinfo(buf: Buffer, base: number, ctx: CodecContext, fallback?: Sockaddr): PeerAddrInfo | undefined {
  const address = readField(buf, base + offsetOf('sctp_paddrinfo.spinfo_address'), 'sockaddr', ctx)
    ?? (fallback && ctx.form.fromSockaddr(fallback));
  if (!address) return undefined;
  const u32 = (field: string) => readField(buf, base + offsetOf(`sctp_paddrinfo.${field}`), 'u32') as number;
  return {
    address: address as PeerAddrInfo['address'],
    state: pathState(readField(buf, base + offsetOf('sctp_paddrinfo.spinfo_state'), 'i32') as number),
    cwnd: u32('spinfo_cwnd'),
    srtt: u32('spinfo_srtt'),
    rto: u32('spinfo_rto'),
    mtu: u32('spinfo_mtu'),
  };
}

export const statusCodec: Codec<AssociationStatus> = (() => {
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
      primary: decodePaddrinfo(buf, offsetOf('sctp_status.sstat_primary'), ctx),
    };
  }, '{ association, state, stateCode, peerRwnd, unackedData, pendingData, inboundStreams, outboundStreams, '
    + 'fragmentationPoint, primary? }');
})();

export const peerAddrInfoCodec: Codec<PeerAddrInfo> = readOnlyCodec('sctp_paddrinfo', (buf, ctx) => {
  writeField(buf, offsetOf('sctp_paddrinfo.spinfo_assoc_id'), 'u32', ctx.assocId);
  putSockaddr(buf, offsetOf('sctp_paddrinfo.spinfo_address'), ctx.key.address as Sockaddr);
}, (buf, _length, ctx) => decodePaddrinfo(buf, 0, ctx, ctx.key.address as Sockaddr)!,
'{ address, state, cwnd, srtt, rto, mtu }');

/** SCTP_PEER_AUTH_CHUNKS / SCTP_LOCAL_AUTH_CHUNKS: a count, then one byte per chunk type (the stack's layout). */
export const authChunksCodec: Codec<number[]> = readOnlyCodec('sctp_authchunks', (buf, ctx) => {
  writeField(buf, offsetOf('sctp_authchunks.gauth_assoc_id'), 'u32', ctx.assocId);
}, (buf, length) => {
  const count = readField(buf, offsetOf('sctp_authchunks.gauth_number_of_chunks'), 'u32') as number;
  const start = offsetOf('sctp_authchunks.gauth_chunks');
  return Array.from(buf.subarray(start, Math.min(start + count, length)));
}, 'list<u8>', () => SIZES.sctp_authchunks + 256);

/** The most association ids one SCTP_GET_ASSOC_ID_LIST call can return. */
const MAX_ASSOC_IDS = 65536;

export const assocIdListCodec: Codec<number[]> = readOnlyCodec('sctp_assoc_ids', () => {}, (buf, length) => {
  const count = readField(buf, offsetOf('sctp_assoc_ids.gaids_number_of_ids'), 'u32') as number;
  const start = offsetOf('sctp_assoc_ids.gaids_assoc_id');
  const out: number[] = [];
  for (let i = 0; i < count && start + 4 * (i + 1) <= length; i++) out.push(readField(buf, start + 4 * i, 'u32') as number);
  return out;
}, 'list<u32>', () => SIZES.sctp_assoc_ids + SIZES.sctp_assoc_t * MAX_ASSOC_IDS);

const HMACS: ReadonlyArray<readonly [HmacAlgorithm, NativeConstantName]> = [
  ['sha1', 'SCTP_AUTH_HMAC_ID_SHA1'], ['sha256', 'SCTP_AUTH_HMAC_ID_SHA256'],
];

export const hmacIdentCodec: Codec<HmacAlgorithm[]> = {
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

export const authKeyCodec: Codec<AuthKey> = {
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

export const resetStreamsCodec: Codec<ResetStreamsRequest> = {
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
export const resetAssocCodec: Codec<undefined> = {
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

export const sndinfoCodec: Codec<SndInfo> = (() => {
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
      return { ...out, flags: checkFlags(flags, SEND_FLAG_NAMES, 'flags') };
    },
    prepare: base.prepare,
    encode(value, buf, ctx) {
      base.encode(value, buf, ctx);
      writeField(buf, flagsOffset(), 'u16', sendFlagBits(value.flags));
    },
    decode(buf, length, ctx) {
      const v = base.decode(buf, length, ctx);
      const flags = sendFlagsOf(readField(buf, flagsOffset(), 'u16') as number);
      return { stream: v.stream, ppid: v.ppid, flags, context: v.context };
    },
  };
})();

export const prinfoCodec: Codec<PrInfo> = {
  shape: "{ policy: 'none' | 'ttl' | 'rtx' | 'prio', value: u32 }",
  size: () => SIZES.sctp_default_prinfo,
  check(value) {
    const v = checkObject(value);
    if (prPolicyCode(v.policy) === undefined) throw invalid("policy must be 'none', 'ttl', 'rtx' or 'prio'");
    const policy = v.policy as PrPolicyKind;
    const n = checkInt(v.value, 'value', 0, 0xffffffff);
    if (policy === 'none' && n !== 0) throw invalid('the value of policy none must be 0');
    for (const k of Object.keys(v)) if (k !== 'policy' && k !== 'value') throw invalid(`unknown field ${k}`);
    return { policy, value: n };
  },
  prepare: (buf, ctx) => writeField(buf, offsetOf('sctp_default_prinfo.pr_assoc_id'), 'u32', ctx.assocId),
  encode(value, buf, ctx) {
    writeField(buf, offsetOf('sctp_default_prinfo.pr_assoc_id'), 'u32', ctx.assocId);
    writeField(buf, offsetOf('sctp_default_prinfo.pr_policy'), 'u16', C[PR_POLICIES[value.policy]]);
    writeField(buf, offsetOf('sctp_default_prinfo.pr_value'), 'u32', value.value);
  },
  decode(buf) {
    const code = readField(buf, offsetOf('sctp_default_prinfo.pr_policy'), 'u16') as number;
    const policy = prPolicyKindOf(code) ?? 'none';
    return { policy, value: readField(buf, offsetOf('sctp_default_prinfo.pr_value'), 'u32') as number };
  },
};

/** SCTP_PR_ASSOC_STATUS / SCTP_PR_STREAM_STATUS; `perStream`: the stream key selects the stream. */
export function prStatusCodec(perStream: boolean): Codec<PrStatus> {
  return readOnlyCodec('sctp_prstatus', (buf, ctx) => {
    const policy = ctx.key.policy as PrPolicyKind | undefined;
    if (policy === 'none') throw invalid("policy none has no counters: give ttl, rtx, prio, or no policy for all");
    if (perStream && policy !== undefined) {
      throw unsupported('usrsctp counts abandoned messages per stream for all policies together (built without SCTP_DETAILED_STR_STATS)');
    }
    writeField(buf, offsetOf('sctp_prstatus.sprstat_assoc_id'), 'u32', ctx.assocId);
    writeField(buf, offsetOf('sctp_prstatus.sprstat_policy'), 'u16',
      policy === undefined ? C.SCTP_PR_SCTP_ALL : C[PR_POLICIES[policy]]);
    if (perStream) writeField(buf, offsetOf('sctp_prstatus.sprstat_sid'), 'u16', ctx.key.stream as number);
  }, (buf) => ({
    abandonedUnsent: readField(buf, offsetOf('sctp_prstatus.sprstat_abandoned_unsent'), 'u64') as number,
    abandonedSent: readField(buf, offsetOf('sctp_prstatus.sprstat_abandoned_sent'), 'u64') as number,
  }), '{ abandonedUnsent: u64, abandonedSent: u64 }');
}

export const eventCodec: Codec<boolean> = (() => {
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

export const peerAddrParamsCodec: Codec<PeerAddrParams> = (() => {
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
export const lingerCodec: Codec<number | undefined> = {
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
export const ipv6OnlyCodec: Codec<boolean> = {
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

/**
 * SCTP_AUTO_ASCONF: no native call. usrsctp stores the flag, but on Linux it never learns of the host's address
 * changes (it reads the addresses once, at start; its address monitor is built for BSD routing sockets only), so
 * nothing would follow them: the option reads false and cannot be turned on.
 */
export const autoAsconfCodec: Codec<boolean> = {
  shape: 'bool',
  size: () => 0,
  check(value) {
    if (checkBool(value, 'value')) throw unsupported('usrsctp on Linux does not follow the host\'s address changes');
    return false;
  },
  prepare: () => {},
  encode: () => {},
  decode: () => false,
};
