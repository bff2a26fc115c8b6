// A peer in a process of its own (its own SCTP stack on its own UDP encapsulation port), for
// tests whose subject must not share a stack with its peer: echoing listeners, one-to-one
// `primary` and `exposed` (the packet fuzzer routes the latter's associations through its relay
// and keeps the former clean) and one-to-many `many`.
// stdout: JSON lines. stdin: `stats` prints the stack's counters; `end` shuts every association
// down gracefully, `abort` aborts them; closing stdin ends the process.
import { createInterface } from 'node:readline';
import { SctpSocket, initStack, isErrorCode } from '../../src/index.js';
import { native } from '../../src/native.js';

const { udpPort } = initStack();
const say = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
const ended = new Map<string, number>();
const connections = new Set<SctpSocket>();

function listener(): SctpSocket {
  const s = SctpSocket.create('ipv4', 'one-to-one');
  s.setOption('init-msg', { numOstreams: 16, maxInstreams: 16, maxAttempts: 0, maxInitTimeo: 0 });
  s.bind({ family: 'ipv4', address: '127.0.0.1', port: 0 });
  s.listen();
  return s;
}

async function echo(conn: SctpSocket, name: string): Promise<void> {
  connections.add(conn);
  try {
    for (;;) {
      const items = await conn.receiveSome(256);
      const replies = [];
      for (const item of items) {
        if (item.kind === 'end-of-stream') return;
        if (item.kind === 'message') replies.push({ data: item.data, stream: item.stream, ppid: item.ppid, unordered: item.unordered });
      }
      if (replies.length) await conn.sendAll(replies);
    }
  } catch (e) {
    const code = isErrorCode(e, 'connection-reset') || isErrorCode(e, 'connection-aborted') || isErrorCode(e, 'timeout') || isErrorCode(e, 'invalid-state')
      ? (e as { code: string }).code : `unexpected ${String(e)}`;
    ended.set(`${name}:${code}`, (ended.get(`${name}:${code}`) ?? 0) + 1);
    if (code.startsWith('unexpected')) say({ event: 'error', name, error: code });
  } finally {
    connections.delete(conn);
    conn.close();
  }
}

async function serve(s: SctpSocket, name: string): Promise<void> {
  for (;;) {
    try {
      void echo(await s.acceptOne(), name);
    } catch (e) {
      say({ event: 'error', name, error: `accept: ${String(e)}` });
      return;
    }
  }
}

/** One-to-many: every message goes back on its association. */
async function serveMany(s: SctpSocket): Promise<void> {
  for (;;) {
    try {
      const replies = [];
      for (const item of await s.receiveSome(256)) {
        if (item.kind === 'message') replies.push({ data: item.data, stream: item.stream, ppid: item.ppid, association: item.association });
      }
      // An association may be gone before its answer: that one answer is lost, the others go.
      for (const r of replies) try { await s.sendAll([r]); } catch { ended.set('many:gone', (ended.get('many:gone') ?? 0) + 1); }
    } catch (e) {
      say({ event: 'error', name: 'many', error: String(e) });
      return;
    }
  }
}

const primary = listener();
const exposed = listener();
const many = SctpSocket.create('ipv4', 'one-to-many');
many.bind({ family: 'ipv4', address: '127.0.0.1', port: 0 });
many.listen();
void serve(primary, 'primary');
void serve(exposed, 'exposed');
void serveMany(many);
say({ event: 'ready', udpPort, primary: primary.localAddress().port, exposed: exposed.localAddress().port, many: many.localAddress().port });

createInterface({ input: process.stdin }).on('line', (line) => {
  const command = line.trim();
  if (command === 'stats') say({ event: 'stats', counters: native.stackCounters(), ended: Object.fromEntries(ended) });
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
}).on('close', () => process.exit(0));
