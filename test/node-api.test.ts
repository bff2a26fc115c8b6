// The TypeScript SCTP API from plain Node: what `src/` promises, shown on two endpoints of one process talking
// SCTP over UDP encapsulation on 127.0.0.1 (the remote UDP port is this process's own encapsulation port).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSocket } from 'node:dgram';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import {
  EVENT_ERROR,
  EVENT_READ,
  SctpError,
  SctpSocket,
  errnoToCode,
  initStack,
  stackPort,
  whenReady,
  type ErrorCode,
  type Incoming,
  type Notification,
  type ReceivedMessage,
  type SocketAddress,
  type SocketType,
} from '../src/index.js';
import { native } from '../src/native.js';
import { constants } from 'node:os';
import { client, lo, receiveMessages, rejectsCode, server, throwsCode, within } from './support/node-api.js';

const { udpPort } = initStack();
const baseline = native.stats();
const C = native.constants;


test('the stack runs once per process, on a UDP port of its own', () => {
  assert.ok(udpPort > 0 && udpPort < 65536, `udp port ${udpPort}`);
  assert.is(stackPort(), udpPort);
  // Idempotent: later calls report the running stack and ignore their options.
  assert.equal(initStack({ udpPort: 1 }), { udpPort });
  assert.is(SctpSocket.udpPort(), udpPort);
});

test('one-to-one: listen, connect, accept, and messages on several streams with their PPIDs', async () => {
  const srv = server('one-to-one');
  assert.is(srv.state, 'listening');
  const cli = client('one-to-one');
  assert.is(cli.state, 'bound');

  const [association, conn] = await within(5000, Promise.all([cli.connect(srv.localAddress()), srv.acceptOne()]),
    'connect');
  assert.ok(association > 0, 'finish-connect returns the association id');
  assert.is(cli.state, 'connected');
  assert.is(conn.state, 'connected');
  assert.is(conn.type, 'one-to-one');
  assert.equal(cli.remoteAddress(), srv.localAddress());
  assert.equal(conn.remoteAddress(), cli.localAddress());

  const sent = [
    { data: Buffer.from('zero'), stream: 0, ppid: 100 },
    { data: Buffer.from('one'), stream: 1, ppid: 101 },
    { data: Buffer.from('two, unordered'), stream: 2, ppid: 102, unordered: true },
    { data: Buffer.from('three'), stream: 3, ppid: 103 },
    { data: Buffer.from('one again'), stream: 1, ppid: 104 },
    { data: new Uint8Array(3000).fill(7), stream: 3, ppid: 0xfffffffe, unordered: true },
    { data: Buffer.from('partially reliable'), stream: 0, ppid: 105, prPolicy: { kind: 'ttl' as const, value: 5000 } },
  ];
  assert.is(cli.send(sent), sent.length);

  const got = await within(5000, receiveMessages(conn, sent.length), 'receive');
  for (const m of sent) {
    const r = got.find((x) => x.ppid === m.ppid);
    assert.ok(r, `message with ppid ${m.ppid} arrived`);
    assert.is(r!.stream, m.stream);
    assert.equal(new Uint8Array(r!.data), new Uint8Array(m.data));
    assert.is(r!.unordered, m.unordered === true);
    assert.is(r!.complete, true);
    assert.is(r!.association, conn.association);
  }
  // Ordered messages of one stream keep their order (and their stream sequence numbers).
  const stream1 = got.filter((x) => x.stream === 1);
  assert.equal(stream1.map((x) => x.ppid), [101, 104]);
  assert.equal(stream1.map((x) => x.ssn), [0, 1]);

  // And back.
  assert.is(conn.send([{ data: Buffer.from('pong'), stream: 5, ppid: 7 }]), 1);
  const [pong] = await within(5000, receiveMessages(cli, 1), 'reply');
  assert.is(pong.data.toString(), 'pong');
  assert.is(pong.stream, 5);
  assert.is(pong.ppid, 7);
  assert.is(pong.association, association);

  // Nothing pending: receive returns an empty list, not an error.
  assert.equal(cli.receive(), []);

  cli.close();
  conn.close();
  srv.close();
});

