// The wait path of guests: pollables of `subscribe`, called through the host's WIT-level objects and
// its `wasi:io/poll` module as jco's generated code calls them, against an echo peer in another
// process (this process's main thread blocks in these waits, as a guest's does).
// A pollable is level-triggered on the socket's current state, however often it is reused: ready
// while something is pending, blocking again once the socket is drained; blocking costs no CPU;
// it mixes with clocks and TCP streams in poll(), in any order; and dropping sockets and
// pollables in any order leaves nothing behind in preview2-shim's IO worker.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { monotonicClock } from '@bytecodealliance/preview2-shim/clocks';
import { instanceNetwork, tcpCreateSocket } from '@bytecodealliance/preview2-shim/sockets';
import { initStack } from '../src/index.js';
import { native } from '../src/native.js';
import { createSctpSocket, type SctpSocket } from '../host/sctp-socket.js';
import { hostConfig } from '../host/config.js';
import { poll } from '../host/readiness/poll.js';
import { workerResourceCounts } from '../host/readiness/pollables.js';
import { bytes, info, ipv4, network } from './harness/host.js';
import { startEchoPeer, type EchoPeer } from './harness/peers/start.js';

initStack();
hostConfig.configure({ policy: {} });
let peer: EchoPeer;
let workerBaseline: ReturnType<typeof workerResourceCounts>;

type Pollable = ReturnType<SctpSocket['subscribe']> & Disposable;
const subscribe = (s: SctpSocket) => s.subscribe() as Pollable;
const clock = (ms: number) => monotonicClock.subscribeDuration(BigInt(ms) * 1_000_000n) as unknown as Pollable;
const drop = (...resources: Disposable[]) => { for (const r of resources) r[Symbol.dispose](); };
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** Which of the named pollables poll() returned, and how long it took. */
function polled(named: Record<string, Pollable>): { ready: string[]; ms: number } {
  const names = Object.keys(named);
  const started = performance.now();
  const ready = Array.from(poll.poll(Object.values(named)));
  return { ready: ready.map((i) => names[i]), ms: performance.now() - started };
}

/** A one-to-one socket connected to the peer's primary listener, waiting on a pollable of its own. */
function connected(): SctpSocket {
  const s = createSctpSocket('ipv4', 'one-to-one');
  s.setRemoteUdpEncapsPort({ tag: 'future' }, peer.udpPort);
  s.setNodelay(true);
  s.startBind(network, ipv4('127.0.0.1', 0));
  s.finishBind();
  s.startConnect(network, ipv4('127.0.0.1', peer.primary));
  const p = subscribe(s);
  for (;;) {
    try { s.finishConnect(); break; } catch (e) { if ((e as { payload?: string }).payload !== 'would-block') throw e; }
    p.block();
  }
  drop(p);
  return s;
}

const send = (s: SctpSocket, text: string) => s.send([{ data: bytes(text), info: info() }]);

test.before(async () => {
  // Taken when this suite starts (uvu imports every suite before it runs the first).
  workerBaseline = workerResourceCounts();
  peer = await startEchoPeer();
});

test('one pollable, subscribed once, serves 1,000 waits: every wake has a message, ready() is false once drained', () => {
  const s = connected();
  const p = subscribe(s);
  let wakes = 0;
  let emptyWakes = 0;
  let readyAfterDrain = 0;
  for (let i = 0; i < 1000; i++) {
    send(s, `ping ${i}`);
    for (let echoed = false; !echoed;) {
      p.block();
      wakes++;
      const items = s.receive(16n);
      if (items.length === 0) emptyWakes++;
      echoed = items.some((item) => item.tag === 'message');
      if (p.ready()) readyAfterDrain++;
      // A latched pollable would spin here until the echo comes: stop counting long before a hang.
      if (emptyWakes > 100) break;
    }
  }
  console.log(`wait path: 1,000 echoes through one pollable, ${wakes} wakes, ${emptyWakes} without work`);
  assert.is(emptyWakes, 0, 'wakes with nothing to receive');
  assert.is(wakes, 1000);
  assert.is(readyAfterDrain, 0, 'ready() after the socket was drained');
  drop(p, s);
});

test('blocking on a reused pollable while nothing arrives costs no CPU', () => {
  const s = connected();
  const p = subscribe(s);
  send(s, 'ping');
  p.block();
  s.receive(16n);
  // The peer answers after 1 s: meanwhile the process (its main thread in block(), usrsctp's
  // threads, preview2-shim's worker) should be idle.
  send(s, 'delay 1000');
  const cpu = process.cpuUsage();
  const started = performance.now();
  let wakes = 0;
  for (let done = false; !done && wakes < 1_000_000;) {
    p.block();
    wakes++;
    done = s.receive(16n).some((item) => item.tag === 'message');
  }
  const { user, system } = process.cpuUsage(cpu);
  const elapsed = performance.now() - started;
  const cpuMs = (user + system) / 1000;
  console.log(`wait path: blocked ${elapsed.toFixed(0)} ms in ${wakes} wake(s), CPU ${cpuMs.toFixed(1)} ms`);
  assert.is(wakes, 1);
  assert.ok(elapsed >= 900, `blocked for ${elapsed} ms`);
  assert.ok(cpuMs < 100, `CPU while blocked: ${cpuMs} ms`);
  drop(p, s);
});

