// Starts the endpoints of the multi-homing tests and benchmark inside a lab's namespaces, each in
// its own process with usrsctp in raw-IP mode: the Node peer (peer.ts) and the guest component
// (guest-examples/multihome) through the host CLI.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { startGuest, type GuestProcess } from '../../../scripts/components.js';
import { projectRoot } from '../../../scripts/guests.js';
import type { Lab } from './lab.js';

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
  const child = spawn(command, [...prefix, process.execPath, script, '--addresses', lab.b.addresses.join(','), '--port', String(PEER_PORT), ...args],
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
export function startMultihomeGuest(lab: Lab, scenario: string, args: string[] = []): GuestProcess {
  return startGuest('multihome', [scenario, '--local', lab.a.addresses.join(','), '--remote', lab.b.addresses.join(','), '--port', String(PEER_PORT), ...args],
    { prefix: lab.a.prefix, udpPort: 'raw' });
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
