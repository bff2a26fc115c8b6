// The data-model scenarios about notifications: every kind with each field (events), and what a
// one-to-many server sees of a scripted peer on the wire (wire-server).
import type { SctpSocket } from 'sctp:sockets/sctp@0.1.0';
import { bytes, connect, formatAddress, sendAll, waitWithTimeout } from 'wasm-sctp/guest';
import { FUTURE, ALL, encaps, sleep, subscribeAll, tune, server, client, oneToOnePair, drain, has, hasState, messages, ended, send } from './common.js';
import { describe, report } from './report.js';

export function events(): void {
  const keys = (s: SctpSocket) => {
    s.addAuthChunk(0); // DATA must be authenticated
    s.setAuthKey(FUTURE, { keyNumber: 2, key: new Uint8Array(8).fill(2) });
    s.setEnableStreamReset(FUTURE, { resetStreams: true, resetAssociation: true, addStreams: true });
  };
  const srv = server('one-to-many', (s) => { subscribeAll(s); keys(s); s.setAdaptationLayer(0x01020304); });
  const cli = client('one-to-one', (s) => { tune(s); subscribeAll(s); keys(s); s.setAdaptationLayer(0x0a0b0c0d); });
  const association = connect(cli, srv.localAddress());
  report({ case: 'client-up', association, seen: drain(cli, has('adaptation-indication')) });
  report({ case: 'server-up', seen: drain(srv, has('peer-addr-change')) });

  // A message authenticated with key 2 instead of the active key 0: the receiver sees the key change.
  send(cli, 'hi', { authKey: 2 });
  report({ case: 'auth-new-key', seen: drain(srv, messages(1)) });
  report({ case: 'sender-dry', seen: drain(cli, has('sender-dry')) });

  // PR-SCTP: while the path is dark (the peer's UDP port pointed at the discard port), a message with a
  // 300 ms lifetime, one allowed no retransmission, and one without a policy of its own while the
  // association's default-prinfo is a 300 ms lifetime are abandoned and come back with their data.
  cli.setRemoteUdpEncapsPort(ALL, 9);
  cli.setDefaultPrinfo({ tag: 'association', val: association }, { policy: 'ttl', value: 300 });
  sendAll(cli, [
    { data: bytes('ttl-msg'), info: { stream: 2, context: 42, prPolicy: { tag: 'ttl', val: 300 } } },
    { data: bytes('rtx-msg'), info: { stream: 2, context: 43, prPolicy: { tag: 'rtx', val: 0 } } },
    { data: bytes('default-ttl-msg'), info: { stream: 2, context: 45 } },
  ]);
  sleep(1200);
  cli.setDefaultPrinfo({ tag: 'association', val: association }, { policy: 'none', value: 0 });
  cli.setRemoteUdpEncapsPort(ALL, encaps());
  send(cli, 'after', { stream: 2, context: 44 });
  report({
    case: 'pr-sctp',
    sender: drain(cli, has('send-failed', 3)),
    ttl: cli.prAssocStatus(undefined, 'ttl'),
    rtx: cli.prAssocStatus(undefined, 'rtx'),
    receiver: drain(srv, messages(1)),
  });

  // RFC 6525 stream reconfiguration, each seen from both ends.
  cli.resetStreams(undefined, { directions: { outgoing: true }, streams: Uint16Array.of(1) });
  report({ case: 'stream-reset', client: drain(cli, has('stream-reset')), server: drain(srv, has('stream-reset')) });
  cli.resetStreams(undefined, { directions: { incoming: true }, streams: Uint16Array.of(0) });
  report({ case: 'stream-reset-incoming', client: drain(cli, has('stream-reset')), server: drain(srv, has('stream-reset')) });
  cli.addStreams(undefined, { inbound: 0, outbound: 2 });
  report({ case: 'stream-change', client: drain(cli, has('stream-change')), server: drain(srv, has('stream-change')) });
  cli.resetAssoc(undefined);
  report({ case: 'assoc-reset', client: drain(cli, has('assoc-reset')), server: drain(srv, has('assoc-reset')) });

  // Key 0 retired: once nothing uses it, the stack says it is free.
  cli.setAuthActiveKey(FUTURE, 2);
  cli.deactivateAuthKey(FUTURE, 0);
  report({ case: 'auth-free-key', seen: drain(cli, has('authentication')) });

  // A peer without AUTH: the server is told.
  const plain = client('one-to-one', (s) => { s.setAsconfSupported(false); s.setAuthSupported(false); });
  connect(plain, srv.localAddress());
  const noAuth = drain(srv, has('authentication'));
  report({ case: 'auth-no-auth', seen: noAuth });

  // Reconfiguration requests to a peer that has not enabled them are denied, and say so.
  const plainAssoc = noAuth.find((s) => s.kind === 'authentication')!.association as number;
  srv.resetStreams(plainAssoc, { directions: { outgoing: true }, streams: Uint16Array.of(0) });
  const resetDenied = drain(srv, has('stream-reset'));
  srv.addStreams(plainAssoc, { inbound: 0, outbound: 1 });
  const addDenied = drain(srv, has('stream-change'));
  srv.resetAssoc(plainAssoc);
  report({ case: 'reconfig-denied', reset: resetDenied, add: addDenied, assoc: drain(srv, has('assoc-reset')) });

  // INIT to a port where nobody listens: the one-to-many socket that sent it is told.
  const lonely = client('one-to-many', (s) => {
    s.setEvent(FUTURE, 'assoc-change', true);
    s.setInitMsg({ numOstreams: 1, maxInstreams: 1, maxAttempts: 1, maxInitTimeo: 200 });
  });
  const nowhere = srv.localAddress();
  nowhere.val.port += 1;
  send(lonely, 'anyone?', { destination: nowhere });
  report({ case: 'cant-str-assoc', seen: drain(lonely, hasState('cant-str-assoc')) });

  // A large message being read in pieces when its sender aborts.
  const pd = oneToOnePair((s) => {
    s.setEvent(FUTURE, 'partial-delivery', true);
    s.setEvent(FUTURE, 'assoc-change', true);
    s.setEvent(FUTURE, 'send-failed', true);
    s.setReceiveBufferSize(32768n);
    s.setPartialDeliveryPoint(4096);
  });
  pd.conn.setWholeMessages(false);
  pd.cli.setSendBufferSize(1n << 20n);
  sendAll(pd.cli, [{ data: new Uint8Array(300_000).fill(65), info: { stream: 1 } }]);
  const first = drain(pd.conn, messages(1), 3000, 1);
  send(pd.cli, 'abort', { flags: { abort: true } });
  report({ case: 'partial-delivery', first, rest: drain(pd.conn, ended) });
  // What the aborting sender had not sent yet comes back to it.
  report({ case: 'send-failed-unsent', seen: drain(pd.cli, ended).map((s) => (s.kind === 'send-failed' ? { ...s, data: (s.data as Uint8Array).length } : s)) });

  // Graceful shutdown, seen from both ends.
  cli.shutdown();
  report({ case: 'shutdown', client: drain(cli, ended), server: drain(srv, hasState('shutdown-comp')) });
  for (const s of [cli, plain, lonely, pd.cli, pd.conn, pd.srv, srv]) s[Symbol.dispose]();
}

export function wireServer(): void {
  const srv = server('one-to-many', (s) => {
    subscribeAll(s);
    s.setRtoInfo(FUTURE, { initial: 100, max: 200, min: 50 });
    s.setPeerAddrParams(FUTURE, undefined, { heartbeatNow: false, pathMtu: 0, heartbeat: true, heartbeatInterval: 100, pathMaxRetransmits: 2 });
    s.setAssocInfo(FUTURE, { cookieLife: 0, maxRetransmits: 8, peerRwnd: 0, localRwnd: 0, peerDestinations: 0 });
  });
  console.log(`listening ${formatAddress(srv.localAddress())} udp-encaps ${encaps()}`);
  // Each item is reported as it comes: the test answers some of them.
  for (let lost = false; !lost;) {
    const items = srv.receive(64n);
    if (items.length === 0 && !waitWithTimeout(srv, 20_000)) break;
    for (const item of items.map(describe)) {
      report({ case: 'wire', ...item });
      if (item.state === 'comm-lost') lost = true;
    }
  }
  srv[Symbol.dispose]();
}
