// Packet fuzzing: random and mutated datagrams sent to SCTP's UDP encapsulation ports (RFC 6951)
// of two processes while an association between them carries traffic. The association must keep
// delivering every message intact and in order, and both processes must stay up.
//
// The corpus is real traffic: a UDP relay in this process sits between this process's stack and
// the target process's stack for a few associations (set up, data on several streams, fragmented
// messages, graceful shutdown, abort) and keeps every datagram it forwards. The fuzzer then sends
//   - mutated corpus packets from 127.0.0.2, half of them with a valid CRC32c (the address is no
//     peer's: the stacks parse them as out-of-the-blue packets or as INIT / COOKIE ECHO to a
//     listening socket). usrsctp 0.9.5 stops checking CRC32c on its UDP receive thread after the
//     first datagram whose source and destination addresses are equal (its `compute_crc` is set
//     to 0 then and never back to 1), so once loopback traffic has flowed, the invalid half is
//     parsed as well;
//   - mutated corpus packets from the relay's own address and port, which the stack takes for
//     the relayed association's: they reach its chunk handling (usrsctp checks no CRC32c between
//     equal addresses) and may legitimately kill it; only the process must survive;
//   - random bytes, and random chunks behind a well-formed common header.
// The primary association does not go through the relay: nothing the fuzzer sends can be
// authentic for it (wrong address, wrong verification tag), so it must not notice.
//
// PACKET_FUZZ_DATAGRAMS sets the count (default 100,000, a few seconds; `npm run reliability`
// sends 1,000,000). PACKET_FUZZ_SEED replays a run.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { createSocket, type Socket } from 'node:dgram';
import { SctpSocket, initStack, type SocketAddress } from '../src/index.js';
import { native } from '../src/native.js';
import { CHUNK, chunkTypes } from './harness/wire/sctp-wire.js';
import { Random, hasValidChecksum, mutate, setChecksum } from './harness/wire/packets.js';
import { within } from './harness/node-api.js';
import { startEchoPeer, type EchoPeer } from './harness/peers/start.js';
import { isEvent } from './harness/processes.js';

const DATAGRAMS = Number(process.env.PACKET_FUZZ_DATAGRAMS ?? 100_000);
const SEED = Number(process.env.PACKET_FUZZ_SEED ?? Math.floor(Math.random() * 0x7fffffff));
const STREAMS = 8;
const { udpPort } = initStack();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const lo = (port: number): SocketAddress => ({ family: 'ipv4', address: '127.0.0.1', port });

function client(encapsPort: number): SctpSocket {
  const s = SctpSocket.create('ipv4', 'one-to-one');
  s.setOption('remote-udp-encaps-port', encapsPort);
  s.setOption('rto-info', { initial: 200, max: 1000, min: 100 });
  s.setOption('init-msg', { numOstreams: STREAMS, maxInstreams: STREAMS, maxAttempts: 8, maxInitTimeo: 1000 });
  s.bind(lo(0));
  return s;
}

/** The payload of message `seq`: its number, then bytes that follow from it (a corruption shows). */
function payload(seq: number): Buffer {
  const size = [1, 17, 200, 1000, 1452, 3000, 9000][seq % 7];
  const b = Buffer.alloc(Math.max(size, 8));
  b.writeUInt32BE(seq, 0);
  b.writeUInt32BE(b.length, 4);
  for (let i = 8; i < b.length; i++) b[i] = (seq * 31 + i) & 0xff;
  return b;
}

function checkPayload(data: Buffer): number | string {
  if (data.length < 8) return `a ${data.length}-byte message`;
  const seq = data.readUInt32BE(0);
  const expected = payload(seq);
  return data.equals(expected) ? seq : `message ${seq} corrupted (${data.length} bytes, expected ${expected.length})`;
}

/** A UDP relay between this process's stack and the target's: every datagram it forwards joins the corpus. */
async function relay(targetPort: number, corpus: Buffer[]): Promise<Socket> {
  const r = createSocket('udp4');
  r.on('message', (m, from) => {
    if (from.address !== '127.0.0.1') return;
    const to = from.port === udpPort ? targetPort : from.port === targetPort ? udpPort : 0;
    if (!to) return;
    if (corpus.length < 5000) corpus.push(Buffer.from(m));
    r.send(m, to, '127.0.0.1');
  });
  await new Promise<void>((resolve) => r.bind(0, '127.0.0.1', resolve));
  return r;
}

