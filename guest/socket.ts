// Sockets set up and used in the common blocking way: bind, listen, connect, send everything,
// receive what is there.
import { createSctpSocket } from 'sctp:sockets/sctp-create-socket@0.1.0';
import type { SctpSocket, Incoming, OutgoingMessage, IpSocketAddress, SocketType } from 'sctp:sockets/sctp@0.1.0';
import { getNetwork } from './network.js';
import { blocking, wait } from './wait.js';

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

/** Connects and returns the association id. */
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
