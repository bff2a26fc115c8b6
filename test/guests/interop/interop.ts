// The guest side of the Linux-kernel interoperability tests (test/kernel-interop.test.ts): runs
// cases against the kernel peer (test/harness/kernel/peer.py) and prints one JSON line per case
// with what it saw. It checks nothing itself: the test asserts on the JSON.
//
//   interop client <local-address> <kernel-address> <udp-encaps-port> <case>=<port>...
//       one association per case with the kernel server listening on <port>; cases:
//       echo           a burst on 8 streams, then 1 MiB (its echo read in pieces), every echo
//                      read back; then shutdown
//       peer-shutdown  one message, the reply, then the kernel shuts down
//       abort          one message, its echo, then this guest aborts
//       peer-abort     one message, the reply, "reply read", then the kernel aborts
//   interop server <local-address> <associations> <one-to-many-messages>
//       a one-to-one listener takes <associations> associations one after the other, each
//       opening with the message "case <name>" (echo, shutdown, abort, peer-abort: who ends the
//       association and how); then a one-to-many listener echoes <one-to-many-messages> messages
//       from any number of associations.
// A <udp-encaps-port> of 0 means plain SCTP to the kernel; the host's --udp-port decides this side.
import type { Notification, OutgoingMessage, ReceivedMessage, SctpSocket } from 'sctp:sockets/sctp@0.1.0';
import { udpEncapsulationPort } from 'sctp:sockets/sctp@0.1.0';
import { now } from 'wasi:clocks/monotonic-clock@0.2.12';
import { exit } from 'wasi:cli/exit@0.2.12';
import { parseArgs } from '../../../guest-examples/lib/args.js';
import { bind, bytes, codeOf, errorCode, getNetwork, ipv4, listen, socket, waitWithTimeout } from 'wasm-sctp/guest';
import { burst, burstPayload, describe, LARGE_PPID, LARGE_STREAM, largeMessage, STREAMS } from './patterns.js';

const BURST = 64;
const SEND_BUFFER = 2n << 20n;
const STEP_MS = 10_000;

function report(o: Record<string, unknown>): void {
  console.log(JSON.stringify(o));
}

const elapsedSince = (start: bigint) => Math.round(Number(now() - start) / 1e6);

type Event =
  | { kind: 'message'; m: ReceivedMessage; data: Uint8Array; pieces: number }
  | { kind: 'notification'; n: Notification }
  | { kind: 'end'; how: string }
  | { kind: 'timeout' };

/** Whole messages (pieces joined), notifications and the end of the association, with deadlines. */
class Inbox {
  private queue: ReturnType<SctpSocket['receive']> = [];
  private partial = new Map<string, Uint8Array[]>();
  private ended: string | undefined;
  constructor(readonly sock: SctpSocket) {}

  next(timeoutMs = STEP_MS): Event {
    const deadline = now() + BigInt(timeoutMs) * 1_000_000n;
    for (;;) {
      if (this.queue.length === 0) {
        if (this.ended) return { kind: 'end', how: this.ended };
        try {
          this.queue = this.sock.receive(256n);
        } catch (e) {
          this.ended = errorCode(e);
          continue;
        }
        if (this.queue.length === 0) {
          const left = deadline - now();
          if (left <= 0n) return { kind: 'timeout' };
          waitWithTimeout(this.sock, Number(left / 1_000_000n) + 1);
        }
        continue;
      }
      const item = this.queue.shift()!;
      if (item.tag === 'end-of-stream') { this.ended = 'end-of-stream'; continue; }
      if (item.tag === 'notification') return { kind: 'notification', n: item.val };
      const m = item.val;
      const key = `${m.association}/${m.stream}`;
      const chunks = this.partial.get(key) ?? [];
      chunks.push(m.data);
      if (!m.complete) { this.partial.set(key, chunks); continue; }
      this.partial.delete(key);
      return { kind: 'message', m, data: join(chunks), pieces: chunks.length };
    }
  }
}

function join(chunks: Uint8Array[]): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let offset = 0;
  for (const c of chunks) { out.set(c, offset); offset += c.length; }
  return out;
}

