// Interoperability with the Linux kernel's SCTP stack (issue #8). A Linux 6.1 kernel runs as a
// process (user-mode Linux) in a network namespace this test creates; its SCTP sockets, driven by
// test/harness/kernel/peer.py, talk to guest components (test/guests/interop/interop.ts) that
// run through our host inside the same namespace:
// - over SCTP over UDP (RFC 6951; the kernel's net.sctp.udp_port) and over plain SCTP (the host's
//   --udp-port raw: usrsctp on raw IP sockets);
// - a guest client with kernel servers; kernel clients with a one-to-one guest server, and two
//   kernel clients at once with a one-to-many guest server;
// - 64 messages on 8 streams with a PPID per stream and every fourth unordered, and 1 MiB, both ways;
// - graceful shutdown and abort, started by either side, as both sides see them (notifications,
//   end-of-stream, error codes).
// Each lane runs its cases in one guest process (starting one costs ~1.5 s); the tests after it
// assert on what both sides reported. Skipped, with the reason printed, where network namespaces
// cannot be made (not root).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startGuest } from './harness/components.js';
import { byCase, exitWithin, type Child } from './harness/processes.js';
import { buildGuest } from '../scripts/guests.js';
import { burst, LARGE_PPID, LARGE_SIZE, LARGE_STREAM, STREAMS } from './guests/interop/patterns.js';
import { HOST_ADDRESS, KERNEL_ADDRESS, KERNEL_UDP_PORT, startLab, unavailableReason, type KernelLab, type KernelResult } from './harness/kernel/lab.js';

/** The guests live on the lab's link, outside the host's default (loopback-only) network policy. */
const LAB_POLICY = ['--allow-bind', '10.77.0.0/24', '--allow-connect', '10.77.0.0/24', '--allow-accept', '10.77.0.0/24'];

type Mode = 'udp' | 'raw';
const BURST = 64;
/** The PPID bases of the interop guest's burst and of the kernel clients' (see patterns.ts). */
const GUEST_PPID_BASE = 0x10203040;
const KERNEL_PPID_BASE = 0x31323334;
const ONE_TO_MANY_PPID_BASES = [0x41000000, 0x42000000];
/** Fixed stream/PPID of the single messages the cases exchange. */
const GUEST_HELLO = { stream: 1, ppid: 0x01020304 };
const GUEST_REPLY = { stream: 2, ppid: 0x0a0b0c0d, text: 'guest reply' };
const KERNEL_REPLY = { stream: 2, ppid: 77, text: 'kernel reply' };
/** RFC 9260 error cause 12: User-Initiated Abort. */
const USER_INITIATED_ABORT = 12;

interface Message { stream: number; ppid: number; unordered: boolean; len: number; pieces: number; text?: string; largeIntact?: boolean; association?: number }
interface Note { type: string; state?: string; error?: number; outbound?: number; inbound?: number; info?: string; association?: number }
interface Observation { case: string; messages: Message[]; notifications: Note[]; end: string | null; errors: string[]; [key: string]: unknown }

/** The guest's JSON lines by case. */
const observations = (guest: Child) => byCase(guest.events) as Map<string, Observation>;

/**
 * The guest's exit code; kills it after `timeoutMs` (at once with 0). A guest must never outlive
 * its test: in raw-IP mode every usrsctp stack in the namespace sees every SCTP packet, and one
 * that does not know the association answers with ABORT.
 */
async function finished(guest: Child, timeoutMs: number): Promise<number | null> {
  if (guest.child.exitCode !== null || guest.child.signalCode !== null) return guest.child.exitCode;
  if (timeoutMs === 0) {
    guest.child.kill('SIGKILL');
    return guest.exited;
  }
  return exitWithin(guest, timeoutMs);
}

/** KERNEL_INTEROP_VERBOSE=1 prints what both sides reported for every case. */
const verbose = !!process.env.KERNEL_INTEROP_VERBOSE;

/** How long each case took in the guest. */
const caseTimes = (seen: Map<string, Observation>) => [...seen.values()].filter((o) => 'elapsedMs' in o).map((o) => `${o.case} ${o.elapsedMs} ms`).join(', ');

