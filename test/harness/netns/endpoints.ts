// Starts the endpoints of the multi-homing tests and benchmark inside a lab's namespaces, each in
// its own process with usrsctp in raw-IP mode: the Node peer (peer.ts) and the guest component
// (guest-examples/multihome) through the host CLI.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { exitWithin, startGuest, type GuestProcess } from '../../../scripts/components.js';
import { projectRoot } from '../../../scripts/guests.js';
import { LAB_POLICY, type Lab } from './lab.js';

export const PEER_PORT = 5001;

export interface Peer {
  /** Every JSON line the peer printed. */
  events: Array<Record<string, unknown>>;
  /** Resolves with the first event (seen or future) that has `key`. */
  waitFor(key: string, timeoutMs?: number): Promise<Record<string, unknown>>;
  /** Resolves with the exit code once the process ended and its output was read. */
  closed: Promise<number | null>;
  kill(): void;
}

/** The Node peer in host b, on all of b's addresses; `args` as peer.ts takes them. */
export function startPeer(lab: Lab, args: string[] = []): Peer {
  const script = join(projectRoot, 'dist', 'test', 'support', 'netns', 'peer.js');
  const [command, ...prefix] = lab.b.prefix;
  const child = spawn(command, [...prefix, process.execPath, script, '--addresses', lab.b.addresses.join(','), '--port', String(PEER_PORT),
    '--interfaces', Array.from({ length: lab.paths }, (_, i) => `p${i + 1}`).join(','), ...args],
    { env: { ...process.env, WASM_SCTP_UDP_PORT: 'raw' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const events: Array<Record<string, unknown>> = [];
  const waiters: Array<{ key: string; resolve: (e: Record<string, unknown>) => void }> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let event: Record<string, unknown>;
    try { event = JSON.parse(line); } catch { event = { text: line }; }
    events.push(event);
    for (const w of [...waiters]) if (w.key in event) { waiters.splice(waiters.indexOf(w), 1); w.resolve(event); }
  });
  const closed = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  return {
    events,
    waitFor(key, timeoutMs = 20_000) {
      const seen = events.find((e) => key in e);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`peer: no "${key}" within ${timeoutMs} ms; got:\n${events.map((e) => JSON.stringify(e).slice(0, 300)).join('\n')}`)), timeoutMs);
        waiters.push({ key, resolve: (e) => { clearTimeout(timer); resolve(e); } });
        closed.then((code) => { clearTimeout(timer); reject(new Error(`peer exited (${code}) before "${key}"; got:\n${events.map((e) => JSON.stringify(e).slice(0, 300)).join('\n')}`)); });
      });
    },
    closed,
    kill() { child.kill('SIGKILL'); },
  };
}

/** The multihome guest in host a: `scenario` with a's and b's addresses, plus `args`. */
export function startMultihomeGuest(lab: Lab, scenario: string, args: string[] = [], onLine?: (line: string) => void): GuestProcess {
  return startGuest('multihome', [scenario, '--local', lab.a.addresses.join(','), '--remote', lab.b.addresses.join(','), '--port', String(PEER_PORT), ...args],
    { prefix: lab.a.prefix, udpPort: 'raw', onLine, hostArgs: LAB_POLICY });
}

/** sender.ts in host a, with the same arguments as the guest's `stream` scenario: a GuestProcess look-alike. */
export function startNodeSender(lab: Lab, args: string[], onLine?: (line: string) => void): GuestProcess {
  const script = join(projectRoot, 'dist', 'test', 'support', 'netns', 'sender.js');
  const [command, ...prefix] = lab.a.prefix;
  const child = spawn(command, [...prefix, process.execPath, script, '--local', lab.a.addresses.join(','), '--remote', lab.b.addresses.join(','),
    '--port', String(PEER_PORT), ...args], { env: { ...process.env, WASM_SCTP_UDP_PORT: 'raw' }, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: string[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => { lines.push(line); onLine?.(line); });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child, lines, exited,
    waitForLine: () => Promise.reject(new Error('not used')),
  };
}

/** Waits for the guest to exit (killing it after `timeoutMs`) and for its last output line. */
export async function guestFinished(guest: GuestProcess, timeoutMs: number): Promise<number | null> {
  const drained = new Promise<void>((resolve) => {
    if (guest.child.stdout!.readableEnded) resolve();
    else guest.child.stdout!.once('close', () => resolve());
  });
  const code = await exitWithin(guest, timeoutMs);
  await drained;
  return code;
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
 * The failover experiment: the guest (or, with `sender: 'node'`, sender.ts) sends `count` 1 KiB messages at `rate` per second to the peer
 * on 4 ordered streams; `cutAfterMs` after it started, its primary path goes down (`ip link set
 * down` at host a). Both ends use pattern.ts's FAST_FAILOVER settings unless `defaults`.
 */
export async function runFailover(lab: Lab, options: { count: number; rate: number; cutAfterMs: number; defaults?: boolean; sender?: 'guest' | 'node' }): Promise<FailoverRun> {
  const tuning = options.defaults ? [] : ['--fast-failover'];
  const peer = startPeer(lab, ['--arrivals', ...tuning]);
  await peer.waitFor('listening');
  let sending: ((line: Record<string, unknown>) => void) | undefined;
  const started = new Promise<Record<string, unknown>>((resolve) => { sending = resolve; });
  const args = ['--count', String(options.count), '--rate', String(options.rate), ...tuning];
  const onLine = (line: string) => {
    if (line.includes('"case":"sending"')) sending?.(JSON.parse(line));
  };
  const guest = options.sender === 'node' ? startNodeSender(lab, args, onLine) : startMultihomeGuest(lab, 'stream', args, onLine);
  const timeoutMs = (options.count / options.rate) * 1000 + (options.defaults ? 120_000 : 30_000);
  const exited = guestFinished(guest, timeoutMs);
  const first = await Promise.race([started, exited.then(() => undefined)]);
  if (!first) throw new Error(`the guest ended before sending:\n${guest.lines.join('\n')}`);
  const cutPath = pathOf(String(first.primary));
  await new Promise((resolve) => setTimeout(resolve, options.cutAfterMs));
  const cutMs = monotonicMs();
  lab.setLink(cutPath, false);
  const guestCode = await exited;
  const peerClosed = await Promise.race([peer.closed, new Promise((resolve) => setTimeout(() => resolve('timeout'), 10_000))]);
  if (peerClosed === 'timeout') peer.kill();
  const summary = (await peer.waitFor('summary', 1000).catch(() => ({ summary: {} }))).summary as Record<string, unknown>;
  const { cases, notifications } = guestCases(guest);
  const arrivals = (summary.arrivals ?? []) as Array<[number, number]>;
  delete summary.arrivals;
  return { guestCode, cases, notifications, peerSummary: summary, cutPath, cutMs, figures: failoverFigures(arrivals, cutMs), count: options.count };
}

/** The guest's JSON lines, by case (a case seen several times keeps its last line; `notification` lines are listed apart). */
export function guestCases(guest: GuestProcess): { cases: Map<string, Record<string, unknown>>; notifications: Array<Record<string, unknown>> } {
  const cases = new Map<string, Record<string, unknown>>();
  const notifications: Array<Record<string, unknown>> = [];
  for (const line of guest.lines) {
    if (!line.startsWith('{')) continue;
    const o = JSON.parse(line) as Record<string, unknown>;
    if (o.case === 'notification') notifications.push(o);
    else cases.set(String(o.case), o);
  }
  return { cases, notifications };
}