test('one-to-many: a server receives from two clients and replies by association id', async () => {
  const srv = server('one-to-many');
  const a = client('one-to-many');
  const b = client('one-to-one');
  const [assocA] = await within(5000, Promise.all([a.connect(srv.localAddress()), b.connect(srv.localAddress())]),
    'connect');
  assert.is(a.state, 'connected');
  assert.is(b.state, 'connected');
  throwsCode(() => srv.accept(), 'invalid-state');

  assert.is(a.send([{ data: Buffer.from('from a'), association: assocA, stream: 1, ppid: 11 }]), 1);
  assert.is(b.send([{ data: Buffer.from('from b'), stream: 2, ppid: 22 }]), 1);
  const got = await within(5000, receiveMessages(srv, 2), 'server receive');
  const fromA = got.find((m) => m.data.toString() === 'from a')!;
  const fromB = got.find((m) => m.data.toString() === 'from b')!;
  assert.ok(fromA && fromB, 'both messages arrived');
  assert.is.not(fromA.association, fromB.association);
  assert.is(fromA.ppid, 11);
  assert.is(fromB.stream, 2);
  assert.equal(srv.remoteAddress(fromA.association), a.localAddress());
  assert.equal(srv.remoteAddress(fromB.association), b.localAddress());

  assert.is(
    srv.send([
      { data: Buffer.from('to a'), association: fromA.association, ppid: 1 },
      { data: Buffer.from('to b'), association: fromB.association, ppid: 2 },
    ]),
    2,
  );
  const [replyA] = await within(5000, receiveMessages(a, 1), 'reply a');
  const [replyB] = await within(5000, receiveMessages(b, 1), 'reply b');
  assert.is(replyA.data.toString(), 'to a');
  assert.is(replyA.association, assocA);
  assert.is(replyB.data.toString(), 'to b');

  // A one-to-many send needs a live association id.
  throwsCode(() => a.send([{ data: Buffer.from('x'), association: 4242 }]), 'invalid-argument');
  a.close();
  b.close();
  srv.close();
});

test('calls in the wrong state are invalid-state; finish without start is not-in-progress', () => {
  const s = SctpSocket.create('ipv4', 'one-to-one');
  assert.is(s.state, 'unbound');
  throwsCode(() => s.finishBind(), 'not-in-progress');
  throwsCode(() => s.finishConnect(), 'not-in-progress');
  throwsCode(() => s.finishListen(), 'not-in-progress');
  throwsCode(() => s.accept(), 'invalid-state');
  throwsCode(() => s.send([{ data: Buffer.from('x') }]), 'invalid-state');
  throwsCode(() => s.receive(), 'invalid-state');
  throwsCode(() => s.shutdown(), 'invalid-state');
  throwsCode(() => s.remoteAddress(), 'invalid-state');
  throwsCode(() => s.localAddress(), 'invalid-state');

  s.startBind(lo());
  assert.is(s.state, 'bind-started');
  throwsCode(() => s.startConnect(lo(9)), 'concurrency-conflict');
  throwsCode(() => s.startListen(), 'concurrency-conflict');
  s.finishBind();
  assert.is(s.state, 'bound');
  throwsCode(() => s.finishBind(), 'not-in-progress');
  throwsCode(() => s.startBind(lo()), 'invalid-state');
  s.startListen();
  throwsCode(() => s.startConnect(lo(9)), 'concurrency-conflict');
  s.finishListen();
  throwsCode(() => s.startConnect(lo(9)), 'invalid-state');
  throwsCode(() => s.startListen(), 'invalid-state');
  throwsCode(() => s.receive(), 'invalid-state');
  throwsCode(() => s.accept(), 'would-block');

  // A failed bind leaves the socket unbound: it can be retried.
  const t = SctpSocket.create('ipv4', 'one-to-one');
  throwsCode(() => t.startBind(s.localAddress()), 'address-in-use');
  assert.is(t.state, 'unbound');
  throwsCode(() => t.startBind({ family: 'ipv4', address: '192.0.2.200', port: 0 }), 'address-not-bindable');
  throwsCode(() => t.startBind({ family: 'ipv6', address: '::1', port: 0 }), 'invalid-argument');
  throwsCode(() => t.startBind({ family: 'ipv4', address: 'localhost', port: 0 }), 'invalid-argument');
  throwsCode(() => t.startBind({ family: 'ipv4', address: '127.0.0.1', port: 70000 }), 'invalid-argument');
  throwsCode(() => t.startConnect({ family: 'ipv4', address: '0.0.0.0', port: 80 }), 'invalid-argument');
  throwsCode(() => t.startConnect(lo(0)), 'invalid-argument');
  t.bind(lo());
  assert.is(t.state, 'bound');

  // close is idempotent; everything after it is invalid-state.
  s.close();
  s.close();
  assert.is(s.state, 'closed');
  throwsCode(() => s.accept(), 'invalid-state');
  throwsCode(() => s.finishBind(), 'invalid-state');
  throwsCode(() => s.getOption('nodelay'), 'invalid-state');
  throwsCode(() => s.setListenBacklogSize(5), 'invalid-state');
  t.close();
});

