// The data-model scenarios about messages: 4 MiB whole and in pieces with the per-message
// information (large), and a receiver that stops reading (backpressure).
import type { Incoming, OutgoingMessage, SctpSocket } from 'sctp:sockets/sctp@0.1.0';
import { bytes, codeOf, sendAll, text, waitWithTimeout } from 'wasm-sctp/guest';
import { FUTURE, ALL, server, client, oneToOnePair, acknowledged, receiveMessages } from './common.js';
import { report } from './report.js';

function pattern(size: number, seed: number): Uint8Array {
  const b = new Uint8Array(size);
  for (let i = 0; i < size; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

/** One incoming message, read alone: receive(1). */
function receiveOne(s: SctpSocket): Extract<Incoming, { tag: 'message' }>['val'] {
  for (;;) {
    const [item] = s.receive(1n);
    if (item?.tag === 'message') return item.val;
    if (!item && !waitWithTimeout(s, 5000)) throw new Error('no message');
  }
}

export function large(): void {
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

export function backpressure(): void {
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
