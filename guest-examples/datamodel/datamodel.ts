// A test guest for SCTP's data model, seen from inside a component: it runs one scenario, mostly
// between sockets of its own, and prints one JSON line per observation for test/ to check.
//   datamodel events        every notification kind, each field
//   datamodel associations  three associations on one one-to-many socket: peeloff, abort, eof, autoclose
//   datamodel ordering      unordered messages overtake ordered ones held back by loss; ordered streams stay in order
//   datamodel large         4 MiB whole, pieces on request, explicit EOR, NXTINFO, default-sndinfo, per-message INIT
//   datamodel backpressure  a receiver that stops reading blocks the sender; nothing is lost
//   datamodel interleaving  I-DATA (RFC 8260): small messages pass a large one only when both ends enable it
//   datamodel auth-mismatch two ends whose shared keys differ: the association fails, visibly
//   datamodel wire-server   a one-to-many server reporting every notification until its association is lost
//   datamodel ext-client <address> <port>   AUTH, reconfiguration, PR-SCTP, I-DATA against test/support/ext-peer.ts
import { exit } from 'wasi:cli/exit@0.2.12';
import { subscribeDuration } from 'wasi:clocks/monotonic-clock@0.2.12';
import type { EventKind, Incoming, OutgoingMessage, SctpSocket, SendInfo, SocketType } from 'sctp:sockets/sctp@0.1.0';
import { udpEncapsulationPort } from 'sctp:sockets/sctp@0.1.0';
import { parseArgs } from '../lib/args.js';
import {
  bind, blocking, bytes, codeOf, connect, errorCode, formatAddress, ipv4, listen, runMain, sendAll, socket, text, waitWithTimeout,
} from 'wasm-sctp/guest';
import { describe, report } from './report.js';

const FUTURE = { tag: 'future' } as const;
const ALL = { tag: 'all' } as const;
const KINDS: EventKind[] = ['assoc-change', 'peer-addr-change', 'remote-error', 'send-failed', 'shutdown', 'adaptation-indication',
  'partial-delivery', 'authentication', 'sender-dry', 'stream-reset', 'assoc-reset', 'stream-change'];

const encaps = () => udpEncapsulationPort() ?? 0;

function sleep(ms: number): void {
  const p = subscribeDuration(BigInt(ms) * 1_000_000n);
  p.block();
  p[Symbol.dispose]();
}

function subscribeAll(s: SctpSocket): void {
  for (const kind of KINDS) s.setEvent(FUTURE, kind, true);
}

/** Fast retransmissions, and patience: a path that goes dark for a second must not end the association. */
function tune(s: SctpSocket, rto = { initial: 100, max: 200, min: 50 }): void {
  s.setRtoInfo(FUTURE, rto);
  s.setAssocInfo(FUTURE, { cookieLife: 0, maxRetransmits: 40, peerRwnd: 0, localRwnd: 0, peerDestinations: 0 });
  s.setPeerAddrParams(FUTURE, undefined, { heartbeatNow: false, pathMtu: 0, pathMaxRetransmits: 40 });
}

function server(type: SocketType, prepare?: (s: SctpSocket) => void): SctpSocket {
  const s = socket(type);
  prepare?.(s);
  bind(s, ipv4('127.0.0.1', 0));
  listen(s);
  return s;
}

function client(type: SocketType, prepare?: (s: SctpSocket) => void): SctpSocket {
  const s = socket(type);
  s.setRemoteUdpEncapsPort(FUTURE, encaps());
  prepare?.(s);
  bind(s, ipv4('127.0.0.1', 0));
  return s;
}

/** A one-to-one client connected to a one-to-one server; `conn` is the accepted socket. */
function oneToOnePair(prepare?: (s: SctpSocket) => void): { cli: SctpSocket; conn: SctpSocket; srv: SctpSocket } {
  const srv = server('one-to-one', prepare);
  const cli = client('one-to-one', prepare);
  connect(cli, srv.localAddress());
  const conn = blocking(srv, () => srv.accept());
  return { cli, conn, srv };
}

type Seen = Record<string, unknown>;

