// peer.js clients: N one-to-one sockets in one process, each with its association to a server,
// each sending M messages ("client i message k", padded to --size bytes, on stream i % 4) and
// checking that the answers come back whole and in order: the far side of the load test and of the
// load benchmark (bench/load.ts). Unlike the other modes it holds many associations at once.
//   node --expose-gc peer.js clients --port P --udp-encaps U --count N --messages M [--size 1000]
// stdout: {"event":"started","rss"}, {"event":"connected","ms","rss"},
// {"event":"done","ms","rss","answers","wrong"} (answers: all received; wrong: not the message sent).
// Closes everything and exits when stdin closes.
import { SctpSocket, initStack } from '../../../src/index.js';
import { emit, type Args } from './args.js';

const gc = (globalThis as { gc?: () => void }).gc;
const rss = () => { gc?.(); return process.memoryUsage().rss; };

/** `peer.js clients`. */
export async function run(args: Args): Promise<void> {
  const [port, encaps, n, m, size] = [args.number('port'), args.number('udp-encaps'), args.number('count'), args.number('messages'), args.number('size', 1000)];
  initStack({ udpPort: 'auto' });
  emit({ event: 'started', rss: rss() });
  const started = Date.now();
  const clients: SctpSocket[] = [];
  for (let start = 0; start < n; start += 100) {
    // Waves of 100: a thousand INITs at once overflow the 128 KiB UDP socket buffers and wait for RTOs.
    const wave = Array.from({ length: Math.min(100, n - start) }, () => {
      const c = SctpSocket.create('ipv4', 'one-to-one');
      c.setOption('remote-udp-encaps-port', encaps);
      c.setOption('rto-info', { initial: 300, max: 2000, min: 100 });
      c.bind({ family: 'ipv4', address: '127.0.0.1', port: 0 });
      return c;
    });
    await Promise.all(wave.map((c) => c.connect({ family: 'ipv4', address: '127.0.0.1', port })));
    clients.push(...wave);
  }
  emit({ event: 'connected', ms: Date.now() - started, rss: rss() });
  const message = (i: number, k: number) => {
    const text = Buffer.from(`client ${i} message ${k} `);
    return Buffer.concat([text, Buffer.alloc(Math.max(0, size - text.length), 0x2e)]);
  };
  let wrong = 0;
  const answers = await Promise.all(clients.map(async (c, i) => {
    await c.sendAll(Array.from({ length: m }, (_, k) => ({ data: message(i, k), stream: i % 4 })));
    let got = 0;
    while (got < m) {
      for (const item of await c.receiveSome()) {
        if (item.kind !== 'message') continue;
        if (!item.data.equals(message(i, got))) wrong++;
        got++;
      }
    }
    return got;
  }));
  emit({ event: 'done', ms: Date.now() - started, rss: rss(), answers: answers.reduce((a, b) => a + b, 0), wrong });
  await new Promise((resolve) => { process.stdin.on('end', resolve).resume(); });
  for (const c of clients) c.close();
}
