// What every lane shares: a throughput run is "start a sender process, let it send for a fixed time,
// read the receiver's count of that association"; a round-trip run reads the sender's percentiles.
// Rates are measured at the receiver (the same receiver process for every SCTP lane), over the
// window from 0.5 s after its first message to its last one, so sender start-up and warm-up are out.
import { exitWithin, isEvent, type Child, type Json } from '../../test/harness/processes.js';

export interface Throughput {
  lane: string;
  size: number;
  messagesPerSecond: number;
  /** 10^6 bytes per second. */
  megabytesPerSecond: number;
  /** What the sender says it sent, and what the receiver counted. */
  sent: number;
  received: number;
  /** The measured window, in seconds. */
  window: number;
  /** The sender's own counters, when it reports them (send calls, would-blocks). */
  sendCalls?: number;
  wouldBlock?: number;
  error?: string;
}

export interface RoundTrip {
  lane: string;
  size: number;
  count: number;
  minUs: number;
  p50Us: number;
  p90Us: number;
  p99Us: number;
  error?: string;
}

export function failedThroughput(lane: string, size: number, error: unknown): Throughput {
  return { lane, size, messagesPerSecond: NaN, megabytesPerSecond: NaN, sent: 0, received: 0, window: 0, error: message(error) };
}

export function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface ThroughputOptions {
  lane: string;
  size: number;
  seconds: number;
  /** The receiver's process; its 'sink' events carry the sender's port as peerPort. */
  receiver: Child;
  /** Byte-stream receivers count no messages: derive them from the bytes. */
  byteStream?: boolean;
  /** How long the sender may take to connect (a guest loads and compiles ~13 MB of Wasm first). */
  startupMs?: number;
  /** False for senders that print no "connected" line with their port (tsctp). */
  reportsPort?: boolean;
}

/**
 * Runs one sender to completion and returns the receiver-side rates. The sender prints
 * {"event":"connected","localPort":N} and {"event":"sent","messages":M,...}; senders that cannot
 * tell their port (tsctp) are matched to the first receiver record that appears after they start.
 */
export async function measureThroughput(sender: Child, options: ThroughputOptions): Promise<Throughput> {
  const { lane, size, seconds, receiver } = options;
  const startupMs = options.startupMs ?? 15_000;
  const seenBefore = receiver.events.length;
  try {
    const localPort = options.reportsPort === false ? undefined
      : Number((await sender.waitFor(isEvent('connected'), startupMs, 'connected line')).localPort);
    const budget = startupMs + (seconds + 20) * 1000;
    const sinkWait = receiver.waitFor(
      (e) => e.event === 'sink' && (localPort === undefined ? receiver.events.indexOf(e) >= seenBefore : e.peerPort === localPort),
      budget, `receiver record of ${lane}`);
    sinkWait.catch(() => {});
    // A sender that dies leaves its association to time out at the receiver (tens of seconds): give up early.
    const senderGone = sender.exited.then(async (code) => {
      await new Promise((resolve) => setTimeout(resolve, 5_000).unref());
      const error = sender.events.find(isEvent('error'));
      throw new Error(`the sender exited (${code}) and the receiver reported nothing within 5 s`
        + `${error ? `; sender error: ${String(error.message ?? error.what)}` : ''}; output:\n${sender.tail()}`);
    });
    senderGone.catch(() => {});
    const record = await Promise.race([sinkWait, senderGone]);
    const sent = await sender.waitFor(isEvent('sent'), 5_000, 'sent line').catch(() => undefined);
    await exitWithin(sender, 15_000).catch(() => null); // the figures are in; a sender slow to exit is killed
    return fromRecord(lane, size, record, sent, options.byteStream === true);
  } catch (e) {
    sender.kill();
    return failedThroughput(lane, size, e);
  }
}

function fromRecord(lane: string, size: number, r: Json, sentLine: Json | undefined, byteStream: boolean): Throughput {
  const bytes = Number(r.bytes);
  const received = byteStream ? Math.floor(bytes / size) : Number(r.messages);
  const sent = sentLine ? Number(sentLine.messages) : NaN;
  // The steady window: from the warm-up mark to the last message; short runs fall back to first..last.
  let windowBytes = bytes - Number(r.warmBytes);
  let windowNs = Number(r.lastNs) - Number(r.warmAtNs);
  if (!(Number(r.warmAtNs) > 0) || windowNs <= 0) {
    windowBytes = bytes;
    windowNs = Number(r.lastNs) - Number(r.firstNs);
  }
  const window = windowNs / 1e9;
  const result: Throughput = {
    lane, size, sent, received, window,
    megabytesPerSecond: window > 0 ? windowBytes / window / 1e6 : NaN,
    messagesPerSecond: window > 0 ? windowBytes / size / window : NaN,
  };
  if (sentLine?.sendCalls !== undefined) result.sendCalls = Number(sentLine.sendCalls);
  if (sentLine?.wouldBlock !== undefined) result.wouldBlock = Number(sentLine.wouldBlock);
  const problems: string[] = [];
  if (r.error && r.error !== 0) problems.push(`receiver: ${String(r.error)}`);
  if (sentLine && received !== sent) problems.push(`sent ${sent} messages, the receiver counted ${received}`);
  if (bytes === 0) problems.push('nothing received');
  if (problems.length) result.error = problems.join('; ');
  return result;
}

/** Runs a round-trip client to completion; it prints {"event":"rtt",...} in microseconds. */
export async function measureRoundTrip(client: Child, lane: string, size: number, timeoutMs: number): Promise<RoundTrip> {
  try {
    const r = await client.waitFor(isEvent('rtt'), timeoutMs, 'rtt line');
    await exitWithin(client, 15_000).catch(() => null);
    return { lane, size, count: Number(r.count), minUs: Number(r.minUs), p50Us: Number(r.p50Us), p90Us: Number(r.p90Us), p99Us: Number(r.p99Us) };
  } catch (e) {
    client.kill();
    return { lane, size, count: 0, minUs: NaN, p50Us: NaN, p90Us: NaN, p99Us: NaN, error: message(e) };
  }
}
