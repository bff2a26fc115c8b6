// A test guest: runs one scenario against a peer and prints one JSON line per observation, which
// test/ asserts on. It shows, from inside a component, what a guest sees of the WIT API.
//   probe poll   <address> <port> <udp-encaps-port>   readiness mixed with clocks, both orders
//   probe errors <address> <port> <udp-encaps-port>   error-codes for wrong use
//   probe one-to-many                                 implicit association setup and peeloff
//   probe notifications                               assoc-change and shutdown, in order with the data
//   probe batch                                       10,000 small messages through few calls
//   probe reuse  <address> <port> <udp-encaps-port>   one pollable for 1,000 waits, then an idle one
import { poll } from 'wasi:io/poll@0.2.12';
import { now, subscribeDuration } from 'wasi:clocks/monotonic-clock@0.2.12';
import { exit } from 'wasi:cli/exit@0.2.12';
import type { Pollable } from 'wasi:io/poll@0.2.12';
import type { Incoming, OutgoingMessage, SctpSocket } from 'sctp:sockets/sctp@0.1.0';
import { parseArgs } from '../../../guest-examples/lib/args.js';
import { udpEncapsulationPort } from 'sctp:sockets/sctp@0.1.0';
import { bind, bytes, codeOf, connect, getNetwork, ipv4, listen, receiveSome, sendAll, socket, text, waitWithTimeout } from 'wasm-sctp/guest';

function report(observation: Record<string, unknown>): void {
  console.log(JSON.stringify(observation));
}

function connected(address: string, port: number, encaps: number, streams = 4): SctpSocket {
  const sock = socket('one-to-one');
  sock.setInitMsg({ numOstreams: streams, maxInstreams: streams, maxAttempts: 3, maxInitTimeo: 500 });
  sock.setRemoteUdpEncapsPort({ tag: 'future' }, encaps);
  bind(sock, ipv4('127.0.0.1', 0));
  connect(sock, ipv4(address, port));
  return sock;
}

const ms = (n: number) => BigInt(n) * 1_000_000n;

/** Polls [socket, clock] in the given order; reports which became ready and how long it took. */
function pollPair(name: string, p: Pollable, clockMs: number, socketFirst: boolean): void {
  const clock = subscribeDuration(ms(clockMs));
  const started = now();
  const ready = Array.from(poll(socketFirst ? [p, clock] : [clock, p]));
  const elapsedMs = Number(now() - started) / 1e6;
  const names = ready.map((i) => ((i === 0) === socketFirst ? 'socket' : 'clock'));
  report({ case: name, ready: names, elapsedMs: Math.round(elapsedMs) });
  clock[Symbol.dispose]();
}

const message = (s: string): OutgoingMessage[] => [{ data: bytes(s), info: { stream: 0, ppid: 1, flags: {}, context: 0 } }];

/** One pollable, subscribed once, in every poll: level-triggered, it is ready exactly while the socket is. */
function pollScenario(address: string, port: number, encaps: number): void {
  const sock = connected(address, port, encaps);
  const p = sock.subscribe();
  // Nothing pending: the clock wins.
  pollPair('idle-socket-first', p, 300, true);
  pollPair('idle-clock-first', p, 300, false);
  // The peer answers `delay N` after N ms: the socket wins long before the clock.
  sendAll(sock, message('delay 150'));
  pollPair('reply-socket-first', p, 3000, true);
  receiveSome(sock);
  sendAll(sock, message('delay 150'));
  pollPair('reply-clock-first', p, 3000, false);
  // Unread data keeps the pollable ready; after draining, it blocks again.
  pollPair('unread-data', p, 3000, true);
  receiveSome(sock);
  pollPair('drained', p, 300, true);
  p[Symbol.dispose]();
  sock.shutdown();
}