/**
 * Receives and describes items until `done` says so, the socket stays quiet for `quietMs`, or
 * receive fails (the error-code is recorded as `{ error }`).
 */
function drain(s: SctpSocket, done: (seen: Seen[]) => boolean, quietMs = 3000, max = 64): Seen[] {
  const seen: Seen[] = [];
  while (!done(seen)) {
    let items: Incoming[];
    try { items = s.receive(BigInt(max)); } catch (e) {
      seen.push({ error: errorCode(e) });
      break;
    }
    if (items.length === 0) {
      if (!waitWithTimeout(s, quietMs)) break;
      continue;
    }
    seen.push(...items.map(describe));
  }
  return seen;
}

const has = (kind: string, n = 1) => (seen: Seen[]) => seen.filter((s) => s.kind === kind).length >= n;
const hasState = (state: string) => (seen: Seen[]) => seen.some((s) => s.state === state);
const messages = (n: number) => (seen: Seen[]) => seen.filter((s) => s.message !== undefined).length >= n;
const ended = (seen: Seen[]) => seen.some((s) => s.end || s.error);

function send(s: SctpSocket, data: string, info: SendInfo = {}): void {
  sendAll(s, [{ data: bytes(data), info }]);
}

// ---- events -------------------------------------------------------------------------------------

