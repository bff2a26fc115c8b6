// Lane (d): the same kind of guest (bench/guests/tcp.ts) sending over wasi:sockets/tcp through
// preview2-shim to a Node `net` sink: what a component can do today. One message per write (d), or,
// as a byte stream, as much per write as check-write permits (d+, 1 KiB only).
import type { TcpPeer } from '../lib/native.js';
import { measureThroughput, type Throughput } from '../lib/measure.js';
import { GUEST_STARTUP_MS, startBenchGuest } from './guests.js';

export function guestTcpThroughput(peer: TcpPeer, size: number, seconds: number, coalesce = false): Promise<Throughput> {
  const sender = startBenchGuest('bench-tcp', ['send', peer.address, String(peer.port),
    '--size', String(size), '--seconds', String(seconds), ...(coalesce ? ['--coalesce'] : [])]);
  return measureThroughput(sender, { lane: coalesce ? 'd+' : 'd', size, seconds, receiver: peer.sink, byteStream: true, startupMs: GUEST_STARTUP_MS });
}
