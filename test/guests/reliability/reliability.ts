// A test guest for the host's reliability and security promises, seen from inside a component.
// Prints one JSON line per observation, which test/ asserts on.
//   reliability denied <udp-encaps-port> <denied-port> <allowed-port>
//       run with --allow-bind 127.0.0.1 --allow-connect 127.0.0.1:<allowed-port>: binds, connects,
//       sends and listens the policy refuses, then one connect it allows (the control)
//   reliability peer-death <address> <port> <udp-encaps-port> [busy|idle]
//       sends and receives echoes until the association dies (idle: stops sending after the
//       first echoes and only waits, so heartbeats must find out); reports how and when
//   reliability echo <address> <port> <udp-encaps-port> [busy|idle]
//       the same with the stack's default timers (a lost peer takes minutes to notice): the guest
//       of the tests that interrupt the host
//   reliability fuzz <seed> <sequences> <address> <port> <udp-encaps-port>
//       random call sequences with random arguments; every failure must be an error-code
import { now } from 'wasi:clocks/monotonic-clock@0.2.12';
import { exit } from 'wasi:cli/exit@0.2.12';
import type { Incoming, IpSocketAddress, OutgoingMessage, SctpSocket } from 'sctp:sockets/sctp@0.1.0';
import type { Pollable } from 'wasi:io/poll@0.2.12';
import { parseArgs } from '../../../guest-examples/lib/args.js';
import { bind, bytes, codeOf, connect, errorCode, getNetwork, ipv4, runMain, socket, waitWithTimeout } from 'wasm-sctp/guest';

function report(observation: Record<string, unknown>): void {
  console.log(JSON.stringify(observation));
}

const elapsedMs = (since: bigint) => Math.round(Number(now() - since) / 1e6);
const plain = (extra: Partial<OutgoingMessage['info']> = {}): OutgoingMessage['info'] => ({ stream: 0, ppid: 0, flags: {}, context: 0, ...extra });

function deniedScenario(encaps: number, deniedPort: number, allowedPort: number): void {
  const s = socket('one-to-one');
  s.setRemoteUdpEncapsPort({ tag: 'future' }, encaps);
  s.setRtoInfo({ tag: 'future' }, { initial: 100, max: 400, min: 50 });
  report({ case: 'bind-other-address', code: codeOf(() => s.startBind(getNetwork(), ipv4('127.0.0.2', 0))) });
  report({ case: 'connect-unbound', code: codeOf(() => s.startConnect(getNetwork(), ipv4('127.0.0.1', allowedPort))) });
  bind(s, ipv4('127.0.0.1', 0));
  report({ case: 'connect-denied-port', code: codeOf(() => s.startConnect(getNetwork(), ipv4('127.0.0.1', deniedPort))) });
  report({ case: 'connect-denied-address', code: codeOf(() => s.startConnect(getNetwork(), ipv4('10.1.2.3', allowedPort))) });

  const many = socket('one-to-many');
  many.setRemoteUdpEncapsPort({ tag: 'future' }, encaps);
  report({ case: 'listen-unbound', code: codeOf(() => many.startListen()) });
  report({ case: 'send-unbound', code: codeOf(() => many.send([{ data: bytes('x'), info: plain({ destination: ipv4('127.0.0.1', allowedPort) }) }])) });
  bind(many, ipv4('127.0.0.1', 0));
  report({ case: 'send-denied-destination', code: codeOf(() => many.send([{ data: bytes('x'), info: plain({ destination: ipv4('127.0.0.1', deniedPort) }) }])) });
  many[Symbol.dispose]();

  // The control: the one connect the policy allows reaches the wire.
  report({ case: 'connect-allowed', code: codeOf(() => s.startConnect(getNetwork(), ipv4('127.0.0.1', allowedPort))) });
  waitWithTimeout(s, 1000);
  s[Symbol.dispose]();
}

/**
 * Failure detection is tuned down so a dead peer shows within seconds: RTO 100..400 ms, 4
 * retransmissions per path and association, heartbeats every 200 ms (plus the RTO).
 */
const DEATH_SETTINGS = { rtoMinMs: 100, rtoMaxMs: 400, maxRetransmits: 4, heartbeatMs: 200 };

function echoScenario(address: string, port: number, encaps: number, idle: boolean, quickDeath: boolean): void {
  const s = socket('one-to-one');
  s.setRemoteUdpEncapsPort({ tag: 'future' }, encaps);
  if (quickDeath) tuneForDeath(s);
  s.setEvent({ tag: 'future' }, 'assoc-change', true);
  bind(s, ipv4('127.0.0.1', 0));
  connect(s, ipv4(address, port));
  echoUntilEnd(s, idle, quickDeath ? 'peer-death' : 'echo');
}

