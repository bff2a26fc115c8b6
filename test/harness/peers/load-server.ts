// The server of the load benchmark (bench/load.ts): one one-to-many socket that answers every
// message on its association, and reports its process's memory as associations come and go.
//   node --expose-gc dist/bench/peers/load-server.js
// stdout: {"event":"listening","port","udpPort","rss"}; on each stdin line `measure`:
// {"event":"measure","associations","received","rss","heapUsed"}. Exits when stdin closes.
import { createInterface } from 'node:readline';
import { SctpSocket, initStack } from '../../src/index.js';

const emit = (e: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(e)}\n`);
const gc = (globalThis as { gc?: () => void }).gc;
const memory = () => {
  gc?.();
  const m = process.memoryUsage();
  return { rss: m.rss, heapUsed: m.heapUsed };
};

const { udpPort } = initStack({ udpPort: 'auto' });
const server = SctpSocket.create('ipv4', 'one-to-many');
server.bind({ family: 'ipv4', address: '127.0.0.1', port: 0 });
server.listen();
emit({ event: 'listening', port: server.localAddress().port, udpPort, ...memory() });

let received = 0;
(async () => {
  for (;;) {
    const answers = [];
    for (const item of await server.receiveSome(512)) {
      if (item.kind !== 'message') continue;
      received++;
      answers.push({ data: item.data, association: item.association, stream: item.stream });
    }
    if (answers.length) await server.sendAll(answers);
  }
})().catch((e) => { emit({ event: 'error', error: String(e) }); process.exit(1); });

createInterface({ input: process.stdin })
  .on('line', () => emit({ event: 'measure', associations: server.getOption('assoc-number'), received, ...memory() }))
  .on('close', () => process.exit(0));