/** Associations through the relay that show the stacks' packet kinds: set-up, data (fragmented too), shutdown, abort. */
async function buildCorpus(relayPort: number, target: EchoPeer): Promise<SctpSocket> {
  const server = lo(target.exposed);
  for (const ending of ['shutdown', 'abort'] as const) {
    const c = client(relayPort);
    await within(10_000, c.connect(server), 'corpus connect');
    c.setOption('event', true, 'future', { kind: 'assoc-change' });
    await c.sendAll([0, 1, 2, 3].map((i) => ({ data: payload(i * 3 + 2), stream: i % STREAMS, ppid: i, unordered: i === 3 })));
    let echoed = 0;
    while (echoed < 4) for (const item of await within(10_000, c.receiveSome(), 'corpus echo')) if (item.kind === 'message') echoed++;
    if (ending === 'shutdown') {
      c.shutdown();
      await within(10_000, (async () => { while (!(await c.receiveSome()).some((i) => i.kind === 'end-of-stream')); })(), 'corpus shutdown');
    } else {
      c.send([{ data: Buffer.from('bye'), flags: { abort: true } }]);
    }
    c.close();
  }
  // One that stays up during the fuzzing: mutated packets from the relay's address land in it.
  const exposed = client(relayPort);
  await within(10_000, exposed.connect(server), 'exposed connect');
  exposed.send([{ data: payload(5), stream: 1 }]);
  return exposed;
}

