// Interoperability with the Linux kernel's SCTP stack (issue #8). A Linux 6.1 kernel runs as a
// process (user-mode Linux) in a network namespace this test creates; its SCTP sockets, driven by
// test/support/kernel/peer.py, talk to guest components (guest-examples/interop/interop.ts) that
// run through our host inside the same namespace:
// - over SCTP over UDP (RFC 6951; the kernel's net.sctp.udp_port) and over plain SCTP (the host's
//   --udp-port raw, usrsctp on raw IP sockets);
// - guest client with kernel servers, kernel clients with a one-to-one and a one-to-many guest server;
// - a burst on 8 streams with a PPID per stream and unordered messages, and a 1 MiB message, both ways;
// - graceful shutdown and abort started by either side, as each side sees them.
// Skipped, with the reason printed, where network namespaces cannot be made (not root).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { exitWithin, startGuest, type GuestProcess } from '../scripts/components.js';
import { buildGuest } from '../scripts/guests.js';
import { burst, LARGE_PPID, LARGE_SIZE, LARGE_STREAM, STREAMS } from '../guest-examples/interop/patterns.js';
import { HOST_ADDRESS, KERNEL_ADDRESS, KERNEL_UDP_PORT, startLab, unavailableReason, type KernelLab, type KernelResult } from './support/kernel/lab.js';

type Mode = 'udp' | 'raw';
const BURST = 64;
const GUEST_PPID_BASE = 0x10203040;
const KERNEL_PPID_BASE = 0x31323334;

interface Observation {
  case: string;
  messages: ReceivedSummary[];
  notifications: Array<{ type: string; state?: string }>;
  end: string | null;
  errors: string[];
  [key: string]: unknown;
}
interface ReceivedSummary { stream: number; ppid: number; unordered: boolean; pieces: number; len: number; text?: string; largeIntact?: boolean; association?: number }

function observations(guest: GuestProcess): Map<string, Observation> {
  const seen = new Map<string, Observation>();
  for (const line of guest.lines) {
    if (!line.startsWith('{')) continue;
    const o = JSON.parse(line) as Observation;
    seen.set(o.case, o);
  }
  return seen;
}

const show = (o: unknown) => JSON.stringify(o, (k, v) => (k === 'messages' && Array.isArray(v) && v.length > 6 ? `${v.length} messages` : v));

/**
 * The guest's exit code; kills it after `timeoutMs` (at once with 0). A guest must never outlive
 * its test: in raw-IP mode every usrsctp stack in the namespace sees every SCTP packet, and one
 * that does not know the association answers with ABORT.
 */
async function finished(guest: GuestProcess, timeoutMs: number): Promise<number | null> {
  if (guest.child.exitCode !== null || guest.child.signalCode !== null) return guest.child.exitCode;
  if (timeoutMs === 0) {
    guest.child.kill('SIGKILL');
    return guest.exited;
  }
  return exitWithin(guest, timeoutMs);
}

const reason = unavailableReason();
if (reason) {
  console.log(`kernel interop: SKIPPED: ${reason}`);
} else {
  const lane = suite('interoperability with the Linux kernel SCTP stack');
  let lab: KernelLab;
  const started = Date.now();
  lane.before(async () => {
    buildGuest('interop'); // componentizing takes ~15 s when the guest changed: not while the kernel waits
    lab = await startLab();
  });
  lane.after(async () => {
    await lab?.close();
    console.log(`kernel interop: ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
  });

  for (const mode of ['udp', 'raw'] as Mode[]) {
    const encapsToKernel = mode === 'udp' ? KERNEL_UDP_PORT : 0;
    const udpPort = mode === 'udp' ? 'auto' : 'raw';
    const portBase = mode === 'udp' ? 5000 : 6000;

    lane(`${mode}: guest client, kernel servers`, async () => {
      const t0 = Date.now();
      const cases = { echo: 'echo', 'peer-shutdown': 'reply-shutdown', abort: 'echo', 'peer-abort': 'reply-abort' } as const;
      const servers: Record<string, { port: number; done: Promise<KernelResult> }> = {};
      let port = portBase;
      for (const [name, behaviour] of Object.entries(cases)) {
        port++;
        servers[name] = { port, ...(await lab.serve({ port, behaviour })) };
      }
      const guest = startGuest('interop', ['client', HOST_ADDRESS, KERNEL_ADDRESS, String(encapsToKernel),
        ...Object.keys(cases).map((name) => `${name}=${servers[name].port}`)], { udpPort, prefix: lab.prefix });
      const code = await finished(guest, 60_000);
      const seen = observations(guest);
      for (const [name, s] of Object.entries(servers)) {
        const k = await s.done;
        console.log(`${mode} ${name}: guest ${show(seen.get(name))}\n   kernel ${show(k)}`);
      }
      console.log(`${mode} client lane: ${Date.now() - t0} ms`);
      assert.is(code, 0, guest.lines.join('\n'));
    });

    lane(`${mode}: kernel clients, guest servers`, async () => {
      const t0 = Date.now();
      const guest = startGuest('interop', ['server', HOST_ADDRESS, '4', String(2 * BURST)], { udpPort, prefix: lab.prefix });
      try {
      const listening = JSON.parse((await guest.waitForLine(/^\{"case":"listening".*/, 30_000))[0]) as { oneToOne: number; oneToMany: number; udp: number };
      const encaps = mode === 'udp' ? listening.udp : 0;
      const kernel: Record<string, KernelResult> = {};
      const common = { address: HOST_ADDRESS, encaps };
      kernel.echo = await lab.connect({ ...common, port: listening.oneToOne, behaviour: 'burst-echo', case: 'echo', count: BURST, ppid_base: KERNEL_PPID_BASE });
      kernel.shutdown = await lab.connect({ ...common, port: listening.oneToOne, behaviour: 'expect-end', case: 'shutdown' });
      kernel.abort = await lab.connect({ ...common, port: listening.oneToOne, behaviour: 'expect-end', case: 'abort' });
      kernel['peer-abort'] = await lab.connect({ ...common, port: listening.oneToOne, behaviour: 'reply-abort', case: 'peer-abort' });
      const many = await Promise.all([0x41000000, 0x42000000].map((base) =>
        lab.connect({ ...common, port: listening.oneToMany, behaviour: 'burst-echo', count: BURST, ppid_base: base, large: false })));
      const code = await finished(guest, 30_000);
      const seen = observations(guest);
      for (const name of Object.keys(kernel)) console.log(`${mode} server-${name}: guest ${show(seen.get(`server-${name}`))}\n   kernel ${show(kernel[name])}`);
      console.log(`${mode} one-to-many: guest ${show(seen.get('server-one-to-many'))}\n   kernel ${show(many)}`);
      console.log(`${mode} server lane: ${Date.now() - t0} ms`);
      assert.is(code, 0, guest.lines.join('\n'));
      } finally {
        await finished(guest, 0);
      }
    });
  }

  lane.run();
}
void burst; void LARGE_PPID; void LARGE_SIZE; void LARGE_STREAM; void STREAMS;
