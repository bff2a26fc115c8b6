// Node-side SCTP endpoints for tests: the TS API serving guests that run in child processes.
import { SctpSocket, initStack, type Incoming, type ReceivedMessage } from '../../src/index.js';

export const LOOPBACK = '127.0.0.1';

/** This process's UDP encapsulation port (the stack starts on first use). */
export function localUdpPort(): number {
  return initStack().udpPort;
}

export interface NodeServer {
  port: number;
  udpPort: number;
  /** Every message the server received, in order. */
  received: ReceivedMessage[];
  close(): void;
  /** Resolves once the server has handled `n` messages. */
  handled(n: number, timeoutMs?: number): Promise<void>;
}

/**
 * A one-to-one server that echoes every message back with its stream, PPID and ordering.
 * A message `delay N` is answered with `done` after N milliseconds instead: the guest can then
 * observe data arriving while it waits in poll().
 */
export function startNodeServer(): NodeServer {
  const udpPort = localUdpPort();
  const listener = SctpSocket.create('ipv4', 'one-to-one');
  listener.bind({ family: 'ipv4', address: LOOPBACK, port: 0 });
  listener.listen();
  const received: ReceivedMessage[] = [];
  const waiters: Array<{ n: number; resolve: () => void }> = [];
  const connections = new Set<SctpSocket>();
  let closed = false;

  const notify = () => {
    for (const w of [...waiters]) if (received.length >= w.n) { waiters.splice(waiters.indexOf(w), 1); w.resolve(); }
  };

  async function serve(conn: SctpSocket): Promise<void> {
    connections.add(conn);
    try {
      for (;;) {
        const items: Incoming[] = await conn.receiveSome();
        let ended = false;
        for (const item of items) {
          if (item.kind === 'end-of-stream') { ended = true; continue; }
          if (item.kind !== 'message') continue;
          received.push(item);
          const text = item.data.toString();
          const delay = text.match(/^delay (\d+)$/);
          const reply = { data: delay ? Buffer.from('done') : item.data, stream: item.stream, ppid: item.ppid, unordered: item.unordered };
          if (delay) setTimeout(() => { if (!closed) conn.send([reply]); }, Number(delay[1]));
          else await conn.sendAll([reply]);
        }
        notify();
        if (ended) break;
      }
    } catch (e) {
      // A guest that aborts or vanishes ends its association; only other failures are news.
      const code = (e as { code?: string }).code;
      if (!closed && code !== 'connection-reset' && code !== 'invalid-state') console.error('node peer:', e);
    } finally {
      connections.delete(conn);
      conn.close();
    }
  }

  (async () => {
    while (!closed) {
      try {
        serve(await listener.acceptOne());
      } catch (e) {
        if (!closed) console.error('node peer accept:', e);
        return;
      }
    }
  })();

  return {
    port: listener.localAddress().port,
    udpPort,
    received,
    close() {
      closed = true;
      for (const c of connections) c.close();
      listener.close();
    },
    handled(n, timeoutMs = 20_000) {
      if (received.length >= n) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`node server handled ${received.length}/${n} messages`)), timeoutMs);
        waiters.push({ n, resolve: () => { clearTimeout(timer); resolve(); } });
      });
    },
  };
}
