// The Node-side endpoint of the multi-homing tests and benchmark: a one-to-one SCTP server (the TS
// API, no WebAssembly) on several local addresses, run in its own process inside a namespace of
// lab.ts with usrsctp in raw-IP mode (WASM_SCTP_UDP_PORT=raw).
//
//   node dist/test/support/netns/peer.js --addresses 10.81.1.2,10.81.2.2 --port 5001
//        [--size 1024] [--streams 4] [--echo] [--fast-failover] [--arrivals] [--interfaces p1,p2]
//
// It prints JSON lines: {"listening":...}, {"accepted":...}, one {"notification":...} per
// notification, and at the end of the association {"summary":...}; then it exits. Numbered
// messages (pattern.ts) are checked for content, order and duplicates (and echoed with --echo);
// with --arrivals the summary lists each one's arrival time (CLOCK_MONOTONIC ms, the clock of every
// process on the machine). Control messages (JSON) ask it to report or act:
//   {"cmd":"report"}                      -> its view of the association (addresses, primary, and the
//                                            byte counters of the --interfaces, to tell which path carried what)
//   {"cmd":"report","afterNumbered":N}    -> the same, once N numbered messages have arrived (a report asked
//                                            for after a bulk may overtake it: it travels on another stream)
//   {"cmd":"send","count":N,"size":S}     -> N numbered messages back (a bulk transfer)
// and every notification is also sent to the client as {"notification":...}, so that a guest can
// wait for what its peer saw.
import { readFileSync } from 'node:fs';
import { SctpSocket, type Incoming, type Notification } from '../../../src/index.js';
import type { SocketAddress } from '../../../src/index.js';
import {
  CONTROL_PPID, CONTROL_STREAM, SEQ_PPID, SequenceCheck, numbered, streamOf,
} from '../../../guest-examples/multihome/pattern.js';
import { applyFastFailover } from './fast-failover.js';

function option(name: string, fallback?: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const v = process.argv[i + 1];
  return v === undefined || v.startsWith('--') ? 'true' : v;
}

const addresses = (option('addresses') ?? '').split(',').filter(Boolean);
const port = Number(option('port', '5001'));
const size = Number(option('size', '1024'));
const streams = Number(option('streams', '4'));
const echo = option('echo') !== undefined;
const fastFailover = option('fast-failover') !== undefined;
const keepArrivals = option('arrivals') !== undefined;
const interfaces = (option('interfaces') ?? '').split(',').filter(Boolean);

const print = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);
const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const v4 = (address: string, p = port): SocketAddress => ({ family: 'ipv4', address, port: p });
const text = (a: SocketAddress) => `${a.address}:${a.port}`;

/** Bytes sent and received so far on each of this host's path interfaces (`ip netns exec` shows the namespace's /sys). */
function counters(): Record<string, { tx: number; rx: number }> {
  const read = (name: string, what: string) => Number(readFileSync(`/sys/class/net/${name}/statistics/${what}_bytes`, 'utf8'));
  return Object.fromEntries(interfaces.map((name) => [name, { tx: read(name, 'tx'), rx: read(name, 'rx') }]));
}

function view(conn: SctpSocket): Record<string, unknown> {
  const status = conn.getOption('status');
  return {
    counters: counters(),
    local: conn.localAddresses().map(text),
    remote: conn.remoteAddresses().map(text),
    primary: status.primary ? text(status.primary.address) : null,
    paths: conn.remoteAddresses().map((a) => {
      const info = conn.getOption('peer-addr-info', undefined, { address: a });
      return { address: text(a), state: info.state, rto: info.rto, srtt: info.srtt };
    }),
  };
}

function describe(n: Notification): Record<string, unknown> {
  const out: Record<string, unknown> = { type: n.type };
  if (n.type === 'peer-addr-change') {
    out.state = n.state;
    out.address = n.address ? text({ family: 'ipv4', address: n.address.address, port: n.address.port }) : null;
    out.error = n.error;
  } else if (n.type === 'assoc-change') {
    out.state = n.state;
    out.features = n.features;
  }
  return out;
}

async function main(): Promise<void> {
  const listener = SctpSocket.create('ipv4', 'one-to-one');
  listener.setOption('init-msg', { numOstreams: streams + 1, maxInstreams: streams + 1, maxAttempts: 4, maxInitTimeo: 1000 });
  for (const kind of ['peer-addr-change', 'assoc-change', 'shutdown'] as const) listener.setOption('event', true, 'future', { kind });
  if (fastFailover) {
    applyFastFailover(listener);
  }
  listener.addLocalAddresses(addresses.map((a) => v4(a)));
  listener.listen();
  print({ listening: listener.localAddresses().map(text) });

  const conn = await listener.acceptOne();
  listener.close();
  print({ accepted: view(conn) });

  const check = new SequenceCheck(size, streams);
  const arrivals: Array<[number, number]> = [];
  let highest = -1;
  let reportAfter: number | undefined;
  const control = (o: Record<string, unknown>) =>
    conn.sendAll([{ data: Buffer.from(JSON.stringify(o)), stream: CONTROL_STREAM, ppid: CONTROL_PPID }]);

  let ended = false;
  while (!ended) {
    let items: Incoming[];
    try {
      items = await conn.receiveSome(256);
    } catch (e) {
      print({ error: (e as { code?: string }).code ?? String(e) });
      break;
    }
    const echoes = [];
    for (const item of items) {
      if (item.kind === 'end-of-stream') { ended = true; continue; }
      if (item.kind === 'notification') {
        const n = describe(item.notification);
        print({ notification: n, t: nowMs() });
        if (item.notification.type === 'peer-addr-change') {
          try { await control({ notification: n, primary: view(conn).primary }); } catch { /* the association may be ending */ }
        }
        continue;
      }
      if (item.ppid === SEQ_PPID) {
        const seq = check.add(item.data, item.stream);
        if (seq > highest) highest = seq;
        if (keepArrivals && seq >= 0) arrivals.push([seq, Math.round(nowMs() * 1000) / 1000]);
        if (reportAfter !== undefined && check.received >= reportAfter) {
          reportAfter = undefined;
          await control({ report: view(conn) });
        }
        if (echo) echoes.push({ data: item.data, stream: item.stream, ppid: SEQ_PPID });
      } else if (item.ppid === CONTROL_PPID) {
        const command = JSON.parse(item.data.toString()) as { cmd: string; count?: number; size?: number; afterNumbered?: number };
        print({ command });
        if (command.cmd === 'report' && (command.afterNumbered ?? 0) > check.received) reportAfter = command.afterNumbered;
        else if (command.cmd === 'report') await control({ report: view(conn) });
        else if (command.cmd === 'send') {
          const n = command.count ?? 0;
          const bulk = Array.from({ length: n }, (_, seq) => ({ data: numbered(seq, command.size ?? size), stream: streamOf(seq, streams), ppid: SEQ_PPID }));
          print({ sending: n });
          await conn.sendAll(bulk);
          await control({ sent: n });
          print({ sent: n });
        }
      }
    }
    if (echoes.length > 0) await conn.sendAll(echoes);
  }
  print({ summary: { ...check.summary(highest + 1), highest, ...(keepArrivals ? { arrivals } : {}) } });
  conn.close();
}

main().then(() => process.exit(0), (e) => {
  print({ error: e instanceof Error ? `${(e as { code?: string }).code ?? ''} ${e.stack}` : String(e) });
  process.exit(1);
});