test(`${DATAGRAMS} random and mutated datagrams at both processes' encapsulation ports: the primary association delivers everything in order, both processes stay up`, async () => {
  const target = await startEchoPeer();
  const corpus: Buffer[] = [];
  const relaySocket = await relay(target.udpPort, corpus);
  const relayPort = relaySocket.address().port;
  const fuzzer = createSocket('udp4');
  await new Promise<void>((resolve) => fuzzer.bind(0, '127.0.0.2', resolve));
  const answers: number[] = [];
  fuzzer.on('message', (m) => { const [first] = chunkTypes(m); if (first !== undefined) answers.push(first); });
  const rnd = new Random(SEED);
  let primary: SctpSocket | undefined;
  let exposed: SctpSocket | undefined;
  try {
    exposed = await buildCorpus(relayPort, target);
    const kinds = new Set(corpus.flatMap(chunkTypes));
    for (const kind of [CHUNK.INIT, CHUNK.INIT_ACK, CHUNK.COOKIE_ECHO, CHUNK.DATA, CHUNK.SACK, CHUNK.SHUTDOWN, CHUNK.ABORT]) {
      assert.ok(kinds.has(kind), `the corpus has chunk type ${kind}: ${[...kinds].join(',')}`);
    }

    // The fuzzer's CRC32c is the stacks': an INIT from 127.0.0.2 with a valid checksum is answered.
    const init = Buffer.from(corpus.find((p) => chunkTypes(p)[0] === CHUNK.INIT)!);
    fuzzer.send(setChecksum(init), target.udpPort, '127.0.0.1');
    await within(5000, (async () => { while (!answers.includes(CHUNK.INIT_ACK)) await sleep(20); })(), 'INIT-ACK to a valid INIT');
    assert.ok(hasValidChecksum(setChecksum(Buffer.from(init))));
    const before = native.stackCounters();
    // The primary association: this process to the target, not through the relay.
    primary = client(target.udpPort);
    await within(10_000, primary.connect(lo(target.primary)), 'primary connect');
    const p = primary;
    let sent = 0;
    let echoed = 0;
    let fuzzing = true;
    const nextOnStream = new Array<number>(STREAMS).fill(0);
    const problems: string[] = [];
    const traffic = (async () => {
      while (fuzzing || echoed < sent) {
        if (fuzzing && sent - echoed < 64) {
          const batch = Array.from({ length: 16 }, (_, i) => ({ data: payload(sent + i), stream: (sent + i) % STREAMS, ppid: 7 }));
          try {
            sent += p.send(batch);
          } catch (e) {
            if ((e as { code?: string }).code !== 'would-block') throw e;
          }
        }
        const items = p.receive(256);
        for (const item of items) {
          if (item.kind !== 'message') { problems.push(`primary: ${item.kind}`); continue; }
          const seq = checkPayload(item.data);
          if (typeof seq === 'string') { problems.push(seq); continue; }
          // Each stream's messages come back in the order they were sent.
          if (seq % STREAMS !== item.stream || seq !== nextOnStream[item.stream] * STREAMS + item.stream) {
            problems.push(`stream ${item.stream}: message ${seq} where ${nextOnStream[item.stream] * STREAMS + item.stream} was due`);
          }
          nextOnStream[item.stream]++;
          echoed++;
        }
        if (!items.length) await p.wait(undefined, AbortSignal.timeout(50)).catch(() => {});
      }
    })();

    const kindsSent = { random: 0, header: 0, mutatedOther: 0, mutatedRelay: 0, validCrc: 0 };
    const started = Date.now();
    let inFlight = 0;
    let done = 0;
    const sendOne = (socket: Socket, datagram: Buffer, port: number) => {
      inFlight++;
      socket.send(datagram, port, '127.0.0.1', (err) => { inFlight--; if (!err) done++; });
    };
    for (let i = 0; i < DATAGRAMS; i++) {
      const to = rnd.chance(0.7) ? target.udpPort : udpPort;
      const kind = rnd.int(8);
      let datagram: Buffer;
      let from = fuzzer;
      if (kind === 0) {
        datagram = rnd.bytes(rnd.int(1500));
        kindsSent.random++;
      } else if (kind === 1) {
        // A well-formed common header for the target's listeners, then random chunks.
        datagram = Buffer.concat([Buffer.alloc(12), rnd.bytes(4 + rnd.int(600))]);
        datagram.writeUInt16BE(rnd.int(0x10000), 0);
        datagram.writeUInt16BE(rnd.pick([target.primary, target.exposed, rnd.int(0x10000)]), 2);
        datagram.writeUInt32BE(rnd.chance(0.5) ? 0 : rnd.u32(), 4);
        kindsSent.header++;
      } else {
        datagram = mutate(rnd.pick(corpus), rnd, corpus);
        if (kind <= 5) {
          kindsSent.mutatedOther++;
        } else {
          from = relaySocket;
          kindsSent.mutatedRelay++;
        }
      }
      if (rnd.chance(0.5)) { setChecksum(datagram); kindsSent.validCrc++; }
      sendOne(from, datagram, to);
      // Paced so that the kernel's socket buffers (usrsctp's are 128 KiB) drop few genuine packets.
      if (i % 64 === 63) {
        await new Promise((r) => setImmediate(r));
        while (inFlight > 256) await sleep(1);
        if (i % 4096 === 4095) await sleep(5);
      }
    }
    while (inFlight > 0) await sleep(5);
    const fuzzMs = Date.now() - started;
    fuzzing = false;
    await within(60_000, traffic, 'the primary association delivering what was sent');
    assert.equal(problems.slice(0, 10), [], `${problems.length} problems on the primary association (seed ${SEED})`);
    assert.ok(sent > 100, `only ${sent} messages went through while fuzzing`);
    assert.is(echoed, sent);
    assert.is(done, DATAGRAMS, 'every fuzz datagram was sent');
    assert.ok(target.alive(), 'the target process is up');
    const stats = await target.request('stats', isEvent('stats'));
    const mine = native.stackCounters();
    assert.equal(target.events.filter((e) => e.event === 'error'), [], 'the target saw no unexpected errors');
    console.log(`fuzz-packets (seed ${SEED}): ${done} datagrams in ${(fuzzMs / 1000).toFixed(1)} s `
      + `(${JSON.stringify(kindsSent)}), corpus ${corpus.length} packets; the primary association echoed ${echoed}/${sent} messages in order; `
      + `target stack: ${JSON.stringify(stats.counters)}, associations ended ${JSON.stringify(stats.ended)}; `
      + `this stack: checksum errors +${mine.checksumErrors - before.checksumErrors}, bad vtags +${mine.badVtags - before.badVtags}, `
      + `out of the blue +${mine.outOfTheBlue - before.outOfTheBlue}`);
  } finally {
    primary?.close();
    exposed?.close();
    relaySocket.close();
    fuzzer.close();
    const code = await target.end();
    assert.is(code, 0, 'the target exits cleanly');
  }
});

test.run();
