// A Node-side sender for the failover benchmark: what the multihome guest's `stream` scenario does
// (paced numbered messages on ordered streams over a multi-homed association, peer-addr-change
// notifications printed with their time), through the TS API without WebAssembly, so that the
// benchmark can tell the stack's failover time from what a guest adds to it. Prints the same JSON
// lines as the guest ({"case":"sending"|"notification"|"sent"|"done",...}).
//
//   node dist/test/support/netns/sender.js --local A1,A2 --remote B1,B2 --port P --count N --rate R [--fast-failover]
import { SctpSocket } from '../../../src/index.js';
import type { SocketAddress } from '../../../src/index.js';
import { SEQ_PPID, numbered, streamOf } from '../../../guest-examples/multihome/pattern.js';
import { applyFastFailover } from './fast-failover.js';

function option(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = process.argv[i + 1];
  return v === undefined || v.startsWith('--') ? 'true' : v;
}

const list = (name: string) => (option(name) ?? '').split(',').filter(Boolean);
const port = Number(option('port', '5001'));
const count = Number(option('count', '1000'));
const rate = Number(option('rate', '1000'));
const streams = 4;
const print = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const v4 = (address: string, p: number): SocketAddress => ({ family: 'ipv4', address, port: p });
const text = (a: { address: string; port: number }) => `${a.address}:${a.port}`;

async function main(): Promise<void> {
  const sock = SctpSocket.create('ipv4', 'one-to-one');
  sock.setOption('init-msg', { numOstreams: streams + 1, maxInstreams: streams + 1, maxAttempts: 4, maxInitTimeo: 1000 });
  for (const kind of ['peer-addr-change', 'assoc-change', 'shutdown'] as const) sock.setOption('event', true, 'future', { kind });
  if (option('fast-failover') !== undefined) {
    applyFastFailover(sock);
  }
  sock.addLocalAddresses(list('local').map((a) => v4(a, 0)));
  sock.startConnectx(list('remote').map((a) => v4(a, port)));
  for (;;) {
    try { sock.finishConnect(); break; } catch (e) {
      if ((e as { code?: string }).code !== 'would-block') throw e;
      await sock.wait();
    }
  }
  let ended = false;
  const reader = (async () => {
    while (!ended) {
      let items;
      try { items = await sock.receiveSome(256); } catch { return; }
      for (const item of items) {
        if (item.kind === 'end-of-stream') { ended = true; return; }
        if (item.kind !== 'notification') continue;
        const n = item.notification;
        if (n.type === 'peer-addr-change') print({ case: 'notification', type: n.type, state: n.state, address: n.address ? text(n.address) : null, t: nowMs() });
      }
    }
  })();
  const started = nowMs();
  print({ case: 'sending', t: started, primary: text(sock.getOption('primary-addr')) });
  let seq = 0;
  while (seq < count) {
    const due = Math.min(count, Math.floor((nowMs() - started) * rate / 1000) + 1);
    const batch = [];
    for (let s = seq; s < due; s++) batch.push({ data: numbered(s, 1024), stream: streamOf(s, streams), ppid: SEQ_PPID });
    if (batch.length > 0) seq += await sock.sendAll(batch);
    if (seq < count) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  print({ case: 'sent', count: seq, elapsedMs: Math.round(nowMs() - started) });
  sock.shutdown();
  await Promise.race([reader, new Promise((resolve) => setTimeout(resolve, 10_000))]);
  print({ case: 'done', end: ended ? 'end-of-stream' : 'timeout' });
  sock.close();
}

main().then(() => process.exit(0), (e) => {
  console.error(e);
  process.exit(1);
});