/**
 * One pollable for 1,000 round trips: every wake should find the answer (a pollable that stayed
 * ready after its first wake would wake the guest again and again with nothing to receive). Then
 * a wait on it while nothing arrives for 1.5 s, during which the test reads this process's CPU time.
 */
function reuseScenario(address: string, port: number, encaps: number): void {
  const sock = connected(address, port, encaps);
  const p = sock.subscribe();
  const roundTrip = (text: string): number => {
    sendAll(sock, message(text));
    let wakes = 0;
    for (let answered = false; !answered && wakes < 100_000;) {
      p.block();
      wakes++;
      answered = sock.receive(16n).some((item) => item.tag === 'message');
    }
    return wakes;
  };
  let wakes = 0;
  for (let i = 0; i < 1000; i++) wakes += roundTrip(`ping ${i}`);
  report({ case: 'reused-waits', roundTrips: 1000, wakes, readyAfterDrain: p.ready() });
  report({ case: 'idle-start' });
  report({ case: 'idle-end', wakes: roundTrip('delay 1500') });
  p[Symbol.dispose]();
  sock.shutdown();
}

function errorsScenario(address: string, port: number, encaps: number): void {
  const fresh = socket('one-to-one');
  report({ case: 'finish-bind-without-start', code: codeOf(() => fresh.finishBind()) });
  report({ case: 'finish-connect-without-start', code: codeOf(() => fresh.finishConnect()) });
  report({ case: 'send-unconnected', code: codeOf(() => fresh.send([{ data: bytes('x'), info: { stream: 0, ppid: 0, flags: {}, context: 0 } }])) });
  report({ case: 'accept-not-listening', code: codeOf(() => fresh.accept()) });
  report({ case: 'remote-address-unconnected', code: codeOf(() => fresh.remoteAddress()) });
  report({ case: 'bind-wrong-family', code: codeOf(() => fresh.startBind(getNetwork(), { tag: 'ipv6', val: { address: [0, 0, 0, 0, 0, 0, 0, 1], port: 0, flowInfo: 0, scopeId: 0 } })) });
  report({ case: 'init-msg-zero-attempts-ok', code: codeOf(() => fresh.setInitMsg({ numOstreams: 0, maxInstreams: 0, maxAttempts: 0, maxInitTimeo: 0 })) });
  report({ case: 'status-unconnected', code: codeOf(() => fresh.status(undefined)) });
  // Listening takes no network, so it binds nothing: an unbound socket cannot listen.
  report({ case: 'listen-unbound', code: codeOf(() => fresh.startListen()) });
  fresh[Symbol.dispose]();

  // Options read back what was set (the option table's round trip, seen from a guest).
  const opts = socket('one-to-many');
  opts.setNodelay(true);
  opts.setInitMsg({ numOstreams: 7, maxInstreams: 9, maxAttempts: 3, maxInitTimeo: 700 });
  opts.setRemoteUdpEncapsPort({ tag: 'future' }, 4242);
  opts.setSendBufferSize(300_000n);
  report({
    case: 'options-read-back',
    nodelay: opts.nodelay(),
    initMsg: opts.initMsg(),
    remoteUdpEncapsPort: opts.remoteUdpEncapsPort(undefined),
    sendBufferSize: Number(opts.sendBufferSize()),
    receiveBufferSize: Number(opts.receiveBufferSize()),
    socketType: opts.socketType(),
    addressFamily: opts.addressFamily(),
  });
  report({ case: 'receive-buffer-size-zero', code: codeOf(() => opts.setReceiveBufferSize(0n)) });
  report({ case: 'remote-udp-encaps-port-unknown-association', code: codeOf(() => opts.setRemoteUdpEncapsPort({ tag: 'association', val: 12345 }, 1)) });
  opts[Symbol.dispose]();

  const sock = connected(address, port, encaps, 4);
  report({ case: 'listen-connected', code: codeOf(() => sock.startListen()) });
  report({ case: 'is-listening-connected', value: sock.isListening() });
  report({ case: 'connect-connected', code: codeOf(() => sock.startConnect(getNetwork(), ipv4(address, port))) });
  report({ case: 'bind-connected', code: codeOf(() => sock.startBind(getNetwork(), ipv4('127.0.0.1', 0))) });
  report({ case: 'send-stream-3-of-4', code: codeOf(() => sock.send([{ data: bytes('ok'), info: { stream: 3, ppid: 0, flags: {}, context: 0 } }])) });
  report({ case: 'send-stream-4-of-4', code: codeOf(() => sock.send([{ data: bytes('bad'), info: { stream: 4, ppid: 0, flags: {}, context: 0 } }])) });
  report({ case: 'send-init-existing-association', code: codeOf(() => sock.send([{ data: bytes('x'), info: { stream: 0, ppid: 0, flags: {}, context: 0, init: { numOstreams: 1, maxInstreams: 1, maxAttempts: 1, maxInitTimeo: 100 } } }])) });
  report({ case: 'send-auth-key-unknown', code: codeOf(() => sock.send([{ data: bytes('x'), info: { stream: 0, ppid: 0, flags: {}, context: 0, authKey: 7 } }])) });
  report({ case: 'peeloff-one-to-one', code: codeOf(() => sock.peeloff(1)) });
  sock.shutdown();
  report({ case: 'send-after-shutdown', code: codeOf(() => sock.send([{ data: bytes('late'), info: { stream: 0, ppid: 0, flags: {}, context: 0 } }])) });
  sock[Symbol.dispose]();

  // Nobody listens on port+1 of a live stack: the peer answers INIT with ABORT.
  const refused = socket('one-to-one');
  refused.setRemoteUdpEncapsPort({ tag: 'future' }, encaps);
  refused.setInitMsg({ numOstreams: 1, maxInstreams: 1, maxAttempts: 2, maxInitTimeo: 500 });
  bind(refused, ipv4('127.0.0.1', 0));
  report({ case: 'connect-nobody-listening', code: codeOf(() => connect(refused, ipv4(address, port + 1))) });
  refused[Symbol.dispose]();

  // Nothing answers on UDP port 9 (discard): INIT goes unanswered until max-attempts.
  const silent = socket('one-to-one');
  silent.setRemoteUdpEncapsPort({ tag: 'future' }, 9);
  silent.setInitMsg({ numOstreams: 1, maxInstreams: 1, maxAttempts: 1, maxInitTimeo: 200 });
  bind(silent, ipv4('127.0.0.1', 0));
  const started = now();
  report({ case: 'connect-no-answer', code: codeOf(() => connect(silent, ipv4(address, port))), elapsedMs: Math.round(Number(now() - started) / 1e6) });
  silent[Symbol.dispose]();
}

