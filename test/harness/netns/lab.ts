// Separate hosts for tests: two network namespaces, "a" and "b", joined by several paths (one veth
// pair each), so that endpoints run as real multi-homed hosts, each in its own process, with
// usrsctp in raw-IP mode (plain SCTP on the wire). Reusable by any test or benchmark.
//
// Topology for N paths (addresses exist only inside the namespaces):
//   direct:   a:p<i> 10.81.<i>.1/24  <-- veth -->  b:p<i> 10.81.<i>.2/24
//   relayed:  a:p<i> <-- veth --> r:a<i> [relay.c] r:b<i> <-- veth --> b:p<i>
// In the relayed form a third namespace "r" holds one user-space relay per path (relay.c: loss,
// delay and reordering on demand), because `tc ... netem` needs a kernel built with
// CONFIG_NET_SCH_NETEM, which the CI kernel lacks.
//
// Names carry the test process's id (mh-<pid>-<n>-a, ...). Everything is removed by close(), at
// process exit and on SIGINT/SIGTERM; namespaces left by runs that were killed outright are removed
// by the next run. Needs root: `netnsUnavailable()` says why not, for a printed skip.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot } from '../../../scripts/guests.js';
import { cleanupAtExit, killNamespaceProcesses, namespacesUnavailable, pidAlive, run, tryRun } from '../shell.js';

const PREFIX = 'mh-';

/** The host CLI's network policy for guests in a lab: its addresses (10.81.0.0/16), and binding to the wildcard. */
export const LAB_POLICY = ['--allow-bind', '10.81.0.0/16,wildcard', '--allow-connect', '10.81.0.0/16', '--allow-accept', '10.81.0.0/16'];

export interface LabHost {
  /** The namespace's name. */
  namespace: string;
  /** This host's address on each path, path 1 first. */
  addresses: string[];
  /** Runs a command inside the namespace: `[...prefix, command, ...args]`. */
  prefix: string[];
}

export interface Impairment {
  /** Percent of frames dropped, both directions. */
  loss?: number;
  /** Milliseconds frames are held. */
  delayMs?: number;
  /** Percent of frames sent at once instead of held (they overtake the held ones). */
  reorder?: number;
}

export interface RelayStats { forwarded: number; dropped: number; delayed: number; reordered: number; overflow: number }

export interface Lab {
  a: LabHost;
  b: LabHost;
  /** Number of paths. */
  paths: number;
  /** Takes path `i` (1-based) down or up at host a's end: `ip link set p<i> down|up`. */
  setLink(path: number, up: boolean): void;
  /** Bytes host `side` sent and received on path `i` so far (its interface's counters). */
  counters(side: 'a' | 'b', path: number): { tx: number; rx: number };
  /** Relayed labs only: changes the impairment of path `i`. */
  impair(path: number, impairment: Impairment): Promise<void>;
  /** Relayed labs only: what the relay of path `i` did so far. */
  relayStats(path: number): Promise<RelayStats>;
  close(): void;
}

/** Why namespaced hosts cannot be made here, or undefined when they can. */
export function netnsUnavailable(): string | undefined {
  return namespacesUnavailable(`${PREFIX}probe-${process.pid}`, 'veth pairs', (probe) => {
    const veth = tryRun('ip', ['-n', probe, 'link', 'add', 'x0', 'type', 'veth', 'peer', 'name', 'x1']);
    return veth.ok ? undefined : `cannot create a veth pair: ${veth.output}`;
  });
}

/** Removes namespaces (and their processes) of runs that died without cleaning up. */
function removeStale(): void {
  for (const line of tryRun('ip', ['netns', 'list']).output.split('\n')) {
    const m = line.match(/^(mh-(\d+)-\S+)/);
    if (!m || m[1].startsWith(`${PREFIX}probe`) || pidAlive(Number(m[2]))) continue;
    killNamespaceProcesses(m[1]);
    tryRun('ip', ['netns', 'del', m[1]]);
  }
}

/** Compiles relay.c into .cache/netns/ once per source hash. */
export function buildRelay(): string {
  const source = join(projectRoot, 'test', 'harness', 'netns', 'relay.c');
  const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 12);
  const dir = join(projectRoot, '.cache', 'netns');
  const binary = join(dir, `relay-${hash}`);
  if (existsSync(binary)) return binary;
  mkdirSync(dir, { recursive: true });
  const partial = `${binary}.partial-${process.pid}`;
  execFileSync('gcc', ['-O2', '-Wall', '-o', partial, source], { stdio: ['ignore', 'inherit', 'inherit'] });
  renameSync(partial, binary);
  return binary;
}

interface Relay {
  child: ChildProcess;
  send(command: string): Promise<Record<string, unknown>>;
}