/** What the test learns about a received message. */
function summary(e: { m: ReceivedMessage; data: Uint8Array; pieces: number }): Record<string, unknown> {
  return { stream: e.m.stream, ppid: e.m.ppid, unordered: e.m.unordered, pieces: e.pieces, association: e.m.association, ...describe(e.data) };
}

function notificationSummary(n: Notification): Record<string, unknown> {
  if (n.tag === 'assoc-change') {
    const { association, state, error, outboundStreams, inboundStreams, abortChunk } = n.val;
    // The ABORT chunk, if any, as text: a user-initiated abort carries the peer's reason.
    const abort = abortChunk.length ? String.fromCharCode(...abortChunk).replace(/[^\x20-\x7e]/g, '.') : undefined;
    return { type: 'assoc-change', state, association, error, outbound: outboundStreams, inbound: inboundStreams, abort };
  }
  if (n.tag === 'shutdown') return { type: 'shutdown', association: n.val };
  return { type: n.tag };
}

/** Notifications this guest reports: association changes and the peer's SHUTDOWN. */
function subscribe(sock: SctpSocket): void {
  sock.setEvent({ tag: 'future' }, 'assoc-change', true);
  sock.setEvent({ tag: 'future' }, 'shutdown', true);
}

/** A record of one association as the guest saw it. */
class Log {
  messages: Record<string, unknown>[] = [];
  notifications: Record<string, unknown>[] = [];
  end: string | undefined;
  errors: string[] = [];

  /** The next message, recording notifications on the way; undefined once the association ended. */
  nextMessage(inbox: Inbox, timeoutMs = STEP_MS): Extract<Event, { kind: 'message' }> | undefined {
    for (;;) {
      const e = inbox.next(timeoutMs);
      if (e.kind === 'notification') { this.notifications.push(notificationSummary(e.n)); continue; }
      if (e.kind === 'end') { this.end = e.how; return undefined; }
      if (e.kind === 'timeout') { this.end = 'timeout'; return undefined; }
      this.messages.push(summary(e));
      return e;
    }
  }

  untilEnd(inbox: Inbox, timeoutMs = STEP_MS): void {
    while (this.nextMessage(inbox, timeoutMs)) { /* recorded */ }
  }

  /** Sends every message, waiting (with a deadline) when the send buffer is full. */
  send(sock: SctpSocket, messages: OutgoingMessage[]): boolean {
    let offset = 0;
    const deadline = now() + BigInt(STEP_MS) * 1_000_000n;
    while (offset < messages.length) {
      try {
        offset += Number(sock.send(offset === 0 ? messages : messages.slice(offset)));
      } catch (e) {
        const code = errorCode(e);
        if (code !== 'would-block') { this.errors.push(`send: ${code}`); return false; }
        if (now() > deadline) { this.errors.push('send: timeout'); return false; }
        waitWithTimeout(sock, STEP_MS);
      }
    }
    return true;
  }

  json(): Record<string, unknown> {
    return { messages: this.messages, notifications: this.notifications, end: this.end ?? null, errors: this.errors };
  }
}

function message(data: Uint8Array, stream: number, ppid: number, flags: OutgoingMessage['info']['flags'] = {}, association?: number): OutgoingMessage {
  return { data, info: { association, stream, ppid, flags, context: 0 } };
}

function echoOf(e: { m: ReceivedMessage; data: Uint8Array }): OutgoingMessage {
  return message(e.data, e.m.stream, e.m.ppid, { unordered: e.m.unordered }, e.m.association);
}

// ---- client ----