function tuneForDeath(s: SctpSocket): void {
  s.setRtoInfo({ tag: 'future' }, { initial: 200, max: DEATH_SETTINGS.rtoMaxMs, min: DEATH_SETTINGS.rtoMinMs });
  const params = s.assocInfo(undefined);
  s.setAssocInfo({ tag: 'future' }, { ...params, maxRetransmits: DEATH_SETTINGS.maxRetransmits, cookieLife: 0 });
  const paths = s.peerAddrParams(undefined, undefined);
  s.setPeerAddrParams({ tag: 'future' }, undefined, {
    ...paths, heartbeat: true, heartbeatInterval: DEATH_SETTINGS.heartbeatMs, heartbeatNow: false,
    pathMaxRetransmits: DEATH_SETTINGS.maxRetransmits, sackDelay: undefined,
  });
}

/** Sends and receives echoes until the association ends; reports how, as `ending`. */
function echoUntilEnd(s: SctpSocket, idle: boolean, ending: string): void {
  const payload = new Uint8Array(1024).fill(0x61);
  let echoes = 0;
  let announced = false;
  let lastProgress = now();
  const seen: string[] = [];
  const finish = (how: Record<string, unknown>) => {
    // What was still queued: a send can fail before the notification that says why is read.
    try {
      for (const item of s.receive(1024n)) if (item.tag === 'notification' && item.val.tag === 'assoc-change') seen.push(item.val.val.state);
    } catch {
      // The error receive reports is the one send reported.
    }
    report({ case: ending, echoes, sinceLastProgressMs: elapsedMs(lastProgress), events: seen, ...how });
    s[Symbol.dispose]();
  };
  for (;;) {
    if (!(idle && announced)) {
      try {
        s.send([{ data: payload, info: plain() }, { data: payload, info: plain() }]);
      } catch (e) {
        const code = errorCode(e);
        if (code !== 'would-block') return finish({ failedIn: 'send', code });
      }
    }
    let items: Incoming[];
    try {
      items = s.receive(64n);
    } catch (e) {
      return finish({ failedIn: 'receive', code: errorCode(e) });
    }
    for (const item of items) {
      if (item.tag === 'message') {
        echoes++;
        lastProgress = now();
      } else if (item.tag === 'notification' && item.val.tag === 'assoc-change') {
        seen.push(item.val.val.state);
      } else {
        seen.push(item.tag);
      }
    }
    if (!announced && echoes >= 100) {
      announced = true;
      report({ case: 'transferring', echoes });
    }
    if (items.length === 0) waitWithTimeout(s, idle && announced ? 60_000 : 100);
  }
}

// ---- fuzz: random call sequences ------------------------------------------------------------------------------

/** xorshift32: the same seed gives the same sequences. */
function random(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    return x / 0x100000000;
  };
}

