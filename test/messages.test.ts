// Large messages and backpressure: a message far larger than the receive buffer arrives whole by
// default and in pieces on request; a receiver that stops reading makes the sender block, and
// nothing is lost or reordered when it reads again. Node API, two endpoints in one process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { ReceivedMessage } from '../src/index.js';
import { pair, receiveMessages, throwsCode, within } from './harness/node-api.js';

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

test.run();
