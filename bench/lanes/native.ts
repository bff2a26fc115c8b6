// Lane (a): the native baseline. A C sender on libusrsctp (bench/native/sctp_bench.c, blocking socket, one
// usrsctp_sendv per message, usrsctp's defaults like the TS API) in its own process; the same sender
// non-blocking (a2); and, as a cross-check when Debian's libusrsctp-examples is installed, usrsctp's own tsctp
// against the same receiver.
import { createSocket } from 'node:dgram';
import { existsSync } from 'node:fs';
import type { SctpPeer } from '../lib/native.js';
import { measureRoundTrip, measureThroughput, type RoundTrip, type Throughput } from '../lib/measure.js';
import { start } from '../../test/harness/processes.js';

export const TSCTP = '/usr/lib/usrsctp/tsctp';

/**
 * Blocking (lane a), or non-blocking with a wait for usrsctp's upcall after EWOULDBLOCK (lane a2, what the TS API
 * does): a blocking sendv copies a large message in piece by piece as space frees, a non-blocking one needs room for
 * all of it, so at 64 KiB the two differ natively already.
 */
export function nativeThroughput(binary: string, peer: SctpPeer, size: number, seconds: number, nonBlocking = false): Promise<Throughput> {
  const sender = start('native sender', binary, ['send', '--port', String(peer.sinkPort), '--udp-remote', String(peer.udpPort),
    '--size', String(size), '--seconds', String(seconds), '--nonblocking', nonBlocking ? '1' : '0'], { stderr: 'capture' });
  return measureThroughput(sender, { lane: nonBlocking ? 'a2' : 'a', size, seconds, receiver: peer.server });
}

export function nativeRoundTrip(binary: string, peer: SctpPeer, size: number, count: number, seconds: number): Promise<RoundTrip> {
  const client = start('native ping-pong', binary, ['pingpong', '--port', String(peer.echoPort), '--udp-remote', String(peer.udpPort),
    '--size', String(size), '--count', String(count), '--warmup', String(Math.ceil(count / 10)), '--seconds', String(seconds)],
  { stderr: 'capture' });
  return measureRoundTrip(client, 'a', size, (seconds + 15) * 1000);
}

/** A UDP port free on the wildcard address right now (usrsctp binds its encapsulation port there). */
function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}

export function haveTsctp(): boolean {
  return existsSync(TSCTP);
}

/**
 * usrsctp's tsctp as sender. Not identical to lane (a): it turns CRC32c on for loopback
 * (sctp_no_csum_on_loopback 0), asks for immediate SACKs and sends with SCTP_SENDV_SPA; it is a
 * reference for the C sender, not the baseline of the ratios.
 */
export async function tsctpThroughput(peer: SctpPeer, size: number, seconds: number): Promise<Throughput> {
  const localUdp = await freeUdpPort();
  const sender = start('tsctp', TSCTP, ['-T', String(Math.max(1, Math.round(seconds))), '-l', String(size),
    '-U', String(peer.udpPort), '-E', String(localUdp), '-L', '127.0.0.1', '-p', String(peer.sinkPort), peer.address], { stderr: 'capture' });
  return measureThroughput(sender, { lane: 'tsctp', size, seconds, receiver: peer.server, reportsPort: false });
}