test('a stream id at or above the negotiated outbound streams is invalid-argument', async () => {
  const srv = server('one-to-one');
  const cli = client('one-to-one');
  cli.setOption('init-msg', { numOstreams: 4, maxInstreams: 4, maxAttempts: 0, maxInitTimeo: 0 });
  const [, conn] = await within(5000, Promise.all([cli.connect(srv.localAddress()), srv.acceptOne()]), 'connect');
  assert.is(cli.getOption('status').outboundStreams, 4);
  assert.is(conn.getOption('status').inboundStreams, 4);

  assert.is(cli.send([{ data: Buffer.from('last valid stream'), stream: 3 }]), 1);
  throwsCode(() => cli.send([{ data: Buffer.from('x'), stream: 4 }]), 'invalid-argument');
  throwsCode(() => cli.send([{ data: Buffer.from('x'), stream: 65536 }]), 'invalid-argument');
  // SCTP has no empty user messages; a message larger than the send buffer cannot be taken whole.
  throwsCode(() => cli.send([{ data: new Uint8Array(0) }]), 'invalid-argument');
  throwsCode(() => cli.send([{ data: new Uint8Array(4 << 20) }]), 'datagram-too-large');
  // The messages before a bad one are sent: the count says how many.
  assert.is(cli.send([{ data: Buffer.from('ok'), stream: 0 }, { data: Buffer.from('bad'), stream: 9 }]), 1);
  const got = await within(5000, receiveMessages(conn, 2), 'receive');
  assert.equal(got.map((m) => m.data.toString()).sort(), ['last valid stream', 'ok']);
  cli.close();
  conn.close();
  srv.close();
});

test('connecting where the stack answers but nobody listens is connection-refused', async () => {
  // A port bound by nobody: bind a socket, note its port, close it.
  const probe = SctpSocket.create('ipv4', 'one-to-one');
  probe.bind(lo());
  const port = probe.localAddress().port;
  probe.close();

  const cli = client('one-to-one');
  await within(5000, rejectsCode(cli.connect(lo(port)), 'connection-refused'), 'refused');
  assert.is(cli.state, 'connect-failed');
  throwsCode(() => cli.send([{ data: Buffer.from('x') }]), 'invalid-state');
  cli.close();

  // One-to-many: the association simply goes away; reported as connection-refused too.
  const many = client('one-to-many');
  await within(5000, rejectsCode(many.connect(lo(port)), 'connection-refused'), 'refused (one-to-many)');
  assert.is(many.state, 'bound', 'a one-to-many socket stays usable after a failed association');
  many.close();
});

