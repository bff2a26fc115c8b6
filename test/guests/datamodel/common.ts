// What the data-model scenarios share: endpoints on 127.0.0.1 that reach each other through this
// host's UDP encapsulation port, settings for quick retransmissions, and reading what arrives as
// described observations until enough of it came.
import { subscribeDuration } from 'wasi:clocks/monotonic-clock@0.2.12';
import type { EventKind, Incoming, SctpSocket, SendInfo, SocketType } from 'sctp:sockets/sctp@0.1.0';
import { udpEncapsulationPort } from 'sctp:sockets/sctp@0.1.0';
import { bind, blocking, bytes, connect, errorCode, ipv4, listen, sendAll, socket, waitWithTimeout } from 'wasm-sctp/guest';
import { describe } from './report.js';

export const FUTURE = { tag: 'future' } as const;
export const ALL = { tag: 'all' } as const;
export const KINDS: EventKind[] = ['assoc-change', 'peer-addr-change', 'remote-error', 'send-failed', 'shutdown', 'adaptation-indication',
  'partial-delivery', 'authentication', 'sender-dry', 'stream-reset', 'assoc-reset', 'stream-change'];

export const encaps = () => udpEncapsulationPort() ?? 0;

export function sleep(ms: number): void {
  const p = subscribeDuration(BigInt(ms) * 1_000_000n);
  p.block();
  p[Symbol.dispose]();
}

export function subscribeAll(s: SctpSocket): void {
  for (const kind of KINDS) s.setEvent(FUTURE, kind, true);
}

/** Fast retransmissions, and patience: a path that goes dark for a second must not end the association. */
export function tune(s: SctpSocket, rto = { initial: 100, max: 200, min: 50 }): void {
  s.setRtoInfo(FUTURE, rto);
  s.setAssocInfo(FUTURE, { cookieLife: 0, maxRetransmits: 40, peerRwnd: 0, localRwnd: 0, peerDestinations: 0 });
  s.setPeerAddrParams(FUTURE, undefined, { heartbeatNow: false, pathMtu: 0, pathMaxRetransmits: 40 });
}

export function server(type: SocketType, prepare?: (s: SctpSocket) => void): SctpSocket {
  const s = socket(type);
  prepare?.(s);
  bind(s, ipv4('127.0.0.1', 0));
  listen(s);
  return s;
}

export function client(type: SocketType, prepare?: (s: SctpSocket) => void): SctpSocket {
  const s = socket(type);
  s.setRemoteUdpEncapsPort(FUTURE, encaps());
  prepare?.(s);
  bind(s, ipv4('127.0.0.1', 0));
  return s;
}

/** A one-to-one client connected to a one-to-one server; `conn` is the accepted socket. */
export function oneToOnePair(prepare?: (s: SctpSocket) => void): { cli: SctpSocket; conn: SctpSocket; srv: SctpSocket } {
  const srv = server('one-to-one', prepare);
  const cli = client('one-to-one', prepare);
  connect(cli, srv.localAddress());
  const conn = blocking(srv, () => srv.accept());
  return { cli, conn, srv };
}

export type Seen = Record<string, unknown>;

/**
 * Receives and describes items until `done` says so, the socket stays quiet for `quietMs`, or
 * receive fails (the error-code is recorded as `{ error }`).
 */
export function drain(s: SctpSocket, done: (seen: Seen[]) => boolean, quietMs = 3000, max = 64): Seen[] {
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

export const has = (kind: string, n = 1) => (seen: Seen[]) => seen.filter((s) => s.kind === kind).length >= n;
export const hasState = (state: string) => (seen: Seen[]) => seen.some((s) => s.state === state);
export const messages = (n: number) => (seen: Seen[]) => seen.filter((s) => s.message !== undefined).length >= n;
export const ended = (seen: Seen[]) => seen.some((s) => s.end || s.error);

export function send(s: SctpSocket, data: string, info: SendInfo = {}): void {
  sendAll(s, [{ data: bytes(data), info }]);
}

/** Waits until the peer acknowledged everything sent: both messages are then waiting at the receiver. */
export function acknowledged(s: SctpSocket): void {
  for (let i = 0; i < 250; i++) {
    const status = s.status(undefined);
    if (status.unackedData === 0 && status.pendingData === 0) return;
    sleep(20);
  }
}

/** Receives until `count` complete messages (or pieces, with whole-messages off) arrived. */
export function receiveMessages(s: SctpSocket, count: number): Array<Extract<Incoming, { tag: 'message' }>['val']> {
  const out: Array<Extract<Incoming, { tag: 'message' }>['val']> = [];
  while (out.length < count) {
    const items = s.receive(16n);
    if (items.length === 0) { if (!waitWithTimeout(s, 5000)) break; continue; }
    for (const item of items) if (item.tag === 'message') out.push(item.val);
  }
  return out;
}
