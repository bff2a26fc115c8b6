// The failover settings of test/guests/multihome/pattern.ts (FAST_FAILOVER), applied to a
// Node-side socket, for the peer and the sender of the multi-homing tests and benchmark.
import type { SctpSocket } from '../../../src/index.js';
import { FAST_FAILOVER } from '../../guests/multihome/pattern.js';

/** For future associations: quick RTOs, a SACK per packet, fast path failure and failover. */
export function applyFastFailover(sock: SctpSocket): void {
  sock.setOption('rto-info', FAST_FAILOVER.rto, 'future');
  sock.setOption('delayed-sack', FAST_FAILOVER.sack, 'future');
  sock.setOption('peer-addr-params', {
    heartbeat: true, heartbeatInterval: FAST_FAILOVER.heartbeatIntervalMs, heartbeatNow: false, pathMtu: 0,
    pathMaxRetransmits: FAST_FAILOVER.pathMaxRetransmits,
  }, 'future');
  sock.setOption('peer-addr-thresholds', {
    pathMaxRetransmits: FAST_FAILOVER.pathMaxRetransmits, potentiallyFailedThreshold: FAST_FAILOVER.potentiallyFailedThreshold,
  }, 'future');
  sock.setOption('assoc-info', { cookieLife: 0, maxRetransmits: FAST_FAILOVER.associationMaxRetransmits }, 'future');
}
