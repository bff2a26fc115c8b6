// Benchmark guest for `npm run bench` (lanes c): what a component gets from sctp:sockets.
//   bench-sctp send <address> <port> <udp-encaps-port> [--size 1024] [--seconds 3] [--batch 128]
//       sends --size byte messages on stream 0 for --seconds, --batch messages per `send` call
//       (try send first; block on the socket's reused pollable only on would-block), then shuts down gracefully.
//   bench-sctp pingpong <address> <port> <udp-encaps-port> [--size 64] [--count 2000] [--warmup 200] [--seconds 5]
//       round trips against an echo peer, one message outstanding.
//   bench-sctp calls [--count 2000] [--rounds 5]
//       per-call cost of the cheapest host calls: sctp-socket.socket-type / is-listening (this host) against
//       tcp-socket.keep-alive-enabled (preview2-shim), called in tight loops from this one guest; and what a
//       `send` costs across the boundary alone (on an unconnected socket: it fails after lifting the messages).
// Every result is one JSON line on stdout.
import type { OutgoingMessage, SctpSocket } from 'sctp:sockets/sctp@0.1.0';
import { createTcpSocket } from 'wasi:sockets/tcp-create-socket@0.2.12';
import { now } from 'wasi:clocks/monotonic-clock@0.2.12';
import { exit } from 'wasi:cli/exit@0.2.12';
import { parseArgs, numberOption } from '../../guest-examples/lib/args.js';
import { bind, close, connect, errorCode, ipv4, sendAll, socket, wait, waitWithTimeout } from 'wasm-sctp/guest';

function report(observation: Record<string, unknown>): void {
  console.log(JSON.stringify(observation));
}

function seconds(ns: bigint): number {
  return Number(ns) / 1e9;
}

function connected(address: string, port: number, encaps: number, nodelay: boolean): SctpSocket {
  const sock = socket('one-to-one');
  sock.setRemoteUdpEncapsPort({ tag: 'future' }, encaps);
  if (nodelay) sock.setNodelay(true);
  bind(sock, ipv4('127.0.0.1', 0));
  connect(sock, ipv4(address, port));
  const local = sock.localAddress();
  report({ event: 'connected', localPort: local.val.port });
  return sock;
}

/** Shuts down and waits (bounded) until the association has ended, so that nothing queued is lost at exit. */
function closeGracefully(sock: SctpSocket): void {
  sock.shutdown();
  const deadline = now() + 10_000_000_000n;
  for (;;) {
    let items;
    try {
      items = sock.receive(64n);
    } catch (e) {
      report({ event: 'closed', error: errorCode(e) });
      return;
    }
    if (items.some((i) => i.tag === 'end-of-stream')) break;
    if (items.length === 0) {
      const left = Number(deadline - now()) / 1e6;
      if (left <= 0 || !waitWithTimeout(sock, Math.ceil(left))) { report({ event: 'closed', error: 'timeout' }); return; }
    }
  }
  report({ event: 'closed' });
}

function send(address: string, port: number, encaps: number, options: Map<string, string>): void {
  const size = numberOption(options, 'size', 1024);
  const duration = BigInt(Math.round(numberOption(options, 'seconds', 3) * 1e9));
  const batch = numberOption(options, 'batch', size <= 4096 ? 128 : 4);
  const sock = connected(address, port, encaps, false);
  const data = new Uint8Array(size);
  const messages: OutgoingMessage[] = Array.from({ length: batch }, () => ({ data, info: { stream: 0, ppid: 1, flags: {}, context: 0 } }));
  let sent = 0;
  let sendCalls = 0;
  let wouldBlock = 0;
  const started = now();
  const deadline = started + duration;
  while (now() < deadline) {
    // lib's sendAll, counting calls and would-blocks: try send first, block only on would-block.
    let taken = 0;
    while (taken < batch) {
      try {
        sendCalls++;
        taken += Number(sock.send(taken === 0 ? messages : messages.slice(taken)));
      } catch (e) {
        if (errorCode(e) !== 'would-block') throw e;
        wouldBlock++;
        wait(sock);
      }
    }
    sent += batch;
  }
  const elapsed = now() - started;
  report({ event: 'sent', messages: sent, bytes: sent * size, seconds: seconds(elapsed), sendCalls, wouldBlock });
  closeGracefully(sock);
  close(sock);
}

function pingpong(address: string, port: number, encaps: number, options: Map<string, string>): void {
  const size = numberOption(options, 'size', 64);
  const count = numberOption(options, 'count', 2000);
  const warmup = numberOption(options, 'warmup', 200);
  const sock = connected(address, port, encaps, true);
  const deadline = now() + BigInt(Math.round(numberOption(options, 'seconds', 5) * 1e9));
  const message: OutgoingMessage[] = [{ data: new Uint8Array(size), info: { stream: 0, ppid: 2, flags: {}, context: 0 } }];
  const rtt: number[] = [];
  for (let i = 0; i < warmup + count; i++) {
    const t0 = now();
    if (t0 > deadline) break;
    sendAll(sock, message);
    let complete = false;
    while (!complete) {
      // Try first: a JS guest's call takes longer than the native round trip, so the answer is
      // usually there already. Only when it is not, block on the socket's reused pollable.
      const items = sock.receive(16n);
      if (items.length === 0) { wait(sock); continue; }
      for (const item of items) {
        if (item.tag === 'message' && item.val.complete) complete = true;
        else if (item.tag === 'end-of-stream') throw new Error('echo peer ended the association');
      }
    }
    if (i >= warmup) rtt.push(Number(now() - t0) / 1000);
  }
  rtt.sort((a, b) => a - b);
  const pct = (p: number) => (rtt.length ? rtt[Math.floor((rtt.length - 1) * p)] : 0);
  report({ event: 'rtt', count: rtt.length, minUs: pct(0), p50Us: pct(0.5), p90Us: pct(0.9), p99Us: pct(0.99), maxUs: pct(1) });
  closeGracefully(sock);
  close(sock);
}