/**
 * One-to-many inside one guest: a bound client sets up its association implicitly by sending to the
 * server's address; the server peels that association off and answers on the new socket.
 */
function oneToManyScenario(): void {
  const encaps = udpEncapsulationPort() ?? 0;
  const server = socket('one-to-many');
  bind(server, ipv4('127.0.0.1', 0));
  listen(server);
  const client = socket('one-to-many');
  client.setRemoteUdpEncapsPort({ tag: 'future' }, encaps);
  const hello: OutgoingMessage = { data: bytes('first'), info: { stream: 1, ppid: 42, flags: {}, context: 0, destination: server.localAddress() } };
  // A send takes no network, so it binds nothing: the client binds first.
  report({ case: 'send-unbound', code: codeOf(() => client.send([hello])) });
  bind(client, ipv4('127.0.0.1', 0));
  sendAll(client, [hello]);
  report({ case: 'implicit-association', associations: client.assocIdList().length });
  const first = receiveSome(server).find((i) => i.tag === 'message');
  if (first?.tag !== 'message') throw new Error('no message');
  report({ case: 'server-received', text: text(first.val.data), stream: first.val.stream, ppid: first.val.ppid });
  const peeled = server.peeloff(first.val.association);
  report({ case: 'peeled', socketType: peeled.socketType(), remote: codeOf(() => peeled.remoteAddress()) });
  sendAll(peeled, [{ data: bytes('reply'), info: { stream: 1, ppid: 43, flags: {}, context: 0 } }]);
  const reply = receiveSome(client).find((i) => i.tag === 'message');
  if (reply?.tag !== 'message') throw new Error('no reply');
  report({ case: 'client-received', text: text(reply.val.data), ppid: reply.val.ppid, association: reply.val.association });
  report({ case: 'peeloff-again', code: codeOf(() => server.peeloff(first.val.association)) });
  peeled[Symbol.dispose]();
  client[Symbol.dispose]();
  server[Symbol.dispose]();
}