function events(): void {
  const keys = (s: SctpSocket) => {
    s.addAuthChunk(0); // DATA must be authenticated
    s.setAuthKey(FUTURE, { keyNumber: 2, key: new Uint8Array(8).fill(2) });
    s.setEnableStreamReset(FUTURE, { resetStreams: true, resetAssociation: true, addStreams: true });
  };
  const srv = server('one-to-many', (s) => { subscribeAll(s); keys(s); s.setAdaptationLayer(0x01020304); });
  const cli = client('one-to-one', (s) => { tune(s); subscribeAll(s); keys(s); s.setAdaptationLayer(0x0a0b0c0d); });
  const association = connect(cli, srv.localAddress());
  report({ case: 'client-up', association, seen: drain(cli, has('adaptation-indication')) });
  report({ case: 'server-up', seen: drain(srv, has('peer-addr-change')) });

  // A message authenticated with key 2 instead of the active key 0: the receiver sees the key change.
  send(cli, 'hi', { authKey: 2 });
  report({ case: 'auth-new-key', seen: drain(srv, messages(1)) });
  report({ case: 'sender-dry', seen: drain(cli, has('sender-dry')) });

  // PR-SCTP: while the path is dark (the peer's UDP port pointed at the discard port), a message with a
  // 300 ms lifetime and one allowed no retransmission are abandoned and come back with their data.
  cli.setRemoteUdpEncapsPort(ALL, 9);
  sendAll(cli, [
    { data: bytes('ttl-msg'), info: { stream: 2, context: 42, prPolicy: { tag: 'ttl', val: 300 } } },
    { data: bytes('rtx-msg'), info: { stream: 2, context: 43, prPolicy: { tag: 'rtx', val: 0 } } },
  ]);
  sleep(1200);
  cli.setRemoteUdpEncapsPort(ALL, encaps());
  send(cli, 'after', { stream: 2, context: 44 });
  report({
    case: 'pr-sctp',
    sender: drain(cli, has('send-failed', 2)),
    ttl: cli.prAssocStatus(undefined, 'ttl'),
    rtx: cli.prAssocStatus(undefined, 'rtx'),
    receiver: drain(srv, messages(1)),
  });

  // RFC 6525 stream reconfiguration, each seen from both ends.
  cli.resetStreams(undefined, { directions: { outgoing: true }, streams: Uint16Array.of(1) });
  report({ case: 'stream-reset', client: drain(cli, has('stream-reset')), server: drain(srv, has('stream-reset')) });
  cli.resetStreams(undefined, { directions: { incoming: true }, streams: Uint16Array.of(0) });
  report({ case: 'stream-reset-incoming', client: drain(cli, has('stream-reset')), server: drain(srv, has('stream-reset')) });
  cli.addStreams(undefined, { inbound: 0, outbound: 2 });
  report({ case: 'stream-change', client: drain(cli, has('stream-change')), server: drain(srv, has('stream-change')) });
  cli.resetAssoc(undefined);
  report({ case: 'assoc-reset', client: drain(cli, has('assoc-reset')), server: drain(srv, has('assoc-reset')) });

  // Key 0 retired: once nothing uses it, the stack says it is free.
  cli.setAuthActiveKey(FUTURE, 2);
  cli.deactivateAuthKey(FUTURE, 0);
  report({ case: 'auth-free-key', seen: drain(cli, has('authentication')) });

  // A peer without AUTH: the server is told.
  const plain = client('one-to-one', (s) => { s.setAsconfSupported(false); s.setAuthSupported(false); });
  connect(plain, srv.localAddress());
  const noAuth = drain(srv, has('authentication'));
  report({ case: 'auth-no-auth', seen: noAuth });

  // Reconfiguration requests to a peer that has not enabled them are denied, and say so.
  const plainAssoc = noAuth.find((s) => s.kind === 'authentication')!.association as number;
  srv.resetStreams(plainAssoc, { directions: { outgoing: true }, streams: Uint16Array.of(0) });
  const resetDenied = drain(srv, has('stream-reset'));
  srv.addStreams(plainAssoc, { inbound: 0, outbound: 1 });
  const addDenied = drain(srv, has('stream-change'));
  srv.resetAssoc(plainAssoc);
  report({ case: 'reconfig-denied', reset: resetDenied, add: addDenied, assoc: drain(srv, has('assoc-reset')) });

  // INIT to a port where nobody listens: the one-to-many socket that sent it is told.
  const lonely = client('one-to-many', (s) => {
    s.setEvent(FUTURE, 'assoc-change', true);
    s.setInitMsg({ numOstreams: 1, maxInstreams: 1, maxAttempts: 1, maxInitTimeo: 200 });
  });
  const nowhere = srv.localAddress();
  nowhere.val.port += 1;
  send(lonely, 'anyone?', { destination: nowhere });
  report({ case: 'cant-str-assoc', seen: drain(lonely, hasState('cant-str-assoc')) });

  // A large message being read in pieces when its sender aborts.
  const pd = oneToOnePair((s) => {
    s.setEvent(FUTURE, 'partial-delivery', true);
    s.setEvent(FUTURE, 'assoc-change', true);
    s.setEvent(FUTURE, 'send-failed', true);
    s.setReceiveBufferSize(32768n);
    s.setPartialDeliveryPoint(4096);
  });
  pd.conn.setWholeMessages(false);
  pd.cli.setSendBufferSize(1n << 20n);
  sendAll(pd.cli, [{ data: new Uint8Array(300_000).fill(65), info: { stream: 1 } }]);
  const first = drain(pd.conn, messages(1), 3000, 1);
  send(pd.cli, 'abort', { flags: { abort: true } });
  report({ case: 'partial-delivery', first, rest: drain(pd.conn, ended) });
  // What the aborting sender had not sent yet comes back to it.
  report({ case: 'send-failed-unsent', seen: drain(pd.cli, ended).map((s) => (s.kind === 'send-failed' ? { ...s, data: (s.data as Uint8Array).length } : s)) });

  // Graceful shutdown, seen from both ends.
  cli.shutdown();
  report({ case: 'shutdown', client: drain(cli, ended), server: drain(srv, hasState('shutdown-comp')) });
  for (const s of [cli, plain, lonely, pd.cli, pd.conn, pd.srv, srv]) s[Symbol.dispose]();
}

// ---- associations -------------------------------------------------------------------------------

