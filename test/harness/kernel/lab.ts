// A Linux kernel SCTP peer for tests: user-mode Linux (Debian's `user-mode-linux`, a Linux 6.1
// kernel that runs as a process) booted inside a network namespace this module creates, with
// test/harness/kernel/peer.py as its program, driven over the UML console.
//
// Topology (addresses exist only inside the namespace):
//   namespace ksctp-<pid>-<n>:  tap kt<pid>x<n> 10.77.0.1/24  <-- vec0 of the UML kernel, 10.77.0.2/24
// Guests run inside the same namespace (`ip netns exec`), over UDP encapsulation to the kernel's
// net.sctp.udp_port or, with the host's --udp-port raw, plain SCTP over IP.
//
// Everything is cleaned up in close(), and at process exit (including SIGINT/SIGTERM) if close()
// was never reached; namespaces left by runs that were killed outright are removed at the next start.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot } from '../../../scripts/guests.js';
import { cleanupAtExit, killNamespaceProcesses, namespacesUnavailable, pidAlive, run, tryRun } from '../shell.js';

export const HOST_ADDRESS = '10.77.0.1';
export const KERNEL_ADDRESS = '10.77.0.2';
/** The kernel's net.sctp.udp_port. */
export const KERNEL_UDP_PORT = 9899;

const here = join(projectRoot, 'test', 'harness', 'kernel');
const PREFIX = 'ksctp-';
const BOOT_TIMEOUT_MS = 60_000;
const COMMAND_TIMEOUT_MS = 30_000;

/** Why the lane cannot run here, or undefined when it can. */
export function unavailableReason(): string | undefined {
  return namespacesUnavailable(`${PREFIX}probe-${process.pid}`, 'tap devices',
    () => (existsSync('/dev/net/tun') ? undefined : 'no /dev/net/tun for the tap device'));
}

/** The Debian packages' programs (user-mode-linux, busybox-static, ethtool, python3), which scripts/setup.sh --tests installs. */
function checkPrograms(): void {
  const missing = [['/usr/bin/linux.uml'], ['/bin/busybox', '/usr/bin/busybox'], ['/usr/sbin/ethtool', '/sbin/ethtool'], ['/usr/bin/python3']]
    .filter((paths) => !paths.some((p) => existsSync(p))).map((paths) => paths[0]);
  if (missing.length) throw new Error(`kernel interop: ${missing.join(', ')} missing: bash scripts/setup.sh --tests installs them`);
}

/** Removes namespaces (and the processes in them) that runs which died without cleaning up left behind. */
function removeStaleNamespaces(): void {
  const list = tryRun('ip', ['netns', 'list']);
  for (const line of list.output.split('\n')) {
    const m = line.match(/^(ksctp-(\d+)-\d+)\b/);
    if (!m || pidAlive(Number(m[2]))) continue;
    killNamespaceProcesses(m[1]);
    tryRun('ip', ['netns', 'del', m[1]]);
  }
  for (const name of readdirSync(tmpdir())) {
    const m = name.match(/^ksctp-uml-(\d+)-/);
    if (m && !pidAlive(Number(m[1]))) rmSync(join(tmpdir(), name), { recursive: true, force: true });
  }
}

export interface KernelResult {
  messages: Array<{ stream: number; ppid: number; unordered: boolean; pieces: number; len: number; text?: string; largeIntact?: boolean }>;
  notifications: Array<{ type: string; state?: string; error?: number; outbound?: number; inbound?: number; info?: string }>;
  /** How recv ended: "eof", an errno name (ECONNRESET), "no-eof" (the notification said it ended, recv never did), "aborted" (this side aborted), "timeout". */
  end: string | null;
  sent: number;
  errors: string[];
  peer?: string;
  connect_ms?: number;
}

export interface ServeCommand { port: number; behaviour: 'echo' | 'reply-shutdown' | 'reply-abort'; style?: 'one-to-one' }
export interface ConnectCommand {
  address: string; port: number; encaps: number;
  behaviour: 'burst-echo' | 'expect-end' | 'reply-abort';
  case?: string; count?: number; ppid_base?: number; large?: boolean;
}

export interface KernelLab {
  namespace: string;
  /** Run a command inside the namespace: `['ip', 'netns', 'exec', namespace]`. */
  prefix: string[];
  /** A kernel server: resolves once it listens; `done` resolves with what it saw. */
  serve(command: ServeCommand): Promise<{ done: Promise<KernelResult> }>;
  /** A kernel client: resolves with what it saw. */
  connect(command: ConnectCommand): Promise<KernelResult>;
  /** The kernel's SCTP counters (/proc/net/sctp/snmp: SctpChecksumErrors, SctpT3Retransmits, ...). */
  snmp(): Promise<Record<string, number>>;
  /** The last lines of the UML console, for failure messages. */
  console(): string;
  close(): Promise<void>;
}

let counter = 0;

