// The guest side of the multi-homing tests and benchmark (test/multihoming.test.ts,
// bench/lanes/failover.ts). It runs in network namespace "a" of test/harness/netns/lab.ts with the
// host in raw-IP mode, against the Node peer (the peer program's server,
// test/harness/peers/server.ts) in namespace "b", and prints one JSON line per observation; the
// test asserts on them.
//
//   multihome errors
//       error codes of wrong use of the multi-homing calls
//   multihome paths --local A1,A2 --remote B1,B2 --port P
//       bind to both local addresses, connectx to both peer addresses, list the addresses on both
//       sides, change the primary path of each side (set-primary-addr, set-peer-primary-addr) with
//       a bulk transfer after each (the peer's interface counters tell which path carried it), then remove and add a
//       local address on the live association (ASCONF)
//   multihome stream --local A1,A2 --remote B1,B2 --port P --count N [--rate R] [--size S]
//                    [--streams K] [--echo] [--fast-failover]
//       N numbered messages at R per second (0: as fast as the association takes them) on K
//       ordered streams; with --echo every echo is checked too; peer-addr-change notifications are
//       printed with their time (the monotonic clock, which is CLOCK_MONOTONIC in the host)
import type { Incoming, IpSocketAddress, Notification, OutgoingMessage, SctpSocket } from 'sctp:sockets/sctp@0.1.0';
import { now, subscribeDuration } from 'wasi:clocks/monotonic-clock@0.2.12';
import { poll } from 'wasi:io/poll@0.2.12';
import { numberOption, parseArgs } from '../../../guest-examples/lib/args.js';
import { bind, bytes, codeOf, errorCode, formatAddress, getNetwork, ipv4, runMain, socket, text, wait, waitWithTimeout } from 'wasm-sctp/guest';
import { CONTROL_PPID, CONTROL_STREAM, FAST_FAILOVER, SEQ_PPID, SequenceCheck, numbered, streamOf } from './pattern.js';

const STEP_MS = 10_000;

function report(o: Record<string, unknown>): void {
  console.log(JSON.stringify(o));
}

const nowMs = () => Number(now()) / 1e6;
const addressList = (list: IpSocketAddress[]) => list.map(formatAddress).sort();

function sleep(ms: number): void {
  const clock = subscribeDuration(BigInt(ms) * 1_000_000n);
  clock.block();
  clock[Symbol.dispose]();
}

function describe(n: Notification): Record<string, unknown> {
  switch (n.tag) {
    case 'peer-addr-change': return { type: n.tag, state: n.val.state, address: formatAddress(n.val.address) };
    case 'assoc-change': return { type: n.tag, state: n.val.state };
    default: return { type: n.tag };
  }
}

function configure(sock: SctpSocket, streams: number, fastFailover: boolean): void {
  sock.setInitMsg({ numOstreams: streams + 1, maxInstreams: streams + 1, maxAttempts: 4, maxInitTimeo: 1000 });
  for (const kind of ['peer-addr-change', 'assoc-change', 'shutdown'] as const) sock.setEvent({ tag: 'future' }, kind, true);
  if (!fastFailover) return;
  sock.setRtoInfo({ tag: 'future' }, FAST_FAILOVER.rto);
  sock.setDelayedSack({ tag: 'future' }, FAST_FAILOVER.sack);
  sock.setPeerAddrParams({ tag: 'future' }, undefined, {
    heartbeat: true, heartbeatInterval: FAST_FAILOVER.heartbeatIntervalMs, heartbeatNow: false, pmtud: undefined,
    pathMtu: 0, pathMaxRetransmits: FAST_FAILOVER.pathMaxRetransmits, sackDelay: undefined, ipv6FlowLabel: undefined,
    dscp: undefined,
  });
  sock.setPeerAddrThresholds({ tag: 'future' }, undefined, {
    pathMaxRetransmits: FAST_FAILOVER.pathMaxRetransmits,
    potentiallyFailedThreshold: FAST_FAILOVER.potentiallyFailedThreshold,
  });
  sock.setAssocInfo({ tag: 'future' }, {
    peerRwnd: 0, localRwnd: 0, cookieLife: 0, maxRetransmits: FAST_FAILOVER.associationMaxRetransmits, peerDestinations: 0,
  });
}