test('poll() mixes a reused SCTP pollable with a clock, in either order', () => {
  const s = connected();
  const p = subscribe(s);
  for (const socketFirst of [true, false]) {
    const order = (t: Pollable) => (socketFirst ? { socket: p, clock: t } : { clock: t, socket: p });
    // Nothing pending: the clock.
    let t = clock(200);
    let r = polled(order(t));
    assert.equal(r.ready, ['clock'], `idle, socket first: ${socketFirst}`);
    assert.ok(r.ms >= 150, `the clock after ${r.ms} ms`);
    drop(t);
    // The answer comes after 100 ms, long before the clock's 3 s.
    send(s, 'delay 100');
    t = clock(3000);
    r = polled(order(t));
    assert.equal(r.ready, ['socket'], `answer, socket first: ${socketFirst}`);
    assert.ok(r.ms >= 50 && r.ms < 2000, `the answer after ${r.ms} ms`);
    drop(t);
    // Unread, it keeps the pollable ready; read, the clock wins again.
    t = clock(3000);
    assert.equal(polled(order(t)).ready, ['socket']);
    drop(t);
    s.receive(16n);
    t = clock(100);
    assert.equal(polled(order(t)).ready, ['clock'], `drained, socket first: ${socketFirst}`);
    drop(t);
  }
  drop(p, s);
});

test('a socket with unread data does not starve a clock polled with it', () => {
  const s = connected();
  const p = subscribe(s);
  send(s, 'ping');
  p.block();
  const t = clock(50);
  const started = performance.now();
  let polls = 0;
  let clockSeen = false;
  while (!clockSeen && performance.now() - started < 2000) {
    polls++;
    clockSeen = polled({ socket: p, clock: t }).ready.includes('clock');
  }
  assert.ok(clockSeen, `the clock never came in ${polls} polls`);
  drop(t, p, s);
});

test('poll() mixes SCTP pollables with a TCP listener of preview2-shim', () => {
  const s = connected();
  const p = subscribe(s);
  const net = instanceNetwork.instanceNetwork();
  const listener = tcpCreateSocket.createTcpSocket('ipv4');
  listener.startBind(net, ipv4('127.0.0.1', 0));
  listener.finishBind();
  listener.startListen();
  const tcp = listener.subscribe() as unknown as Pollable;
  finishTcp(tcp, () => listener.finishListen());
  // An SCTP answer first, the TCP listener idle.
  send(s, 'delay 50');
  assert.equal(polled({ tcp, socket: p }).ready, ['socket']);
  s.receive(16n);
  // A TCP connection arrives, the SCTP socket is idle.
  const dialer = tcpCreateSocket.createTcpSocket('ipv4');
  dialer.startConnect(net, listener.localAddress());
  const t = clock(3000);
  assert.equal(polled({ socket: p, tcp, clock: t }).ready, ['tcp']);
  const accepted = listener.accept();
  const dialing = dialer.subscribe() as unknown as Pollable;
  const dialed = finishTcp(dialing, () => dialer.finishConnect());
  const tcpResources = [...dialed, dialer, accepted[1], accepted[2], accepted[0], tcp, listener] as unknown as Disposable[];
  drop(t, dialing, ...tcpResources, p, s);
});

/** A start-X of preview2-shim's TCP socket finished: `finish` until it stops saying would-block. */
function finishTcp<T>(pollable: Pollable, finish: () => T): T {
  for (;;) {
    try { return finish(); } catch (e) {
      if ((e as { payload?: unknown }).payload !== 'would-block' && e !== 'would-block') throw e;
    }
    pollable.block();
  }
}

test('sockets and pollables dropped in any order leave nothing in the IO worker and no watcher', async () => {
  // Watchers of earlier suites' sockets may still be on their way out.
  await sleep(200);
  const watchers = native.stats().watchers;
  const orders: Array<(s: SctpSocket, ps: Pollable[]) => void> = [
    (s, ps) => drop(...ps, s),
    (s, ps) => drop(s, ...ps),
    (s, ps) => drop(ps[0], s, ps[1]),
  ];
  for (const finish of orders) {
    const s = connected();
    const ps = [subscribe(s), subscribe(s)];
    // One of them waits in the worker (mixed with a clock) and gives up: its wait stays armed.
    const t = clock(20);
    assert.equal(polled({ socket: ps[0], clock: t }).ready, ['clock']);
    drop(t);
    // The other is dropped and taken again from the socket's pool.
    drop(ps[1]);
    ps[1] = subscribe(s);
    finish(s, ps);
  }
  // A pollable of a closed socket is ready, also mixed with a clock the worker would answer.
  const s = connected();
  const late = subscribe(s);
  drop(s);
  assert.ok(late.ready());
  const t = clock(5000);
  assert.equal(polled({ clock: t, socket: late }).ready, ['socket']);
  drop(t, late);

  for (let i = 0; i < 100 && native.stats().watchers !== watchers; i++) await sleep(20);
  assert.is(native.stats().watchers, watchers, 'native watchers');
  assert.equal(workerResourceCounts(), workerBaseline, 'IO worker streams, futures and pollables');
});

test.after(async () => {
  assert.is(await peer.end(), 0);
});

test.run();
