// The data-model scenarios about associations and ordering: three associations on one one-to-many
// socket (peeloff, abort, eof, autoclose), and unordered messages overtaking ordered ones held back
// by loss.
import type { OutgoingMessage, SendInfo } from 'sctp:sockets/sctp@0.1.0';
import { bytes, codeOf, connect, formatAddress, sendAll } from 'wasm-sctp/guest';
import { FUTURE, ALL, encaps, sleep, tune, server, client, drain, hasState, messages, ended, send } from './common.js';
import { report } from './report.js';

export function associations(): void {
  const srv = server('one-to-many', (s) => s.setEvent(FUTURE, 'assoc-change', true));
  const clients = [0, 1, 2].map(() => client('one-to-one'));
  for (const c of clients) connect(c, srv.localAddress());
  clients.forEach((c, i) => send(c, `hello from ${i}`));
  const greetings = drain(srv, messages(3)).filter((s) => s.message !== undefined);
  const assoc = new Map(greetings.map((g) => [Number(String(g.message).split(' ')[2]), g.association as number]));
  report({ case: 'three-up', associations: [...assoc.values()], number: srv.assocNumber(), ids: Array.from(srv.assocIdList()) });

  // SCTP_SENDALL: one send reaches every association; SCTP_SACK_IMMEDIATELY is accepted with data.
  sendAll(srv, [{ data: bytes('to everyone'), info: { flags: { sendall: true } } }]);
  sendAll(clients[0], [{ data: bytes('acknowledge at once'), info: { flags: { sackImmediately: true } } }]);
  report({
    case: 'sendall', got: clients.map((c) => drain(c, messages(1)).map((m) => m.message)),
    sackImmediately: drain(srv, messages(1)).map((m) => m.message),
  });

  // Client 0's association moves to a socket of its own and keeps working, both ways.
  const peeled = srv.peeloff(assoc.get(0)!);
  send(clients[0], 'to the peeled socket');
  send(peeled, 'from the peeled socket');
  report({
    case: 'peeled', socketType: peeled.socketType(), remote: formatAddress(peeled.remoteAddress()),
    peeledGot: drain(peeled, messages(1)), clientGot: drain(clients[0], messages(1)), again: codeOf(() => srv.peeloff(assoc.get(0)!)),
  });

  // The server aborts client 1's association; client 2's goes on.
  sendAll(srv, [{ data: bytes('go away'), info: { association: assoc.get(1)!, flags: { abort: true } } }]);
  report({ case: 'aborted', client: drain(clients[1], ended), sendAfter: codeOf(() => clients[1].send([{ data: bytes('x'), info: {} }])) });
  send(clients[2], 'still here');
  report({ case: 'others-continue', server: drain(srv, messages(1)) });

  // eof on client 2's association: its last message, then the end.
  sendAll(srv, [{ data: bytes('last words'), info: { association: assoc.get(2)!, flags: { eof: true } } }]);
  report({ case: 'eof', client: drain(clients[2], ended), server: drain(srv, hasState('shutdown-comp')) });

  // autoclose: an idle association is shut down by the stack after the given time (ms, whole seconds).
  srv.setAutoclose(1000);
  const idle = client('one-to-one');
  connect(idle, srv.localAddress());
  send(idle, 'then silence');
  report({ case: 'autoclose', server: drain(srv, hasState('shutdown-comp'), 5000), client: drain(idle, ended, 5000), number: srv.assocNumber() });
  for (const s of [...clients, idle, peeled, srv]) s[Symbol.dispose]();
}

export function ordering(): void {
  const srv = server('one-to-many');
  // A slow first retransmission: the message lost in the dark stays missing while later ones arrive.
  // Without Nagle: the later messages must not wait for the lost one's acknowledgement.
  const cli = client('one-to-one', (s) => { tune(s, { initial: 400, max: 800, min: 400 }); s.setNodelay(true); });
  connect(cli, srv.localAddress());
  const info = (stream: number, unordered: boolean): SendInfo => ({ stream, flags: { unordered } });

  cli.setRemoteUdpEncapsPort(ALL, 9);
  send(cli, 'o1', info(0, false));
  sleep(50);
  cli.setRemoteUdpEncapsPort(ALL, encaps());
  sendAll(cli, [{ data: bytes('u1'), info: info(0, true) }, { data: bytes('o2'), info: info(0, false) }]);
  report({ case: 'overtake', order: drain(srv, messages(3)).filter((s) => s.message !== undefined).map((s) => s.message) });

  // Many messages, ordered on stream 0 and unordered on stream 1, with a dark spell in the middle.
  const total = 300;
  const batch = (from: number, to: number): OutgoingMessage[] => Array.from({ length: to - from }, (_, k) => {
    const i = from + k;
    return { data: bytes(`m${i}`), info: { stream: i % 2, ppid: i, flags: { unordered: i % 2 === 1 } } };
  });
  sendAll(cli, batch(0, 100));
  cli.setRemoteUdpEncapsPort(ALL, 9);
  sendAll(cli, batch(100, 200));
  sleep(100);
  cli.setRemoteUdpEncapsPort(ALL, encaps());
  sendAll(cli, batch(200, total));
  const got = drain(srv, messages(total), 5000, 512).filter((s) => s.message !== undefined);
  const ordered = got.filter((m) => m.stream === 0).map((m) => m.ppid as number);
  const unordered = got.filter((m) => m.stream === 1).map((m) => m.ppid as number);
  report({
    case: 'streams', received: got.length, intact: got.every((m) => m.message === `m${m.ppid}`),
    orderedInOrder: ordered.every((p, i) => i === 0 || p > ordered[i - 1]), orderedCount: ordered.length,
    unorderedDistinct: new Set(unordered).size,
  });
  for (const s of [cli, srv]) s[Symbol.dispose]();
}
