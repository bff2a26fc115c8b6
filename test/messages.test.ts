// Large messages and backpressure: a message far larger than the receive buffer arrives whole by
// default and in pieces on request; a receiver that stops reading makes the sender block, and
// nothing is lost or reordered when it reads again. Node API, two endpoints in one process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EVENT_ERROR, EVENT_READ, SctpError, type Incoming, type ReceivedMessage, type SctpSocket } from '../src/index.js';
import { pair, receiveMessages, sleep, throwsCode, within } from './harness/node-api.js';

function pattern(size: number, seed: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

test('a 4 MiB message arrives whole, ahead of the small one sent after it on its stream', async () => {
  const { cli: sender, conn: receiver, close } = await pair();
  const big = pattern(4 << 20, 1);
  assert.ok(receiver.getOption('receive-buffer-size') < big.length, 'the message must not fit the receive buffer');
  // A non-blocking send takes a message only when it fits the send buffer whole.
  throwsCode(() => sender.send([{ data: big }]), 'datagram-too-large');
  sender.setOption('send-buffer-size', 9 << 20);
  await within(10_000, sender.sendAll([{ data: big, stream: 1, ppid: 7 }, { data: Buffer.from('after'), stream: 1, ppid: 8 }]), 'send');
  const [first, second] = await within(10_000, receiveMessages(receiver, 2), 'receive');
  assert.ok(receiver.wholeMessages);
  assert.is(first.data.length, big.length);
  assert.ok(first.data.equals(big), 'the bytes of the big message');
  assert.is(first.complete, true);
  assert.is(first.ppid, 7);
  assert.is(second.data.toString(), 'after');
  close();
});

test('a socket that asks for pieces gets them, complete only on the last', async () => {
  const { cli: sender, conn: receiver, close } = await pair();
  receiver.wholeMessages = false;
  sender.setOption('send-buffer-size', 9 << 20);
  const big = pattern(2 << 20, 2);
  await within(10_000, sender.sendAll([{ data: big, stream: 3 }]), 'send');
  const pieces: ReceivedMessage[] = [];
  while (!pieces.at(-1)?.complete) pieces.push(...await within(10_000, receiveMessages(receiver, 1), 'piece'));
  assert.ok(pieces.length > 1, `${pieces.length} piece(s)`);
  assert.ok(pieces.slice(0, -1).every((p) => !p.complete));
  assert.ok(Buffer.concat(pieces.map((p) => p.data)).equals(big));
  close();
});

test('a receiver that stops reading makes the sender block; nothing is lost or reordered', async () => {
  const { cli: sender, conn: receiver, close } = await pair();
  const total = 3000;
  const messages = Array.from({ length: total }, (_, i) => ({ data: pattern(1024, i).fill(i & 0xff, 0, 4), stream: i % 2 }));
  // Send without reading until the send buffer is full.
  let accepted = 0;
  for (;;) {
    try { accepted += sender.send(messages.slice(accepted, accepted + 64)); } catch (e) {
      assert.is((e as { code: string }).code, 'would-block');
      break;
    }
    if (accepted === total) break;
  }
  assert.ok(accepted < total, `the send buffer took all ${total} messages`);
  // Reading lets the rest through.
  const [, received] = await within(20_000, Promise.all([
    sender.sendAll(messages.slice(accepted)),
    receiveMessages(receiver, total),
  ]), 'drain');
  assert.is(received.length, total);
  for (const stream of [0, 1]) {
    const sent = messages.filter((m) => m.stream === stream);
    const got = received.filter((m) => m.stream === stream);
    assert.is(got.length, sent.length);
    got.forEach((m, i) => assert.ok(m.data.equals(sent[i].data), `stream ${stream} message ${i}`));
  }
  close();
});

/** Both ends: the partial-delivery event on, partial delivery from 4 KiB, a receive buffer far smaller than the message. */
function partialDelivery(s: SctpSocket): void {
  s.setOption('event', true, 'future', { kind: 'partial-delivery' });
  s.setOption('receive-buffer-size', 32768);
  s.setOption('partial-delivery-point', 4096);
}

/** Resolves once `condition` holds (checked every few ms); fails after 5 s. */
async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    assert.ok(Date.now() < deadline, `no ${what} within 5 s`);
    await sleep(5);
  }
}

const unread = (s: SctpSocket) => () => (s.events() & EVENT_READ) !== 0;

/** The sender aborts; resolves once the receiver's stack has taken the ABORT (the socket shows an error). */
async function abort(sender: SctpSocket, receiver: SctpSocket): Promise<void> {
  sender.send([{ data: Buffer.from('abort'), flags: { abort: true } }]);
  await until(() => (receiver.events() & EVENT_ERROR) !== 0, 'the abort at the receiver');
}