/** What a guest sees of an incoming item, for the report. */
function describe(item: Incoming): Record<string, unknown> {
  if (item.tag === 'message') return { message: text(item.val.data), stream: item.val.stream, ppid: item.val.ppid };
  if (item.tag === 'end-of-stream') return { end: true };
  const n = item.val;
  if (n.tag !== 'assoc-change') return { notification: n.tag };
  return { notification: 'assoc-change', state: n.val.state, outboundStreams: n.val.outboundStreams,
    inboundStreams: n.val.inboundStreams, abortChunk: n.val.abortChunk.length > 0 };
}

/** Receives until `done` says so or the socket stays quiet for a second. */
function collect(sock: SctpSocket, done: (seen: Record<string, unknown>[]) => boolean): Record<string, unknown>[] {
  const seen: Record<string, unknown>[] = [];
  while (!done(seen)) {
    const items = sock.receive(64n);
    if (items.length === 0) {
      if (!waitWithTimeout(sock, 1000)) break;
      continue;
    }
    seen.push(...items.map(describe));
  }
  return seen;
}

/**
 * Notifications arrive in order with the data, for the kinds the socket subscribed to: a
 * one-to-many server sees one client come up, send, and shut down, and another abort.
 */
function notificationsScenario(): void {
  const encaps = udpEncapsulationPort() ?? 0;
  const server = socket('one-to-many');
  for (const kind of ['assoc-change', 'shutdown'] as const) server.setEvent({ tag: 'future' }, kind, true);
  server.setInitMsg({ numOstreams: 5, maxInstreams: 6, maxAttempts: 0, maxInitTimeo: 0 });
  bind(server, ipv4('127.0.0.1', 0));
  listen(server);
  report({ case: 'subscribed', assocChange: server.event(undefined, 'assoc-change'), senderDry: server.event(undefined, 'sender-dry') });

  const graceful = socket('one-to-one');
  graceful.setRemoteUdpEncapsPort({ tag: 'future' }, encaps);
  graceful.setEvent({ tag: 'future' }, 'assoc-change', true);
  graceful.setInitMsg({ numOstreams: 6, maxInstreams: 4, maxAttempts: 0, maxInitTimeo: 0 });
  bind(graceful, ipv4('127.0.0.1', 0));
  connect(graceful, server.localAddress());
  sendAll(graceful, [{ data: bytes('hello'), info: { stream: 2, ppid: 9, flags: {}, context: 0 } }]);
  report({ case: 'server-sees-up-and-data', seen: collect(server, (seen) => seen.some((s) => s.message)) });
  report({ case: 'client-sees-up', seen: collect(graceful, (seen) => seen.length > 0) });
  graceful.shutdown();
  report({ case: 'server-sees-shutdown', seen: collect(server, (seen) => seen.some((s) => s.state === 'shutdown-comp')) });
  report({ case: 'client-sees-shutdown', seen: collect(graceful, (seen) => seen.some((s) => s.end)) });
  graceful[Symbol.dispose]();

  const aborting = socket('one-to-one');
  aborting.setRemoteUdpEncapsPort({ tag: 'future' }, encaps);
  bind(aborting, ipv4('127.0.0.1', 0));
  connect(aborting, server.localAddress());
  collect(server, (seen) => seen.some((s) => s.state === 'comm-up'));
  sendAll(aborting, [{ data: bytes('going away'), info: { stream: 0, ppid: 0, flags: { abort: true }, context: 0 } }]);
  report({ case: 'server-sees-abort', seen: collect(server, (seen) => seen.some((s) => s.state === 'comm-lost')) });
  aborting[Symbol.dispose]();
  server[Symbol.dispose]();
}

