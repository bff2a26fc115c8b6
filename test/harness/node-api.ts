// Helpers for tests of the Node API: endpoints on 127.0.0.1 that reach each other through this
// process's UDP encapsulation port, waiting with a deadline, and assertions on error-codes.
import * as assert from 'uvu/assert';
import {
  SctpError, SctpSocket, initStack, type ErrorCode, type Notification, type ReceivedMessage, type SocketAddress, type SocketType,
} from '../../src/index.js';

const { udpPort } = initStack();

type Configure = (s: SctpSocket) => void;

export const lo = (port = 0): SocketAddress => ({ family: 'ipv4', address: '127.0.0.1', port });

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Asserts that `f` throws an SctpError with `code`. */
export function throwsCode(f: () => unknown, code: ErrorCode, what = ''): SctpError {
  const prefix = what ? `${what}: ` : '';
  try {
    f();
  } catch (e) {
    assert.instance(e, SctpError, `${prefix}expected SctpError(${code}), got ${String(e)}`);
    assert.is((e as SctpError).code, code, `${prefix}${(e as SctpError).message}`);
    return e as SctpError;
  }
  assert.unreachable(`${prefix}expected SctpError(${code}), nothing was thrown`);
  throw new Error('unreachable');
}

export async function rejectsCode(p: Promise<unknown>, code: ErrorCode): Promise<SctpError> {
  try {
    await p;
  } catch (e) {
    assert.instance(e, SctpError, `expected SctpError(${code}), got ${String(e)}`);
    assert.is((e as SctpError).code, code, (e as SctpError).message);
    return e as SctpError;
  }
  assert.unreachable(`expected SctpError(${code}), the promise resolved`);
  throw new Error('unreachable');
}

/** A listening socket on 127.0.0.1; `configure` runs before it binds. */
export function server(type: SocketType, configure: Configure = () => {}): SctpSocket {
  const s = SctpSocket.create('ipv4', type);
  configure(s);
  s.bind(lo());
  s.listen();
  return s;
}

/** A socket bound to 127.0.0.1 that reaches peers through this process's UDP encapsulation port; `configure` runs before it binds. */
export function client(type: SocketType = 'one-to-one', configure: Configure = () => {}): SctpSocket {
  const s = SctpSocket.create('ipv4', type);
  s.setOption('remote-udp-encaps-port', udpPort);
  configure(s);
  s.bind(lo());
  return s;
}

export interface Pair {
  cli: SctpSocket;
  /** The accepted socket. */
  conn: SctpSocket;
  srv: SctpSocket;
  /** The client's association id. */
  association: number;
  close(): void;
}

/** A connected one-to-one pair; each `configure` runs before its socket binds. */
export async function pair(configureClient?: Configure, configureServer?: Configure): Promise<Pair> {
  const srv = server('one-to-one', configureServer);
  const cli = client('one-to-one', configureClient);
  const [association, conn] = await within(5000, Promise.all([cli.connect(srv.localAddress()), srv.acceptOne()]), 'connect');
  return { cli, conn, srv, association, close: () => { cli.close(); conn.close(); srv.close(); } };
}

/** The next `count` messages (other items are skipped); each wait for more is bounded by `timeoutMs` when given. */
export async function receiveMessages(s: SctpSocket, count: number, timeoutMs?: number): Promise<ReceivedMessage[]> {
  const out: ReceivedMessage[] = [];
  while (out.length < count) {
    const items = timeoutMs === undefined ? await s.receiveSome() : await within(timeoutMs, s.receiveSome(), `${count} messages`);
    for (const item of items) {
      if (item.kind === 'message') out.push(item);
    }
  }
  return out;
}

/** The next notification of `type` (other items are skipped). */
export async function nextNotification(s: SctpSocket, type: Notification['type'], timeoutMs = 5000): Promise<Notification> {
  for (;;) {
    for (const item of await within(timeoutMs, s.receiveSome(), type)) {
      if (item.kind === 'notification' && item.notification.type === type) return item.notification;
    }
  }
}

/** Sends `text` from one end and returns what the other received. */
export async function roundTrip(from: SctpSocket, to: SctpSocket, text: string): Promise<string> {
  from.send([{ data: Buffer.from(text), stream: 0, ppid: 1 }]);
  const [m] = await receiveMessages(to, 1, 5000);
  return m.data.toString();
}

export async function within<T>(ms: number, p: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
