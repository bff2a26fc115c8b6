// The failover lane: how long an association is without delivery when its primary path fails.
// Two network namespaces joined by two veth paths (test/harness/netns/lab.ts); the multihome guest
// (or, in alternate trials, the peer program's Node sender test/harness/peers/stream.ts: the same stack without
// WebAssembly) in one sends 1 KiB messages at 1,000/s on 4 ordered streams to the Node peer in the other, both
// on usrsctp over raw IP; after `cutAfterMs` the guest's primary path goes down (`ip link set
// down`). The peer timestamps every arrival (CLOCK_MONOTONIC); the lane reports the time from the
// cut to the first message after it and the largest gap between consecutive arrivals, per trial,
// with the fast-failover settings of test/guests/multihome/pattern.ts on both ends. Needs root.
import { netnsUnavailable, startLab } from '../../test/harness/netns/lab.js';
import { PEER_PORT, runFailover } from '../../test/harness/netns/endpoints.js';
import { FAST_FAILOVER } from '../../test/guests/multihome/pattern.js';

export interface FailoverTrial {
  sender: 'guest' | 'node';
  firstAfterCutMs: number;
  largestGapMs: number;
  /** When the guest heard peer-addr-change "unreachable" for the cut path's address. */
  unreachableAfterMs: number;
  delivered: number;
  sent: number;
  intact: boolean;
  error?: string;
}

export interface FailoverResult {
  trials: FailoverTrial[];
  /** Median over the guest sender's trials of the largest gap. */
  medianGapMs: number;
  maxGapMs: number;
  /** The same for the Node sender (the stack without WebAssembly). */
  nodeMedianGapMs: number;
  nodeMaxGapMs: number;
  targetMs: number;
  settings: string;
  skipped?: string;
  error?: string;
}

export const FAILOVER_TARGET_MS = 100;

export async function failoverOutage(trials: number, log: (line: string) => void): Promise<FailoverResult> {
  const f = FAST_FAILOVER;
  const settings = `RTO ${f.rto.min}..${f.rto.max} ms (initial ${f.rto.initial}), SACK every ${f.sack.frequency} packet, `
    + `heartbeat ${f.heartbeatIntervalMs} ms + RTO, Path.Max.Retrans ${f.pathMaxRetransmits}, PF threshold ${f.potentiallyFailedThreshold}; `
    + '1 KiB at 1,000/s for 4 s, primary path cut after 1.5 s';
  const result: FailoverResult = {
    trials: [], medianGapMs: Number.NaN, maxGapMs: Number.NaN, nodeMedianGapMs: Number.NaN, nodeMaxGapMs: Number.NaN,
    targetMs: FAILOVER_TARGET_MS, settings,
  };
  const skipped = netnsUnavailable();
  if (skipped) return { ...result, skipped };
  for (let i = 0; i < 2 * trials; i++) {
    const sender = i % 2 === 0 ? 'guest' : 'node';
    const lab = await startLab({ paths: 2 });
    try {
      const run = await runFailover(lab, { count: 4000, rate: 1000, cutAfterMs: 1500, sender });
      const lost = `${lab.b.addresses[run.cutPath - 1]}:${PEER_PORT}`;
      const heard = run.notifications.find((n) => n.state === 'unreachable' && n.address === lost);
      const s = run.peerSummary;
      const intact = s.received === run.count && s.corrupt === 0 && s.duplicates === 0 && s.outOfOrder === 0
        && (s.missing as unknown[]).length === 0;
      const trial: FailoverTrial = {
        sender,
        firstAfterCutMs: round(run.figures.firstAfterCutMs), largestGapMs: round(run.figures.largestGapMs),
        unreachableAfterMs: heard ? round(Number(heard.t) - run.cutMs) : Number.NaN,
        delivered: Number(s.received), sent: Number(run.cases.get('sent')?.count ?? 0), intact,
      };
      if (run.guestCode !== 0 || !intact) trial.error = `guest exit ${run.guestCode}, peer ${JSON.stringify(s)}`;
      result.trials.push(trial);
      log(`(failover) ${sender} sender: first message after the cut ${trial.firstAfterCutMs} ms, largest gap ${trial.largestGapMs} ms, `
        + `unreachable after ${trial.unreachableAfterMs} ms${trial.error ? `; ${trial.error}` : ''}`);
    } catch (e) {
      result.trials.push({ sender, firstAfterCutMs: NaN, largestGapMs: NaN, unreachableAfterMs: NaN, delivered: 0, sent: 0, intact: false, error: String(e) });
    } finally {
      lab.close();
    }
  }
  const gaps = (sender: string) => result.trials.filter((t) => !t.error && t.sender === sender).map((t) => t.largestGapMs).sort((x, y) => x - y);
  const median = (g: number[]) => (g.length ? g[Math.floor((g.length - 1) / 2)] : Number.NaN);
  const worst = (g: number[]) => (g.length ? g[g.length - 1] : Number.NaN);
  result.medianGapMs = median(gaps('guest'));
  result.maxGapMs = worst(gaps('guest'));
  result.nodeMedianGapMs = median(gaps('node'));
  result.nodeMaxGapMs = worst(gaps('node'));
  const failed = result.trials.filter((t) => t.error);
  if (failed.length) result.error = `${failed.length}/${result.trials.length} trials failed: ${failed.map((t) => t.error).join('; ')}`;
  return result;
}

const round = (v: number) => Math.round(v * 10) / 10;
