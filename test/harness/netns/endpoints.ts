// Starts the endpoints of the multi-homing tests and benchmark inside a lab's namespaces, each in
// its own process with usrsctp in raw-IP mode: the peer program's server (peers/server.ts) and the
// multihome guest (test/guests/multihome) through the host CLI, or the peer program's Node twin of
// that guest (peers/stream.ts).
import { startGuest } from '../components.js';
import { byCase, exitWithin, type Child, type Json } from '../processes.js';
import { startPeer } from '../peers/start.js';
import { LAB_POLICY, type Lab } from './lab.js';

export const PEER_PORT = 5001;

/** The peer program's server in host b, on all of b's addresses; `args` as server.ts takes them. */
export function startServer(lab: Lab, args: string[] = []): Child {
  const interfaces = Array.from({ length: lab.paths }, (_, i) => `p${i + 1}`).join(',');
  return startPeer('server', ['--addresses', lab.b.addresses.join(','), '--port', String(PEER_PORT), '--interfaces', interfaces, ...args],
    { prefix: lab.b.prefix, udpPort: 'raw', stdin: 'ignore' });
}

/** Resolves with the server's first line (seen or future) that has `key`. */
export function serverSaid(server: Child, key: string, timeoutMs = 20_000): Promise<Json> {
  return server.waitFor((e) => key in e, timeoutMs, `"${key}" line`);
}

/** The multihome guest in host a: `scenario` with a's and b's addresses, plus `args`. */
export function startMultihomeGuest(lab: Lab, scenario: string, args: string[] = []): Child {
  return startGuest('multihome', [scenario, '--local', lab.a.addresses.join(','), '--remote', lab.b.addresses.join(','), '--port', String(PEER_PORT), ...args],
    { prefix: lab.a.prefix, udpPort: 'raw', hostArgs: LAB_POLICY });
}

/** peers/stream.ts in host a, with the same arguments as the guest's `stream` scenario. */
export function startNodeSender(lab: Lab, args: string[]): Child {
  return startPeer('stream', ['--local', lab.a.addresses.join(','), '--remote', lab.b.addresses.join(','), '--port', String(PEER_PORT), ...args],
    { prefix: lab.a.prefix, udpPort: 'raw', stdin: 'ignore' });
}

/** The path (1-based) of a lab address such as "10.81.2.2:5001". */
export function pathOf(address: string): number {
  const m = address.match(/^10\.81\.(\d+)\./);
  if (!m) throw new Error(`not a lab address: ${address}`);
  return Number(m[1]);
}

/** CLOCK_MONOTONIC in ms: the clock of the peer's arrival times and of the guest's monotonic clock. */
export const monotonicMs = () => Number(process.hrtime.bigint()) / 1e6;

export interface FailoverFigures {
  /** From the cut to the first message that arrived after it. */
  firstAfterCutMs: number;
  /** The longest time without any arrival, from the cut to the end. */
  largestGapMs: number;
  /** Where that gap started, relative to the cut. */
  gapStartMs: number;
}

/** Outage figures from the peer's arrival times ([seq, ms], in arrival order) and the time of the cut. */
export function failoverFigures(arrivals: Array<[number, number]>, cutMs: number): FailoverFigures {
  let largestGapMs = 0;
  let gapStartMs = 0;
  for (let i = 1; i < arrivals.length; i++) {
    const end = arrivals[i][1];
    if (end < cutMs) continue;
    const start = Math.max(arrivals[i - 1][1], cutMs);
    if (end - start > largestGapMs) { largestGapMs = end - start; gapStartMs = start - cutMs; }
  }
  const first = arrivals.find(([, t]) => t > cutMs);
  return { firstAfterCutMs: first ? first[1] - cutMs : Number.NaN, largestGapMs, gapStartMs };
}

export interface FailoverRun {
  guestCode: number | null;
  cases: Map<string, Record<string, unknown>>;
  notifications: Array<Record<string, unknown>>;
  peerSummary: Record<string, unknown>;
  /** The path that was cut (the guest's primary). */
  cutPath: number;
  /** When the path was cut (CLOCK_MONOTONIC ms, as the notifications' `t`). */
  cutMs: number;
  figures: FailoverFigures;
  count: number;
}

/**
 * The failover experiment: the guest (or, with `sender: 'node'`, peers/stream.ts) sends `count` 1 KiB messages at `rate` per second to the peer
 * on 4 ordered streams; `cutAfterMs` after it started, its primary path goes down (`ip link set
 * down` at host a). Both ends use pattern.ts's FAST_FAILOVER settings unless `defaults`.
 */
export async function runFailover(lab: Lab, options: { count: number; rate: number; cutAfterMs: number; defaults?: boolean; sender?: 'guest' | 'node' }): Promise<FailoverRun> {
  const tuning = options.defaults ? [] : ['--fast-failover'];
  const server = startServer(lab, ['--arrivals', ...tuning]);
  await serverSaid(server, 'listening');
  const args = ['--count', String(options.count), '--rate', String(options.rate), ...tuning];
  const guest = options.sender === 'node' ? startNodeSender(lab, args) : startMultihomeGuest(lab, 'stream', args);
  const timeoutMs = (options.count / options.rate) * 1000 + (options.defaults ? 120_000 : 30_000);
  const exited = exitWithin(guest, timeoutMs);
  exited.catch(() => {}); // awaited below: a sender that fails before "sending" is reported by the wait
  const first = await guest.waitFor((e) => e.case === 'sending', timeoutMs, '"sending" line');
  const cutPath = pathOf(String(first.primary));
  await new Promise((resolve) => setTimeout(resolve, options.cutAfterMs));
  const cutMs = monotonicMs();
  lab.setLink(cutPath, false);
  const guestCode = await exited;
  await exitWithin(server, 10_000).catch(() => undefined);
  const summary = (await serverSaid(server, 'summary', 1000).catch(() => ({ summary: {} }))).summary as Record<string, unknown>;
  const { cases, notifications } = guestCases(guest);
  const arrivals = (summary.arrivals ?? []) as Array<[number, number]>;
  delete summary.arrivals;
  return { guestCode, cases, notifications, peerSummary: summary, cutPath, cutMs, figures: failoverFigures(arrivals, cutMs), count: options.count };
}

/** The guest's JSON lines by case, and its `notification` lines in order. */
export function guestCases(guest: Child): { cases: Map<string, Json>; notifications: Json[] } {
  return { cases: byCase(guest.events), notifications: guest.events.filter((e) => e.case === 'notification') };
}