function associations(): void {
  const srv = server('one-to-many', (s) => s.setEvent(FUTURE, 'assoc-change', true));
  const clients = [0, 1, 2].map(() => client('one-to-one'));
  for (const c of clients) connect(c, srv.localAddress());
  clients.forEach((c, i) => send(c, `hello from ${i}`));
  const greetings = drain(srv, messages(3)).filter((s) => s.message !== undefined);
  const assoc = new Map(greetings.map((g) => [Number(String(g.message).split(' ')[2]), g.association as number]));
  report({ case: 'three-up', associations: [...assoc.values()], number: srv.assocNumber(), ids: Array.from(srv.assocIdList()) });

  // SCTP_SENDALL: one send reaches every association; SCTP_SACK_IMMEDIATELY is accepted with data.
  sendAll(srv, [{ data: bytes('to everyone'), info: { flags: { sendall: true } } }]);
  sendAll(clients[0], [{ data: bytes('acknowledge at once'), info: { flags: { sackImmediately: true } } }]);
  report({
    case: 'sendall', got: clients.map((c) => drain(c, messages(1)).map((m) => m.message)),
    sackImmediately: drain(srv, messages(1)).map((m) => m.message),
  });

  // Client 0's association moves to a socket of its own and keeps working, both ways.
  const peeled = srv.peeloff(assoc.get(0)!);
  send(clients[0], 'to the peeled socket');
  send(peeled, 'from the peeled socket');
  report({
    case: 'peeled', socketType: peeled.socketType(), remote: formatAddress(peeled.remoteAddress()),
    peeledGot: drain(peeled, messages(1)), clientGot: drain(clients[0], messages(1)), again: codeOf(() => srv.peeloff(assoc.get(0)!)),
  });

  // The server aborts client 1's association; client 2's goes on.
  sendAll(srv, [{ data: bytes('go away'), info: { association: assoc.get(1)!, flags: { abort: true } } }]);
  report({ case: 'aborted', client: drain(clients[1], ended), sendAfter: codeOf(() => clients[1].send([{ data: bytes('x'), info: {} }])) });
  send(clients[2], 'still here');
  report({ case: 'others-continue', server: drain(srv, messages(1)) });

  // eof on client 2's association: its last message, then the end.
  sendAll(srv, [{ data: bytes('last words'), info: { association: assoc.get(2)!, flags: { eof: true } } }]);
  report({ case: 'eof', client: drain(clients[2], ended), server: drain(srv, hasState('shutdown-comp')) });

  // autoclose: an idle association is shut down by the stack after the given time (ms, whole seconds).
  srv.setAutoclose(1000);
  const idle = client('one-to-one');
  connect(idle, srv.localAddress());
  send(idle, 'then silence');
  report({ case: 'autoclose', server: drain(srv, hasState('shutdown-comp'), 5000), client: drain(idle, ended, 5000), number: srv.assocNumber() });
  for (const s of [...clients, idle, peeled, srv]) s[Symbol.dispose]();
}

// ---- ordering -----------------------------------------------------------------------------------

function ordering(): void {
  const srv = server('one-to-many');
  // A slow first retransmission: the message lost in the dark stays missing while later ones arrive.
  // Without Nagle: the later messages must not wait for the lost one's acknowledgement.
  const cli = client('one-to-one', (s) => { tune(s, { initial: 400, max: 800, min: 400 }); s.setNodelay(true); });
  connect(cli, srv.localAddress());
  const info = (stream: number, unordered: boolean): SendInfo => ({ stream, flags: { unordered } });

  cli.setRemoteUdpEncapsPort(ALL, 9);
  send(cli, 'o1', info(0, false));
  sleep(50);
  cli.setRemoteUdpEncapsPort(ALL, encaps());
  sendAll(cli, [{ data: bytes('u1'), info: info(0, true) }, { data: bytes('o2'), info: info(0, false) }]);
  report({ case: 'overtake', order: drain(srv, messages(3)).filter((s) => s.message !== undefined).map((s) => s.message) });

  // Many messages, ordered on stream 0 and unordered on stream 1, with a dark spell in the middle.
  const total = 300;
  const batch = (from: number, to: number): OutgoingMessage[] => Array.from({ length: to - from }, (_, k) => {
    const i = from + k;
    return { data: bytes(`m${i}`), info: { stream: i % 2, ppid: i, flags: { unordered: i % 2 === 1 } } };
  });
  sendAll(cli, batch(0, 100));
  cli.setRemoteUdpEncapsPort(ALL, 9);
  sendAll(cli, batch(100, 200));
  sleep(100);
  cli.setRemoteUdpEncapsPort(ALL, encaps());
  sendAll(cli, batch(200, total));
  const got = drain(srv, messages(total), 5000, 512).filter((s) => s.message !== undefined);
  const ordered = got.filter((m) => m.stream === 0).map((m) => m.ppid as number);
  const unordered = got.filter((m) => m.stream === 1).map((m) => m.ppid as number);
  report({
    case: 'streams', received: got.length, intact: got.every((m) => m.message === `m${m.ppid}`),
    orderedInOrder: ordered.every((p, i) => i === 0 || p > ordered[i - 1]), orderedCount: ordered.length,
    unorderedDistinct: new Set(unordered).size,
  });
  for (const s of [cli, srv]) s[Symbol.dispose]();
}