/** Binds to every local address and connects to every peer address; returns the association id. */
function connectMultihomed(sock: SctpSocket, local: string[], remote: string[], port: number): number {
  sock.addLocalAddresses(getNetwork(), local.map((a) => ipv4(a, 0)));
  sock.startConnectx(getNetwork(), remote.map((a) => ipv4(a, port)));
  for (;;) {
    try { return sock.finishConnect(); } catch (e) {
      if (errorCode(e) !== 'would-block') throw e;
      wait(sock);
    }
  }
}

function control(sock: SctpSocket, o: Record<string, unknown>): void {
  const message: OutgoingMessage = { data: bytes(JSON.stringify(o)), info: { stream: CONTROL_STREAM, ppid: CONTROL_PPID, flags: {}, context: 0 } };
  sendAll(sock, [message]);
}

/** Sends every message, waiting whenever the send buffer is full. */
function sendAll(sock: SctpSocket, messages: OutgoingMessage[]): void {
  let sent = 0;
  while (sent < messages.length) {
    try { sent += Number(sock.send(sent === 0 ? messages : messages.slice(sent))); } catch (e) {
      if (errorCode(e) !== 'would-block') throw e;
      wait(sock);
    }
  }
}

/** Items received but not yet looked at: a wait that found what it wanted leaves the rest here. */
const pending: Incoming[] = [];

/**
 * Reads until a control message from the peer matches `want`, reporting every notification on the
 * way; numbered messages go to `check`. Throws when nothing matches within STEP_MS.
 */
function awaitControl(sock: SctpSocket, want: (o: Record<string, unknown>) => boolean, check?: SequenceCheck,
  enough?: () => boolean): Record<string, unknown> {
  const deadline = nowMs() + STEP_MS;
  const ignored: string[] = [];
  for (;;) {
    if (pending.length === 0) pending.push(...sock.receive(256n));
    while (pending.length > 0) {
      const item = pending.shift()!;
      if (item.tag === 'notification') {
        report({ case: 'notification', ...describe(item.val), t: nowMs() });
      } else if (item.tag === 'message' && item.val.ppid === CONTROL_PPID) {
        const o = JSON.parse(text(item.val.data)) as Record<string, unknown>;
        if (want(o)) return o;
        ignored.push(text(item.val.data));
      } else if (item.tag === 'message' && item.val.ppid === SEQ_PPID) {
        check?.add(item.val.data, item.val.stream);
        if (enough?.()) return {};
      } else if (item.tag === 'end-of-stream') {
        throw new Error('the peer ended the association');
      }
    }
    const left = deadline - nowMs();
    if (left <= 0) {
      const st = sock.status(undefined);
      throw new Error(`no answer from the peer; numbered messages: ${check?.received}; other control messages: ${ignored.join(' ')}; status ${JSON.stringify({ pending: st.pendingData, unacked: st.unackedData, state: st.state })}`);
    }
    waitWithTimeout(sock, Math.ceil(left));
  }
}

const peerNotification = (state: string, address: string) => (o: Record<string, unknown>) => {
  const n = o.notification as { state?: string; address?: string } | undefined;
  return n?.state === state && n.address?.split(':')[0] === address;
};

