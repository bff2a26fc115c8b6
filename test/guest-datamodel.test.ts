// SCTP's data model driven from inside a component (test/guests/datamodel): every notification
// kind with its fields, three associations on one one-to-many socket, ordering, large messages,
// per-message information, backpressure, and a scripted peer on the wire for what well-behaved
// stacks never do on request (ERROR chunks, restarts, dying).
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { LISTENING, observe, startGuest } from './harness/components.js';
import { find, get, noFeatures, noFlags } from './harness/observations.js';
import { exitWithin } from './harness/processes.js';
import { CHUNK, WirePeer, chunk, errorCause } from './harness/wire/sctp-wire.js';

type Seen = Record<string, unknown>;
type Observations = Map<string, Seen>;

const run = (scenario: string, timeoutMs = 90_000): Promise<Observations> => observe('datamodel', [scenario], { timeoutMs });

const events = suite('every notification kind, seen from a guest');
let ev: Observations;
events.before(async () => { ev = await run('events'); });

events('assoc-change comm-up on both ends, with the streams and the extensions both support', () => {
  const client = get(ev, 'client-up');
  const up = find(client.seen, 'assoc-change', 'comm-up');
  assert.equal(up, {
    kind: 'assoc-change', association: client.association, state: 'comm-up', error: 0, outboundStreams: 10, inboundStreams: 10,
    features: { ...noFeatures, partialReliability: true, authentication: true, addressReconfiguration: true, multiBuffer: true, streamReconfiguration: true },
    abortChunk: [],
  });
  assert.is(find(get(ev, 'server-up').seen, 'assoc-change', 'comm-up').outboundStreams, 10);
});

events('adaptation-indication carries the other end\'s adaptation layer', () => {
  assert.equal(find(get(ev, 'client-up').seen, 'adaptation-indication'), { kind: 'adaptation-indication', association: get(ev, 'client-up').association, indication: 0x01020304 });
  assert.is(find(get(ev, 'server-up').seen, 'adaptation-indication').indication, 0x0a0b0c0d);
});

events('peer-addr-change: the peer address is confirmed', () => {
  const change = find(get(ev, 'server-up').seen, 'peer-addr-change');
  assert.is(change.state, 'confirmed');
  assert.match(String(change.address), /^127\.0\.0\.1:\d+$/);
  assert.is(change.error, 0);
});

events('authentication: new-key when the peer uses another key, free-key when a retired key is unused, no-auth for a peer without AUTH', () => {
  const seen = get(ev, 'auth-new-key').seen as Seen[];
  const newKey = find(seen, 'authentication');
  assert.equal(newKey, { kind: 'authentication', association: newKey.association, keyNumber: 2, indication: 'new-key' });
  // The notification comes before the message it authenticated.
  assert.ok(seen.indexOf(newKey) < seen.findIndex((s) => s.message === 'hi'));
  assert.equal(find(get(ev, 'auth-free-key').seen, 'authentication'), { kind: 'authentication', association: newKey.association, keyNumber: 0, indication: 'free-key' });
  const noAuth = get(ev, 'auth-no-auth').seen;
  assert.is(find(noAuth, 'authentication').indication, 'no-auth');
  assert.is((find(noAuth, 'assoc-change', 'comm-up').features as Seen).authentication, false);
});

events('sender-dry once everything sent was acknowledged', () => {
  assert.equal(find(get(ev, 'sender-dry').seen, 'sender-dry'), { kind: 'sender-dry', association: get(ev, 'client-up').association });
});