test('connecting to a UDP port where nothing answers times out as init-msg and rto-info say', async () => {
  const sink = createSocket('udp4');
  await new Promise<void>((resolve) => sink.bind(0, '127.0.0.1', resolve));
  let inits = 0;
  sink.on('message', () => inits++);

  const cli = SctpSocket.create('ipv4', 'one-to-one');
  cli.setOption('remote-udp-encaps-port', sink.address().port);
  cli.bind(lo());
  // The first INIT waits the initial RTO (default 3 s), later ones at most max-init-timeo; with max-attempts 1
  // usrsctp gives up at the second timeout.
  cli.setOption('init-msg', { numOstreams: 0, maxInstreams: 0, maxAttempts: 1, maxInitTimeo: 50 });
  cli.setOption('rto-info', { initial: 50, max: 0, min: 10 });
  const started = performance.now();
  await within(3000, rejectsCode(cli.connect(lo(5000)), 'timeout'), 'timeout');
  const elapsed = performance.now() - started;
  assert.ok(elapsed < 1000, `timed out after ${elapsed.toFixed(0)} ms`);
  assert.ok(inits >= 1, 'INIT went to the UDP port');
  assert.is(cli.state, 'connect-failed');
  cli.close();
  sink.close();
});

test('options: get/set round trips through the table; invalid values are invalid-argument', () => {
  const s = SctpSocket.create('ipv4', 'one-to-one');
  assert.is(s.getOption('nodelay'), false);
  s.setOption('nodelay', true);
  assert.is(s.getOption('nodelay'), true);
  s.setOption('nodelay', false);
  assert.is(s.getOption('nodelay'), false);

  const init = { numOstreams: 17, maxInstreams: 33, maxAttempts: 3, maxInitTimeo: 1500 };
  s.setOption('init-msg', init);
  assert.equal(s.getOption('init-msg'), init);

  s.setOption('remote-udp-encaps-port', 4321);
  assert.is(s.getOption('remote-udp-encaps-port'), 4321);
  s.setOption('rto-info', { initial: 200, max: 4000, min: 100 });
  assert.equal(s.getOption('rto-info'), { initial: 200, max: 4000, min: 100 });
  s.setOption('receive-buffer-size', 65536);
  assert.ok(s.getOption('receive-buffer-size') >= 65536);

  const bad: Array<[() => void, string]> = [
    [() => s.setOption('nodelay', 1 as unknown as boolean), 'nodelay: number'],
    [() => s.setOption('init-msg', { ...init, numOstreams: 65536 }), 'init-msg: u16 overflow'],
    [() => s.setOption('init-msg', { ...init, maxAttempts: -1 }), 'init-msg: negative'],
    [() => s.setOption('init-msg', { ...init, maxInitTimeo: 1.5 }), 'init-msg: fraction'],
    [() => s.setOption('init-msg', { numOstreams: 1 } as never), 'init-msg: missing fields'],
    [() => s.setOption('receive-buffer-size', 0), 'receive-buffer-size 0'],
    [() => s.setOption('remote-udp-encaps-port', 65536), 'port overflow'],
    [() => s.setOption('rto-info', { initial: 100, max: 50, min: 10 }), 'rto-info min <= initial <= max (usrsctp)'],
    [() => s.setOption('nodelay', true, 'all'), "nodelay has no association scope"],
    [() => s.getOption('remote-udp-encaps-port', 'all'), "reads take an id or 'future'"],
    [() => s.getOption('no-such-option' as never), 'unknown option'],
  ];
  for (const [f, what] of bad) {
    try {
      f();
      assert.unreachable(`${what}: accepted`);
    } catch (e) {
      assert.instance(e, SctpError, what);
      assert.is((e as SctpError).code, 'invalid-argument', what);
    }
  }
  // The values are unchanged by the rejected calls.
  assert.equal(s.getOption('init-msg'), init);
  throwsCode(() => s.setOption('status', {} as never), 'not-supported');
  const many = SctpSocket.create('ipv4', 'one-to-many');
  throwsCode(() => many.getOption('status'), 'invalid-argument');
  many.close();
  s.close();
});

