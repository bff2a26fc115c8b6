/**
 * What POSIX-COMPAT.md's options table says each option does, and the tests that show it: ✅ rows cite the tests
 * that assert the option's effect (test/posix-compat.test.ts checks that each cited test exists and calls the
 * option), ❔ rows say what no test shows yet, ⛔ rows why the option is left out. Only scripts/options-doc.ts reads
 * this; nothing that runs a socket does.
 */
import type { OptionName } from './table.js';

/** A test the guide cites: its file under test/ and its title. */
export interface TestRef {
  readonly file: string;
  readonly title: string;
}

export type OptionEvidence =
  /** ✅: the tests that assert the effect; `note` says what of the option they leave out. */
  | { readonly tests: readonly TestRef[]; readonly note?: string }
  /** ❔: what no test shows yet, and the tests that show the rest, if any. */
  | { readonly untested: string; readonly tests?: readonly TestRef[] }
  /** ⛔: why the option does nothing here. */
  | { readonly leftOut: string; readonly tests: readonly TestRef[] };

const t = (file: string, title: string): TestRef => ({ file: `${file}.test.ts`, title });

// The tests cited by more than one option.
const PATH_REPORT = t('options-paths', 'rto-info and peer-addr-params show in the path report (status, peer-addr-info)');
const STATUS = t('options-paths', 'status: state, stream counts and primary address of a live association; peer-addr-info agrees');
const FRAGMENTS = t('options-paths', 'disable-fragments: a message larger than the path MTU fails; maxseg: messages travel in smaller pieces');
const SCHEDULER = t('options-paths', 'primary-addr, set-peer-primary-addr, stream scheduler and its per-stream value on a live association');
const INIT_MSG = t('options-associations', 'init-msg: the negotiated stream counts are the smaller offers of both ends');
const AUTOCLOSE = t('options-associations', 'autoclose: an idle association of a one-to-many socket closes by itself');
const ASSOCIATIONS = t('options-associations', 'assoc-number and assoc-id-list with three associations; per-association context');
const AUTH = t('options-associations', 'SCTP-AUTH: rotating the active key keeps an association whose DATA must be authenticated working');
const RFC6525 = t('options-associations', 'RFC 6525: reset-streams, add-streams and reset-assoc, with enable-stream-reset on the peer');
const NEGOTIATED = t('options-associations', 'negotiated features: pr-supported off on one end is off for the association');
const SWITCHES = t('options-associations', 'every *-supported switch: an association has a feature only when both ends offer it');
const TIMES_OUT = t('node-api', 'connecting to a UDP port where nothing answers times out as init-msg and rto-info say');
const UNSUPPORTED = t('options', 'what the stack cannot do is not-supported; options of the other socket style are invalid-state');
const READ_BACK = t('options-guest', 'every read-write option set and read back through the WIT, and the error-codes of wrong values');
const PEER_DEATH = t('peer-death', 'the peer is killed while the guest sends: it sees comm-lost and timeout within 3400 ms');
const PATHS = t('multihoming', 'bindx / connectx / getladdrs / getpaddrs, both primary paths, and ASCONF add and remove on a live association');
const IDATA = t('guest-datamodel', 'I-DATA (RFC 8260): small messages pass a 4 MiB one on another stream only when both ends enable interleaving');
const PER_MESSAGE = t('guest-datamodel', '4 MiB whole, pieces on request, NXTINFO, default-sndinfo, explicit EOR, per-message INIT');
const AUTH_EVENTS = t('guest-datamodel', 'authentication: new-key when the peer uses another key, free-key when a retired key is unused, no-auth for a peer without AUTH');

