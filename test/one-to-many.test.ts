// One-to-many sockets (SOCK_SEQPACKET): many associations on one socket, each message naming its
// association; implicit setup by sending to a new address (from a bound socket); ending or aborting one association while
// the others go on; peeloff (RFC 6458 sections 3 and 9.2). Node API, two endpoints per process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SctpSocket, initStack, type Incoming } from '../src/index.js';
import { client, lo, receiveMessages, server, throwsCode, within } from './harness/node-api.js';

const { udpPort } = initStack();
const text = (items: Incoming[]) => items.flatMap((i) => (i.kind === 'message' ? [i.data.toString()] : []));

test('a send to a new address sets up an association implicitly; the socket must be bound first', async () => {
  const srv = server('one-to-many');
  const cli = SctpSocket.create('ipv4', 'one-to-many');
  cli.setOption('remote-udp-encaps-port', udpPort);
  // As wasi:sockets' UDP: a send binds nothing (binding is start-bind's, which takes the network).
  throwsCode(() => cli.send([{ data: Buffer.from('hello'), destination: srv.localAddress() }]), 'invalid-state');
  assert.is(cli.state, 'unbound');
  cli.bind(lo());
  assert.is(cli.send([{ data: Buffer.from('hello'), stream: 2, ppid: 99, destination: srv.localAddress() }]), 1);
  assert.is(cli.state, 'bound');
  const [m] = await within(5000, receiveMessages(srv, 1), 'receive');
  assert.is(m.data.toString(), 'hello');
  assert.is(m.stream, 2);
  assert.is(m.ppid, 99);
  // Without a destination or an association a one-to-many send has nowhere to go.
  throwsCode(() => cli.send([{ data: Buffer.from('where?') }]), 'invalid-argument');
  cli.close();
  srv.close();
});

test('three associations on one socket: one peeled off keeps working, one aborted, one ended, the rest go on', async () => {
  const srv = server('one-to-many');
  const clients = [client('one-to-one'), client('one-to-one'), client('one-to-one')];
  await within(5000, Promise.all(clients.map((c) => c.connect(srv.localAddress()))), 'connect');
  clients.forEach((c, i) => c.send([{ data: Buffer.from(`hello from ${i}`), stream: 0 }]));
  const greetings = await within(5000, receiveMessages(srv, 3), 'greetings');
  const assocOf = new Map(greetings.map((m) => [Number(m.data.toString().split(' ')[2]), m.association]));
  assert.is(new Set(assocOf.values()).size, 3, 'three distinct association ids');

  // Peel client 0's association off: it becomes a one-to-one socket of its own.
  const peeled = srv.peeloff(assocOf.get(0)!);
  assert.is(peeled.type, 'one-to-one');
  assert.is(peeled.state, 'connected');
  throwsCode(() => srv.peeloff(assocOf.get(0)!), 'invalid-argument');
  clients[0].send([{ data: Buffer.from('to the peeled socket') }]);
  assert.equal(text(await within(5000, peeled.receiveSome(), 'peeled receive')), ['to the peeled socket']);
  peeled.send([{ data: Buffer.from('from the peeled socket') }]);
  assert.equal(text(await within(5000, clients[0].receiveSome(), 'client 0 receive')), ['from the peeled socket']);

  // Abort client 1's association from the server: client 1 sees the reset, client 2 does not.
  srv.send([{ data: Buffer.from('bye'), association: assocOf.get(1)!, flags: { abort: true } }]);
  let reset = '';
  await within(5000, (async () => {
    for (;;) {
      try { await clients[1].receiveSome(); } catch (e) { reset = (e as { code: string }).code; return; }
    }
  })(), 'abort seen');
  assert.is(reset, 'connection-reset');
  // Later sends say the same, as a kernel's would (usrsctp itself only knows the association is gone).
  throwsCode(() => clients[1].send([{ data: Buffer.from('anyone?') }]), 'connection-reset');

  // End client 2's association gracefully with eof: the last message arrives, then end-of-stream.
  srv.send([{ data: Buffer.from('last words'), association: assocOf.get(2)!, flags: { eof: true } }]);
  const seen: Incoming[] = [];
  await within(5000, (async () => {
    while (!seen.some((i) => i.kind === 'end-of-stream')) seen.push(...(await clients[2].receiveSome()));
  })(), 'eof seen');
  assert.equal(text(seen), ['last words']);

  // The peeled-off association is unaffected by both.
  clients[0].send([{ data: Buffer.from('still here') }]);
  assert.equal(text(await within(5000, peeled.receiveSome(), 'still here')), ['still here']);
  for (const s of [...clients, peeled, srv]) s.close();
});

test('peeloff needs a one-to-many socket with that association', () => {
  const one = SctpSocket.create('ipv4', 'one-to-one');
  throwsCode(() => one.peeloff(3), 'invalid-state');
  const many = SctpSocket.create('ipv4', 'one-to-many');
  throwsCode(() => many.peeloff(3), 'invalid-state'); // unbound: no associations at all
  many.bind(lo());
  throwsCode(() => many.peeloff(3), 'invalid-argument');
  one.close();
  many.close();
});

test.run();