test('notifications: assoc-change comm-up and shutdown-comp, then end-of-stream', async () => {
  const srv = server('one-to-one');
  const cli = client('one-to-one');
  // Nobody subscribes in this slice's host; subscribe through the generic native option call (SCTP_EVENT).
  const ev = Buffer.alloc(native.sizes.sctp_event);
  ev.writeUInt16LE(C.SCTP_ASSOC_CHANGE, native.offsets['sctp_event.se_type']);
  ev.writeUInt8(1, native.offsets['sctp_event.se_on']);
  assert.is(native.setsockopt(cli.id, C.IPPROTO_SCTP, C.SCTP_EVENT, ev), 0);
  const shut = Buffer.alloc(native.sizes.sctp_event);
  shut.writeUInt16LE(C.SCTP_SHUTDOWN_EVENT, native.offsets['sctp_event.se_type']);
  shut.writeUInt8(1, native.offsets['sctp_event.se_on']);
  assert.is(native.setsockopt(srv.id, C.IPPROTO_SCTP, C.SCTP_EVENT, shut), 0);

  const [association, conn] = await within(5000, Promise.all([cli.connect(srv.localAddress()), srv.acceptOne()]),
    'connect');
  const [up] = await within(5000, cli.receiveSome(), 'comm-up');
  assert.is(up.kind, 'notification');
  const n = (up as Extract<Incoming, { kind: 'notification' }>).notification;
  assert.is(n.type, 'assoc-change');
  if (n.type !== 'assoc-change') throw new Error('unreachable');
  assert.is(n.state, 'comm-up');
  assert.is(n.assocId, association);
  assert.is(n.outboundStreams, 10);
  assert.ok(n.features.includes('pr'), `features ${n.features.join(',')}`);

  assert.is(cli.send([{ data: Buffer.from('last words'), ppid: 9 }]), 1);
  cli.shutdown();
  cli.shutdown(); // idempotent
  throwsCode(() => cli.send([{ data: Buffer.from('after shutdown') }]), 'invalid-state');

  // The peer gets the data, the shutdown-event (it subscribed, inheriting from the listener), then end-of-stream.
  const seen: Incoming[] = [];
  while (!seen.some((i) => i.kind === 'end-of-stream')) seen.push(...(await within(5000, conn.receiveSome(), 'eos')));
  assert.is(seen[0].kind, 'message');
  assert.is((seen[0] as ReceivedMessage).data.toString(), 'last words');
  assert.ok(seen.some((i) => i.kind === 'notification' && i.notification.type === 'shutdown'), 'shutdown');
  assert.equal(conn.receive(), [{ kind: 'end-of-stream' }], 'end-of-stream is reported again');

  // The side that shut down sees shutdown-comp, then end-of-stream too.
  const mine: Incoming[] = [];
  while (!mine.some((i) => i.kind === 'end-of-stream')) mine.push(...(await within(5000, cli.receiveSome(), 'eos')));
  const comp = mine.find((i) => i.kind === 'notification');
  assert.ok(comp && comp.kind === 'notification' && comp.notification.type === 'assoc-change'
    && comp.notification.state === 'shutdown-comp', JSON.stringify(mine));
  cli.close();
  conn.close();
  srv.close();
});

/** Subscribes a socket to notification types through the generic native option call (SCTP_EVENT). */
function subscribe(s: SctpSocket, ...types: number[]): void {
  for (const type of types) {
    const ev = Buffer.alloc(native.sizes.sctp_event);
    ev.writeUInt16LE(type, native.offsets['sctp_event.se_type']);
    ev.writeUInt8(1, native.offsets['sctp_event.se_on']);
    assert.is(native.setsockopt(s.id, C.IPPROTO_SCTP, C.SCTP_EVENT, ev), 0);
  }
}

