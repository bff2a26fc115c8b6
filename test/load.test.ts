// Load: one one-to-many socket serving 1,000 associations at once, every one of them sending. The
// server must receive every message, each association's in order, and its answers must reach
// every client intact and in order. The clients are another process (the peer program's `clients`
// mode, which bench/load.ts uses to measure the memory per association): usrsctp corrupts its heap when
// one stack holds both ends of associations that come and go by the hundred.
//
// LOAD_ASSOCIATIONS sets the count (default 1,000, a few seconds).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SctpSocket, initStack } from '../src/index.js';
import { lo, within } from './harness/node-api.js';
import { startPeer } from './harness/peers/start.js';
import { exitWithin, isEvent } from './harness/processes.js';

const ASSOCIATIONS = Number(process.env.LOAD_ASSOCIATIONS ?? 1000);
const MESSAGES = 20;
const { udpPort } = initStack();

test(`${ASSOCIATIONS} associations on one one-to-many socket, all sending: every message arrives in order and every answer gets back`, async () => {
  const server = SctpSocket.create('ipv4', 'one-to-many');
  server.bind(lo());
  server.listen();
  const clients = startPeer('clients', ['--port', String(server.localAddress().port), '--udp-encaps', String(udpPort),
    '--count', String(ASSOCIATIONS), '--messages', String(MESSAGES), '--size', '200']);

  // The server answers each message on the association and stream it came from, and notes what
  // each association sent: "client i message k".
  const received = new Map<number, string[]>();
  let answered = 0;
  let peakAssociations = 0;
  const done = () => clients.events.find(isEvent('done'));
  await within(240_000, (async () => {
    while (!done()) {
      const items = server.receive(512);
      const answers = [];
      for (const item of items) {
        if (item.kind !== 'message') continue;
        const list = received.get(item.association) ?? [];
        if (!received.has(item.association)) received.set(item.association, list);
        list.push(item.data.toString().split(' ').slice(0, 4).join(' '));
        answers.push({ data: item.data, association: item.association, stream: item.stream });
      }
      if (answers.length) answered += await server.sendAll(answers);
      else await server.wait(undefined, AbortSignal.timeout(50)).catch(() => {});
      peakAssociations = Math.max(peakAssociations, server.getOption('assoc-number'));
      if (!clients.alive() && !done()) throw new Error(`the clients exited early: ${clients.tail()}`);
    }
  })(), 'the clients getting every answer');

  const summary = done()!;
  assert.is(peakAssociations, ASSOCIATIONS, 'every association was up at once');
  assert.is(received.size, ASSOCIATIONS, 'messages came from every association');
  const senders = new Set<string>();
  for (const [association, list] of received) {
    const who = list[0].split(' ')[1];
    senders.add(who);
    assert.equal(list, Array.from({ length: MESSAGES }, (_, k) => `client ${who} message ${k}`), `association ${association}: complete, in order`);
  }
  assert.is(senders.size, ASSOCIATIONS, 'one association per client');
  assert.is(answered, ASSOCIATIONS * MESSAGES);
  assert.is(summary.answers, ASSOCIATIONS * MESSAGES, 'every answer reached its client');
  assert.is(summary.wrong, 0, 'every answer was the message sent, in order');
  const connected = clients.events.find(isEvent('connected'))!;
  console.log(`load: ${ASSOCIATIONS} associations up in ${((connected.ms as number) / 1000).toFixed(1)} s; ${ASSOCIATIONS * MESSAGES} messages and `
    + `their answers by ${((summary.ms as number) / 1000).toFixed(1)} s`);
  clients.child.stdin!.end();
  assert.is(await exitWithin(clients, 30_000), 0);
  server.close();
});

test.run();
