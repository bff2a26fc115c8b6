// Lanes (c) and (e): a guest component sending through the host's sctp:sockets, many messages per `send`
// call, in TypeScript (bench/guests/sctp.ts, lane c) or in C (bench/guests/c/bench-sctp.c, lane e:
// the same modes, arguments and output); its round trips against the native echo peer; and the per-call
// cost of the host's cheapest import against preview2-shim's, both called from that one guest.
import type { SctpPeer } from '../lib/native.js';
import { measureRoundTrip, measureThroughput, message, type RoundTrip, type Throughput } from '../lib/measure.js';
import { exitWithin, isEvent } from '../../test/harness/processes.js';
import { GUEST_STARTUP_MS, startBenchGuest, type BenchSctpGuest } from './guests.js';

export function batchFor(size: number): number {
  return size <= 4096 ? 128 : 4;
}

export function guestSctpThroughput(peer: SctpPeer, size: number, seconds: number, guest: BenchSctpGuest = 'bench-sctp', lane = 'c'): Promise<Throughput> {
  const sender = startBenchGuest(guest, ['send', peer.address, String(peer.sinkPort), String(peer.udpPort),
    '--size', String(size), '--seconds', String(seconds), '--batch', String(batchFor(size))]);
  return measureThroughput(sender, { lane, size, seconds, receiver: peer.server, startupMs: GUEST_STARTUP_MS });
}

export function guestSctpRoundTrip(peer: SctpPeer, size: number, count: number, seconds: number, guest: BenchSctpGuest = 'bench-sctp', lane = 'c'): Promise<RoundTrip> {
  const client = startBenchGuest(guest, ['pingpong', peer.address, String(peer.echoPort), String(peer.udpPort),
    '--size', String(size), '--count', String(count), '--warmup', String(Math.ceil(count / 10)), '--seconds', String(seconds)]);
  return measureRoundTrip(client, lane, size, GUEST_STARTUP_MS + (seconds + 15) * 1000);
}

export interface CallCosts {
  /** Microseconds per call, median of the rounds. */
  socketTypeUs: number;
  isListeningUs: number;
  keepAliveEnabledUs: number;
  monotonicNowUs: number;
  emptyLoopUs: number;
  /** `send` on an unconnected socket (lowering + lifting, then invalid-state): one empty, 1 KiB, 64 KiB message, 128 x 1 KiB. */
  sendEmptyUs: number;
  send1KiBUs: number;
  send64KiBUs: number;
  send128x1KiBUs: number;
  /** subscribe + block + drop of a pollable that is ready at once. */
  readyWaitUs: number;
  /** block of the socket's reused pollable, ready at once. */
  reusedWaitUs: number;
  count: number;
  rounds: number;
  error?: string;
}

export async function guestCallCosts(count: number, rounds: number, sender: BenchSctpGuest = 'bench-sctp'): Promise<CallCosts> {
  const guest = startBenchGuest(sender, ['calls', '--count', String(count), '--rounds', String(rounds)]);
  try {
    const r = await guest.waitFor(isEvent('calls'), GUEST_STARTUP_MS + 60_000, 'calls line');
    await exitWithin(guest, 15_000).catch(() => null);
    return {
      socketTypeUs: Number(r.socketTypeUs), isListeningUs: Number(r.isListeningUs), keepAliveEnabledUs: Number(r.keepAliveEnabledUs),
      monotonicNowUs: Number(r.monotonicNowUs), emptyLoopUs: Number(r.emptyLoopUs),
      sendEmptyUs: Number(r.sendEmptyUs), send1KiBUs: Number(r.send1KiBUs), send64KiBUs: Number(r.send64KiBUs),
      send128x1KiBUs: Number(r.send128x1KiBUs), readyWaitUs: Number(r.readyWaitUs), reusedWaitUs: Number(r.reusedWaitUs), count, rounds,
    };
  } catch (e) {
    guest.kill();
    return {
      socketTypeUs: NaN, isListeningUs: NaN, keepAliveEnabledUs: NaN, monotonicNowUs: NaN, emptyLoopUs: NaN,
      sendEmptyUs: NaN, send1KiBUs: NaN, send64KiBUs: NaN, send128x1KiBUs: NaN, readyWaitUs: NaN, reusedWaitUs: NaN, count, rounds,
      error: message(e),
    };
  }
}
