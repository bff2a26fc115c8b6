/**
 * Rows of the guide's options table (POSIX-COMPAT.md) with no row of their own in the option table: deprecated
 * names, other systems' options and extensions, each after the option it belongs next to. `implemented` is the
 * Implemented cell: ✅ with the WIT items and `tests`, the tests that assert the effect; ❔ or ⛔ with the reason
 * (test/posix-compat.test.ts checks all three). Only scripts/options-doc.ts reads this; nothing that runs a socket
 * does.
 */
import type { TestRef } from './doc-tests.js';
import type { OptionCompat } from './schema.js';
import type { OptionName } from './table.js';

const SAYS_WHAT_IT_IS: TestRef = {
  file: 'options-sockets.test.ts', title: 'is-listening, address-family and socket-type say what the socket is',
};

export const OPTION_DOC_EXTRAS: ReadonlyArray<{
  compat: OptionCompat; implemented: string; after: OptionName; tests?: readonly TestRef[];
}> = [
  {
    after: 'peer-addr-params',
    compat: { option: '`IP_TOS`, `IPV6_TCLASS` (IPPROTO_IP, IPPROTO_IPV6)', linux: 'Y', freebsd: 'Y', usrsctp: 'N (per path: `SPP_DSCP`)' },
    implemented: '❔ per path, as in `SCTP_PEER_ADDR_PARAMS`: `peer-addr-params.dscp` (the ECN bits stay with the stack); '
      + 'set and read back only: no test reads the DSCP of a packet sent',
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
    tests: [SAYS_WHAT_IT_IS],
  },
  {
    after: 'ipv6-only',
    compat: { option: '`SO_DOMAIN`', linux: 'Y', freebsd: 'Y', usrsctp: 'N' },
    implemented: '✅ `address-family`',
    tests: [SAYS_WHAT_IT_IS],
  },
  {
    after: 'ipv6-only',
    compat: { option: '`SO_TYPE`', linux: 'Y', freebsd: 'Y', usrsctp: 'N' },
    implemented: '✅ `socket-type`',
    tests: [SAYS_WHAT_IT_IS],
  },
  {
    after: 'ipv6-only',
    compat: { option: '`SO_ERROR`', linux: 'Y', freebsd: 'Y', usrsctp: 'Y' },
    implemented: '✅ no option: a pending error is the `error-code` that `finish-connect`, `send` or `receive` return',
    tests: [
      { file: 'node-api.test.ts', title: 'connecting where the stack answers but nobody listens is connection-refused' },
      { file: 'one-to-many.test.ts', title: 'three associations on one socket: one peeled off keeps working, one aborted, one ended, the rest go on' },
    ],
  },
];