/** JSON with long message lists cut to their count and the 1 MiB message. */
const brief = (o: unknown) => JSON.stringify(o, (k, v) => (k === 'messages' && Array.isArray(v) && v.length > 4
  ? [`${v.length} messages`, ...v.filter((m: Message) => m.len === LARGE_SIZE)] : v));

/** assoc-change notifications by state, a SHUTDOWN event as "shutdown". */
const kinds = (notes: Note[]) => notes.map((n) => (n.type === 'assoc-change' ? n.state! : n.type));

/**
 * The burst as one side received it: every message once, each on its stream with that stream's
 * PPID (byte order included), the unordered flag as sent, whole, and each stream's ordered
 * messages in order.
 */
function assertBurst(messages: Message[], ppidBase: number, what: string): void {
  const expected = burst(BURST, ppidBase);
  assert.is(messages.length, BURST, `${what}: ${messages.length} of ${BURST} burst messages: ${brief(messages.slice(0, 3))}`);
  const seen = new Set<number>();
  const lastOrdered = new Map<number, number>();
  for (const m of messages) {
    const match = /^burst (\d+) stream \d+ $/.exec(m.text ?? '');
    assert.ok(match, `${what}: not a burst message: ${JSON.stringify(m)}`);
    const e = expected[Number(match![1])];
    assert.ok(e && !seen.has(e.index), `${what}: message ${match![1]} is not in the burst or came twice`);
    seen.add(e.index);
    assert.equal({ stream: m.stream, ppid: m.ppid, unordered: m.unordered, len: m.len },
      { stream: e.stream, ppid: e.ppid, unordered: e.unordered, len: e.size }, `${what}: message ${e.index}`);
    if (!m.unordered) {
      const last = lastOrdered.get(m.stream) ?? -1;
      assert.ok(last < e.index, `${what}: ordered message ${e.index} on stream ${m.stream} came after ${last}`);
      lastOrdered.set(m.stream, e.index);
    }
  }
  assert.is(new Set(messages.map((m) => m.stream)).size, STREAMS, `${what}: streams used`);
  assert.is(new Set(messages.map((m) => m.ppid)).size, STREAMS, `${what}: distinct PPIDs`);
  assert.is(messages.filter((m) => m.unordered).length, BURST / 4, `${what}: unordered messages`);
}

/** The burst plus the 1 MiB message (which may overtake an unordered message that was resent). */
function assertBurstAndLarge(messages: Message[], ppidBase: number, what: string): void {
  const large = messages.filter((m) => m.len === LARGE_SIZE);
  assert.equal(large.map(({ stream, ppid, len, largeIntact }) => ({ stream, ppid, len, largeIntact })),
    [{ stream: LARGE_STREAM, ppid: LARGE_PPID, len: LARGE_SIZE, largeIntact: true }], `${what}: the 1 MiB message`);
  assertBurst(messages.filter((m) => m.len !== LARGE_SIZE), ppidBase, what);
}

function assertSingle(messages: Message[], expected: { stream: number; ppid: number; text?: string }, what: string): void {
  assert.is(messages.length, 1, `${what}: ${brief(messages)}`);
  const { stream, ppid, text } = messages[0];
  assert.equal({ stream, ppid, ...(expected.text ? { text } : {}) }, expected, what);
}

/** comm-up with 8 streams each way opens what each side saw. */
function assertCommUp(notes: Note[], what: string): void {
  assert.ok(notes.length > 0, `${what}: no notifications`);
  const { state, outbound, inbound } = notes[0];
  assert.equal({ state, outbound, inbound }, { state: 'comm-up', outbound: STREAMS, inbound: STREAMS }, `${what}: ${brief(notes)}`);
}

function assertCleanGuest(o: Observation, what: string): void {
  assert.equal(o.errors, [], `${what}: guest errors`);
}

function assertCleanKernel(k: KernelResult, what: string): void {
  assert.equal(k.errors, [], `${what}: kernel errors`);
}

