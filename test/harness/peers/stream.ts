// peer.js stream: what the multihome guest's `stream` scenario does (paced numbered messages on
// ordered streams over a multi-homed association, peer-addr-change notifications printed with
// their time), through the TS API without WebAssembly, so that the failover benchmark can tell the
// stack's failover time from what a guest adds to it. It prints the guest's JSON lines
// ({"case":"sending"|"notification"|"sent"|"done",...}), not the `event` lines of the benchmark's
// senders (send.ts): runFailover (netns/endpoints.ts) reads either sender the same way.
//
//   peer.js stream --local A1,A2 --remote B1,B2 --port P --count N --rate R [--fast-failover]
import { SctpSocket, type SocketAddress } from '../../../src/index.js';
import { SEQ_PPID, numbered, streamOf } from '../../guests/multihome/pattern.js';
import { applyFastFailover } from '../netns/fast-failover.js';
import { emit, type Args } from './args.js';
import { finish } from './send.js';

const STREAMS = 4;
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const text = (a: { address: string; port: number }) => `${a.address}:${a.port}`;

/** `peer.js stream`. */
export async function run(args: Args): Promise<void> {
  const port = args.number('port', 5001);
  const count = args.number('count', 1000);
  const rate = args.number('rate', 1000);
  const v4 = (address: string, p: number): SocketAddress => ({ family: 'ipv4', address, port: p });
  const sock = SctpSocket.create('ipv4', 'one-to-one');
  sock.setOption('init-msg', { numOstreams: STREAMS + 1, maxInstreams: STREAMS + 1, maxAttempts: 4, maxInitTimeo: 1000 });
  for (const kind of ['peer-addr-change', 'assoc-change', 'shutdown'] as const) sock.setOption('event', true, 'future', { kind });
  if (args.has('fast-failover')) applyFastFailover(sock);
  sock.addLocalAddresses(args.list('local').map((a) => v4(a, 0)));
  sock.startConnectx(args.list('remote').map((a) => v4(a, port)));
  for (;;) {
    try { sock.finishConnect(); break; } catch (e) {
      if ((e as { code?: string }).code !== 'would-block') throw e;
      await sock.wait();
    }
  }
  const started = nowMs();
  emit({ case: 'sending', t: started, primary: text(sock.getOption('primary-addr')) });
  const ending = finish(sock, (n) => {
    if (n.type === 'peer-addr-change') emit({ case: 'notification', type: n.type, state: n.state, address: n.address ? text(n.address) : null, t: nowMs() });
  });
  let seq = 0;
  while (seq < count) {
    const due = Math.min(count, Math.floor((nowMs() - started) * rate / 1000) + 1);
    const batch = [];
    for (let s = seq; s < due; s++) batch.push({ data: numbered(s, 1024), stream: streamOf(s, STREAMS), ppid: SEQ_PPID });
    if (batch.length > 0) seq += await sock.sendAll(batch);
    if (seq < count) await new Promise((resolve) => setTimeout(resolve, 1));
  }
  emit({ case: 'sent', count: seq, elapsedMs: Math.round(nowMs() - started) });
  emit({ case: 'done', end: await ending.shutdown() });
}