// ---- large messages and per-message info --------------------------------------------------------

function pattern(size: number, seed: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

/** Receives until `count` complete messages (or pieces, with whole-messages off) arrived. */
function receiveMessages(s: SctpSocket, count: number): Array<Extract<Incoming, { tag: 'message' }>['val']> {
  const out: Array<Extract<Incoming, { tag: 'message' }>['val']> = [];
  while (out.length < count) {
    const items = s.receive(16n);
    if (items.length === 0) { if (!waitWithTimeout(s, 5000)) break; continue; }
    for (const item of items) if (item.tag === 'message') out.push(item.val);
  }
  return out;
}

/** Waits until the peer acknowledged everything sent: both messages are then waiting at the receiver. */
function acknowledged(s: SctpSocket): void {
  for (let i = 0; i < 250; i++) {
    const status = s.status(undefined);
    if (status.unackedData === 0 && status.pendingData === 0) return;
    sleep(20);
  }
}

/** One incoming message, read alone: receive(1). */
function receiveOne(s: SctpSocket): Extract<Incoming, { tag: 'message' }>['val'] {
  for (;;) {
    const [item] = s.receive(1n);
    if (item?.tag === 'message') return item.val;
    if (!item && !waitWithTimeout(s, 5000)) throw new Error('no message');
  }
}

function large(): void {
  const { cli, conn, srv } = oneToOnePair();
  const big = pattern(4 << 20, 1);
  report({ case: 'too-large-for-buffer', code: codeOf(() => cli.send([{ data: big, info: {} }])), receiveBuffer: Number(conn.receiveBufferSize()) });
  cli.setSendBufferSize(9n << 20n);
  sendAll(cli, [{ data: big, info: { stream: 1, ppid: 7 } }, { data: bytes('after'), info: { stream: 1, ppid: 8 } }]);
  const [whole, after] = receiveMessages(conn, 2);
  report({
    case: 'whole', length: whole.data.length, intact: whole.data.every((b, i) => b === big[i]), complete: whole.complete,
    ppid: whole.ppid, after: text(after.data),
  });

  conn.setWholeMessages(false);
  const medium = pattern(1 << 20, 2);
  sendAll(cli, [{ data: medium, info: { stream: 3 } }]);
  const pieces: Array<{ length: number; complete: boolean }> = [];
  let joined = 0;
  let intact = true;
  while (!pieces.at(-1)?.complete) {
    const p = receiveOne(conn);
    p.data.forEach((b, i) => { if (b !== medium[joined + i]) intact = false; });
    joined += p.data.length;
    pieces.push({ length: p.data.length, complete: p.complete });
  }
  report({ case: 'pieces', count: pieces.length, bytes: joined, intact, completeOnlyLast: pieces.every((p, i) => p.complete === (i === pieces.length - 1)) });
  conn.setWholeMessages(true);

  // NXTINFO: each message says what waits behind it.
  conn.setRecvNxtinfo(true);
  sendAll(cli, [{ data: bytes('first'), info: { stream: 1, ppid: 10 } }, { data: bytes('second!'), info: { stream: 2, ppid: 20, flags: { unordered: true } } }]);
  acknowledged(cli);
  const [a, b] = [0, 1].map(() => receiveOne(conn));
  report({ case: 'nxtinfo', first: text(a.data), next: a.next, second: text(b.data), nextAfterLast: b.next ?? null });

  // RCVINFO: consecutive ordered messages of a stream have consecutive SSNs and TSNs; the context is the
  // receiving socket's own value for the association.
  conn.setContext(ALL, 0x1234);
  sendAll(cli, [{ data: bytes('r1'), info: { stream: 4, ppid: 1 } }, { data: bytes('r2'), info: { stream: 4, ppid: 2 } }]);
  report({
    case: 'rcvinfo',
    got: receiveMessages(conn, 2).map((m) => ({ stream: m.stream, ssn: m.ssn, tsn: m.tsn, cumulativeTsn: m.cumulativeTsn, context: m.context, association: m.association })),
    association: conn.status(undefined).association,
  });

  // What a message leaves out comes from default-sndinfo.
  cli.setDefaultSndinfo(FUTURE, { stream: 3, ppid: 77, flags: {}, context: 5 });
  sendAll(cli, [{ data: bytes('defaults'), info: {} }, { data: bytes('own stream'), info: { stream: 1 } }]);
  report({ case: 'default-sndinfo', got: receiveMessages(conn, 2).map((m) => [text(m.data), m.stream, m.ppid]) });
  for (const s of [cli, conn, srv]) s[Symbol.dispose]();

  // Explicit EOR: a message written in three sends arrives as one.
  const eor = oneToOnePair((s) => s.setExplicitEor(true));
  sendAll(eor.cli, [
    { data: bytes('one '), info: { stream: 1 } },
    { data: bytes('message '), info: { stream: 1 } },
    { data: bytes('in three'), info: { stream: 1, flags: { eor: true } } },
    { data: bytes('next'), info: { stream: 1, flags: { eor: true } } },
  ]);
  report({ case: 'explicit-eor', got: receiveMessages(eor.conn, 2).map((m) => [text(m.data), m.complete]) });
  for (const s of [eor.cli, eor.conn, eor.srv]) s[Symbol.dispose]();

  // SCTP_INIT per message: the association this send sets up asks for 3 streams.
  const many = server('one-to-many');
  const implicit = client('one-to-many', (s) => s.setInitMsg({ numOstreams: 10, maxInstreams: 10, maxAttempts: 0, maxInitTimeo: 0 }));
  sendAll(implicit, [{ data: bytes('hi'), info: { destination: many.localAddress(), init: { numOstreams: 3, maxInstreams: 0, maxAttempts: 0, maxInitTimeo: 0 } } }]);
  const [m] = receiveMessages(many, 1);
  report({ case: 'per-message-init', peerInbound: many.status(m.association).inboundStreams, socketSetting: implicit.initMsg().numOstreams });
  for (const s of [implicit, many]) s[Symbol.dispose]();
}

// ---- backpressure -------------------------------------------------------------------------------

function backpressure(): void {
  // Small buffers, so that 3 MB cannot all fit between the two ends.
  const { cli, conn, srv } = oneToOnePair((s) => { s.setSendBufferSize(65536n); s.setReceiveBufferSize(65536n); });
  const total = 3000;
  const all: OutgoingMessage[] = Array.from({ length: total }, (_, i) => ({ data: pattern(1024, i), info: { stream: i % 2, ppid: i } }));
  // Send without reading until the stack takes no more.
  let accepted = 0;
  let code = 'ok';
  while (accepted < total && code === 'ok') {
    code = codeOf(() => { accepted += Number(cli.send(all.slice(accepted, accepted + 64))); });
  }
  const acceptedBeforeReading = accepted;
  let received = 0;
  let intact = true;
  const lastOf = [-1, -1];
  let inOrder = true;
  while (received < total) {
    if (accepted < total) {
      const c = codeOf(() => { accepted += Number(cli.send(all.slice(accepted, accepted + 256))); });
      if (c !== 'ok' && c !== 'would-block') throw new Error(`send: ${c}`);
    }
    const items = conn.receive(512n);
    for (const item of items) {
      if (item.tag !== 'message') continue;
      const m = item.val;
      received++;
      const expect = pattern(1024, m.ppid);
      if (m.data.length !== 1024 || !m.data.every((b, i) => b === expect[i]) || m.stream !== m.ppid % 2) intact = false;
      if (m.ppid <= lastOf[m.stream]) inOrder = false;
      lastOf[m.stream] = m.ppid;
    }
    if (items.length === 0 && !waitWithTimeout(conn, 5000)) break;
  }
  report({ case: 'backpressure', blockedAt: code, acceptedBeforeReading, received, intact, inOrder });
  for (const s of [cli, conn, srv]) s[Symbol.dispose]();
}

// ---- extensions: I-DATA, AUTH ------------------------------------------------------------------

/** RFC 8260: with I-DATA on both ends, small messages on one stream pass a large one on another. */
function interleaving(): void {
  for (const on of [false, true]) {
    const { cli, conn, srv } = oneToOnePair((s) => {
      if (on) {
        s.setFragmentInterleave('streams');
        s.setInterleavingSupported(true);
      }
      s.setStreamScheduler(FUTURE, 'round-robin');
    });
    cli.setSendBufferSize(8n << 20n);
    sendAll(cli, [{ data: new Uint8Array(4 << 20).fill(1), info: { stream: 1 } }]);
    sendAll(cli, [0, 1, 2, 3, 4].map((i) => ({ data: bytes(`small ${i}`), info: { stream: 2 } })));
    const order = receiveMessages(conn, 6).map((m) => (m.stream === 1 ? `big ${m.data.length}` : text(m.data)));
    report({ case: on ? 'interleaving-on' : 'interleaving-off', negotiated: [cli.interleavingSupported(undefined), conn.interleavingSupported(undefined)], order });
    for (const s of [cli, conn, srv]) s[Symbol.dispose]();
  }
}

/** RFC 4895: both ends require authenticated DATA with key 1, but their secrets differ. */
function authMismatch(): void {
  const srv = server('one-to-one', (s) => {
    s.addAuthChunk(0);
    s.setAuthKey(FUTURE, { keyNumber: 1, key: bytes('the server secret') });
    s.setAuthActiveKey(FUTURE, 1);
  });
  const cli = client('one-to-one', (s) => {
    s.addAuthChunk(0);
    s.setAuthKey(FUTURE, { keyNumber: 1, key: bytes('another secret') });
    s.setAuthActiveKey(FUTURE, 1);
    s.setEvent(FUTURE, 'assoc-change', true);
    s.setRtoInfo(FUTURE, { initial: 100, max: 200, min: 50 });
    s.setAssocInfo(FUTURE, { cookieLife: 0, maxRetransmits: 3, peerRwnd: 0, localRwnd: 0, peerDestinations: 0 });
  });
  connect(cli, srv.localAddress());
  const conn = blocking(srv, () => srv.accept());
  send(cli, 'signed with the wrong secret');
  // The receiver drops every DATA chunk whose HMAC does not verify; the sender's retransmissions run out.
  report({ case: 'auth-mismatch', sender: drain(cli, ended, 10_000), receiver: drain(conn, (seen) => seen.length > 0, 500) });
  for (const s of [cli, conn, srv]) s[Symbol.dispose]();
}

// ---- the extensions against a peer on another host ----------------------------------------------

/**
 * The client side of the extension checks between two hosts (test/extensions-netns.test.ts): AUTH,
 * RFC 6525 reconfiguration, I-DATA and PR-SCTP against test/support/ext-peer.ts. For PR-SCTP it
 * asks the test to darken the path (`dark-please`) and to light it again (`light-please`).
 */
function extClient(address: string, port: number): void {
  const cli = socket('one-to-one');
  subscribeAll(cli);
  tune(cli);
  cli.setRemoteUdpEncapsPort(FUTURE, encaps());
  cli.addAuthChunk(0);
  cli.setAuthKey(FUTURE, { keyNumber: 2, key: new Uint8Array(8).fill(2) });
  cli.setEnableStreamReset(FUTURE, { resetStreams: true, resetAssociation: true, addStreams: true });
  cli.setFragmentInterleave('streams');
  cli.setInterleavingSupported(true);
  cli.setStreamScheduler(FUTURE, 'round-robin');
  cli.setNodelay(true);
  bind(cli, ipv4('0.0.0.0', 0));
  const association = connect(cli, ipv4(address, port));
  report({ case: 'up', association, seen: drain(cli, hasState('comm-up')), interleaving: cli.interleavingSupported(undefined) });

  send(cli, 'authenticated with key 2', { authKey: 2, stream: 0 });
  cli.resetStreams(undefined, { directions: { outgoing: true }, streams: Uint16Array.of(1) });
  report({ case: 'stream-reset', seen: drain(cli, has('stream-reset')) });
  cli.addStreams(undefined, { inbound: 0, outbound: 2 });
  report({ case: 'stream-change', seen: drain(cli, has('stream-change')) });

  // PR-SCTP while the path is dark; messages sent then are abandoned and come back.
  report({ case: 'dark-please' });
  sleep(1500);
  sendAll(cli, [
    { data: bytes('ttl-msg'), info: { stream: 2, context: 42, prPolicy: { tag: 'ttl', val: 300 } } },
    { data: bytes('rtx-msg'), info: { stream: 2, context: 43, prPolicy: { tag: 'rtx', val: 0 } } },
  ]);
  sleep(1500);
  report({ case: 'light-please' });
  sleep(1500);
  send(cli, 'after the dark', { stream: 2 });
  report({ case: 'pr-sctp', seen: drain(cli, has('send-failed', 2)), ttl: cli.prAssocStatus(undefined, 'ttl'), rtx: cli.prAssocStatus(undefined, 'rtx') });

  // I-DATA: the small messages on stream 3 need not wait for the 2 MiB one on stream 1.
  cli.setSendBufferSize(4n << 20n);
  sendAll(cli, [{ data: new Uint8Array(2 << 20).fill(1), info: { stream: 1 } }]);
  sendAll(cli, [0, 1, 2, 3, 4].map((i) => ({ data: bytes(`small ${i}`), info: { stream: 3 } })));

  // An association reset waits for nothing: the stack refuses it (invalid-state) while data is outstanding.
  acknowledged(cli);
  cli.resetAssoc(undefined);
  report({ case: 'assoc-reset', seen: drain(cli, has('assoc-reset')) });
  cli.shutdown();
  report({ case: 'end', seen: drain(cli, ended, 10_000) });
  cli[Symbol.dispose]();
}

// ---- a server for a scripted peer ---------------------------------------------------------------

function wireServer(): void {
  const srv = server('one-to-many', (s) => {
    subscribeAll(s);
    s.setRtoInfo(FUTURE, { initial: 100, max: 200, min: 50 });
    s.setPeerAddrParams(FUTURE, undefined, { heartbeatNow: false, pathMtu: 0, heartbeat: true, heartbeatInterval: 100, pathMaxRetransmits: 2 });
    s.setAssocInfo(FUTURE, { cookieLife: 0, maxRetransmits: 8, peerRwnd: 0, localRwnd: 0, peerDestinations: 0 });
  });
  console.log(`listening ${formatAddress(srv.localAddress())} udp-encaps ${encaps()}`);
  // Each item is reported as it comes: the test answers some of them.
  for (let lost = false; !lost;) {
    const items = srv.receive(64n);
    if (items.length === 0 && !waitWithTimeout(srv, 20_000)) break;
    for (const item of items.map(describe)) {
      report({ case: 'wire', ...item });
      if (item.state === 'comm-lost') lost = true;
    }
  }
  srv[Symbol.dispose]();
}

export const run = {
  run() {
    runMain(() => {
      const [scenario, address, port] = parseArgs().positional;
      const scenarios: Record<string, () => void> = {
        events, associations, ordering, large, backpressure, interleaving, 'auth-mismatch': authMismatch, 'wire-server': wireServer,
        'ext-client': () => extClient(address, Number(port)),
      };
      const f = scenarios[scenario];
      if (!f) {
        console.error(`unknown scenario ${scenario}`);
        exit({ tag: 'err', val: undefined });
      }
      f();
    });
    exit({ tag: 'ok', val: undefined });
  },
};