function runClientCase(name: string, local: string, kernel: string, port: number, encaps: number): void {
  const log = new Log();
  const started = now();
  const sock = socket('one-to-one');
  sock.setInitMsg({ numOstreams: STREAMS, maxInstreams: STREAMS, maxAttempts: 4, maxInitTimeo: 1000 });
  sock.setNodelay(true);
  subscribe(sock);
  if (encaps) sock.setRemoteUdpEncapsPort({ tag: 'future' }, encaps);
  sock.setSendBufferSize(SEND_BUFFER);
  bind(sock, ipv4(local, 0));
  sock.startConnect(getNetwork(), ipv4(kernel, port));
  let connected = '';
  for (;;) {
    connected = codeOf(() => sock.finishConnect());
    if (connected !== 'would-block') break;
    if (!waitWithTimeout(sock, STEP_MS)) { connected = 'timeout'; break; }
  }
  if (connected !== 'ok') {
    report({ case: name, connect: connected });
    sock[Symbol.dispose]();
    return;
  }
  const inbox = new Inbox(sock);
  const hello = message(bytes(`hello from the guest (${name})`), 1, 0x01020304);
  const extra: Record<string, unknown> = {};
  if (name === 'echo') {
    const messages = burst(BURST, 0x10203040).map((b) => message(burstPayload(b), b.stream, b.ppid, { unordered: b.unordered }));
    if (log.send(sock, messages)) {
      while (log.messages.length < BURST && log.nextMessage(inbox)) { /* echoes */ }
    }
    // The 1 MiB echo as the stack delivers it, in pieces (the Inbox joins them and counts them).
    extra.wholeMessagesOff = codeOf(() => sock.setWholeMessages(false));
    if (!log.end && log.send(sock, [message(largeMessage(), LARGE_STREAM, LARGE_PPID)])) {
      log.nextMessage(inbox, 2 * STEP_MS);
    }
    if (!log.end) {
      extra.shutdown = codeOf(() => sock.shutdown());
      log.untilEnd(inbox);
    }
  } else if (name === 'peer-shutdown') {
    // The kernel replies, then shuts down: its end is what this case is about.
    if (log.send(sock, [hello])) log.untilEnd(inbox);
    extra.sendAfterEnd = codeOf(() => sock.send([hello]));
  } else if (name === 'peer-abort') {
    // The kernel replies and aborts once told that the reply was read (an ABORT may throw away
    // what was not read yet, and that is not what this case is about).
    if (log.send(sock, [hello]) && log.nextMessage(inbox) && log.send(sock, [message(bytes('reply read'), 1, 0x01020304)])) {
      // Nothing but the ABORT can wake this wait: what does send say before receive reported it?
      waitWithTimeout(sock, STEP_MS);
      extra.sendBeforeReceive = codeOf(() => sock.send([hello]));
      log.untilEnd(inbox);
    }
    extra.sendAfterEnd = codeOf(() => sock.send([hello]));
  } else if (name === 'abort') {
    if (log.send(sock, [hello]) && log.nextMessage(inbox)) {
      extra.abort = codeOf(() => sock.send([message(bytes('guest abort'), 0, 0, { abort: true })]));
      log.untilEnd(inbox, 2000);
    }
  } else {
    log.errors.push(`unknown case ${name}`);
  }
  report({ case: name, connect: connected, ...extra, ...log.json(), elapsedMs: elapsedSince(started) });
  sock[Symbol.dispose]();
}

// ---- server ----

function serveOneToOne(listener: SctpSocket): void {
  const started = now();
  let conn: SctpSocket | undefined;
  for (;;) {
    const code = codeOf(() => { conn = listener.accept(); });
    if (code === 'ok') break;
    if (code !== 'would-block' || !waitWithTimeout(listener, 2 * STEP_MS)) {
      report({ case: 'accept', code: code === 'would-block' ? 'timeout' : code });
      return;
    }
  }
  const sock = conn!;
  sock.setSendBufferSize(SEND_BUFFER);
  const inbox = new Inbox(sock);
  const log = new Log();
  const first = log.nextMessage(inbox);
  const name = first && first.data.length < 100 ? new TextDecoder().decode(first.data).replace(/^case /, '') : 'none';
  log.messages.shift();
  const extra: Record<string, unknown> = {};
  const reply = message(bytes('guest reply'), 2, 0x0a0b0c0d);
  if (name === 'echo') {
    // Echo everything, 1 MiB included, until the kernel ends the association.
    for (let e = log.nextMessage(inbox); e; e = log.nextMessage(inbox)) log.send(sock, [echoOf(e)]);
  } else if (name === 'shutdown') {
    log.send(sock, [reply]);
    extra.shutdown = codeOf(() => sock.shutdown());
    log.untilEnd(inbox);
  } else if (name === 'abort') {
    log.send(sock, [reply]);
    extra.abort = codeOf(() => sock.send([message(bytes('guest abort'), 0, 0, { abort: true })]));
    log.untilEnd(inbox, 2000);
  } else if (name === 'peer-abort') {
    log.send(sock, [reply]);
    log.untilEnd(inbox);
    extra.sendAfterEnd = codeOf(() => sock.send([reply]));
  } else {
    log.errors.push(`unknown case ${name}`);
  }
  report({ case: `server-${name}`, ...extra, ...log.json(), elapsedMs: elapsedSince(started) });
  sock[Symbol.dispose]();
}

