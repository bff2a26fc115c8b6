// Guest-side helpers shared by the example components: how a guest turns the non-blocking WIT
// API into blocking calls with subscribe + wasi:io/poll, and a workaround for componentize-js.
import { createSctpSocket } from 'sctp:sockets/sctp-create-socket@0.1.0';
import type { SctpSocket, Incoming, OutgoingMessage, IpSocketAddress, SocketType } from 'sctp:sockets/sctp@0.1.0';
import { instanceNetwork } from 'wasi:sockets/instance-network@0.2.12';
import type { Network } from 'wasi:sockets/network@0.2.12';
import { poll } from 'wasi:io/poll@0.2.12';
import { subscribeDuration } from 'wasi:clocks/monotonic-clock@0.2.12';
import { exit } from 'wasi:cli/exit@0.2.12';

/** The error-code a failed WIT call threw (componentize-js wraps it in an object with `payload`). */
export function errorCode(e: unknown): string {
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object' && 'payload' in e) return String((e as { payload: unknown }).payload);
  throw e;
}

/** Runs `f` and returns its error-code, or 'ok'. */
export function codeOf(f: () => unknown): string {
  try { f(); return 'ok'; } catch (e) { return errorCode(e); }
}

let network: Network | undefined;
/**
 * componentize-js bug #221: `instanceNetwork()` refers to a class its bindings never define,
 * because `network` is a resource without methods. The bindings run in their own global, which
 * the Function constructor of one of their functions reaches; defining the class there first lets
 * the call succeed.
 */
export function getNetwork(): Network {
  if (!network) {
    const bindingsGlobal = (instanceNetwork.constructor as FunctionConstructor)('return globalThis')() as Record<string, unknown>;
    const missing = 'import_network_0_2_12$Network';
    if (!(missing in bindingsGlobal)) bindingsGlobal[missing] = class Network {};
    network = instanceNetwork();
  }
  return network;
}

export function ipv4(address: string, port: number): IpSocketAddress {
  const [a, b, c, d] = address.split('.').map(Number);
  return { tag: 'ipv4', val: { address: [a, b, c, d], port } };
}

export function formatAddress(addr: IpSocketAddress): string {
  return addr.tag === 'ipv4' ? `${addr.val.address.join('.')}:${addr.val.port}` : `[${addr.val.address.map((n) => n.toString(16)).join(':')}]:${addr.val.port}`;
}

/** Blocks until the socket's pollable is ready. */
export function wait(socket: SctpSocket): void {
  const pollable = socket.subscribe();
  pollable.block();
  pollable[Symbol.dispose]();
}

/** Blocks until the socket is ready or `ms` passed; true when the socket was ready. */
export function waitWithTimeout(socket: SctpSocket, ms: number): boolean {
  const p = socket.subscribe();
  const clock = subscribeDuration(BigInt(ms) * 1_000_000n);
  const ready = poll([p, clock]);
  p[Symbol.dispose]();
  clock[Symbol.dispose]();
  return Array.from(ready).includes(0);
}

/** Repeats a non-blocking call while it returns would-block, waiting on the socket in between. */
export function blocking<T>(socket: SctpSocket, f: () => T): T {
  for (;;) {
    try { return f(); } catch (e) {
      if (errorCode(e) !== 'would-block') throw e;
      wait(socket);
    }
  }
}

export function socket(type: SocketType): SctpSocket {
  return createSctpSocket('ipv4', type);
}

export function bind(sock: SctpSocket, address: IpSocketAddress): void {
  sock.startBind(getNetwork(), address);
  sock.finishBind();
}

export function listen(sock: SctpSocket): void {
  sock.startListen();
  blocking(sock, () => sock.finishListen());
}

export function connect(sock: SctpSocket, address: IpSocketAddress): number {
  sock.startConnect(getNetwork(), address);
  return blocking(sock, () => sock.finishConnect());
}

/** Sends every message, waiting for room when the send buffer is full. */
export function sendAll(sock: SctpSocket, messages: OutgoingMessage[]): void {
  let offset = 0;
  while (offset < messages.length) {
    const batch = offset === 0 ? messages : messages.slice(offset);
    offset += Number(blocking(sock, () => sock.send(batch)));
  }
}

/** Returns at least one incoming item, waiting when nothing is pending. */
export function receiveSome(sock: SctpSocket, max = 256): Incoming[] {
  for (;;) {
    const items = sock.receive(BigInt(max));
    if (items.length > 0) return items;
    wait(sock);
  }
}

export function text(data: Uint8Array): string {
  return new TextDecoder().decode(data);
}

export function bytes(s: string): Uint8Array {
  return new TextEncoder().encode(s);
}

/** Runs a command's main function; an uncaught error-code or exception is printed and fails the command. */
export function runMain(main: () => void): void {
  try {
    main();
  } catch (e) {
    let what: string;
    try { what = errorCode(e); } catch { what = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e); }
    console.error(`error: ${what}`);
    exit({ tag: 'err', val: undefined });
  }
}