async function notifications(s: SctpSocket, count: number): Promise<Notification[]> {
  const out: Notification[] = [];
  while (out.length < count) {
    for (const item of await within(5000, s.receiveSome(), `${count} notifications`)) {
      if (item.kind === 'notification') out.push(item.notification);
    }
  }
  return out;
}

test('notifications: adaptation, sender-dry, stream reset and change, comm-lost with the ABORT chunk', async () => {
  const O = native.offsets;
  const S = native.sizes;
  const srv = SctpSocket.create('ipv4', 'one-to-one');
  srv.bind(lo());
  const adaptation = Buffer.alloc(S.sctp_setadaptation);
  adaptation.writeUInt32LE(0x1234abcd, O['sctp_setadaptation.ssb_adaptation_ind']);
  assert.is(native.setsockopt(srv.id, C.IPPROTO_SCTP, C.SCTP_ADAPTATION_LAYER, adaptation), 0);
  const cli = client('one-to-one');
  for (const s of [srv, cli]) {
    const enable = Buffer.alloc(S.sctp_assoc_value);
    enable.writeUInt32LE(C.SCTP_ENABLE_RESET_STREAM_REQ | C.SCTP_ENABLE_CHANGE_ASSOC_REQ,
      O['sctp_assoc_value.assoc_value']);
    assert.is(native.setsockopt(s.id, C.IPPROTO_SCTP, C.SCTP_ENABLE_STREAM_RESET, enable), 0);
  }
  srv.listen();
  subscribe(cli, C.SCTP_ADAPTATION_INDICATION, C.SCTP_SENDER_DRY_EVENT, C.SCTP_STREAM_RESET_EVENT,
    C.SCTP_STREAM_CHANGE_EVENT, C.SCTP_ASSOC_CHANGE);
  subscribe(srv, C.SCTP_STREAM_RESET_EVENT);
  const [association, conn] = await within(5000, Promise.all([cli.connect(srv.localAddress()), srv.acceptOne()]),
    'connect');

  const [up, adapt] = await notifications(cli, 2);
  assert.is(up.type, 'assoc-change');
  assert.equal(adapt, { type: 'adaptation-indication', flags: 0, adaptationInd: 0x1234abcd, assocId: association });

  cli.send([{ data: Buffer.from('x'), stream: 2 }]);
  const [dry] = await notifications(cli, 1);
  assert.equal(dry, { type: 'sender-dry', flags: 0, assocId: association });

  // RFC 6525: reset outgoing stream 2, then add 3 outgoing streams.
  const reset = Buffer.alloc(S.sctp_reset_streams + 2);
  reset.writeUInt16LE(C.SCTP_STREAM_RESET_OUTGOING, O['sctp_reset_streams.srs_flags']);
  reset.writeUInt16LE(1, O['sctp_reset_streams.srs_number_streams']);
  reset.writeUInt16LE(2, O['sctp_reset_streams.srs_stream_list']);
  assert.is(native.setsockopt(cli.id, C.IPPROTO_SCTP, C.SCTP_RESET_STREAMS, reset), 0);
  const [mine] = await notifications(cli, 1);
  assert.is(mine.type, 'stream-reset');
  if (mine.type !== 'stream-reset') throw new Error('unreachable');
  assert.equal([mine.outgoing, mine.incoming, mine.denied, mine.streams], [true, false, false, [2]]);
  const peer = (await notifications(conn, 1))[0];
  assert.ok(peer.type === 'stream-reset' && peer.incoming && peer.streams[0] === 2, JSON.stringify(peer));

  const add = Buffer.alloc(S.sctp_add_streams);
  add.writeUInt16LE(3, O['sctp_add_streams.sas_outstrms']);
  assert.is(native.setsockopt(cli.id, C.IPPROTO_SCTP, C.SCTP_ADD_STREAMS, add), 0);
  const [change] = await notifications(cli, 1);
  assert.equal(change, {
    type: 'stream-change', flags: 0, assocId: association, denied: false, failed: false,
    inboundStreams: 10, outboundStreams: 13,
  });
  assert.is(cli.getOption('status').outboundStreams, 13);

  // The peer aborts with a reason: comm-lost carries the ABORT chunk, then receive reports connection-reset.
  conn.send([{ data: Buffer.from('bye'), flags: { abort: true } }]);
  const [lost] = await notifications(cli, 1);
  assert.is(lost.type, 'assoc-change');
  if (lost.type !== 'assoc-change') throw new Error('unreachable');
  assert.is(lost.state, 'comm-lost');
  assert.is(lost.abortInfo[0], 6, 'an ABORT chunk (type 6)');
  assert.ok(lost.abortInfo.includes(Buffer.from('bye')), 'with the reason the peer sent');
  await within(5000, rejectsCode(cli.receiveSome(), 'connection-reset'), 'connection-reset');
  cli.close();
  conn.close();
  srv.close();
});