function errorsScenario(): void {
  const fresh = socket('one-to-one');
  report({ case: 'remove-unbound', code: codeOf(() => fresh.removeLocalAddresses([ipv4('127.0.0.1', 0)])) });
  report({ case: 'local-addresses-unbound', code: codeOf(() => fresh.localAddresses(undefined)) });
  report({ case: 'add-empty', code: codeOf(() => fresh.addLocalAddresses(getNetwork(), [])) });
  report({ case: 'add-two-ports', code: codeOf(() => fresh.addLocalAddresses(getNetwork(), [ipv4('127.0.0.1', 4000), ipv4('10.81.1.1', 4001)])) });
  report({ case: 'add-twice', code: codeOf(() => fresh.addLocalAddresses(getNetwork(), [ipv4('127.0.0.1', 0), ipv4('127.0.0.1', 0)])) });
  report({ case: 'add-wildcard', code: codeOf(() => fresh.addLocalAddresses(getNetwork(), [ipv4('0.0.0.0', 0)])) });
  report({ case: 'add-not-local', code: codeOf(() => fresh.addLocalAddresses(getNetwork(), [ipv4('192.0.2.1', 0)])) });
  report({ case: 'after-failed-add', code: codeOf(() => fresh.localAddress()) });
  report({ case: 'connectx-empty', code: codeOf(() => fresh.startConnectx(getNetwork(), [])) });
  report({ case: 'connectx-port-zero', code: codeOf(() => fresh.startConnectx(getNetwork(), [ipv4('127.0.0.1', 0)])) });
  report({ case: 'connectx-two-ports', code: codeOf(() => fresh.startConnectx(getNetwork(), [ipv4('127.0.0.1', 9), ipv4('127.0.0.2', 10)])) });
  report({ case: 'connectx-wildcard', code: codeOf(() => fresh.startConnectx(getNetwork(), [ipv4('0.0.0.0', 9)])) });
  report({ case: 'remote-addresses-unconnected', code: codeOf(() => fresh.remoteAddresses(undefined)) });
  fresh.addLocalAddresses(getNetwork(), [ipv4('127.0.0.1', 0)]);
  const port = fresh.localAddress().val.port;
  report({ case: 'bound-by-add', local: addressList(fresh.localAddresses(undefined)), portChosen: port > 0, isListening: fresh.isListening() });
  report({ case: 'bind-after-add', code: codeOf(() => fresh.startBind(getNetwork(), ipv4('127.0.0.1', 0))) });
  report({ case: 'add-other-port', code: codeOf(() => fresh.addLocalAddresses(getNetwork(), [ipv4('127.0.0.1', port + 1)])) });
  report({ case: 'remove-last', code: codeOf(() => fresh.removeLocalAddresses([ipv4('127.0.0.1', 0)])) });
  report({ case: 'remove-not-bound', code: codeOf(() => fresh.removeLocalAddresses([ipv4('10.81.2.1', 0)])) });
  fresh[Symbol.dispose]();

  const any = socket('one-to-one');
  bind(any, ipv4('0.0.0.0', 0));
  report({ case: 'add-wildcard-bound', code: codeOf(() => any.addLocalAddresses(getNetwork(), [ipv4('127.0.0.1', 0)])) });
  report({ case: 'remove-wildcard-bound', code: codeOf(() => any.removeLocalAddresses([ipv4('127.0.0.1', 0)])) });
  report({ case: 'local-addresses-wildcard', includesLoopback: addressList(any.localAddresses(undefined)).some((a) => a.startsWith('127.0.0.1:')) });
  any[Symbol.dispose]();

  const many = socket('one-to-many');
  many.addLocalAddresses(getNetwork(), [ipv4('127.0.0.1', 0)]);
  report({ case: 'remote-addresses-one-to-many-none', code: codeOf(() => many.remoteAddresses(undefined)) });
  report({ case: 'remote-addresses-unknown-association', code: codeOf(() => many.remoteAddresses(12345)) });
  report({ case: 'local-addresses-unknown-association', code: codeOf(() => many.localAddresses(12345)) });
  many[Symbol.dispose]();
}

