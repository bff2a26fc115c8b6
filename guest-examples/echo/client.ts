// Echo client: sends N messages round-robin over several streams, each stream with its own PPID,
// every third message unordered, then checks that every echo came back intact and that each
// stream's ordered messages kept their order.
//   echo-client <address> <port> <udp-encaps-port> [--messages 30] [--streams 4] [--batch 16] [--quiet]
import type { OutgoingMessage } from 'sctp:sockets/sctp@0.1.0';
import { exit } from 'wasi:cli/exit@0.2.12';
import { parseArgs, numberOption } from '../lib/args.js';
import { bind, bytes, close, codeOf, connect, formatAddress, ipv4, receiveSome, sendAll, socket, runMain, text } from 'wasm-sctp/guest';

const PPID_BASE = 1000;

function main(): void {
  const { positional, options } = parseArgs();
  if (positional.length < 3) {
    console.error('usage: echo-client <address> <port> <udp-encaps-port> [--messages N] [--streams S] [--batch B] [--quiet]');
    exit({ tag: 'err', val: undefined });
  }
  const [address, port, encaps] = [positional[0], Number(positional[1]), Number(positional[2])];
  const total = numberOption(options, 'messages', 30);
  const streams = numberOption(options, 'streams', 4);
  const batch = numberOption(options, 'batch', 16);
  const quiet = options.has('quiet');

  const sock = socket('one-to-one');
  sock.setInitMsg({ numOstreams: streams, maxInstreams: streams, maxAttempts: 4, maxInitTimeo: 1000 });
  sock.setRemoteUdpEncapsPort({ tag: 'future' }, encaps);
  bind(sock, ipv4('127.0.0.1', 0));
  const association = connect(sock, ipv4(address, port));
  console.log(`connected association ${association} from ${formatAddress(sock.localAddress())} to ${address}:${port} over UDP port ${encaps}`);

  const sent: OutgoingMessage[] = [];
  for (let i = 0; i < total; i++) {
    const stream = i % streams;
    sent.push({
      data: bytes(`message ${i} on stream ${stream}`),
      info: { stream, ppid: PPID_BASE + stream, flags: { unordered: i % 3 === 2 }, context: i },
    });
  }

  const expected = new Map(sent.map((m) => [text(m.data), m]));
  const lastOrdered = new Map<number, number>();
  let received = 0;
  let failures = 0;
  let next = 0;
  let peerEnded = false;
  while (received < total) {
    if (next < total) {
      const slice = sent.slice(next, next + batch);
      sendAll(sock, slice);
      next += slice.length;
    }
    for (const item of receiveSome(sock)) {
      if (item.tag !== 'message') {
        // The server may end the association right after its last echo: only an early end is a failure.
        if (item.tag === 'end-of-stream' && received === total) { peerEnded = true; continue; }
        console.error(`unexpected ${item.tag} after ${received}/${total} echoes`);
        exit({ tag: 'err', val: undefined });
        continue;
      }
      const m = item.val;
      const body = text(m.data);
      const original = expected.get(body);
      received++;
      if (!original || original.info.stream !== m.stream || original.info.ppid !== m.ppid || !!original.info.flags?.unordered !== m.unordered) {
        console.error(`MISMATCH: got "${body}" stream ${m.stream} ppid ${m.ppid} unordered ${m.unordered}`);
        failures++;
        continue;
      }
      expected.delete(body);
      const index = Number(body.split(' ')[1]);
      if (!m.unordered) {
        if ((lastOrdered.get(m.stream) ?? -1) > index) { console.error(`OUT OF ORDER on stream ${m.stream}: ${index}`); failures++; }
        lastOrdered.set(m.stream, index);
      }
      if (!quiet) console.log(`echo stream ${m.stream} ppid ${m.ppid}${m.unordered ? ' unordered' : ''}: ${body}`);
    }
  }
  // The server may have ended the association already (its end-of-stream not read yet): then
  // there is nothing left to shut down.
  if (!peerEnded) {
    const code = codeOf(() => sock.shutdown());
    if (code !== 'ok' && code !== 'invalid-state') throw new Error(`shutdown: ${code}`);
  }
  console.log(`${total - expected.size}/${total} echoes verified, ${failures} failures`);
  close(sock);
  exit({ tag: failures === 0 && expected.size === 0 ? 'ok' : 'err', val: undefined });
}

export const run = { run: () => runMain(main) };
