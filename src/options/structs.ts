/**
 * The struct layouts of the options whose value is a record of fields, or one field of a struct that needs more than
 * a line to describe (an enum, a flag set, a key or address field), with the checks across fields that the stack
 * would otherwise answer with a bare EINVAL.
 */
import { enumField, flagsField, invalid, record, scalar } from './fields.js';
import type { NativeConstantName } from '../native.js';
import type {
  AddStreamsRequest, AssocParams, FragmentInterleaveLevel, InitMsg, PeerAddrThresholds, RtoInfo, SackInfo,
  StreamScheduler, TimeoutCounts,
} from './values.js';

const SCHEDULERS: ReadonlyArray<readonly [StreamScheduler, NativeConstantName | undefined]> = [
  ['first-come-first-served', 'SCTP_SS_FIRST_COME'], ['default', 'SCTP_SS_DEFAULT'],
  ['round-robin', 'SCTP_SS_ROUND_ROBIN'], ['round-robin-packet', 'SCTP_SS_ROUND_ROBIN_PACKET'],
  ['priority', 'SCTP_SS_PRIORITY'], ['fair-bandwidth', 'SCTP_SS_FAIR_BANDWITH'], ['weighted-fair-queueing', undefined],
];

/** rto-info */
export const rtoInfoCodec = record<RtoInfo>('sctp_rtoinfo', {
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
});

/** assoc-info */
export const assocInfoCodec = record<AssocParams>('sctp_assocparams', {
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
});

/** init-msg */
export const initMsgCodec = record<InitMsg>('sctp_initmsg', {
  numOstreams: { field: 'sinit_num_ostreams', kind: 'u16' },
  maxInstreams: { field: 'sinit_max_instreams', kind: 'u16' },
  maxAttempts: { field: 'sinit_max_attempts', kind: 'u16' },
  maxInitTimeo: { field: 'sinit_max_init_timeo', kind: 'u16' },
});

/** delayed-sack */
export const delayedSackCodec = record<SackInfo>('sctp_sack_info', {
  delay: { field: 'sack_delay', kind: 'u32', max: 500 },
  frequency: { field: 'sack_freq', kind: 'u32' },
}, { assocField: 'sack_assoc_id' });

/** fragment-interleave */
export const fragmentInterleaveCodec = enumField<FragmentInterleaveLevel>('int', '', [
  ['none', 'SCTP_FRAG_LEVEL_0'], ['associations', 'SCTP_FRAG_LEVEL_1'], ['streams', 'SCTP_FRAG_LEVEL_2'],
]);

/** enable-stream-reset */
export const enableStreamResetCodec = flagsField('sctp_assoc_value', 'assoc_value', 'u32', {
  resetStreams: 'SCTP_ENABLE_RESET_STREAM_REQ', resetAssociation: 'SCTP_ENABLE_RESET_ASSOC_REQ',
  addStreams: 'SCTP_ENABLE_CHANGE_ASSOC_REQ',
}, { assocField: 'assoc_id' });

/** add-streams */
export const addStreamsCodec = record<AddStreamsRequest>('sctp_add_streams', {
  inbound: { field: 'sas_instrms', kind: 'u16' },
  outbound: { field: 'sas_outstrms', kind: 'u16' },
}, {
  assocField: 'sas_assoc_id',
  validate(v) {
    if (v.inbound === 0 && v.outbound === 0) throw invalid('add-streams needs inbound or outbound streams');
  },
});

/** stream-scheduler */
export const streamSchedulerCodec = enumField<StreamScheduler>('sctp_assoc_value', 'assoc_value', SCHEDULERS, { assocField: 'assoc_id' },
  () => 'usrsctp has no weighted fair queueing scheduler');

/** stream-scheduler-value */
export const streamSchedulerValueCodec = scalar<number>('sctp_stream_value', { field: 'stream_value', kind: 'u16' },
  { assocField: 'assoc_id', keyFields: { stream: ['stream_id', 'u16'] } });

/** remote-udp-encaps-port */
export const remoteUdpEncapsPortCodec = scalar<number>('sctp_udpencaps', { field: 'sue_port', kind: 'port' },
  { assocField: 'sue_assoc_id', addressField: { field: 'sue_address', key: 'path' } });

/** peer-addr-thresholds */
export const peerAddrThresholdsCodec = record<PeerAddrThresholds>('sctp_paddrthlds', {
  pathMaxRetransmits: { field: 'spt_pathmaxrxt', kind: 'u16' },
  potentiallyFailedThreshold: { field: 'spt_pathpfthld', kind: 'u16' },
}, {
  assocField: 'spt_assoc_id', addressField: { field: 'spt_address', key: 'address' },
  // The stack takes only 0xffff (no "primary path switchover" threshold).
  fixed: { spt_pathcpthld: ['u16', 0xffff] },
});

/** timeouts */
export const timeoutsCodec = record<TimeoutCounts>('sctp_timeouts', {
  init: { field: 'stimo_init', kind: 'u32' },
  data: { field: 'stimo_data', kind: 'u32' },
  sack: { field: 'stimo_sack', kind: 'u32' },
  shutdown: { field: 'stimo_shutdown', kind: 'u32' },
  heartbeat: { field: 'stimo_heartbeat', kind: 'u32' },
  cookie: { field: 'stimo_cookie', kind: 'u32' },
  shutdownAck: { field: 'stimo_shutdownack', kind: 'u32' },
}, { assocField: 'stimo_assoc_id' });