export async function startLab(): Promise<KernelLab> {
  // Missing programs are a setup error, not a reason to skip.
  checkPrograms();
  removeStaleNamespaces();
  const n = counter++;
  const namespace = `${PREFIX}${process.pid}-${n}`;
  const tap = `kt${process.pid}x${n}`.slice(0, 15);
  const umlDir = mkdtempSync(join(tmpdir(), `${PREFIX}uml-${process.pid}-`));
  let uml: ChildProcess | undefined;
  let closed = false;

  const cleanupNow = () => {
    if (closed) return;
    closed = true;
    if (uml?.pid && uml.exitCode === null && uml.signalCode === null) {
      try { process.kill(-uml.pid, 'SIGKILL'); } catch { /* gone */ }
    }
    killNamespaceProcesses(namespace);
    tryRun('ip', ['netns', 'del', namespace]);
    rmSync(umlDir, { recursive: true, force: true });
  };
  const unhook = cleanupAtExit(cleanupNow);

  try {
    run('ip', ['netns', 'add', namespace]);
    const inNs = (...args: string[]) => run('ip', ['-n', namespace, ...args]);
    inNs('link', 'set', 'lo', 'up');
    inNs('tuntap', 'add', 'dev', tap, 'mode', 'tap');
    inNs('addr', 'add', `${HOST_ADDRESS}/24`, 'dev', tap);
    inNs('link', 'set', tap, 'up');
    // usrsctp in raw-IP mode picks source addresses without the kernel's routes.
    run('ip', ['netns', 'exec', namespace, 'busybox', 'sysctl', '-qw', 'net.ipv4.conf.all.rp_filter=0', 'net.ipv4.conf.default.rp_filter=0']);

    uml = spawn('ip', ['netns', 'exec', namespace, 'linux.uml',
      'mem=256M', 'root=/dev/root', 'rootfstype=hostfs', 'rootflags=/', 'ro', 'quiet',
      `init=${join(here, 'init.sh')}`, `uml_dir=${umlDir}`, `umid=${namespace}`,
      `KADDR=${KERNEL_ADDRESS}/24`, `KUDP=${KERNEL_UDP_PORT}`,
      `vec0:transport=tap,ifname=${tap}`, 'con=null', 'con0=fd:0,fd:1'],
    { detached: true, stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (e) {
    cleanupNow();
    unhook();
    throw e;
  }

  const consoleLines: string[] = [];
  type Listener = (event: Record<string, unknown>) => void;
  const listeners = new Map<string, Listener>();
  let exited: string | undefined;
  const exitWaiters: Array<() => void> = [];
  const onLine = (line: string) => {
    consoleLines.push(line);
    if (consoleLines.length > 200) consoleLines.shift();
    const at = line.indexOf('@@{');
    if (at < 0) return;
    let event: Record<string, unknown>;
    try { event = JSON.parse(line.slice(at + 2)); } catch { return; }
    listeners.get(String(event.id ?? ''))?.(event);
  };
  createInterface({ input: uml.stdout! }).on('line', onLine);
  createInterface({ input: uml.stderr! }).on('line', onLine);
  uml.on('exit', (code, signal) => {
    exited = `UML exited (${code ?? signal})`;
    for (const f of exitWaiters.splice(0)) f();
  });
  uml.stdin!.on('error', () => { /* UML gone: reported through `exited` */ });
  const tail = () => consoleLines.slice(-40).join('\n');

  /** Resolves with the first event for `id` that `accept` takes; rejects on failure, timeout or UML exit. */
  function waitFor(id: string, accept: (e: Record<string, unknown>) => boolean, what: string, timeoutMs: number): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const fail = (why: string) => { clearTimeout(timer); listeners.delete(id); reject(new Error(`kernel peer: ${what}: ${why}\n--- UML console ---\n${tail()}`)); };
      const timer = setTimeout(() => fail(`no answer within ${timeoutMs} ms`), timeoutMs);
      if (exited) return fail(exited);
      exitWaiters.push(() => fail(exited!));
      listeners.set(id, (e) => {
        if (e.event === 'failed') return fail(String(e.error));
        if (accept(e)) { clearTimeout(timer); resolve(e); }
      });
    });
  }

  const booted = Date.now();
  try {
    const ready = await waitFor('', (e) => e.event === 'ready', 'boot', BOOT_TIMEOUT_MS);
    console.log(`kernel interop: Linux ${ready.kernel} (user-mode) up in namespace ${namespace} after ${Date.now() - booted} ms; net.sctp ${JSON.stringify(ready.sctp)}`);
  } catch (e) {
    cleanupNow();
    unhook();
    throw e;
  }

  let ids = 0;
  function send(command: Record<string, unknown>): string {
    const id = `c${ids++}`;
    uml!.stdin!.write(`${JSON.stringify({ id, ...command })}\n`);
    return id;
  }

  return {
    namespace,
    prefix: ['ip', 'netns', 'exec', namespace],
    async serve(command) {
      const id = `c${ids}`;
      // Both answers are awaited from the start, so the "done" of a quick server is not missed.
      let listeningResolve!: () => void;
      const listening = new Promise<void>((r) => { listeningResolve = r; });
      const done = waitFor(id, (e) => { if (e.event === 'listening') listeningResolve(); return e.event === 'done'; },
        `serve ${JSON.stringify(command)}`, COMMAND_TIMEOUT_MS + 30_000);
      const result = done.then((e) => e.result as KernelResult);
      result.catch(() => { /* reported to whoever awaits it */ });
      send({ op: 'serve', ...command });
      await Promise.race([listening, done]);
      return { done: result };
    },
    async connect(command) {
      const id = `c${ids}`;
      const done = waitFor(id, (e) => e.event === 'done', `connect ${JSON.stringify(command)}`, COMMAND_TIMEOUT_MS);
      send({ op: 'connect', ...command });
      return (await done).result as KernelResult;
    },
    async snmp() {
      const id = `c${ids}`;
      const done = waitFor(id, (e) => e.event === 'done', 'stats', COMMAND_TIMEOUT_MS);
      send({ op: 'stats' });
      return ((await done).result as { snmp: Record<string, number> }).snmp;
    },
    console: tail,
    async close() {
      if (closed) return;
      try {
        if (!exited) {
          uml!.stdin!.write('{"op":"exit"}\n');
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, 3000);
            exitWaiters.push(() => { clearTimeout(timer); resolve(); });
          });
        }
      } finally {
        cleanupNow();
        unhook();
      }
    },
  };
}
