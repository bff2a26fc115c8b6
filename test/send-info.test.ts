// Per-message information (RFC 6458 section 5.3): what a message leaves out comes from
// default-sndinfo; SCTP_INIT and SCTP_AUTHINFO per message; SCTP_NXTINFO on receive; a message
// written in several sends with explicit EOR. Node API, two endpoints in one process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SctpSocket, type Incoming, type ReceivedMessage } from '../src/index.js';
import { client, lo, pair, receiveMessages, server, throwsCode, within } from './harness/node-api.js';

test('what a message leaves out comes from default-sndinfo; what it says wins', async () => {
  const { cli: sender, conn: receiver, close } = await pair();
  sender.setOption('default-sndinfo', { stream: 3, ppid: 77, flags: { unordered: false }, context: 5 });
  sender.send([
    { data: Buffer.from('all defaults') },
    { data: Buffer.from('own stream'), stream: 1 },
    { data: Buffer.from('own ppid'), ppid: 9 },
  ]);
  const got = await within(5000, receiveMessages(receiver, 3), 'receive');
  assert.equal(got.map((m) => [m.data.toString(), m.stream, m.ppid]), [
    ['all defaults', 3, 77],
    ['own stream', 1, 77],
    ['own ppid', 3, 9],
  ]);
  close();
});

test('a message that sets up an association carries its own INIT parameters (SCTP_INIT)', async () => {
  const srv = server('one-to-many');
  const cli = client('one-to-many');
  cli.setOption('init-msg', { numOstreams: 10, maxInstreams: 10, maxAttempts: 0, maxInitTimeo: 0 });
  cli.send([{ data: Buffer.from('hi'), destination: srv.localAddress(), init: { numOstreams: 3, maxInstreams: 0, maxAttempts: 0, maxInitTimeo: 0 } }]);
  const [m] = await within(5000, receiveMessages(srv, 1), 'receive');
  assert.is(srv.getOption('status', m.association).inboundStreams, 3, 'the peer sees the 3 streams the message asked for');
  // The socket's own setting is back for the next association.
  assert.is(cli.getOption('init-msg').numOstreams, 10);
  // A bad INIT parameter fails the whole call before anything is sent.
  throwsCode(() => cli.send([{ data: Buffer.from('x'), destination: lo(1), init: { numOstreams: 70000, maxInstreams: 0, maxAttempts: 0, maxInitTimeo: 0 } }]), 'invalid-argument');
  cli.close();
  srv.close();
});

test('a message can be authenticated with a key other than the active one (SCTP_AUTHINFO)', async () => {
  const key = (n: number) => ({ keyNumber: n, key: Buffer.alloc(16, n) });
  const authenticated = (s: SctpSocket) => {
    s.setOption('auth-chunk', 0); // DATA must be authenticated
    s.setOption('auth-key', key(2));
    s.setOption('event', true, 'future', { kind: 'authentication' });
  };
  const { cli: sender, conn: receiver, close } = await pair(authenticated, authenticated);
  sender.send([{ data: Buffer.from('with key 0') }]);
  sender.send([{ data: Buffer.from('with key 2'), authKey: 2 }]);
  const items: Incoming[] = [];
  while (items.filter((i) => i.kind === 'message').length < 2) items.push(...await within(5000, receiver.receiveSome(), 'receive'));
  const auth = items.flatMap((i) => (i.kind === 'notification' && i.notification.type === 'authentication' ? [i.notification] : []));
  assert.ok(auth.some((n) => n.type === 'authentication' && n.indication === 'new-key' && n.keyNumber === 2),
    `the receiver saw key 2 come into use: ${JSON.stringify(auth)}`);
  assert.is(sender.getOption('auth-active-key'), 0, 'the active key is unchanged');
  throwsCode(() => sender.send([{ data: Buffer.from('no such key'), authKey: 9 }]), 'invalid-argument');
  close();
});

test('with recv-nxtinfo on, each message says what waits next (SCTP_NXTINFO)', async () => {
  const { cli: sender, conn: receiver, close } = await pair();
  receiver.setOption('recv-nxtinfo', true);
  sender.send([{ data: Buffer.from('first'), stream: 1, ppid: 10 }, { data: Buffer.from('second!'), stream: 2, ppid: 20, unordered: true }]);
  // Once the receiver acknowledged both, read them one at a time.
  await within(5000, (async () => {
    for (;;) {
      const { unackedData, pendingData } = sender.getOption('status');
      if (unackedData === 0 && pendingData === 0) return;
      await new Promise((r) => setTimeout(r, 10));
    }
  })(), 'acknowledged');
  const [first] = receiver.receive(1) as ReceivedMessage[];
  assert.is(first.data.toString(), 'first');
  assert.equal(first.next, { association: first.association, stream: 2, ppid: 20, length: 7, unordered: true, complete: true, notification: false });
  const [second] = receiver.receive(1) as ReceivedMessage[];
  assert.is(second.data.toString(), 'second!');
  assert.is(second.next, undefined, 'nothing waits after the last one');
  close();
});

test('with explicit-eor on, a message written in several sends arrives as one', async () => {
  const eor = (s: SctpSocket) => s.setOption('explicit-eor', true);
  const { cli: sender, conn: receiver, close } = await pair(eor, eor);
  sender.send([
    { data: Buffer.from('one '), stream: 1 },
    { data: Buffer.from('message '), stream: 1 },
    { data: Buffer.from('in three'), stream: 1, flags: { eor: true } },
    { data: Buffer.from('next'), stream: 1, flags: { eor: true } },
  ]);
  // The last piece carries bytes: an empty one is refused, as SCTP has no empty messages.
  throwsCode(() => sender.send([{ data: new Uint8Array(0), stream: 1, flags: { eor: true } }]), 'invalid-argument');
  const got = await within(5000, receiveMessages(receiver, 2), 'receive');
  assert.equal(got.map((m) => [m.data.toString(), m.complete]), [['one message in three', true], ['next', true]]);
  close();
});

test.run();
