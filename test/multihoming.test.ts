// Multi-homing (RFC 6458 sctp_bindx / sctp_connectx / sctp_getladdrs / sctp_getpaddrs, primary
// paths, ASCONF) from a guest component, and what multi-homing is for: an association that
// survives the loss of a path, and a transfer that survives loss and reordering.
//
// The guest (test/guests/multihome) runs in network namespace "a", the Node peer (the peer
// program's server, test/harness/peers/server.ts) in namespace "b", each in its own process, joined
// by two paths (10.81.1.0/24 and 10.81.2.0/24; test/harness/netns/lab.ts), with usrsctp on raw IP: plain SCTP
// on the wire. Skipped, with the reason printed, where namespaces cannot be made (not root); the
// error-code cases run anyway, over UDP encapsulation on loopback.
//
// Counts are small for CI; MULTIHOME_FAILOVER_COUNT and MULTIHOME_NETEM_COUNT raise them (e.g.
// 30000 and 20000). Timings are printed, never asserted: `node dist/bench/run.js --lanes f`
// measures the failover outage.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { observe } from './harness/components.js';
import { exitWithin } from './harness/processes.js';
import { buildGuest } from '../scripts/guests.js';
import { netnsUnavailable, startLab, type Lab } from './harness/netns/lab.js';
import {
  guestCases, pathOf, PEER_PORT, runFailover, serverSaid, startMultihomeGuest, startServer,
} from './harness/netns/endpoints.js';

const FAILOVER_COUNT = Number(process.env.MULTIHOME_FAILOVER_COUNT ?? 3000);
const NETEM_COUNT = Number(process.env.MULTIHOME_NETEM_COUNT ?? 1500);

const errors = suite('multi-homing: error codes of wrong use');

errors('bad address lists, wrong states and the wildcard address are refused with their error codes', async () => {
  // 192.0.2.1 (TEST-NET-1) is allowed so that the stack, not the host's policy, answers for it.
  const cases = await observe('multihome', ['errors'], { hostArgs: ['--allow-bind', 'loopback,wildcard,192.0.2.0/24'] });
  const code = (name: string) => cases.get(name)?.code;
  // Address lists: one port for all, no duplicates, no wildcard, at least one address.
  for (const name of ['add-empty', 'add-two-ports', 'add-twice', 'add-wildcard', 'connectx-empty', 'connectx-port-zero',
    'connectx-two-ports', 'connectx-wildcard']) assert.is(code(name), 'invalid-argument', name);
  // An address this host does not have; the socket stays unbound.
  assert.is(code('add-not-local'), 'address-not-bindable');
  assert.is(code('after-failed-add'), 'invalid-state');
  // Nothing to list or remove before a bind; nothing remote before a connect.
  assert.is(code('remove-unbound'), 'invalid-state');
  assert.is(code('local-addresses-unbound'), 'invalid-state');
  assert.is(code('remote-addresses-unconnected'), 'invalid-state');
  // add-local-addresses on an unbound socket binds it (no finish step), on the port the stack chose.
  const bound = cases.get('bound-by-add')!;
  assert.equal(bound.local, [`127.0.0.1:${(bound.local as string[])[0].split(':')[1]}`]);
  assert.is(bound.portChosen, true);
  assert.is(code('bind-after-add'), 'invalid-state');
  assert.is(code('add-other-port'), 'invalid-argument');
  // The last address cannot go; an address the socket does not have cannot be removed.
  assert.is(code('remove-last'), 'invalid-argument');
  assert.is(code('remove-not-bound'), 'invalid-argument');
  // The wildcard address covers every address: nothing to add or remove.
  assert.is(code('add-wildcard-bound'), 'invalid-state');
  assert.is(code('remove-wildcard-bound'), 'invalid-state');
  assert.is(cases.get('local-addresses-wildcard')?.includesLoopback, true);
  // One-to-many sockets name the association; unknown ids are invalid-argument.
  assert.is(code('remote-addresses-one-to-many-none'), 'invalid-argument');
  assert.is(code('remote-addresses-unknown-association'), 'invalid-argument');
  assert.is(code('local-addresses-unknown-association'), 'invalid-argument');
});

errors.run();

