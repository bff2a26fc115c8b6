// Echoing peers: every message goes back on its association with its stream, PPID and ordering.
// In a process of its own (`peer.js echo`: its own SCTP stack on its own UDP encapsulation port,
// for tests whose subject must not share a stack with its peer: usrsctp corrupts its heap when one
// stack holds both ends of associations that come and go by the hundred), or in this process
// (startEchoServer: a server for guests, which run in child processes anyway).
//
//   peer.js echo
// One-to-one listeners `primary` and `exposed` (the packet fuzzer routes the latter's associations
// through its relay and keeps the former clean) and a one-to-many `many`, on 127.0.0.1. `primary`
// answers `delay N` after N ms (startEchoServer's rule).
// stdout: {"event":"ready","udpPort","primary","exposed","many"}; {"event":"stats",...} per `stats`;
//   {"event":"error",...} for anything but an association ending.
// stdin: `stats` reports the stack's counters, how associations ended, the associations of `many`,
//   the messages received and the process's memory (after a GC with --expose-gc); `end` shuts every
//   association down gracefully, `abort` aborts them; closing stdin ends the process.
import { createInterface } from 'node:readline';
import {
  SctpSocket, initStack, isErrorCode, type ErrorCode, type OutgoingMessage, type ReceivedMessage,
} from '../../../src/index.js';
import { native } from '../../../src/native.js';
import { emit } from './args.js';

export const LOOPBACK = '127.0.0.1';
const BATCH = 256;
/** How an association may end without it being news. */
const ENDINGS: ErrorCode[] = ['connection-reset', 'connection-aborted', 'timeout', 'invalid-state'];

/** The echo of a message: its data on its stream, with its PPID and ordering (and association). */
export function echoOf(m: ReceivedMessage): OutgoingMessage {
  return { data: m.data, stream: m.stream, ppid: m.ppid, unordered: m.unordered, association: m.association };
}

/** What answers a message of association `conn` (nothing: no answer now). */
type Reply = (m: ReceivedMessage, conn: SctpSocket) => OutgoingMessage | undefined;

/**
 * The echo, except that a message `delay N` is answered with `done` after N milliseconds (unless
 * `closed()` by then): a waiter can then observe data arriving while it waits, or an idle wait.
 */
function delayingEcho(closed: () => boolean): Reply {
  return (m, conn) => {
    const delay = m.data.toString().match(/^delay (\d+)$/);
    if (!delay) return echoOf(m);
    setTimeout(() => { if (!closed()) conn.send([{ ...echoOf(m), data: Buffer.from('done') }]); }, Number(delay[1]));
    return undefined;
  };
}

/** Echoes a one-to-one association until it ends; resolves with how: 'end-of-stream', an error-code, or `unexpected ...`. */
async function echoAssociation(conn: SctpSocket, reply: Reply): Promise<string> {
  try {
    for (;;) {
      const replies: OutgoingMessage[] = [];
      let ended = false;
      for (const item of await conn.receiveSome(BATCH)) {
        if (item.kind === 'end-of-stream') ended = true;
        const r = item.kind === 'message' ? reply(item, conn) : undefined;
        if (r) replies.push(r);
      }
      if (ended) return 'end-of-stream';
      if (replies.length) await conn.sendAll(replies);
    }
  } catch (e) {
    return ENDINGS.find((code) => isErrorCode(e, code)) ?? `unexpected ${String(e)}`;
  } finally {
    conn.close();
  }
}

/** Accepts associations until the listener fails or closes, echoing each; `connections` holds the live ones. */
async function serveOneToOne(listener: SctpSocket, connections: Set<SctpSocket>, reply: Reply, ended: (how: string) => void): Promise<void> {
  for (;;) {
    const conn = await listener.acceptOne();
    connections.add(conn);
    void echoAssociation(conn, reply).then((how) => {
      connections.delete(conn);
      ended(how);
    });
  }
}

/** Echoes every message of a one-to-many socket on its association; an association gone before its answer loses that answer only. */
async function serveOneToMany(s: SctpSocket, received: (n: number) => void, gone: () => void): Promise<void> {
  for (;;) {
    const replies = (await s.receiveSome(BATCH)).flatMap((item) => (item.kind === 'message' ? [echoOf(item)] : []));
    received(replies.length);
    for (let at = 0; at < replies.length;) {
      try {
        at += s.send(at === 0 ? replies : replies.slice(at));
      } catch (e) {
        if (isErrorCode(e, 'would-block')) await s.wait();
        else { gone(); at++; }
      }
    }
  }
}