/** Microseconds per call of `f`, measured over `count` calls. */
function perCall(count: number, f: () => unknown): number {
  const t0 = now();
  for (let i = 0; i < count; i++) f();
  return Number(now() - t0) / 1000 / count;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)];
}

function calls(options: Map<string, string>): void {
  const count = numberOption(options, 'count', 2000);
  const rounds = numberOption(options, 'rounds', 5);
  const sctp = socket('one-to-one');
  const tcp = createTcpSocket('ipv4');
  const results: Record<string, number[]> = { emptyLoop: [], socketType: [], isListening: [], keepAliveEnabled: [], monotonicNow: [] };
  // Rounds alternate the calls so that drift (GC, tiering, the other processes) hits every one alike.
  perCall(200, () => sctp.socketType()); // warm-up, not counted
  perCall(200, () => tcp.keepAliveEnabled());
  for (let r = 0; r < rounds; r++) {
    results.emptyLoop.push(perCall(count, () => 0));
    results.socketType.push(perCall(count, () => sctp.socketType()));
    results.keepAliveEnabled.push(perCall(count, () => tcp.keepAliveEnabled()));
    results.isListening.push(perCall(count, () => sctp.isListening()));
    results.monotonicNow.push(perCall(count, () => now()));
  }
  // What moving messages across the boundary costs, without the stack: `send` on an unconnected socket
  // lowers and lifts every message, then fails at once with invalid-state.
  const info = { stream: 0, ppid: 1, flags: {}, context: 0 };
  const crossings: Record<string, OutgoingMessage[]> = {
    sendEmpty: [{ data: new Uint8Array(0), info }],
    send1KiB: [{ data: new Uint8Array(1024), info }],
    send64KiB: [{ data: new Uint8Array(65536), info }],
    send128x1KiB: Array.from({ length: 128 }, () => ({ data: new Uint8Array(1024), info })),
  };
  const failing = (messages: OutgoingMessage[]) => () => {
    // invalid-state (not connected), or invalid-argument for the empty message: either way after lifting.
    try { sctp.send(messages); } catch (e) { if (!['invalid-state', 'invalid-argument'].includes(errorCode(e))) throw e; }
  };
  // A wait that does not wait, on a socket with nothing pending (ready at once): subscribe + block + drop,
  // and a block on the socket's reused pollable (what wait() does).
  results.readyWait = [];
  results.reusedWait = [];
  const fresh = () => {
    const p = sctp.subscribe();
    p.block();
    p[Symbol.dispose]();
  };
  for (let r = 0; r < rounds; r++) results.readyWait.push(perCall(Math.max(20, Math.floor(count / 10)), fresh));
  for (let r = 0; r < rounds; r++) results.reusedWait.push(perCall(Math.max(20, Math.floor(count / 10)), () => wait(sctp)));
  for (const name of Object.keys(crossings)) results[name] = [];
  for (const messages of Object.values(crossings)) perCall(20, failing(messages)); // warm-up, not counted
  for (let r = 0; r < rounds; r++) {
    for (const [name, messages] of Object.entries(crossings)) {
      const n = Math.max(5, Math.floor(count / (messages.length * (messages[0].data.length >= 65536 ? 64 : 1))));
      results[name].push(perCall(n, failing(messages)));
    }
  }
  const out: Record<string, unknown> = { event: 'calls', count, rounds };
  for (const [name, values] of Object.entries(results)) out[`${name}Us`] = median(values);
  report(out);
  close(sctp);
  tcp[Symbol.dispose]();
}

export const run = {
  run() {
    const { positional, options } = parseArgs();
    const [mode, address, port, encaps] = positional;
    try {
      if (mode === 'send' && encaps) send(address, Number(port), Number(encaps), options);
      else if (mode === 'pingpong' && encaps) pingpong(address, Number(port), Number(encaps), options);
      else if (mode === 'calls') calls(options);
      else {
        console.error('usage: bench-sctp send|pingpong <address> <port> <udp-encaps-port> [options] | calls [options]');
        exit({ tag: 'err', val: undefined });
      }
    } catch (e) {
      report({ event: 'error', message: e instanceof Error ? e.message : String(errorCodeOrString(e)) });
      exit({ tag: 'err', val: undefined });
    }
    exit({ tag: 'ok', val: undefined });
  },
};

function errorCodeOrString(e: unknown): string {
  try { return errorCode(e); } catch { return String(e); }
}
