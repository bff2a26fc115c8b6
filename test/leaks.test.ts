// Leaks: thousands of create / connect / send / close cycles through the host's WIT-level objects
// (the code path of a guest), half on one-to-one sockets with a pollable to wait on, half on
// bound one-to-many sockets setting their association up implicitly by a send, each against an echoing
// peer in another process. Afterwards every count is where it started: native sockets, socket
// records and watchers, the IO worker's streams, futures and pollables, and the stack's established
// associations. RSS is printed, with a generous bound.
//
// The peer is in another process because usrsctp corrupts its heap when one stack holds both ends
// of associations that come and go by the hundred (see scripts/usrsctp-churn-repro.c): that is
// usrsctp's bug, and hosts normally have their peers elsewhere.
//
// LEAK_CYCLES sets the count (CI default 1,000; the full run is 10,000: `npm run reliability`).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { initStack } from '../src/index.js';
import { native } from '../src/native.js';
import { createSctpSocket } from '../host/sctp-socket.js';
import { hostConfig } from '../host/config.js';
import { workerResourceCounts } from '../host/readiness/pollables.js';
import { bytes, info, network, ipv4, text } from './harness/host.js';
import { startEchoPeer } from './harness/peers/start.js';

const CYCLES = Number(process.env.LEAK_CYCLES ?? 1000);
initStack();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MiB = (n: number) => (n / 2 ** 20).toFixed(1);

test(`${CYCLES} create/connect/send/close cycles: socket, watcher, future and association counts come back; RSS stays flat`, async () => {
  hostConfig.configure({ policy: {} });
  const peer = await startEchoPeer();
  const targets = { oneToOne: ipv4('127.0.0.1', peer.primary), oneToMany: ipv4('127.0.0.1', peer.many) };
  /** The peer's echo of this cycle's message, waiting on the socket's pollable. */
  const echoOf = (s: ReturnType<typeof createSctpSocket>, i: number): boolean => {
    const deadline = Date.now() + 5000;
    while (Date.now() < deadline) {
      for (const item of s.receive(16n)) if (item.tag === 'message') return text(item.val.data) === `cycle ${i}`;
      const p = s.subscribe();
      p.block();
      (p as unknown as Disposable)[Symbol.dispose]();
    }
    throw new Error(`cycle ${i}: no echo within 5 s`);
  };
  const base = { native: native.stats(), worker: workerResourceCounts(), established: native.stackCounters().established };
  const rss: number[] = [];
  let received = 0;
  const started = Date.now();

  for (let i = 0; i < CYCLES; i++) {
    if (i % 2 === 0) {
      const s = createSctpSocket('ipv4', 'one-to-one');
      s.setRemoteUdpEncapsPort({ tag: 'future' }, peer.udpPort);
      s.setRtoInfo({ tag: 'future' }, { initial: 100, max: 400, min: 50 });
      s.startBind(network, ipv4('127.0.0.1', 0));
      s.finishBind();
      s.startConnect(network, targets.oneToOne);
      const pollable = s.subscribe();
      pollable.block();
      (pollable as unknown as Disposable)[Symbol.dispose]();
      for (;;) {
        try { s.finishConnect(); break; } catch (e) { if ((e as { payload?: string }).payload !== 'would-block') throw e; }
        await sleep(1);
      }
      s.send([{ data: bytes(`cycle ${i}`), info: info() }]);
      if (echoOf(s, i)) received++;
      s[Symbol.dispose]();
    } else {
      const s = createSctpSocket('ipv4', 'one-to-many');
      s.setRemoteUdpEncapsPort({ tag: 'future' }, peer.udpPort);
      s.setRtoInfo({ tag: 'future' }, { initial: 100, max: 400, min: 50 });
      s.startBind(network, ipv4('127.0.0.1', 0));
      s.finishBind();
      // A pollable the guest drops only after the socket.
      const late = s.subscribe();
      s.send([{ data: bytes(`cycle ${i}`), info: info({ destination: targets.oneToMany }) }]);
      if (echoOf(s, i)) received++;
      s[Symbol.dispose]();
      (late as unknown as Disposable)[Symbol.dispose]();
    }
    if (i % Math.max(1, Math.floor(CYCLES / 10)) === 0) {
      (globalThis as { gc?: () => void }).gc?.();
      rss.push(process.memoryUsage().rss);
    }
  }
  const elapsed = (Date.now() - started) / 1000;
  assert.is(received, CYCLES, 'every cycle delivered its message');

  // Graceful shutdowns finish in the background: give them a moment.
  let now = native.stats();
  let established = native.stackCounters().established;
  for (let i = 0; i < 100 && (established !== base.established || now.records !== base.native.records || now.watchers !== base.native.watchers); i++) {
    await sleep(50);
    now = native.stats();
    established = native.stackCounters().established;
  }
  assert.equal(now, base.native, 'native sockets, records and watchers');
  assert.is(established, base.established, 'established associations');
  assert.equal(workerResourceCounts(), base.worker, 'IO worker streams, futures and pollables');

  const growth = rss.at(-1)! - rss[1];
  console.log(`leaks: ${CYCLES} cycles in ${elapsed.toFixed(1)} s; RSS ${rss.map(MiB).join(', ')} MiB `
    + `(+${MiB(growth)} MiB after the first tenth)`);
  // Generous: a leak of 1 KiB per cycle over the full 10,000 cycles shows as 10 MiB; malloc and V8 wander by a few.
  assert.ok(growth < 48 * 2 ** 20, `RSS grew by ${MiB(growth)} MiB`);
  assert.ok(peer.alive(), 'the peer process is up');
  assert.is(await peer.end(), 0);
});

test.run();