events('stream-reset, stream-change and assoc-reset reach both ends (RFC 6525)', () => {
  const reset = get(ev, 'stream-reset');
  assert.equal(find(reset.client, 'stream-reset').flags, { ...noFlags, outgoing: true });
  assert.equal(find(reset.client, 'stream-reset').streams, [1]);
  assert.equal(find(reset.server, 'stream-reset').flags, { ...noFlags, incoming: true });
  assert.equal(find(reset.server, 'stream-reset').streams, [1]);
  // Asking the peer to reset its outgoing stream 0, i.e. our incoming one.
  const incoming = get(ev, 'stream-reset-incoming');
  assert.equal([find(incoming.client, 'stream-reset').flags, find(incoming.client, 'stream-reset').streams], [{ ...noFlags, incoming: true }, [0]]);
  assert.equal([find(incoming.server, 'stream-reset').flags, find(incoming.server, 'stream-reset').streams], [{ ...noFlags, outgoing: true }, [0]]);
  const change = get(ev, 'stream-change');
  assert.equal([find(change.client, 'stream-change').outboundStreams, find(change.client, 'stream-change').inboundStreams], [12, 10]);
  assert.equal([find(change.server, 'stream-change').outboundStreams, find(change.server, 'stream-change').inboundStreams], [10, 12]);
  const assoc = get(ev, 'assoc-reset');
  const c = find(assoc.client, 'assoc-reset');
  const s = find(assoc.server, 'assoc-reset');
  assert.equal(c.flags, noFlags);
  // Each end's next TSN is the other's expected one.
  assert.is(c.localTsn, (s.remoteTsn as number) - 1);
  assert.is(s.localTsn, (c.remoteTsn as number) - 1);
});

events('reconfiguration requests to a peer that did not enable them come back denied', () => {
  const denied = get(ev, 'reconfig-denied');
  assert.equal(find(denied.reset, 'stream-reset').flags, { ...noFlags, outgoing: true, denied: true });
  assert.equal(find(denied.add, 'stream-change').flags, { ...noFlags, denied: true });
  assert.equal(find(denied.assoc, 'assoc-reset').flags, { ...noFlags, denied: true });
});

events('PR-SCTP: messages that expire or run out of retransmissions are abandoned, returned with their data and counted', () => {
  const pr = get(ev, 'pr-sctp');
  // In the order of their context: they may be abandoned by the same retransmission timeout, or the rtx one first.
  const failed = (pr.sender as Seen[]).filter((s) => s.kind === 'send-failed').sort((a, b) => (a.context as number) - (b.context as number));
  assert.equal(failed.map((f) => [f.context, f.stream, f.sent, Buffer.from(f.data as number[]).toString()]),
    [[42, 2, true, 'ttl-msg'], [43, 2, true, 'rtx-msg'], [45, 2, true, 'default-ttl-msg']]);
  // The message without a pr-policy took the association's default-prinfo: a lifetime, counted with the other.
  assert.equal(pr.ttl, { abandonedUnsent: 0, abandonedSent: 2 });
  assert.equal(pr.rtx, { abandonedUnsent: 0, abandonedSent: 1 });
  // The receiver never sees the abandoned ones; the next message arrives.
  assert.equal((pr.receiver as Seen[]).filter((s) => s.message !== undefined).map((s) => s.message), ['after']);
});

events('assoc-change cant-str-assoc when nobody answers the INIT, with the ABORT received', () => {
  const failed = find(get(ev, 'cant-str-assoc').seen, 'assoc-change', 'cant-str-assoc');
  assert.equal(failed.features, noFeatures);
  assert.is((failed.abortChunk as number[])[0], 6, 'an ABORT chunk');
});

events('partial-delivery aborted, then comm-lost with the abort reason, when the sender aborts mid-message', () => {
  const pd = get(ev, 'partial-delivery');
  const first = (pd.first as Seen[]).find((s) => s.message !== undefined)!;
  assert.is(first.complete, false, 'the first piece of a large message');
  const event = find(pd.rest, 'partial-delivery');
  assert.equal(event, { kind: 'partial-delivery', association: first.association, aborted: true, stream: 1, sequence: 0 });
  const lost = find(pd.rest, 'assoc-change', 'comm-lost');
  assert.is(lost.error, 12, 'User-Initiated Abort');
  assert.match(Buffer.from(lost.abortChunk as number[]).toString(), /abort$/);
});

events('send-failed: what an aborting sender had not delivered comes back to it, sent-but-unacknowledged and unsent', () => {
  const seen = get(ev, 'send-failed-unsent').seen as Seen[];
  const failed = seen.filter((s) => s.kind === 'send-failed');
  assert.ok(failed.some((f) => f.sent === false), `an unsent part: ${JSON.stringify(failed)}`);
  for (const f of failed) {
    assert.is(f.stream, 1);
    assert.ok((f.data as number) > 0, 'the data is returned');
  }
  const returned = failed.reduce((n, f) => n + (f.data as number), 0);
  assert.ok(returned < 300_000, `no more than was sent: ${returned}`);
});