/**
 * Many small messages per call: 10,000 messages handed to one `send`, ordered on stream 0 and
 * unordered on stream 1, between two sockets of this guest (so the guest must read while it sends).
 */
function batchScenario(): void {
  const total = 10_000;
  const encaps = udpEncapsulationPort() ?? 0;
  const server = socket('one-to-many');
  bind(server, ipv4('127.0.0.1', 0));
  listen(server);
  const client = socket('one-to-one');
  client.setRemoteUdpEncapsPort({ tag: 'future' }, encaps);
  client.setInitMsg({ numOstreams: 2, maxInstreams: 2, maxAttempts: 0, maxInitTimeo: 0 });
  bind(client, ipv4('127.0.0.1', 0));
  connect(client, server.localAddress());
  const messages: OutgoingMessage[] = [];
  for (let i = 0; i < total; i++) {
    messages.push({ data: bytes(`m${i}`), info: { stream: i % 2, ppid: i, flags: { unordered: i % 2 === 1 }, context: 0 } });
  }
  let sent = 0;
  let sendCalls = 0;
  let receiveCalls = 0;
  let lastOrdered = -1;
  let inOrder = true;
  const unorderedSeen = new Set<number>();
  let received = 0;
  let intact = true;
  const pollables = [server.subscribe(), client.subscribe()];
  while (received < total) {
    let progressed = false;
    if (sent < total) {
      sendCalls++;
      const code = codeOf(() => { sent += Number(client.send(sent === 0 ? messages : messages.slice(sent))); });
      if (code === 'ok') progressed = true;
      else if (code !== 'would-block') throw new Error(`send: ${code}`);
    }
    receiveCalls++;
    for (const item of server.receive(4096n)) {
      if (item.tag !== 'message') continue;
      progressed = true;
      received++;
      const m = item.val;
      if (text(m.data) !== `m${m.ppid}` || m.stream !== m.ppid % 2 || m.unordered !== (m.stream === 1)) intact = false;
      if (m.stream === 0) {
        if (m.ppid < lastOrdered) inOrder = false;
        lastOrdered = m.ppid;
      } else unorderedSeen.add(m.ppid);
    }
    if (!progressed) poll(pollables);
  }
  for (const p of pollables) p[Symbol.dispose]();
  report({ case: 'batch', received, intact, orderedInOrder: inOrder, unorderedComplete: unorderedSeen.size === total / 2, sendCalls, receiveCalls });
  client[Symbol.dispose]();
  server[Symbol.dispose]();
}

export const run = {
  run() {
    const { positional } = parseArgs();
    const [scenario, address, port, encaps] = [positional[0], positional[1], Number(positional[2]), Number(positional[3])];
    if (scenario === 'poll') pollScenario(address, port, encaps);
    else if (scenario === 'errors') errorsScenario(address, port, encaps);
    else if (scenario === 'one-to-many') oneToManyScenario();
    else if (scenario === 'notifications') notificationsScenario();
    else if (scenario === 'batch') batchScenario();
    else if (scenario === 'reuse') reuseScenario(address, port, encaps);
    else {
      console.error(`unknown scenario ${scenario}`);
      exit({ tag: 'err', val: undefined });
    }
    exit({ tag: 'ok', val: undefined });
  },
};