function startRelay(binary: string, namespace: string, path: number): Promise<Relay> {
  const child = spawn('ip', ['netns', 'exec', namespace, binary, `a${path}`, `b${path}`, String(1000 + path)],
    { stdio: ['pipe', 'pipe', 'inherit'] });
  const pending: Array<(reply: Record<string, unknown>) => void> = [];
  let ready: (() => void) | undefined;
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const reply = JSON.parse(line) as Record<string, unknown>;
    if (reply.ready) ready?.();
    else pending.shift()?.(reply);
  });
  const relay: Relay = {
    child,
    send(command) {
      return new Promise((resolve, reject) => {
        if (child.exitCode !== null || child.signalCode !== null) { reject(new Error('relay exited')); return; }
        pending.push((reply) => (reply.error ? reject(new Error(`relay: ${command}: ${String(reply.error)}`)) : resolve(reply)));
        child.stdin!.write(`${command}\n`);
      });
    },
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay of path ${path} did not start`)), 10_000);
    ready = () => { clearTimeout(timer); resolve(relay); };
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`relay of path ${path} exited (${code})`)); });
  });
}

let counter = 0;

export function pathAddress(path: number, host: 'a' | 'b'): string {
  return `10.81.${path}.${host === 'a' ? 1 : 2}`;
}

/** Creates the hosts and paths. `relayed`: through user-space relays that can drop, delay and reorder. */
export async function startLab(options: { paths?: number; relayed?: boolean } = {}): Promise<Lab> {
  const paths = options.paths ?? 2;
  if (paths < 1 || paths > 9) throw new Error('1..9 paths');
  removeStale();
  const base = `${PREFIX}${process.pid}-${counter++}`;
  const ns = { a: `${base}-a`, b: `${base}-b`, r: `${base}-r` };
  const namespaces = options.relayed ? [ns.a, ns.b, ns.r] : [ns.a, ns.b];
  const relays: Relay[] = [];
  let closed = false;

  const cleanup = () => {
    if (closed) return;
    closed = true;
    for (const r of relays) { try { r.child.kill('SIGKILL'); } catch { /* gone */ } }
    for (const n of namespaces) {
      killNamespaceProcesses(n);
      tryRun('ip', ['netns', 'del', n]);
    }
  };
  const unhook = cleanupAtExit(cleanup);

  try {
    for (const n of namespaces) {
      run('ip', ['netns', 'add', n]);
      run('ip', ['-n', n, 'link', 'set', 'lo', 'up']);
    }
    for (const n of [ns.a, ns.b]) {
      // usrsctp picks source addresses without the kernel's routes: a packet may leave on one path with the
      // address of another as its source, which strict reverse-path filtering would drop. Set before the
      // interfaces exist, so they inherit it.
      sysctl(n, { 'net/ipv4/conf/all/rp_filter': 0, 'net/ipv4/conf/default/rp_filter': 0 });
    }
    if (options.relayed) sysctl(ns.r, { 'net/ipv6/conf/all/disable_ipv6': 1, 'net/ipv6/conf/default/disable_ipv6': 1 });
    for (let i = 1; i <= paths; i++) {
      if (options.relayed) {
        run('ip', ['-n', ns.a, 'link', 'add', `p${i}`, 'type', 'veth', 'peer', 'name', `a${i}`, 'netns', ns.r]);
        run('ip', ['-n', ns.b, 'link', 'add', `p${i}`, 'type', 'veth', 'peer', 'name', `b${i}`, 'netns', ns.r]);
        for (const end of [`a${i}`, `b${i}`]) run('ip', ['-n', ns.r, 'link', 'set', end, 'up']);
      } else {
        run('ip', ['-n', ns.a, 'link', 'add', `p${i}`, 'type', 'veth', 'peer', 'name', `p${i}`, 'netns', ns.b]);
      }
      for (const [n, host] of [[ns.a, 'a'], [ns.b, 'b']] as const) {
        run('ip', ['-n', n, 'addr', 'add', `${pathAddress(i, host)}/24`, 'dev', `p${i}`]);
        run('ip', ['-n', n, 'link', 'set', `p${i}`, 'up']);
      }
    }
    if (options.relayed) {
      const binary = buildRelay();
      for (let i = 1; i <= paths; i++) relays.push(await startRelay(binary, ns.r, i));
    }
  } catch (e) {
    cleanup();
    unhook();
    throw e;
  }

  const host = (namespace: string, side: 'a' | 'b'): LabHost => ({
    namespace,
    addresses: Array.from({ length: paths }, (_, i) => pathAddress(i + 1, side)),
    prefix: ['ip', 'netns', 'exec', namespace],
  });
  const relayOf = (path: number) => {
    const r = relays[path - 1];
    if (!r) throw new Error(options.relayed ? `no path ${path}` : 'impairments need a relayed lab');
    return r;
  };
  return {
    a: host(ns.a, 'a'),
    b: host(ns.b, 'b'),
    paths,
    setLink(path, up) {
      run('ip', ['-n', ns.a, 'link', 'set', `p${path}`, up ? 'up' : 'down']);
    },
    counters(side, path) {
      const json = JSON.parse(run('ip', ['-n', side === 'a' ? ns.a : ns.b, '-s', '-j', 'link', 'show', `p${path}`])) as
        Array<{ stats64: { rx: { bytes: number }; tx: { bytes: number } } }>;
      return { tx: json[0].stats64.tx.bytes, rx: json[0].stats64.rx.bytes };
    },
    async impair(path, impairment) {
      const r = relayOf(path);
      if (impairment.loss !== undefined) await r.send(`loss ${impairment.loss}`);
      if (impairment.delayMs !== undefined) await r.send(`delay ${impairment.delayMs}`);
      if (impairment.reorder !== undefined) await r.send(`reorder ${impairment.reorder}`);
    },
    async relayStats(path) {
      return await relayOf(path).send('stats') as unknown as RelayStats;
    },
    close() {
      cleanup();
      unhook();
    },
  };
}

/** Writes /proc/sys values inside a namespace (no dependency on procps' sysctl). */
function sysctl(namespace: string, values: Record<string, number>): void {
  const script = Object.entries(values).map(([k, v]) => `echo ${v} > /proc/sys/${k}`).join(' && ');
  run('ip', ['netns', 'exec', namespace, 'sh', '-c', script]);
}