events('shutdown on the side that receives SHUTDOWN, shutdown-comp on both, then end-of-stream', () => {
  const sd = get(ev, 'shutdown');
  find(sd.server, 'shutdown');
  find(sd.server, 'assoc-change', 'shutdown-comp');
  find(sd.client, 'assoc-change', 'shutdown-comp');
  assert.ok((sd.client as Seen[]).at(-1)!.end, 'end-of-stream last');
});

events.run();

const model = suite('associations, ordering, large messages and backpressure, from a guest');

model('three associations on one one-to-many socket: sendall, peeled off, aborted, ended, autoclosed; the others go on', async () => {
  const seen = await run('associations');
  const up = get(seen, 'three-up');
  assert.is(new Set(up.associations as number[]).size, 3);
  assert.is(up.number, 3);
  assert.equal([...(up.ids as number[])].sort(), [...(up.associations as number[])].sort());
  const all = get(seen, 'sendall');
  assert.equal(all.got, [['to everyone'], ['to everyone'], ['to everyone']], 'one sendall reaches every association');
  assert.equal(all.sackImmediately, ['acknowledge at once']);
  const peeled = get(seen, 'peeled');
  assert.is(peeled.socketType, 'one-to-one');
  assert.equal((peeled.peeledGot as Seen[]).map((s) => s.message), ['to the peeled socket']);
  assert.equal((peeled.clientGot as Seen[]).map((s) => s.message), ['from the peeled socket']);
  assert.is(peeled.again, 'invalid-argument', 'an association peeled off is no longer on the socket');
  const aborted = get(seen, 'aborted');
  assert.equal(aborted.client, [{ error: 'connection-reset' }]);
  assert.is(aborted.sendAfter, 'connection-reset');
  const others = get(seen, 'others-continue').server as Seen[];
  find(others, 'assoc-change', 'comm-lost');
  assert.ok(others.some((s) => s.message === 'still here'));
  const eof = get(seen, 'eof');
  assert.equal((eof.client as Seen[]).map((s) => s.message ?? (s.end ? 'END' : s.kind)), ['last words', 'END']);
  find(eof.server, 'assoc-change', 'shutdown-comp');
  const autoclose = get(seen, 'autoclose');
  find(autoclose.server, 'assoc-change', 'shutdown-comp');
  assert.ok((autoclose.client as Seen[]).at(-1)!.end);
  assert.is(autoclose.number, 0, 'every association is gone');
});

model('unordered messages overtake an ordered one held back by loss; ordered streams stay in order', async () => {
  const seen = await run('ordering');
  assert.equal(get(seen, 'overtake').order, ['u1', 'o1', 'o2']);
  const streams = get(seen, 'streams');
  assert.equal(streams, { case: 'streams', received: 300, intact: true, orderedInOrder: true, orderedCount: 150, unorderedDistinct: 150 });
});

model('4 MiB whole, pieces on request, NXTINFO, default-sndinfo, explicit EOR, per-message INIT', async () => {
  const seen = await run('large');
  assert.is(get(seen, 'too-large-for-buffer').code, 'datagram-too-large', 'a non-blocking send takes a message only when it fits');
  assert.equal(get(seen, 'whole'), { case: 'whole', length: 4 << 20, intact: true, complete: true, ppid: 7, after: 'after' });
  const pieces = get(seen, 'pieces');
  assert.ok((pieces.count as number) > 1);
  assert.equal([pieces.bytes, pieces.intact, pieces.completeOnlyLast], [1 << 20, true, true]);
  const nxt = get(seen, 'nxtinfo');
  assert.equal(nxt.next, { association: (nxt.next as Seen).association, stream: 2, ppid: 20, length: 7, unordered: true, complete: true, notification: false });
  assert.is(nxt.nextAfterLast, null);
  const rcv = get(seen, 'rcvinfo');
  const [r1, r2] = rcv.got as Seen[];
  assert.equal([r1.stream, r2.stream, r1.context, r2.context], [4, 4, 0x1234, 0x1234]);
  assert.equal([r1.association, r2.association], [rcv.association, rcv.association]);
  assert.is(r2.ssn, (r1.ssn as number) + 1, 'consecutive stream sequence numbers');
  assert.is(r2.tsn, ((r1.tsn as number) + 1) >>> 0, 'consecutive TSNs');
  assert.ok((((r2.cumulativeTsn as number) - (r1.cumulativeTsn as number)) >>> 0) < 2 ** 31, 'the cumulative TSN never goes back');
  assert.equal(get(seen, 'default-sndinfo').got, [['defaults', 3, 77], ['own stream', 1, 77]]);
  assert.equal(get(seen, 'explicit-eor').got, [['one message in three', true], ['next', true]]);
  assert.equal(get(seen, 'per-message-init'), { case: 'per-message-init', peerInbound: 3, socketSetting: 10 });
});