function pathsScenario(local: string[], remote: string[], port: number): void {
  const sock = socket('one-to-one');
  configure(sock, 4, false);
  const association = connectMultihomed(sock, local, remote, port);
  report({
    case: 'connected',
    local: addressList(sock.localAddresses(undefined)),
    localOfAssociation: addressList(sock.localAddresses(association)),
    remote: addressList(sock.remoteAddresses(undefined)),
    primary: formatAddress(sock.primaryAddr(undefined)),
    paths: sock.remoteAddresses(undefined).map((a) => ({ address: formatAddress(a), state: sock.peerAddrInfo(undefined, a).state })),
  });
  type Counters = Record<string, { tx: number; rx: number }>;
  const askReport = () => awaitControl(sock, (o) => 'report' in o).report as { local: string[]; remote: string[]; primary: string; counters: Counters };
  control(sock, { cmd: 'report' });
  const peerView = askReport();
  report({ case: 'peer-view', ...peerView });

  // This side's primary path: move it to the peer address it is not using yet, then send a bulk.
  const current = formatAddress(sock.primaryAddr(undefined));
  const target = remote.find((a) => !current.startsWith(`${a}:`))!;
  sock.setPrimaryAddr(undefined, ipv4(target, port));
  report({ case: 'primary-set', primary: formatAddress(sock.primaryAddr(undefined)), statusPrimary: formatAddress(sock.status(undefined).primary!.address) });
  const bulk: OutgoingMessage[] = Array.from({ length: 256 }, (_, seq) => ({ data: numbered(seq, 1024), info: { stream: streamOf(seq, 4), ppid: SEQ_PPID, flags: {}, context: 0 } }));
  sendAll(sock, bulk);
  // A report taken once the peer has the whole bulk: its interface counters tell which path brought it.
  control(sock, { cmd: 'report', afterNumbered: bulk.length });
  const afterBulk = askReport();
  report({ case: 'bulk-sent', messages: bulk.length, peerCountersBefore: peerView.counters, peerCountersAfter: afterBulk.counters });

  // The peer's primary path: ask it to send to the local address it is not using.
  const peerPrimary = peerView.primary.split(':')[0];
  const wanted = local.find((a) => a !== peerPrimary)!;
  sock.setPeerPrimaryAddr(undefined, ipv4(wanted, 0));
  const made = awaitControl(sock, peerNotification('made-primary', wanted));
  report({ case: 'peer-primary-set', asked: wanted, peerNotification: made.notification, peerPrimary: made.primary });
  const check = new SequenceCheck(1024, 4);
  control(sock, { cmd: 'send', count: 256, size: 1024 });
  // The peer's "sent" (stream 0) may overtake the bulk (streams 1..4): wait for both.
  let sentSeen = false;
  awaitControl(sock, (o) => { sentSeen ||= o.sent === 256; return sentSeen && check.received >= 256; }, check,
    () => sentSeen && check.received >= 256);
  control(sock, { cmd: 'report' });
  report({ case: 'bulk-received', ...check.summary(256), peerCountersBefore: afterBulk.counters, peerCountersAfter: askReport().counters });

  // ASCONF on the live association: drop the address the peer no longer sends to, then add it back.
  const spare = local.find((a) => a !== wanted)!;
  sock.removeLocalAddresses([ipv4(spare, 0)]);
  const removed = awaitControl(sock, peerNotification('removed', spare));
  control(sock, { cmd: 'report' });
  report({ case: 'removed', address: spare, local: addressList(sock.localAddresses(undefined)), peerNotification: removed.notification, peerView: askReport() });
  sock.addLocalAddresses(getNetwork(), [ipv4(spare, 0)]);
  const added = awaitControl(sock, peerNotification('added', spare));
  control(sock, { cmd: 'report' });
  report({ case: 'added', address: spare, local: addressList(sock.localAddresses(undefined)), peerNotification: added.notification, peerView: askReport() });

  sock.shutdown();
  const end = endOf(sock);
  report({ case: 'end', end });
  sock[Symbol.dispose]();
}