export const OPTION_EVIDENCE: { readonly [N in OptionName]: OptionEvidence } = {
  'rto-info': { tests: [PATH_REPORT, TIMES_OUT] },
  'assoc-info': {
    tests: [PEER_DEATH, READ_BACK],
    note: '`cookie-life` is set and read back only',
  },
  'init-msg': { tests: [INIT_MSG, TIMES_OUT] },
  linger: { tests: [t('options-associations', 'linger 0: closing aborts the association (the peer sees connection-reset); none: a graceful end')] },
  nodelay: { untested: 'set and read back only: no test sees small messages leave without bundling delay' },
  'receive-buffer-size': { tests: [READ_BACK, t('messages', 'a 4 MiB message arrives whole, ahead of the small one sent after it on its stream')] },
  'send-buffer-size': { tests: [t('messages', 'a 4 MiB message arrives whole, ahead of the small one sent after it on its stream')] },
  autoclose: { tests: [AUTOCLOSE] },
  'primary-addr': { tests: [PATHS, SCHEDULER] },
  'adaptation-layer': { tests: [t('guest-datamodel', 'adaptation-indication carries the other end\'s adaptation layer')] },
  'disable-fragments': { tests: [FRAGMENTS] },
  'peer-addr-params': { tests: [PATH_REPORT, PEER_DEATH] },
  'mapped-v4-addresses': {
    tests: [t('options-sockets', 'mapped-v4-addresses: an IPv6 socket lists an IPv4 peer as ::ffff:a.b.c.d in remote-addresses when set, remote-address says IPv4 either way')],
    note: 'only `remote-addresses` reports mapped addresses',
  },
  maxseg: { tests: [FRAGMENTS] },
  'hmac-ident': {
    untested: 'set and read back only: Debian\'s usrsctp has no algorithm but SHA-1, so no test can see another one chosen',
  },
  'auth-active-key': { tests: [AUTH] },
  'delayed-sack': { untested: 'set and read back only: no test sees when the receiver sends its SACKs' },
  'fragment-interleave': { tests: [IDATA, NEGOTIATED] },
  'partial-delivery-point': {
    untested: 'set and read back only: no test sees a message delivered in pieces from the point set',
  },
  'auto-asconf': {
    leftOut: 'usrsctp on Linux reads the host\'s addresses once, when it starts, and never learns of changes, so nothing '
      + 'would follow them: `auto-asconf` reads false and `set-auto-asconf` with true is not-supported',
    tests: [t('options-sockets', 'auto-asconf: usrsctp on Linux never learns of address changes, so it reads false and cannot be turned on')],
  },
  'max-burst': { untested: 'set and read back only: no test counts the packets of a burst' },
  context: { tests: [ASSOCIATIONS] },
  'explicit-eor': { tests: [t('send-info', 'with explicit-eor on, a message written in several sends arrives as one')] },
  'reuse-port': {
    tests: [t('options-sockets', 'reuse-port: one-to-one sockets that set it bind the same port; without it the port is in use'), UNSUPPORTED],
  },
  event: { tests: [t('options-associations', 'event: a subscription per notification kind, per association')] },
  'recv-rcvinfo': { tests: [PER_MESSAGE, UNSUPPORTED] },
  'recv-nxtinfo': { tests: [t('send-info', 'with recv-nxtinfo on, each message says what waits next (SCTP_NXTINFO)')] },
  'default-sndinfo': {
    tests: [t('send-info', 'what a message leaves out comes from default-sndinfo; what it says wins'), PER_MESSAGE],
  },
  'default-prinfo': { tests: [t('guest-datamodel', 'PR-SCTP: messages that expire or run out of retransmissions are abandoned, returned with their data and counted')] },
  status: { tests: [STATUS] },
  'peer-addr-info': { tests: [STATUS, PATH_REPORT] },
  'peer-auth-chunks': { tests: [AUTH] },
  'local-auth-chunks': { tests: [AUTH] },
  'assoc-number': { tests: [ASSOCIATIONS, AUTOCLOSE] },
  'assoc-id-list': { tests: [ASSOCIATIONS] },
  'set-peer-primary-addr': { tests: [PATHS] },
  'auth-chunk': { tests: [AUTH] },
  'auth-key': { tests: [AUTH] },
  'auth-deactivate-key': { tests: [AUTH_EVENTS, AUTH] },
  'auth-delete-key': { tests: [AUTH] },
  'enable-stream-reset': {
    tests: [RFC6525, t('guest-datamodel', 'reconfiguration requests to a peer that did not enable them come back denied')],
  },
  'reset-streams': { tests: [RFC6525] },
  'reset-assoc': { tests: [RFC6525] },
  'add-streams': { tests: [RFC6525] },
  'pr-supported': { tests: [NEGOTIATED] },
  'pr-assoc-status': {
    tests: [t('guest-datamodel', 'PR-SCTP: messages that expire or run out of retransmissions are abandoned, returned with their data and counted')],
  },
  'pr-stream-status': { untested: 'reads zeros only: no test reads the counter of a stream that abandoned a message', tests: [SCHEDULER] },
  'interleaving-supported': { tests: [IDATA, NEGOTIATED] },
  'stream-scheduler': { untested: 'set and read back only: no test sees the order in which streams are served' },
  'stream-scheduler-value': { untested: 'set and read back only: no test sees a stream of higher priority served first' },
  'remote-udp-encaps-port': { tests: [TIMES_OUT] },
  'peer-addr-thresholds': {
    untested: 'set and read back only (its `path-max-retransmits` is that of `peer-addr-params`): usrsctp reports no '
      + 'potentially-failed state, and no test sees a path fail after the threshold',
  },
  'ecn-supported': { tests: [SWITCHES] },
  'auth-supported': { tests: [SWITCHES, AUTH_EVENTS] },
  'asconf-supported': { tests: [SWITCHES] },
  'reconfig-supported': { tests: [SWITCHES] },
  'nrsack-supported': { tests: [SWITCHES] },
  'pktdrop-supported': { tests: [SWITCHES] },
  'max-cwnd': { untested: 'set and read back only: no test sees the congestion window capped' },
  timeouts: { tests: [t('options-paths', 'timeouts: the heartbeat timer of an idle association expires and is counted')] },
  'ipv6-only': {
    tests: [UNSUPPORTED, t('addresses', 'start-connect to ::ffff:127.0.0.1 sets up an association with an IPv4 listener')],
  },
};