test('a full send buffer is would-block; the blocked sender wakes when the peer reads', async () => {
  const srv = server('one-to-one');
  const cli = client('one-to-one');
  cli.setOption('send-buffer-size', 32 * 1024);
  const [, conn] = await within(5000, Promise.all([cli.connect(srv.localAddress()), srv.acceptOne()]), 'connect');
  conn.setOption('receive-buffer-size', 32 * 1024);
  const chunk = { data: new Uint8Array(4096), stream: 0 };
  let accepted = 0;
  const deadline = performance.now() + 5000;
  for (;;) {
    try {
      accepted += cli.send([chunk, chunk, chunk, chunk]);
    } catch (e) {
      assert.instance(e, SctpError);
      assert.is((e as SctpError).code, 'would-block');
      // Wait for what frees space (SACKs) until the peer's window is full and nothing moves any more.
      const woke = await Promise.race([cli.wait(), new Promise((r) => setTimeout(() => r('idle'), 200))]);
      if (woke === 'idle') break;
    }
    assert.ok(performance.now() < deadline, 'the send buffer filled up');
  }
  assert.ok(accepted > 4, `accepted ${accepted} messages before blocking`);
  throwsCode(() => cli.send([chunk]), 'would-block');
  assert.ok((cli.interest() & EVENT_READ) !== 0);

  const woke = cli.wait();
  let drained = 0;
  const reader = (async () => {
    while (drained < accepted) drained += (await conn.receiveSome(256)).length;
  })();
  assert.ok((await within(5000, woke, 'the blocked sender wakes')) >= 0);
  await within(5000, cli.sendAll([chunk]), 'send after wake-up');
  accepted += 1;
  await within(5000, reader, 'reader');
  cli.close();
  conn.close();
  srv.close();
});