/** Reads until end-of-stream (or an error), reporting notifications; returns how it ended. */
function endOf(sock: SctpSocket): string {
  const deadline = nowMs() + STEP_MS;
  for (;;) {
    let items;
    try { items = sock.receive(256n); } catch (e) { return errorCode(e); }
    for (const item of items) {
      if (item.tag === 'end-of-stream') return 'end-of-stream';
      if (item.tag === 'notification') report({ case: 'notification', ...describe(item.val), t: nowMs() });
    }
    if (nowMs() > deadline) return 'timeout';
    waitWithTimeout(sock, 500);
  }
}

function streamScenario(local: string[], remote: string[], port: number, options: Map<string, string>): void {
  const count = numberOption(options, 'count', 1000);
  const rate = numberOption(options, 'rate', 0);
  const size = numberOption(options, 'size', 1024);
  const streams = numberOption(options, 'streams', 4);
  const echo = options.has('echo');
  const sock = socket('one-to-one');
  configure(sock, streams, options.has('fast-failover'));
  connectMultihomed(sock, local, remote, port);
  const echoes = new SequenceCheck(size, streams);
  const notifications: Array<Record<string, unknown>> = [];
  const drain = () => {
    for (const item of sock.receive(256n)) {
      if (item.tag === 'notification') {
        const n = { ...describe(item.val), t: nowMs() };
        notifications.push(n);
        report({ case: 'notification', ...n });
      } else if (item.tag === 'message' && item.val.ppid === SEQ_PPID) {
        echoes.add(item.val.data, item.val.stream);
      }
    }
  };
  const started = nowMs();
  report({ case: 'sending', t: started, primary: formatAddress(sock.primaryAddr(undefined)) });
  let seq = 0;
  let wouldBlock = 0;
  while (seq < count) {
    const due = rate > 0 ? Math.min(count, Math.floor((nowMs() - started) * rate / 1000) + 1) : count;
    const batch: OutgoingMessage[] = [];
    for (let s = seq; s < due && batch.length < 64; s++) {
      batch.push({ data: numbered(s, size), info: { stream: streamOf(s, streams), ppid: SEQ_PPID, flags: {}, context: 0 } });
    }
    let blocked = false;
    if (batch.length > 0) {
      try { seq += Number(sock.send(batch)); } catch (e) {
        if (errorCode(e) !== 'would-block') throw e;
        wouldBlock++;
        blocked = true;
      }
    }
    drain();
    if (blocked) {
      wait(sock);
    } else if (rate > 0 && seq < count && seq >= due) {
      // Nothing due yet: sleep until the next message is, or until something arrives.
      const nextDueMs = started + (seq * 1000) / rate;
      const pause = Math.max(0, nextDueMs - nowMs());
      if (pause > 0.2) {
        const p = sock.subscribe();
        const clock = subscribeDuration(BigInt(Math.ceil(pause * 1e6)));
        poll([p, clock]);
        p[Symbol.dispose]();
        clock[Symbol.dispose]();
      }
    }
  }
  const sentAt = nowMs();
  report({ case: 'sent', count: seq, elapsedMs: Math.round(sentAt - started), wouldBlock });
  if (echo) {
    const deadline = nowMs() + 60_000;
    while (echoes.received < count && nowMs() < deadline) {
      drain();
      if (echoes.received < count) waitWithTimeout(sock, 500);
    }
  }
  sock.shutdown();
  const end = endOf(sock);
  report({ case: 'done', end, echo: echo ? echoes.summary(count) : null, notifications: notifications.length });
  sock[Symbol.dispose]();
}

export const run = {
  run() {
    runMain(() => {
      const { positional, options } = parseArgs();
      const list = (name: string) => (options.get(name) ?? '').split(',').filter(Boolean);
      const port = numberOption(options, 'port', 5001);
      switch (positional[0]) {
        case 'errors': return errorsScenario();
        case 'paths': return pathsScenario(list('local'), list('remote'), port);
        case 'stream': return streamScenario(list('local'), list('remote'), port, options);
        default: throw new Error('usage: multihome errors | paths | stream ...');
      }
    });
  },
};
