// Benchmark guest for `npm run bench` (lanes d): what a component can do today over wasi:sockets/tcp
// (preview2-shim), sending to a Node `net` sink.
//   bench-tcp send <address> <port> [--size 1024] [--seconds 3] [--coalesce]
//       writes --size byte messages for --seconds: check-write, then write (a message larger than the
//       permit goes in several writes), subscribe + block only when check-write grants nothing.
//       --coalesce treats the messages as one byte stream: each write takes as much as check-write
//       permits (preview2-shim: up to 16 KiB), at most 64 messages (TCP has no message boundaries;
//       an application can batch like this, with its own framing).
// Every result is one JSON line on stdout.
import { createTcpSocket } from 'wasi:sockets/tcp-create-socket@0.2.12';
import type { TcpSocket } from 'wasi:sockets/tcp@0.2.12';
import type { InputStream, OutputStream } from 'wasi:io/streams@0.2.12';
import { now } from 'wasi:clocks/monotonic-clock@0.2.12';
import { exit } from 'wasi:cli/exit@0.2.12';
import { parseArgs, numberOption } from '../../guest-examples/lib/args.js';
import { errorCode, getNetwork, ipv4 } from 'wasm-sctp/guest';

function report(observation: Record<string, unknown>): void {
  console.log(JSON.stringify(observation));
}

function connectTcp(address: string, port: number): { sock: TcpSocket; input: InputStream; output: OutputStream } {
  const sock = createTcpSocket('ipv4');
  sock.startConnect(getNetwork(), ipv4(address, port));
  for (;;) {
    try {
      const [input, output] = sock.finishConnect();
      report({ event: 'connected', localPort: sock.localAddress().val.port });
      return { sock, input, output };
    } catch (e) {
      if (errorCode(e) !== 'would-block') throw e;
      const p = sock.subscribe();
      p.block();
      p[Symbol.dispose]();
    }
  }
}

/** The stream's write permit, blocking until it is not zero. */
function permit(output: OutputStream): number {
  for (;;) {
    const n = Number(output.checkWrite());
    if (n > 0) return n;
    const p = output.subscribe();
    p.block();
    p[Symbol.dispose]();
  }
}

function send(address: string, port: number, options: Map<string, string>): void {
  const size = numberOption(options, 'size', 1024);
  const duration = BigInt(Math.round(numberOption(options, 'seconds', 3) * 1e9));
  const coalesce = options.has('coalesce');
  const { sock, input, output } = connectTcp(address, port);
  const data = new Uint8Array(size);
  // Coalesced writes take their bytes out of one 64-message buffer.
  const block = coalesce ? new Uint8Array(size * 64) : data;
  let sent = 0; // messages
  let bytes = 0;
  const started = now();
  const deadline = started + duration;
  while (now() < deadline) {
    if (coalesce) {
      // A byte stream: as much as the permit allows, up to 64 messages, one write.
      const n = Math.min(permit(output), block.length);
      output.write(block.subarray(0, n));
      bytes += n;
      sent = Math.floor(bytes / size);
      continue;
    }
    // One message per write, the clock read every 16 messages (each import costs ~100 us).
    for (let i = 0; i < 16; i++) {
      let offset = 0;
      while (offset < size) {
        const n = Math.min(permit(output), size - offset);
        output.write(offset === 0 && n === size ? data : data.subarray(offset, offset + n));
        offset += n;
      }
      sent++;
      bytes += size;
    }
  }
  if (coalesce && bytes % size !== 0) {
    // Finish the last message.
    let offset = bytes % size;
    while (offset < size) {
      const n = Math.min(permit(output), size - offset);
      output.write(data.subarray(offset, offset + n));
      offset += n;
    }
    bytes = (sent + 1) * size;
    sent++;
  }
  output.blockingFlush();
  const elapsed = now() - started;
  report({ event: 'sent', messages: sent, bytes, seconds: Number(elapsed) / 1e9 });
  sock.shutdown('send');
  output[Symbol.dispose]();
  input[Symbol.dispose]();
  sock[Symbol.dispose]();
  report({ event: 'closed' });
}

export const run = {
  run() {
    const { positional, options } = parseArgs();
    const [mode, address, port] = positional;
    try {
      if (mode === 'send' && port) send(address, Number(port), options);
      else {
        console.error('usage: bench-tcp send <address> <port> [--size N] [--seconds T] [--coalesce]');
        exit({ tag: 'err', val: undefined });
      }
    } catch (e) {
      let message: string;
      try { message = errorCode(e); } catch { message = e instanceof Error ? e.message : String(e); }
      report({ event: 'error', message });
      exit({ tag: 'err', val: undefined });
    }
    exit({ tag: 'ok', val: undefined });
  },
};
