// peer.js server: a one-to-one SCTP server on the TS API that takes one association on one or
// more local addresses and reports what it sees: the far host of the two-host tests and of the
// failover benchmark, run inside a namespace of netns/lab.ts with usrsctp on raw IP
// (WASM_SCTP_UDP_PORT=raw).
//
//   peer.js server --addresses 10.81.1.2,10.81.2.2 --port 5001 [--extensions] [--streams 4] [--size 1024]
//                  [--echo] [--fast-failover] [--arrivals] [--interfaces p1,p2]
//
// --extensions: AUTH (DATA must be authenticated; keys 0 and 2), stream reconfiguration, I-DATA and
// every notification on; otherwise the INIT offers --streams + 1 streams and the path
// notifications are on (--fast-failover: the FAST_FAILOVER settings of test/guests/multihome).
// It prints JSON lines: {"listening":...}, {"accepted":...}, {"notification":...,"t":...} per
// notification, {"message":...,"stream":...,"length":...} per message that is neither numbered nor
// control, {"end":true} at the end of the association, then {"summary":...}; then it exits.
// Numbered messages (test/guests/multihome/pattern.ts) are checked for content, order and
// duplicates (and echoed with --echo); with --arrivals the summary lists each one's arrival time
// (CLOCK_MONOTONIC ms, the clock of every process on the machine). Control messages (JSON) ask it
// to report or act:
//   {"cmd":"report"}                      -> its view of the association (addresses, primary, and the
//                                            byte counters of the --interfaces, to tell which path carried what)
//   {"cmd":"report","afterNumbered":N}    -> the same, once N numbered messages have arrived (a report asked
//                                            for after a bulk may overtake it: it travels on another stream)
//   {"cmd":"send","count":N,"size":S}     -> N numbered messages back (a bulk transfer)
// and every path notification is also sent to the client as {"notification":...}, so that a guest
// can wait for what its peer saw.
import { readFileSync } from 'node:fs';
import { SctpSocket, type EventKind, type Incoming, type Notification, type SocketAddress } from '../../../src/index.js';
import {
  CONTROL_PPID, CONTROL_STREAM, SEQ_PPID, SequenceCheck, numbered, streamOf,
} from '../../guests/multihome/pattern.js';
import { applyFastFailover } from '../netns/fast-failover.js';
import { emit, type Args } from './args.js';

const EXTENSION_EVENTS: EventKind[] = ['assoc-change', 'peer-addr-change', 'remote-error', 'send-failed', 'shutdown',
  'adaptation-indication', 'partial-delivery', 'authentication', 'sender-dry', 'stream-reset', 'assoc-reset', 'stream-change'];
const PATH_EVENTS: EventKind[] = ['peer-addr-change', 'assoc-change', 'shutdown'];

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const text = (a: SocketAddress) => `${a.address}:${a.port}`;
/** Bytes sent and received so far on each of this host's path interfaces (`ip netns exec` shows the namespace's /sys). */
function counters(interfaces: string[]): Record<string, { tx: number; rx: number }> {
  const read = (name: string, what: string) => Number(readFileSync(`/sys/class/net/${name}/statistics/${what}_bytes`, 'utf8'));
  return Object.fromEntries(interfaces.map((name) => [name, { tx: read(name, 'tx'), rx: read(name, 'rx') }]));
}

function view(conn: SctpSocket, interfaces: string[]): Record<string, unknown> {
  const status = conn.getOption('status');
  return {
    counters: counters(interfaces),
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

/** `peer.js server`. */
export async function run(args: Args): Promise<void> {
  const streams = args.number('streams', 4);
  const size = args.number('size', 1024);
  const keepArrivals = args.has('arrivals');
  const interfaces = args.list('interfaces');
  const listener = SctpSocket.create('ipv4', 'one-to-one');
  if (args.has('extensions')) {
    listener.setOption('auth-chunk', 0);
    listener.setOption('auth-key', { keyNumber: 2, key: Buffer.alloc(8, 2) });
    listener.setOption('enable-stream-reset', { resetStreams: true, resetAssociation: true, addStreams: true });
    listener.setOption('fragment-interleave', 'streams');
    listener.setOption('interleaving-supported', true);
  } else {
    listener.setOption('init-msg', { numOstreams: streams + 1, maxInstreams: streams + 1, maxAttempts: 4, maxInitTimeo: 1000 });
  }
  for (const kind of args.has('extensions') ? EXTENSION_EVENTS : PATH_EVENTS) listener.setOption('event', true, 'future', { kind });
  if (args.has('fast-failover')) applyFastFailover(listener);
  const port = args.number('port');
  listener.addLocalAddresses(args.list('addresses').map((address) => ({ family: 'ipv4', address, port })));
  listener.listen();
  emit({ listening: listener.localAddresses().map(text) });

  const conn = await listener.acceptOne();
  listener.close();
  emit({ accepted: view(conn, interfaces) });

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
      emit({ error: (e as { code?: string }).code ?? String(e) });
      break;
    }
    const echoes = [];
    for (const item of items) {
      if (item.kind === 'end-of-stream') {
        ended = true;
        emit({ end: true });
        continue;
      }
      if (item.kind === 'notification') {
        emit({ notification: item.notification, t: nowMs() });
        if (item.notification.type === 'peer-addr-change') {
          try { await control({ notification: describe(item.notification), primary: view(conn, interfaces).primary }); } catch { /* the association may be ending */ }
        }
        continue;
      }
      if (item.ppid === SEQ_PPID) {
        const seq = check.add(item.data, item.stream);
        if (seq > highest) highest = seq;
        if (keepArrivals && seq >= 0) arrivals.push([seq, Math.round(nowMs() * 1000) / 1000]);
        if (reportAfter !== undefined && check.received >= reportAfter) {
          reportAfter = undefined;
          await control({ report: view(conn, interfaces) });
        }
        if (args.has('echo')) echoes.push({ data: item.data, stream: item.stream, ppid: SEQ_PPID });
      } else if (item.ppid === CONTROL_PPID) {
        const command = JSON.parse(item.data.toString()) as { cmd: string; count?: number; size?: number; afterNumbered?: number };
        emit({ command });
        if (command.cmd === 'report' && (command.afterNumbered ?? 0) > check.received) reportAfter = command.afterNumbered;
        else if (command.cmd === 'report') await control({ report: view(conn, interfaces) });
        else if (command.cmd === 'send') {
          const n = command.count ?? 0;
          const bulk = Array.from({ length: n }, (_, seq) => ({ data: numbered(seq, command.size ?? size), stream: streamOf(seq, streams), ppid: SEQ_PPID }));
          emit({ sending: n });
          await conn.sendAll(bulk);
          await control({ sent: n });
          emit({ sent: n });
        }
      } else {
        emit({ message: item.data.length <= 64 ? item.data.toString() : `<${item.data.length} bytes>`, stream: item.stream, length: item.data.length });
      }
    }
    if (echoes.length > 0) await conn.sendAll(echoes);
  }
  emit({ summary: { ...check.summary(highest + 1), highest, ...(keepArrivals ? { arrivals } : {}) } });
  conn.close();
}