/** Everything a socket receives, `max` items at a time, until its association is reported reset. */
async function untilReset(s: SctpSocket, max = 64): Promise<Incoming[]> {
  const seen: Incoming[] = [];
  for (;;) {
    try {
      const items = await within(5000, s.receiveSome(max), 'the rest');
      assert.ok(items.length <= max, `${items.length} items for at most ${max}`);
      seen.push(...items);
    } catch (e) {
      if (e instanceof SctpError && e.code === 'connection-reset') return seen;
      throw e;
    }
  }
}

const messagesOf = (items: Incoming[]) => items.filter((i): i is ReceivedMessage => i.kind === 'message');

/** Where among `items` the partial-delivery event comes that says the message on `stream` was aborted. */
function abortedEvent(items: Incoming[], stream: number): number {
  const at = items.findIndex((i) => i.kind === 'notification' && i.notification.type === 'partial-delivery');
  assert.ok(at >= 0, `no partial-delivery event in ${JSON.stringify(items.map((i) => i.kind))}`);
  const n = (items[at] as Extract<Incoming, { kind: 'notification' }>).notification;
  assert.ok(n.type === 'partial-delivery' && n.indication === 'aborted' && n.stream === stream, JSON.stringify(n));
  return at;
}

/** A 300,000-byte message on `stream`, its start waiting to be read. */
async function largeMessageUnderway(wholeMessages: boolean, stream: number) {
  const p = await pair(partialDelivery, partialDelivery);
  p.conn.wholeMessages = wholeMessages;
  p.cli.setOption('send-buffer-size', 1 << 20);
  const big = pattern(300_000, stream);
  p.cli.send([{ data: big, stream }]);
  await until(unread(p.conn), 'the start of the message');
  return { ...p, big };
}

// usrsctp ends a message cut by an ABORT with MSG_EOR (no MSG_TRUNC on a non-blocking socket) and queues a
// partial-delivery event for it right behind: the piece before that event is not the message's end.
test('pieces of a message its sender aborts: none is complete, and the partial-delivery event follows them', async () => {
  const { cli: sender, conn: receiver, close, big } = await largeMessageUnderway(false, 1);
  const first = receiver.receive(1);
  assert.equal(first.map((i) => i.kind === 'message' && i.complete), [false], 'a first piece');
  await until(unread(receiver), 'more of the message'); // waiting in the stack when the abort comes
  await abort(sender, receiver);
  const rest = await untilReset(receiver);
  const at = abortedEvent(rest, 1);
  const pieces = messagesOf([...first, ...rest.slice(0, at)]);
  assert.ok(pieces.length >= 2, `${pieces.length} piece(s)`);
  assert.equal(pieces.map((p) => p.complete), pieces.map(() => false));
  const received = Buffer.concat(pieces.map((p) => p.data));
  assert.ok(received.length < big.length && received.equals(big.subarray(0, received.length)), `${received.length} bytes, the start of the message`);
  close();
});

test('a message its sender aborts while it is put together comes once, incomplete, before the partial-delivery event', async () => {
  // More of the message waits in the stack when the abort comes: the stack ends the message there.
  {
    const { cli: sender, conn: receiver, close, big } = await largeMessageUnderway(true, 2);
    assert.equal(receiver.receive(), [], 'pieces held');
    await until(unread(receiver), 'more of the message');
    await abort(sender, receiver);
    const rest = await untilReset(receiver);
    const at = abortedEvent(rest, 2);
    const cuts = messagesOf(rest);
    assert.equal(cuts.map((m) => m.complete), [false]);
    assert.ok(rest.indexOf(cuts[0]) < at, 'the message comes before the event');
    assert.ok(cuts[0].data.length < big.length && cuts[0].data.equals(big.subarray(0, cuts[0].data.length)), `${cuts[0].data.length} bytes, the start of the message`);
    close();
  }
  // Everything that arrived was read (the sender, in explicit-EOR mode, sent the start without its end): only the
  // event says the message ended. Read one item at a time: the message and the event come from one read of the
  // stack; the event waits its turn, and a wait meanwhile ends at once.
  {
    const { cli: sender, conn: receiver, close } = await pair(partialDelivery, partialDelivery);
    sender.setOption('explicit-eor', true);
    const start = pattern(20_000, 5);
    sender.send([{ data: start, stream: 3, flags: { eor: false } }]);
    await until(() => sender.getOption('status').unackedData === 0, 'everything acknowledged');
    assert.equal(receiver.receive(), [], 'pieces held');
    assert.not.ok(unread(receiver)(), 'everything read');
    await abort(sender, receiver);
    const first = receiver.receive(1);
    assert.equal([first.map((i) => i.kind), receiver.interest()], [['message'], 0]);
    const rest = [...first, ...await untilReset(receiver, 1)];
    const at = abortedEvent(rest, 3);
    const cuts = messagesOf(rest);
    assert.equal(cuts.map((m) => [m.complete, m.data.equals(start)]), [[false, true]]);
    assert.ok(rest.indexOf(cuts[0]) < at, 'the message comes before the event');
    close();
  }
});

test.run();