test('waits resolve with ERROR when the socket is closed; native watch works from a worker thread', async () => {
  const srv = server('one-to-one');
  const pending = srv.wait(EVENT_READ);
  const pending2 = whenReady(srv.id, EVENT_READ);
  assert.is(native.stats().watchers, baseline.watchers + 2);
  srv.close();
  assert.is(await within(2000, pending, 'wait'), EVENT_ERROR);
  assert.is(await within(2000, pending2, 'whenReady'), EVENT_ERROR);
  assert.is(native.stats().watchers, baseline.watchers);

  // The same addon in a worker thread: it shares the socket table and is woken by the main thread's traffic.
  const listener = server('one-to-one');
  const cli = client('one-to-one');
  const [, conn] = await within(5000, Promise.all([cli.connect(listener.localAddress()), listener.acceptOne()]),
    'connect');
  const nativeJs = new URL('../src/native.js', import.meta.url).href;
  const worker = new Worker(
    `import(${JSON.stringify(nativeJs)}).then(({ native }) => {
       const { parentPort, workerData } = require('node:worker_threads');
       parentPort.postMessage({ port: native.stackPort() });
       native.watch(workerData.id, 1, (events) => parentPort.postMessage({ events }));
     });`,
    { eval: true, workerData: { id: conn.id } },
  );
  const messages: Array<{ port?: number; events?: number }> = [];
  const firstTwo = new Promise<void>((resolve, reject) => {
    worker.on('message', (m) => {
      messages.push(m);
      if (messages.length === 2) resolve();
    });
    worker.on('error', reject);
  });
  await new Promise((r) => setTimeout(r, 100));
  cli.send([{ data: Buffer.from('wake the worker') }]);
  await within(5000, firstTwo, 'worker');
  assert.equal(messages[0], { port: udpPort }, 'the worker sees the same stack');
  assert.equal(messages[1], { events: (messages[1].events ?? 0) | EVENT_READ });
  await worker.terminate();
  cli.close();
  conn.close();
  listener.close();
});

test('processes exit cleanly with sockets open (process.exit and natural exit)', () => {
  const index = fileURLToPath(new URL('../src/index.js', import.meta.url));
  const script = (exit: string) => `
    import { SctpSocket, initStack } from ${JSON.stringify(index)};
    const { udpPort } = initStack();
    const srv = SctpSocket.create('ipv4', 'one-to-one');
    srv.bind({ family: 'ipv4', address: '127.0.0.1', port: 0 });
    srv.listen();
    const cli = SctpSocket.create('ipv4', 'one-to-one');
    cli.setOption('remote-udp-encaps-port', udpPort);
    await cli.connect(srv.localAddress());
    const conn = await srv.acceptOne();
    cli.send([{ data: Buffer.alloc(1000) }]);
    await conn.receiveSome();
    ${exit}`;
  for (const exit of ['process.exit(3)', '/* natural exit */', 'srv.close(); cli.close(); conn.close();']) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script(exit)], {
      encoding: 'utf8',
      timeout: 10000,
      env: { ...process.env, WASM_SCTP_UDP_PORT: 'auto' },
    });
    assert.is(r.signal, null, `${exit}: killed by ${r.signal}; ${r.stderr}`);
    assert.is(r.status, exit.startsWith('process.exit') ? 3 : 0, `${exit}: ${r.stderr}`);
  }
});

test('errno mapping: the WIT error codes of wasi:sockets', () => {
  const E = constants.errno;
  assert.is(errnoToCode(-E.EAGAIN), 'would-block');
  assert.is(errnoToCode(-E.EINPROGRESS), 'would-block');
  assert.is(errnoToCode(-E.EMSGSIZE), 'datagram-too-large');
  assert.is(errnoToCode(-E.ECONNREFUSED), 'connection-refused');
  assert.is(errnoToCode(-E.ETIMEDOUT), 'timeout');
  assert.is(errnoToCode(-E.ECONNRESET), 'connection-reset');
  assert.is(errnoToCode(-E.EPIPE), 'invalid-state');
  assert.is(errnoToCode(-E.ENOENT), 'invalid-argument');
  assert.is(errnoToCode(-E.ENOENT, { oneToOne: true }), 'invalid-state');
  assert.is(errnoToCode(-E.EXDEV), 'unknown');
});

test('every socket and watcher is released', async () => {
  // Sockets closed above are gone at once; give queued watcher callbacks a turn to run.
  await new Promise((r) => setTimeout(r, 50));
  // At most what was open before this file ran: suites that ran earlier in this process may still be
  // releasing theirs.
  const now = native.stats() as unknown as Record<string, number>;
  for (const [what, before] of Object.entries(baseline as unknown as Record<string, number>)) {
    assert.ok(now[what] <= before, `${what}: ${now[what]} now, ${before} before this file`);
  }
});

test.run();
