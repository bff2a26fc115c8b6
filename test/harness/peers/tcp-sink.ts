// peer.js tcp-sink: the receiver of the benchmark's TCP lanes, a plain Node `net` server on
// 127.0.0.1 (no SCTP) that counts each connection's bytes and prints one JSON line per connection
// when it ends, in the native sink's format (the benchmark turns bytes into messages: TCP has no
// message boundaries). Exits when stdin closes.
// stdout: {"event":"listening","port"}, {"event":"sink",...} per connection.
import { createServer } from 'node:net';
import { emit } from './args.js';

const WARMUP_NS = 500_000_000n;

/** `peer.js tcp-sink`. */
export async function run(): Promise<void> {
  const server = createServer((socket) => {
    const peerPort = socket.remotePort;
    let bytes = 0;
    let first = 0n;
    let last = 0n;
    let warmAt = 0n;
    let warmBytes = 0;
    let reported = false;
    const report = (error: string | undefined) => {
      if (reported) return;
      reported = true;
      emit({
        event: 'sink', peerPort, messages: 0, bytes, firstNs: Number(first), lastNs: Number(last),
        warmAtNs: Number(warmAt), warmMessages: 0, warmBytes, error: error ?? 0,
      });
    };
    socket.on('data', (chunk) => {
      const t = process.hrtime.bigint();
      if (first === 0n) first = t;
      bytes += chunk.length;
      last = t;
      if (warmAt === 0n && t - first >= WARMUP_NS) {
        warmAt = t;
        warmBytes = bytes;
      }
    });
    socket.on('end', () => { report(undefined); socket.end(); });
    socket.on('error', (e) => report(e.message));
    socket.on('close', () => report('closed without end'));
  });

  server.listen(0, '127.0.0.1', () => {
    const address = server.address();
    emit({ event: 'listening', port: typeof address === 'object' && address ? address.port : 0 });
  });

  await new Promise((resolve) => {
    process.stdin.on('data', () => {});
    process.stdin.on('end', resolve);
    process.stdin.on('error', resolve);
  });
}