const reason = unavailableReason();
if (reason) {
  console.log(`kernel interop: SKIPPED: ${reason}`);
} else {
  const lane = suite('interoperability with the Linux kernel SCTP stack');
  let lab: KernelLab;
  let started = 0;
  lane.before(async () => {
    started = Date.now();
    try {
      buildGuest('interop'); // componentizing takes ~15 s when the guest changed: not while the kernel waits
      lab = await startLab();
    } catch (e) {
      // uvu marks every test failed without saying why when a before hook throws.
      console.error('kernel interop: setup failed:', e);
      throw e;
    }
  });
  lane.after(async () => {
    await lab?.close();
    console.log(`kernel interop: ${((Date.now() - started) / 1000).toFixed(1)} s in all`);
  });

  for (const mode of ['udp', 'raw'] as Mode[]) {
    const encapsToKernel = mode === 'udp' ? KERNEL_UDP_PORT : 0;
    const udpPort = mode === 'udp' ? 'auto' : 'raw';
    const portBase = mode === 'udp' ? 5000 : 6000;
    const transport = mode === 'udp' ? 'SCTP over UDP' : 'plain SCTP';

    // ---- the guest as client, kernel servers ----
    const client = { guest: new Map<string, Observation>(), kernel: new Map<string, KernelResult>() };
    const clientCase = (name: string) => {
      const g = client.guest.get(name);
      const k = client.kernel.get(name);
      assert.ok(g && k, `${mode} ${name}: no observation from ${g ? 'the kernel' : 'the guest'}`);
      return { g: g!, k: k! };
    };

    lane(`${transport}: a guest client runs four cases against kernel servers`, async () => {
      const t0 = Date.now();
      const cases = { echo: 'echo', 'peer-shutdown': 'reply-shutdown', abort: 'echo', 'peer-abort': 'reply-abort' } as const;
      const servers = new Map<string, { port: number; done: Promise<KernelResult> }>();
      let port = portBase;
      for (const [name, behaviour] of Object.entries(cases)) {
        port++;
        servers.set(name, { port, ...(await lab.serve({ port, behaviour })) });
      }
      const guest = startGuest('interop', ['client', HOST_ADDRESS, KERNEL_ADDRESS, String(encapsToKernel),
        ...[...servers].map(([name, s]) => `${name}=${s.port}`)], { udpPort, prefix: lab.prefix, hostArgs: LAB_POLICY });
      try {
        const code = await finished(guest, 60_000);
        client.guest = observations(guest);
        // A guest that failed leaves kernel servers waiting: report the guest, not their timeouts.
        assert.is(code, 0, guest.lines.join('\n'));
        for (const [name, s] of servers) client.kernel.set(name, await s.done);
        assert.equal([...client.guest.keys()].sort(), Object.keys(cases).sort());
        console.log(`kernel interop: ${transport}, guest client lane ${Date.now() - t0} ms (${caseTimes(client.guest)})`);
        if (verbose) for (const name of servers.keys()) console.log(`${mode} ${name}\n  guest:  ${brief(client.guest.get(name))}\n  kernel: ${brief(client.kernel.get(name))}`);
      } finally {
        await finished(guest, 0);
      }
    });

    lane(`${transport}: guest client to kernel server: 64 messages on 8 streams (a PPID each, some unordered) and 1 MiB, echoed; then the guest shuts down`, () => {
      const { g, k } = clientCase('echo');
      const what = `${mode} echo`;
      assertCleanGuest(g, what);
      assertCleanKernel(k, what);
      assert.is(g.connect, 'ok');
      // What the kernel received from the guest, and what came back through the kernel.
      assertBurstAndLarge(k.messages, GUEST_PPID_BASE, `${what}, kernel received`);
      assert.is(k.sent, BURST + 1);
      assertBurstAndLarge(g.messages, GUEST_PPID_BASE, `${what}, guest received`);
      // With whole-messages off the 1 MiB echo came in pieces (larger than the receive buffer),
      // the last one complete; the guest put them together.
      assert.is(g.wholeMessagesOff, 'ok');
      const large = g.messages.find((m) => m.len === LARGE_SIZE)!;
      assert.ok(large.pieces > 1, `${what}: the 1 MiB echo came in ${large.pieces} piece(s)`);
      // The guest's shutdown: SHUTDOWN at the kernel, then EOF; SHUTDOWN_COMPLETE at the guest.
      assert.is(g.shutdown, 'ok');
      assertCommUp(g.notifications, `${what}, guest`);
      assertCommUp(k.notifications, `${what}, kernel`);
      assert.equal(kinds(g.notifications), ['comm-up', 'shutdown-comp'], `${what}: ${brief(g)}`);
      assert.is(g.end, 'end-of-stream');
      assert.ok(kinds(k.notifications).includes('shutdown'), `${what}: ${brief(k)}`);
      assert.is(k.end, 'eof');
    });

    lane(`${transport}: the kernel server shuts down: the guest gets shutdown, shutdown-comp, end-of-stream`, () => {
      const { g, k } = clientCase('peer-shutdown');
      const what = `${mode} peer-shutdown`;
      assertCleanGuest(g, what);
      assertCleanKernel(k, what);
      assertSingle(k.messages, GUEST_HELLO, `${what}, kernel received`);
      assertSingle(g.messages, KERNEL_REPLY, `${what}, guest received`);
      assert.equal(kinds(g.notifications), ['comm-up', 'shutdown', 'shutdown-comp'], `${what}: ${brief(g)}`);
      assert.is(g.end, 'end-of-stream');
      assert.is(g.sendAfterEnd, 'invalid-state');
      assert.equal(kinds(k.notifications), ['comm-up', 'shutdown-comp'], `${what}: ${brief(k)}`);
    });

    lane(`${transport}: the guest client aborts: the kernel gets COMM_LOST with the guest's reason and ECONNRESET`, () => {
      const { g, k } = clientCase('abort');
      const what = `${mode} abort`;
      assertCleanGuest(g, what);
      assertCleanKernel(k, what);
      assertSingle(k.messages, GUEST_HELLO, `${what}, kernel received`);
      assert.is(g.abort, 'ok');
      assert.equal(kinds(k.notifications), ['comm-up', 'comm-lost'], `${what}: ${brief(k)}`);
      assert.ok(k.notifications[1].info?.includes('guest abort'), `${what}: the ABORT chunk ${JSON.stringify(k.notifications[1].info)}`);
      assert.is(k.end, 'ECONNRESET');
      // The guest learns of its own abort too: its receive ends with connection-aborted.
      assert.equal(kinds(g.notifications), ['comm-up', 'comm-lost'], `${what}: ${brief(g)}`);
      assert.is(g.end, 'connection-aborted', `${what}: guest end ${g.end}`);
    });

    lane(`${transport}: the kernel server aborts: the guest gets comm-lost (user-initiated abort) and connection-reset`, () => {
      const { g, k } = clientCase('peer-abort');
      const what = `${mode} peer-abort`;
      assertCleanGuest(g, what);
      assertCleanKernel(k, what);
      // The guest's hello, then its "reply read", after which the kernel aborts.
      assert.equal(k.messages.map((m) => m.text), [`hello from the guest (peer-abort)`, 'reply read'], `${what}: ${brief(k)}`);
      assertSingle(g.messages, KERNEL_REPLY, `${what}, guest received`);
      assert.is(k.end, 'aborted');
      assert.equal(kinds(g.notifications), ['comm-up', 'comm-lost'], `${what}: ${brief(g)}`);
      assert.is(g.notifications[1].error, USER_INITIATED_ABORT);
      assert.is(g.end, 'connection-reset');
    });

    // ---- kernel clients, guest servers ----
    const server = { guest: new Map<string, Observation>(), kernel: new Map<string, KernelResult>(), many: [] as KernelResult[] };
    const serverCase = (name: string) => {
      const g = server.guest.get(`server-${name}`);
      const k = server.kernel.get(name);
      assert.ok(g && k, `${mode} server-${name}: no observation from ${g ? 'the kernel' : 'the guest'}`);
      return { g: g!, k: k! };
    };

    lane(`${transport}: kernel clients run four cases against a one-to-one guest server, then two at once against a one-to-many one`, async () => {
      const t0 = Date.now();
      const guest = startGuest('interop', ['server', HOST_ADDRESS, '4', String(2 * BURST)], { udpPort, prefix: lab.prefix, hostArgs: LAB_POLICY });
      try {
        const line = (await guest.waitForLine(/^\{"case":"listening".*/, 30_000))[0];
        const listening = JSON.parse(line) as { oneToOne: number; oneToMany: number; udp: number };
        if (mode === 'udp') assert.ok(listening.udp > 0, line);
        const common = { address: HOST_ADDRESS, encaps: mode === 'udp' ? listening.udp : 0 };
        const oneToOne = { ...common, port: listening.oneToOne };
        // One after the other: the guest takes them in this order.
        server.kernel.set('echo', await lab.connect({ ...oneToOne, behaviour: 'burst-echo', case: 'echo', count: BURST, ppid_base: KERNEL_PPID_BASE }));
        server.kernel.set('shutdown', await lab.connect({ ...oneToOne, behaviour: 'expect-end', case: 'shutdown' }));
        server.kernel.set('abort', await lab.connect({ ...oneToOne, behaviour: 'expect-end', case: 'abort' }));
        server.kernel.set('peer-abort', await lab.connect({ ...oneToOne, behaviour: 'reply-abort', case: 'peer-abort' }));
        server.many = await Promise.all(ONE_TO_MANY_PPID_BASES.map((base) =>
          lab.connect({ ...common, port: listening.oneToMany, behaviour: 'burst-echo', count: BURST, ppid_base: base, large: false })));
        const code = await finished(guest, 30_000);
        server.guest = observations(guest);
        assert.is(code, 0, guest.lines.join('\n'));
        console.log(`kernel interop: ${transport}, guest server lane ${Date.now() - t0} ms (${caseTimes(server.guest)})`);
        if (verbose) {
          for (const name of server.kernel.keys()) console.log(`${mode} server-${name}\n  guest:  ${brief(server.guest.get(`server-${name}`))}\n  kernel: ${brief(server.kernel.get(name))}`);
          console.log(`${mode} one-to-many\n  guest:  ${brief(server.guest.get('server-one-to-many'))}\n  kernel: ${brief(server.many)}`);
        }
      } finally {
        server.guest = observations(guest);
        await finished(guest, 0);
      }
    });

    lane(`${transport}: kernel client to guest server: 64 messages on 8 streams and 1 MiB, echoed; then the kernel shuts down`, () => {
      const { g, k } = serverCase('echo');
      const what = `${mode} server-echo`;
      assertCleanGuest(g, what);
      assertCleanKernel(k, what);
      assertBurstAndLarge(g.messages, KERNEL_PPID_BASE, `${what}, guest received`);
      assertBurstAndLarge(k.messages, KERNEL_PPID_BASE, `${what}, kernel received`);
      assertCommUp(g.notifications, `${what}, guest`);
      assertCommUp(k.notifications, `${what}, kernel`);
      assert.equal(kinds(g.notifications), ['comm-up', 'shutdown', 'shutdown-comp'], `${what}: ${brief(g)}`);
      assert.is(g.end, 'end-of-stream');
      assert.equal(kinds(k.notifications), ['comm-up', 'shutdown-comp'], `${what}: ${brief(k)}`);
    });

    lane(`${transport}: the guest server shuts down: the kernel gets SHUTDOWN and EOF`, () => {
      const { g, k } = serverCase('shutdown');
      const what = `${mode} server-shutdown`;
      assertCleanGuest(g, what);
      assertCleanKernel(k, what);
      assertSingle(k.messages, GUEST_REPLY, `${what}, kernel received`);
      assert.is(g.shutdown, 'ok');
      assert.equal(kinds(g.notifications), ['comm-up', 'shutdown-comp'], `${what}: ${brief(g)}`);
      assert.is(g.end, 'end-of-stream');
      assert.equal(kinds(k.notifications).slice(0, 2), ['comm-up', 'shutdown'], `${what}: ${brief(k)}`);
      assert.is(k.end, 'eof');
    });

    lane(`${transport}: the guest server aborts: the kernel gets COMM_LOST with the guest's reason and ECONNRESET`, () => {
      const { g, k } = serverCase('abort');
      const what = `${mode} server-abort`;
      assertCleanGuest(g, what);
      assertCleanKernel(k, what);
      assertSingle(k.messages, GUEST_REPLY, `${what}, kernel received`);
      assert.is(g.abort, 'ok');
      assert.equal(kinds(k.notifications), ['comm-up', 'comm-lost'], `${what}: ${brief(k)}`);
      assert.ok(k.notifications[1].info?.includes('guest abort'), `${what}: the ABORT chunk ${JSON.stringify(k.notifications[1].info)}`);
      assert.is(k.end, 'ECONNRESET');
      assert.equal(kinds(g.notifications), ['comm-up', 'comm-lost'], `${what}: ${brief(g)}`);
    });

    lane(`${transport}: the kernel client aborts: the guest server gets comm-lost (user-initiated abort) and connection-reset`, () => {
      const { g, k } = serverCase('peer-abort');
      const what = `${mode} server-peer-abort`;
      assertCleanGuest(g, what);
      assertCleanKernel(k, what);
      assertSingle(k.messages, GUEST_REPLY, `${what}, kernel received`);
      assert.is(k.end, 'aborted');
      assert.equal(kinds(g.notifications), ['comm-up', 'comm-lost'], `${what}: ${brief(g)}`);
      assert.is(g.notifications[1].error, USER_INITIATED_ABORT);
      assert.is(g.end, 'connection-reset');
    });

    lane(`${transport}: a one-to-many guest server echoes two kernel clients at once, each association apart`, () => {
      const g = server.guest.get('server-one-to-many');
      assert.ok(g, `${mode}: no one-to-many observation from the guest`);
      assert.is(server.many.length, 2);
      const what = `${mode} one-to-many`;
      assertCleanGuest(g!, what);
      // The guest saw two associations, each carrying one kernel client's burst.
      const byAssociation = new Map<number, Message[]>();
      for (const m of g!.messages) byAssociation.set(m.association!, [...(byAssociation.get(m.association!) ?? []), m]);
      assert.is(byAssociation.size, 2, `${what}: associations ${[...byAssociation.keys()]}`);
      const bases = [...byAssociation.values()].map((ms) => ms[0].ppid - ms[0].stream).sort();
      assert.equal(bases, ONE_TO_MANY_PPID_BASES, `${what}: PPID bases per association`);
      for (const ms of byAssociation.values()) assertBurst(ms, ms[0].ppid - ms[0].stream, `${what}, guest received`);
      // Both came up with 8 streams and both ended gracefully (the kernel clients shut down).
      const states = g!.notifications.filter((n) => n.type === 'assoc-change');
      assert.equal(states.filter((n) => n.state === 'comm-up').map((n) => [n.outbound, n.inbound]), [[STREAMS, STREAMS], [STREAMS, STREAMS]], `${what}: ${brief(g)}`);
      assert.equal(states.filter((n) => n.state !== 'comm-up').map((n) => n.state), ['shutdown-comp', 'shutdown-comp'], `${what}: ${brief(g)}`);
      assert.equal(new Set(states.map((n) => n.association)), new Set(byAssociation.keys()));
      server.many.forEach((k, i) => {
        assertCleanKernel(k, `${what} client ${i}`);
        assertBurst(k.messages, ONE_TO_MANY_PPID_BASES[i], `${what}, kernel client ${i} received`);
        assert.equal(kinds(k.notifications).filter((s) => s !== 'shutdown'), ['comm-up', 'shutdown-comp'], `${what} client ${i}: ${brief(k)}`);
      });
    });
  }

  lane('the kernel counted no SCTP checksum errors in what the guests sent', async () => {
    const c = await lab.snmp();
    console.log(`kernel interop: kernel SCTP counters: ${['SctpInSCTPPacks', 'SctpOutSCTPPacks', 'SctpT3Retransmits', 'SctpFastRetransmits', 'SctpT3RtxExpireds', 'SctpChecksumErrors', 'SctpOutOfBlues']
      .map((k) => `${k.replace(/^Sctp/, '')} ${c[k]}`).join(', ')}`);
    assert.ok(c.SctpInSCTPPacks > 1000, `packets in: ${c.SctpInSCTPPacks}`);
    // usrsctp's CRC32c is right over UDP and over IP.
    assert.is(c.SctpChecksumErrors, 0);
  });

  lane.run();
}
