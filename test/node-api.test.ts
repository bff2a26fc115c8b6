// The TypeScript SCTP API from plain Node: what `src/` promises, shown on two endpoints of one process talking
// SCTP over UDP encapsulation on 127.0.0.1 (the remote UDP port is this process's own encapsulation port):
// the stack, one-to-one and one-to-many associations with their messages, and the error-codes of wrong use.
// Notifications: node-api-notifications; readiness, threads and processes: node-api-readiness.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSocket } from 'node:dgram';
import { constants } from 'node:os';
import { SctpError, SctpSocket, errnoToCode, initStack, stackPort } from '../src/index.js';
import { client, lo, receiveMessages, rejectsCode, server, throwsCode, within } from './harness/node-api.js';

const { udpPort } = initStack();

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

test.run();
