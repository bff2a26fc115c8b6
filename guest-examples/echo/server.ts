// Echo server: every message goes back on the association, stream, PPID and ordering it came with.
//   echo-server [--address 127.0.0.1] [--port 0] [--style one-to-one|one-to-many] [--connections 1] [--messages N]
// One-to-one: serves --connections associations one after the other, then exits.
// One-to-many: serves every association on one socket until --messages messages were echoed.
import type { Incoming, OutgoingMessage, SctpSocket } from 'sctp:sockets/sctp@0.1.0';
import { udpEncapsulationPort } from 'sctp:sockets/sctp@0.1.0';
import { exit } from 'wasi:cli/exit@0.2.12';
import { parseArgs, numberOption } from '../lib/args.js';
import { bind, blocking, close, formatAddress, ipv4, listen, receiveSome, sendAll, runMain, socket } from 'wasm-sctp/guest';

function echoes(items: Incoming[], quiet: boolean): { replies: OutgoingMessage[]; ended: boolean } {
  const replies: OutgoingMessage[] = [];
  let ended = false;
  for (const item of items) {
    if (item.tag === 'end-of-stream') { ended = true; continue; }
    if (item.tag !== 'message') continue;
    const m = item.val;
    if (!quiet) console.log(`echo assoc ${m.association} stream ${m.stream} ppid ${m.ppid}${m.unordered ? ' unordered' : ''}: ${m.data.length} bytes`);
    replies.push({
      data: m.data,
      info: { association: m.association, stream: m.stream, ppid: m.ppid, flags: { unordered: m.unordered }, context: 0 },
    });
  }
  return { replies, ended };
}

function serveOneToOne(listener: SctpSocket, connections: number, quiet: boolean): void {
  for (let served = 0; served < connections; served++) {
    const conn = blocking(listener, () => listener.accept());
    console.log(`accepted ${formatAddress(conn.remoteAddress())}`);
    let count = 0;
    for (;;) {
      const { replies, ended } = echoes(receiveSome(conn), quiet);
      sendAll(conn, replies);
      count += replies.length;
      if (ended) break;
    }
    console.log(`association ended after ${count} messages`);
    close(conn); // with the pollable its waits reused
  }
}

function serveOneToMany(sock: SctpSocket, messages: number, quiet: boolean): void {
  let count = 0;
  while (count < messages) {
    const { replies } = echoes(receiveSome(sock), quiet);
    sendAll(sock, replies);
    count += replies.length;
  }
  console.log(`echoed ${count} messages`);
}

function main(): void {
  const { options } = parseArgs();
  const style = options.get('style') ?? 'one-to-one';
  const quiet = options.has('quiet');
  const sock = socket(style === 'one-to-many' ? 'one-to-many' : 'one-to-one');
  bind(sock, ipv4(options.get('address') ?? '127.0.0.1', numberOption(options, 'port', 0)));
  listen(sock);
  // The test harness and the demo read this line to find the server.
  console.log(`listening ${formatAddress(sock.localAddress())} udp-encaps ${udpEncapsulationPort() ?? 'none'} ${style}`);
  if (style === 'one-to-many') serveOneToMany(sock, numberOption(options, 'messages', Infinity), quiet);
  else serveOneToOne(sock, numberOption(options, 'connections', 1), quiet);
  close(sock);
  exit({ tag: 'ok', val: undefined });
}

export const run = { run: () => runMain(main) };