function serveOneToMany(sock: SctpSocket, count: number): void {
  const started = now();
  const inbox = new Inbox(sock);
  const log = new Log();
  while (log.messages.length < count) {
    const e = log.nextMessage(inbox, 3 * STEP_MS);
    if (!e) break;
    log.send(sock, [echoOf(e)]);
  }
  // Then every association that came up should end (the kernel clients shut down).
  const states = () => log.notifications.filter((n) => n.type === 'assoc-change').map((n) => n.state);
  const open = () => states().filter((s) => s === 'comm-up').length - states().filter((s) => s !== 'comm-up').length;
  const deadline = now() + BigInt(STEP_MS) * 1_000_000n;
  while (!log.end && open() > 0 && now() < deadline) {
    const e = inbox.next(Math.max(1, Number((deadline - now()) / 1_000_000n)));
    if (e.kind === 'notification') log.notifications.push(notificationSummary(e.n));
    else if (e.kind === 'message') log.messages.push(summary(e));
    else if (e.kind === 'end') log.end = e.how;
  }
  report({ case: 'server-one-to-many', ...log.json(), elapsedMs: elapsedSince(started) });
}

// ---- main ----

export const run = {
  run() {
    const { positional } = parseArgs();
    const [mode, local] = positional;
    try {
      if (mode === 'client') {
        const [kernel, encaps] = [positional[2], Number(positional[3])];
        for (const spec of positional.slice(4)) {
          const [name, port] = spec.split('=');
          runClientCase(name, local, kernel, Number(port), encaps);
        }
      } else if (mode === 'server') {
        const [associations, oneToManyMessages] = [Number(positional[2]), Number(positional[3])];
        const listener = (type: 'one-to-one' | 'one-to-many') => {
          const s = socket(type);
          s.setInitMsg({ numOstreams: STREAMS, maxInstreams: STREAMS, maxAttempts: 4, maxInitTimeo: 1000 });
          s.setNodelay(true);
          subscribe(s);
          s.setSendBufferSize(SEND_BUFFER);
          bind(s, ipv4(local, 0));
          listen(s);
          return s;
        };
        const oneToOne = listener('one-to-one');
        const oneToMany = listener('one-to-many');
        report({
          case: 'listening',
          oneToOne: oneToOne.localAddress().val.port,
          oneToMany: oneToMany.localAddress().val.port,
          udp: udpEncapsulationPort() ?? 0,
        });
        for (let i = 0; i < associations; i++) serveOneToOne(oneToOne);
        serveOneToMany(oneToMany, oneToManyMessages);
        oneToOne[Symbol.dispose]();
        oneToMany[Symbol.dispose]();
      } else {
        console.error('usage: interop client <local> <kernel> <udp-encaps-port> <case>=<port>... | interop server <local> <associations> <one-to-many-messages>');
        exit({ tag: 'err', val: undefined });
      }
    } catch (e) {
      console.error(`interop guest: ${e instanceof Error ? e.stack ?? e.message : JSON.stringify(e)}`);
      exit({ tag: 'err', val: undefined });
    }
    exit({ tag: 'ok', val: undefined });
  },
};
