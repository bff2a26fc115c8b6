// The sender of lane (b): the Node TS API (src/) in its own process, as a Node program would use it:
// batches of messages through `send`, awaiting readiness (`wait`) only on would-block (what `sendAll`
// does, with counters).
//   node dist/bench/peers/api-sender.js <address> <port> <udp-encaps-port> [--size 1024] [--seconds 3] [--batch N]
// Prints {"event":"connected","localPort":N}, {"event":"sent",...} and {"event":"closed"} as JSON lines.
import { SctpSocket, initStack, isErrorCode, type OutgoingMessage } from '../../src/index.js';

function emit(event: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function option(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
}

const [address, port, encaps] = process.argv.slice(2, 5);
const size = option('size', 1024);
const seconds = option('seconds', 3);
const batch = option('batch', size <= 4096 ? 128 : 4);

initStack({ udpPort: 'auto' });
const sock = SctpSocket.create('ipv4', 'one-to-one');
sock.setOption('remote-udp-encaps-port', Number(encaps), 'future');
sock.bind({ family: 'ipv4', address: '127.0.0.1', port: 0 });
await sock.connect({ family: 'ipv4', address, port: Number(port) });
emit({ event: 'connected', localPort: sock.localAddress().port });

const data = new Uint8Array(size);
const messages: OutgoingMessage[] = Array.from({ length: batch }, () => ({ data, stream: 0, ppid: 1 }));
let sent = 0;
let sendCalls = 0;
let wouldBlock = 0;
const started = process.hrtime.bigint();
const deadline = started + BigInt(Math.round(seconds * 1e9));
while (process.hrtime.bigint() < deadline) {
  // sock.sendAll(messages), counting calls and would-blocks.
  let taken = 0;
  while (taken < messages.length) {
    try {
      sendCalls++;
      taken += sock.send(taken === 0 ? messages : messages.slice(taken));
    } catch (e) {
      if (!isErrorCode(e, 'would-block')) throw e;
      wouldBlock++;
      await sock.wait();
    }
  }
  sent += taken;
}
const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
emit({ event: 'sent', messages: sent, bytes: sent * size, seconds: elapsed, sendCalls, wouldBlock });

// Stay until the association has ended: what is still queued in this process's stack would be lost at exit.
sock.shutdown();
const timeout = setTimeout(() => { emit({ event: 'closed', error: 'timeout' }); process.exit(1); }, 10_000);
for (;;) {
  const items = await sock.receiveSome(64);
  if (items.some((i) => i.kind === 'end-of-stream')) break;
}
clearTimeout(timeout);
emit({ event: 'closed' });
sock.close();
process.exit(0);