const reason = netnsUnavailable();
if (reason) {
  console.log(`multi-homing between namespaced hosts: SKIPPED: ${reason}`);
} else {
  const hosts = suite('multi-homing between two hosts joined by two paths');
  let lab: Lab | undefined;
  hosts.before(() => {
    buildGuest('multihome'); // componentizing takes ~30 s when the guest changed: before any timer runs
  });
  hosts.after.each(() => {
    lab?.close();
    lab = undefined;
  });

  hosts('bindx / connectx / getladdrs / getpaddrs, both primary paths, and ASCONF add and remove on a live association', async () => {
    lab = await startLab({ paths: 2 });
    const l = lab;
    const peer = startServer(l);
    await serverSaid(peer, 'listening');
    const guest = startMultihomeGuest(l, 'paths');
    assert.is(await exitWithin(guest, 90_000), 0, guest.lines.join('\n'));
    await peer.closed;
    const { cases } = guestCases(guest);
    const a = l.a.addresses;
    const b = l.b.addresses;

    // Bound to both local addresses (one port), connected to both peer addresses: each side lists both.
    const connected = cases.get('connected')!;
    const localPort = (connected.local as string[])[0].split(':')[1];
    assert.equal(connected.local, a.map((x) => `${x}:${localPort}`).sort());
    assert.equal(connected.localOfAssociation, connected.local);
    assert.equal(connected.remote, b.map((x) => `${x}:${PEER_PORT}`).sort());
    assert.equal((connected.paths as Array<{ state: string }>).map((p) => p.state), ['active', 'active']);
    const peerView = cases.get('peer-view')!;
    assert.equal([...(peerView.local as string[])].sort(), b.map((x) => `${x}:${PEER_PORT}`).sort());
    assert.equal([...(peerView.remote as string[])].sort(), connected.local);

    // set-primary-addr moved this side's sends to the other peer address: the bulk (256 x 1 KiB) left on that path.
    const primarySet = cases.get('primary-set')!;
    assert.is(primarySet.statusPrimary, primarySet.primary);
    assert.is.not(primarySet.primary, connected.primary);
    // Bytes the peer's interface of each path received (rx) or sent (tx) between two of its reports.
    type Counters = Record<string, { tx: number; rx: number }>;
    const delta = (c: Record<string, unknown>, path: number, what: 'tx' | 'rx') =>
      (c.peerCountersAfter as Counters)[`p${path}`][what] - (c.peerCountersBefore as Counters)[`p${path}`][what];
    const sendPath = pathOf(String(primarySet.primary));
    const bulkSent = cases.get('bulk-sent')!;
    assert.ok(delta(bulkSent, sendPath, 'rx') > 256 * 1024, `path ${sendPath} carried ${delta(bulkSent, sendPath, 'rx')} bytes of the bulk`);
    assert.ok(delta(bulkSent, 3 - sendPath, 'rx') < 16 * 1024, `the other path carried ${delta(bulkSent, 3 - sendPath, 'rx')} bytes`);

    // set-peer-primary-addr (ASCONF): the peer saw made-primary for the address asked, switched, and its bulk came in there.
    const peerPrimary = cases.get('peer-primary-set')!;
    assert.equal(peerPrimary.peerNotification, { type: 'peer-addr-change', state: 'made-primary', address: `${peerPrimary.asked}:0`, error: 0 });
    assert.is(String(peerPrimary.peerPrimary).split(':')[0], peerPrimary.asked);
    const receivePath = pathOf(String(peerPrimary.asked));
    const bulk = cases.get('bulk-received')!;
    assert.ok(delta(bulk, receivePath, 'tx') > 256 * 1024, `path ${receivePath} carried ${delta(bulk, receivePath, 'tx')} bytes of the peer's bulk`);
    assert.ok(delta(bulk, 3 - receivePath, 'tx') < 16 * 1024, `the other path carried ${delta(bulk, 3 - receivePath, 'tx')} bytes`);
    assert.equal([bulk.received, bulk.corrupt, bulk.duplicates, bulk.outOfOrder, bulk.missing], [256, 0, 0, 0, []]);

    // remove-local-addresses / add-local-addresses on the live association: ASCONF, seen by the peer.
    const removed = cases.get('removed')!;
    const spare = String(removed.address);
    assert.equal((removed.peerNotification as { state: string }).state, 'removed');
    assert.equal(removed.local, [`${a.find((x) => x !== spare)}:${localPort}`]);
    assert.equal((removed.peerView as { remote: string[] }).remote, [`${a.find((x) => x !== spare)}:${localPort}`]);
    const added = cases.get('added')!;
    assert.equal((added.peerNotification as { state: string; address: string }).address, `${spare}:${localPort}`);
    assert.equal(added.local, connected.local);
    assert.equal([...(added.peerView as { remote: string[] }).remote].sort(), connected.local);
    assert.is(cases.get('end')?.end, 'end-of-stream');
  });

  hosts(`failover: the primary path goes down while ${FAILOVER_COUNT} x 1 KiB messages flow at 1,000/s; every one arrives, in order, once`, async () => {
    lab = await startLab({ paths: 2 });
    const run = await runFailover(lab, { count: FAILOVER_COUNT, rate: 1000, cutAfterMs: 1000 });
    assert.is(run.guestCode, 0, [...run.cases.values()].map((c) => JSON.stringify(c)).join('\n'));
    assert.is(run.cases.get('sent')?.count, FAILOVER_COUNT);
    assert.is(run.cases.get('done')?.end, 'end-of-stream');
    const s = run.peerSummary;
    assert.equal([s.received, s.corrupt, s.duplicates, s.outOfOrder, s.wrongStream, s.missing], [FAILOVER_COUNT, 0, 0, 0, 0, []]);
    // The guest heard that the peer address of the cut path became unreachable (usrsctp has no
    // potentially-failed notification: RFC 7829's PF state shows only in which path it sends on).
    const lost = `${lab.b.addresses[run.cutPath - 1]}:${PEER_PORT}`;
    const unreachable = run.notifications.filter((n) => n.type === 'peer-addr-change' && n.state === 'unreachable');
    assert.ok(unreachable.some((n) => n.address === lost), `notifications: ${JSON.stringify(run.notifications)}`);
    const f = run.figures;
    console.log(`multi-homing failover: path ${run.cutPath} cut; first message after the cut at ${f.firstAfterCutMs.toFixed(1)} ms, `
      + `largest gap ${f.largestGapMs.toFixed(1)} ms (from ${f.gapStartMs.toFixed(1)} ms after the cut); `
      + `the guest heard "unreachable" ${(Number(unreachable[0].t) - run.cutMs).toFixed(0)} ms after the cut`);
  });

  hosts(`loss and reordering: 5 % loss, 10 ms delay with 25 % reordered on both paths; ${NETEM_COUNT} messages echoed intact and in order`, async () => {
    lab = await startLab({ paths: 2, relayed: true });
    for (const p of [1, 2]) await lab.impair(p, { loss: 5, delayMs: 10, reorder: 25 });
    const peer = startServer(lab, ['--echo']);
    await serverSaid(peer, 'listening');
    const started = Date.now();
    const guest = startMultihomeGuest(lab, 'stream', ['--count', String(NETEM_COUNT), '--echo']);
    assert.is(await exitWithin(guest, 180_000), 0, guest.lines.join('\n'));
    await peer.closed;
    const { cases } = guestCases(guest);
    const echo = cases.get('done')!.echo as Record<string, unknown>;
    assert.equal([echo.received, echo.corrupt, echo.duplicates, echo.outOfOrder, echo.wrongStream, echo.missing], [NETEM_COUNT, 0, 0, 0, 0, []]);
    assert.is(cases.get('done')!.end, 'end-of-stream');
    const s = (await serverSaid(peer, 'summary')).summary as Record<string, unknown>;
    assert.equal([s.received, s.corrupt, s.duplicates, s.outOfOrder, s.wrongStream, s.missing], [NETEM_COUNT, 0, 0, 0, 0, []]);
    // The relays really dropped and reordered frames.
    const stats = await Promise.all([1, 2].map((p) => lab!.relayStats(p)));
    const dropped = stats.reduce((n, x) => n + x.dropped, 0);
    const reordered = stats.reduce((n, x) => n + x.reordered, 0);
    assert.ok(dropped > 0 && reordered > 0, JSON.stringify(stats));
    console.log(`multi-homing loss and reordering: ${NETEM_COUNT} messages each way in ${((Date.now() - started) / 1000).toFixed(1)} s; `
      + `relays dropped ${dropped}, reordered ${reordered}, delayed ${stats.reduce((n, x) => n + x.delayed, 0)} frames`);
  });

  hosts.run();
}