function fuzzScenario(seed: number, sequences: number, address: string, port: number, encaps: number): void {
  const rnd = random(seed);
  const int = (n: number) => Math.floor(rnd() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)];
  const u32 = () => pick([0, 1, 3, 4, 0xffff, 0x7fffffff, 0xffffffff, int(0x100000000)]);
  const u16 = () => pick([0, 1, 2, 9, 0xfffe, 0xffff, int(0x10000)]);
  const u64 = () => pick([0n, 1n, 64n, 0xffffffffn, 0x7fffffffffffffffn, 0xffffffffffffffffn, BigInt(int(1 << 30))]);
  const addr = (): IpSocketAddress => pick([
    ipv4(address, port), ipv4('127.0.0.1', 0), ipv4('127.0.0.1', u16()), ipv4('0.0.0.0', 0), ipv4('10.9.8.7', port),
    { tag: 'ipv6', val: { address: [0, 0, 0, 0, 0, 0, 0, 1], port: u16(), flowInfo: 0, scopeId: 0 } },
  ]);
  const scope = () => pick([{ tag: 'future' as const }, { tag: 'current' as const }, { tag: 'all' as const }, { tag: 'association' as const, val: u32() }]);
  const association = () => pick([undefined, 0, 3, 4, u32()]);
  const message = (): OutgoingMessage => ({
    data: new Uint8Array(pick([0, 1, 100, 1500, 70_000, int(300_000)])),
    info: {
      association: association(), stream: u16(), ppid: u32(), context: u32(),
      flags: { unordered: rnd() < 0.3, eof: rnd() < 0.05, abort: rnd() < 0.05, sendall: rnd() < 0.05, addrOver: rnd() < 0.05, sackImmediately: rnd() < 0.2, eor: rnd() < 0.2 },
      prPolicy: pick([undefined, { tag: 'ttl' as const, val: u32() }, { tag: 'rtx' as const, val: u32() }, { tag: 'prio' as const, val: u32() }]),
      destination: rnd() < 0.3 ? addr() : undefined,
    },
  });

  const calls: Array<(s: SctpSocket, live: SctpSocket[], pollables: Pollable[]) => unknown> = [
    (s) => s.startBind(getNetwork(), addr()),
    (s) => s.finishBind(),
    (s) => { s.setRemoteUdpEncapsPort({ tag: 'future' }, encaps); s.startConnect(getNetwork(), addr()); },
    (s) => s.finishConnect(),
    (s) => s.startListen(),
    (s) => s.finishListen(),
    (s, live) => live.push(s.accept()),
    (s, live) => live.push(s.peeloff(u32())),
    (s) => s.send(Array.from({ length: 1 + int(4) }, message)),
    (s) => s.receive(u64()),
    (s) => s.shutdown(),
    (s) => s.localAddress(),
    (s) => s.remoteAddress(),
    (s) => s.setListenBacklogSize(u64()),
    (s) => s.setWholeMessages(rnd() < 0.5),
    (s, _live, pollables) => pollables.push(s.subscribe()),
    (_s, _live, pollables) => { if (pollables.length) pollables.splice(int(pollables.length), 1)[0][Symbol.dispose](); },
    (_s, _live, pollables) => { if (pollables.length) pick(pollables).ready(); },
    (s) => s.setRtoInfo(scope(), { initial: u32(), max: u32(), min: u32() }),
    (s) => s.rtoInfo(association()),
    (s) => s.setInitMsg({ numOstreams: u16(), maxInstreams: u16(), maxAttempts: u16(), maxInitTimeo: u16() }),
    (s) => s.setLinger(pick([undefined, 0, 1000, u32()])),
    (s) => s.setReceiveBufferSize(u64()),
    (s) => s.setSendBufferSize(u64()),
    (s) => s.setMaxseg(scope(), u32()),
    (s) => s.setPrimaryAddr(association(), addr()),
    (s) => s.status(association()),
    (s) => s.peerAddrInfo(association(), addr()),
    (s) => s.setEvent(scope(), pick(['assoc-change', 'shutdown', 'send-failed', 'stream-reset'] as const), rnd() < 0.5),
    (s) => s.resetStreams(association(), { directions: { incoming: rnd() < 0.5, outgoing: rnd() < 0.5 }, streams: new Uint16Array([u16()]) }),
    (s) => s.setRemoteUdpEncapsPort(scope(), u16()),
    (s) => s.assocIdList(),
  ];

  const codes = new Map<string, number>();
  let callCount = 0;
  for (let seq = 0; seq < sequences; seq++) {
    const live: SctpSocket[] = [];
    const pollables: Pollable[] = [];
    const steps = 5 + int(25);
    for (let step = 0; step < steps; step++) {
      if (live.length === 0 || rnd() < 0.1) {
        live.push(socket(pick(['one-to-one', 'one-to-many'] as const)));
        continue;
      }
      if (rnd() < 0.05) {
        // Drop a socket, in any order relative to its pollables and the other sockets.
        live.splice(int(live.length), 1)[0][Symbol.dispose]();
        continue;
      }
      callCount++;
      const which = int(calls.length);
      const code = codeOf(() => calls[which](pick(live), live, pollables));
      codes.set(code, (codes.get(code) ?? 0) + 1);
      // 'unknown' is the host's word for its own bug: name the call.
      if (code === 'unknown') report({ case: 'fuzz-unknown', sequence: seq, call: calls[which].toString() });
    }
    // Whatever is left goes in a random order: sockets before or after their pollables.
    const all: Array<{ [Symbol.dispose](): void }> = [...live, ...pollables];
    while (all.length) all.splice(int(all.length), 1)[0][Symbol.dispose]();
  }
  report({ case: 'fuzz', seed, sequences, calls: callCount, codes: Object.fromEntries([...codes].sort()) });
}

function main(): void {
  const { positional } = parseArgs();
  const [scenario, ...rest] = positional;
  switch (scenario) {
    case 'denied':
      return deniedScenario(Number(rest[0]), Number(rest[1]), Number(rest[2]));
    case 'peer-death':
    case 'echo':
      return echoScenario(rest[0], Number(rest[1]), Number(rest[2]), rest[3] === 'idle', scenario === 'peer-death');
    case 'fuzz':
      return fuzzScenario(Number(rest[0]), Number(rest[1]), rest[2], Number(rest[3]), Number(rest[4]));
    default:
      console.error('usage: reliability denied|peer-death|echo|fuzz ...');
      exit({ tag: 'err', val: undefined });
  }
}

export const run = {
  run() {
    runMain(main);
    exit({ tag: 'ok', val: undefined });
  },
};