/** A listener on 127.0.0.1; `streams`: the INIT's stream counts (else the stack's defaults). */
function listener(type: 'one-to-one' | 'one-to-many', streams?: number, configure: (s: SctpSocket) => void = () => {}): SctpSocket {
  const s = SctpSocket.create('ipv4', type);
  if (streams) s.setOption('init-msg', { numOstreams: streams, maxInstreams: streams, maxAttempts: 0, maxInitTimeo: 0 });
  configure(s);
  s.bind({ family: 'ipv4', address: LOOPBACK, port: 0 });
  s.listen();
  return s;
}

/** `peer.js echo`: serves until stdin closes. */
export async function run(): Promise<void> {
  const { udpPort } = initStack();
  const endings = new Map<string, number>();
  const count = (key: string) => endings.set(key, (endings.get(key) ?? 0) + 1);
  const connections = new Set<SctpSocket>();
  let received = 0;
  const oneToOne = (name: string, reply: Reply) => {
    const s = listener('one-to-one', 16);
    serveOneToOne(s, connections, reply, (how) => {
      count(`${name}:${how}`);
      if (how.startsWith('unexpected')) emit({ event: 'error', name, error: how });
    }).catch((e) => emit({ event: 'error', name, error: `accept: ${String(e)}` }));
    return s;
  };
  const primary = oneToOne('primary', delayingEcho(() => false));
  const exposed = oneToOne('exposed', echoOf);
  const many = listener('one-to-many');
  serveOneToMany(many, (n) => { received += n; }, () => count('many:gone'))
    .catch((e) => emit({ event: 'error', name: 'many', error: String(e) }));
  emit({ event: 'ready', udpPort, primary: primary.localAddress().port, exposed: exposed.localAddress().port, many: many.localAddress().port });

  const gc = (globalThis as { gc?: () => void }).gc;
  const commands = createInterface({ input: process.stdin });
  commands.on('line', (line) => {
    const command = line.trim();
    if (command === 'stats') {
      gc?.();
      const { rss, heapUsed } = process.memoryUsage();
      emit({
        event: 'stats', counters: native.stackCounters(), ended: Object.fromEntries(endings),
        associations: many.getOption('assoc-number'), received, rss, heapUsed,
      });
    }
    if (command === 'end' || command === 'abort') {
      for (const c of connections) {
        if (command === 'abort') try { c.setOption('linger', 0); } catch { /* gone */ }
        c.close();
      }
      connections.clear();
      try {
        many.send([{ data: new Uint8Array(0), flags: command === 'abort' ? { sendall: true, abort: true } : { sendall: true, eof: true } }]);
      } catch { /* no associations */ }
    }
  });
  await new Promise((resolve) => commands.on('close', resolve));
}

export interface EchoServer {
  port: number;
  udpPort: number;
  /** Every message the server received, in order. */
  received: ReceivedMessage[];
  close(): void;
  /** Resolves once the server has received `n` messages. */
  handled(n: number, timeoutMs?: number): Promise<void>;
}

/**
 * A one-to-one echo server in this process, for guests; `configure` sets its options before it
 * listens. A message `delay N` is answered with `done` after N milliseconds instead: the guest can
 * then observe data arriving while it waits in poll().
 */
export function startEchoServer(configure: (s: SctpSocket) => void = () => {}): EchoServer {
  const { udpPort } = initStack();
  const s = listener('one-to-one', undefined, configure);
  const received: ReceivedMessage[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const connections = new Set<SctpSocket>();
  let closed = false;
  const answer = delayingEcho(() => closed);
  const reply: Reply = (m, conn) => {
    received.push(m);
    for (const w of [...waiters]) if (received.length >= w.n) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); }
    return answer(m, conn);
  };
  serveOneToOne(s, connections, reply, (how) => {
    // A guest that aborts or vanishes ends its association; only other endings are news.
    if (!closed && how.startsWith('unexpected')) console.error(`echo server: ${how}`);
  }).catch((e) => { if (!closed) console.error('echo server accept:', e); });
  return {
    port: s.localAddress().port,
    udpPort,
    received,
    close() {
      closed = true;
      for (const c of connections) c.close();
      s.close();
    },
    handled(n, timeoutMs = 20_000) {
      if (received.length >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`echo server received ${received.length}/${n} messages`)), timeoutMs);
        waiters.push({ n, resolve: () => { clearTimeout(timer); resolve(); } });
      });
    },
  };
}