model('a receiver that stops reading blocks the sender; nothing is lost or reordered', async () => {
  const bp = get(await run('backpressure'), 'backpressure');
  assert.is(bp.blockedAt, 'would-block');
  assert.ok((bp.acceptedBeforeReading as number) < 3000, `the send buffer took ${bp.acceptedBeforeReading} of 3000`);
  assert.equal([bp.received, bp.intact, bp.inOrder], [3000, true, true]);
});

model('a peer on the wire: remote-error, restart, unreachable, available again, comm-lost when it falls silent for good', async () => {
  const guest = startGuest('datamodel', ['wire-server']);
  const [, , port, encaps] = await guest.waitForLine(LISTENING);
  const line = (pattern: RegExp) => guest.waitForLine(pattern, 10_000).then((m) => JSON.parse(m.input!) as Seen);
  const peer = await WirePeer.open(Number(encaps), Number(port));
  try {
    await peer.associate();
    const up = await line(/"state":"comm-up"/);
    // ERROR with an "Invalid Stream Identifier" cause for stream 7.
    const cause = Buffer.alloc(4);
    cause.writeUInt16BE(7, 0);
    peer.send([chunk(CHUNK.ERROR, 0, errorCause(1, cause))]);
    const error = await line(/"kind":"remote-error"/);
    assert.equal(error, { case: 'wire', kind: 'remote-error', association: up.association, error: 1, data: [9, 0, 0, 12, 0, 1, 0, 8, 0, 7, 0, 0] });
    // The same peer sets the association up again with a new tag, as after a crash.
    await peer.associate();
    const restart = await line(/"state":"restart"/);
    assert.is(restart.association, up.association);
    // Silence: heartbeats go unanswered, the path is unreachable; answered again, it is available.
    peer.silent = true;
    const unreachable = await line(/"state":"unreachable"/);
    assert.equal([unreachable.association, unreachable.address], [up.association, `127.0.0.1:${peer.sctpPort}`]);
    peer.silent = false;
    const available = await line(/"state":"available"/);
    assert.equal([available.association, available.address], [up.association, `127.0.0.1:${peer.sctpPort}`]);
    // For good this time: the association is lost.
    peer.silent = true;
    const lost = await line(/"state":"comm-lost"/);
    assert.is(lost.association, up.association);
    assert.is(await exitWithin(guest, 10_000), 0);
  } finally {
    peer.close();
    guest.child.kill();
  }
});

model('I-DATA (RFC 8260): small messages pass a 4 MiB one on another stream only when both ends enable interleaving', async () => {
  const seen = await run('interleaving');
  const off = get(seen, 'interleaving-off');
  assert.equal(off.negotiated, [false, false]);
  assert.equal(off.order, [`big ${4 << 20}`, 'small 0', 'small 1', 'small 2', 'small 3', 'small 4']);
  const on = get(seen, 'interleaving-on');
  assert.equal(on.negotiated, [true, true]);
  assert.equal((on.order as string[]).slice(0, 5), ['small 0', 'small 1', 'small 2', 'small 3', 'small 4']);
  assert.is((on.order as string[])[5], `big ${4 << 20}`);
});

model('AUTH (RFC 4895): ends whose shared keys differ lose the association; nothing unauthenticated is delivered', async () => {
  const mismatch = get(await run('auth-mismatch'), 'auth-mismatch');
  const sender = mismatch.sender as Seen[];
  find(sender, 'assoc-change', 'comm-lost');
  assert.ok(sender.some((s) => s.error === 'connection-aborted' || s.error === 'timeout' || s.error === 'connection-reset'), JSON.stringify(sender));
  assert.ok(!(mismatch.receiver as Seen[]).some((s) => s.message !== undefined), JSON.stringify(mismatch.receiver));
});

model.run();
