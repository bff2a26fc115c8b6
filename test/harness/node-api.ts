// Helpers for tests of the Node API: endpoints on 127.0.0.1 that reach each other through this
// process's UDP encapsulation port, and assertions on error-codes.
import * as assert from 'uvu/assert';
import { SctpError, SctpSocket, initStack, type ErrorCode, type ReceivedMessage, type SocketAddress, type SocketType } from '../../src/index.js';

const { udpPort } = initStack();

export const lo = (port = 0): SocketAddress => ({ family: 'ipv4', address: '127.0.0.1', port });

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

export function server(type: SocketType): SctpSocket {
  const s = SctpSocket.create('ipv4', type);
  s.bind(lo());
  s.listen();
  return s;
}

/** A socket bound to 127.0.0.1 that reaches peers through this process's UDP encapsulation port. */
export function client(type: SocketType): SctpSocket {
  const s = SctpSocket.create('ipv4', type);
  s.setOption('remote-udp-encaps-port', udpPort);
  s.bind(lo());
  return s;
}

export async function receiveMessages(s: SctpSocket, count: number): Promise<ReceivedMessage[]> {
  const out: ReceivedMessage[] = [];
  while (out.length < count) {
    for (const item of await s.receiveSome()) {
      if (item.kind === 'message') out.push(item);
    }
  }
  return out;
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
