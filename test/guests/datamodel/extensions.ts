// The data-model scenarios about the extensions: I-DATA interleaving and an AUTH key mismatch
// between sockets of this guest, and AUTH, reconfiguration, PR-SCTP and I-DATA against the peer
// program's server on another host (ext-client).
import { bind, blocking, bytes, connect, ipv4, sendAll, socket, text } from 'wasm-sctp/guest';
import { FUTURE, encaps, sleep, subscribeAll, tune, server, client, oneToOnePair, drain, has, hasState, ended, send, acknowledged, receiveMessages } from './common.js';
import { report } from './report.js';

/** RFC 8260: with I-DATA on both ends, small messages on one stream pass a large one on another. */
export function interleaving(): void {
  for (const on of [false, true]) {
    const { cli, conn, srv } = oneToOnePair((s) => {
      if (on) {
        s.setFragmentInterleave('streams');
        s.setInterleavingSupported(true);
      }
      s.setStreamScheduler(FUTURE, 'round-robin');
    });
    cli.setSendBufferSize(8n << 20n);
    sendAll(cli, [{ data: new Uint8Array(4 << 20).fill(1), info: { stream: 1 } }]);
    sendAll(cli, [0, 1, 2, 3, 4].map((i) => ({ data: bytes(`small ${i}`), info: { stream: 2 } })));
    const order = receiveMessages(conn, 6).map((m) => (m.stream === 1 ? `big ${m.data.length}` : text(m.data)));
    report({ case: on ? 'interleaving-on' : 'interleaving-off', negotiated: [cli.interleavingSupported(undefined), conn.interleavingSupported(undefined)], order });
    for (const s of [cli, conn, srv]) s[Symbol.dispose]();
  }
}

/** RFC 4895: both ends require authenticated DATA with key 1, but their secrets differ. */
export function authMismatch(): void {
  const srv = server('one-to-one', (s) => {
    s.addAuthChunk(0);
    s.setAuthKey(FUTURE, { keyNumber: 1, key: bytes('the server secret') });
    s.setAuthActiveKey(FUTURE, 1);
  });
  const cli = client('one-to-one', (s) => {
    s.addAuthChunk(0);
    s.setAuthKey(FUTURE, { keyNumber: 1, key: bytes('another secret') });
    s.setAuthActiveKey(FUTURE, 1);
    s.setEvent(FUTURE, 'assoc-change', true);
    s.setRtoInfo(FUTURE, { initial: 100, max: 200, min: 50 });
    s.setAssocInfo(FUTURE, { cookieLife: 0, maxRetransmits: 3, peerRwnd: 0, localRwnd: 0, peerDestinations: 0 });
  });
  connect(cli, srv.localAddress());
  const conn = blocking(srv, () => srv.accept());
  send(cli, 'signed with the wrong secret');
  // The receiver drops every DATA chunk whose HMAC does not verify; the sender's retransmissions run out.
  report({ case: 'auth-mismatch', sender: drain(cli, ended, 10_000), receiver: drain(conn, (seen) => seen.length > 0, 500) });
  for (const s of [cli, conn, srv]) s[Symbol.dispose]();
}

/**
 * The client side of the extension checks between two hosts (test/extensions-netns.test.ts): AUTH,
 * RFC 6525 reconfiguration, I-DATA and PR-SCTP against `peer.js server --extensions`
 * (test/harness/peers/server.ts). For PR-SCTP it
 * asks the test to darken the path (`dark-please`) and to light it again (`light-please`).
 */
export function extClient(address: string, port: number): void {
  const cli = socket('one-to-one');
  subscribeAll(cli);
  tune(cli);
  cli.setRemoteUdpEncapsPort(FUTURE, encaps());
  cli.addAuthChunk(0);
  cli.setAuthKey(FUTURE, { keyNumber: 2, key: new Uint8Array(8).fill(2) });
  cli.setEnableStreamReset(FUTURE, { resetStreams: true, resetAssociation: true, addStreams: true });
  cli.setFragmentInterleave('streams');
  cli.setInterleavingSupported(true);
  cli.setStreamScheduler(FUTURE, 'round-robin');
  cli.setNodelay(true);
  bind(cli, ipv4('0.0.0.0', 0));
  const association = connect(cli, ipv4(address, port));
  report({ case: 'up', association, seen: drain(cli, hasState('comm-up')), interleaving: cli.interleavingSupported(undefined) });

  send(cli, 'authenticated with key 2', { authKey: 2, stream: 0 });
  cli.resetStreams(undefined, { directions: { outgoing: true }, streams: Uint16Array.of(1) });
  report({ case: 'stream-reset', seen: drain(cli, has('stream-reset')) });
  cli.addStreams(undefined, { inbound: 0, outbound: 2 });
  report({ case: 'stream-change', seen: drain(cli, has('stream-change')) });

  // PR-SCTP while the path is dark; messages sent then are abandoned and come back.
  report({ case: 'dark-please' });
  sleep(1500);
  sendAll(cli, [
    { data: bytes('ttl-msg'), info: { stream: 2, context: 42, prPolicy: { tag: 'ttl', val: 300 } } },
    { data: bytes('rtx-msg'), info: { stream: 2, context: 43, prPolicy: { tag: 'rtx', val: 0 } } },
  ]);
  sleep(1500);
  report({ case: 'light-please' });
  sleep(1500);
  send(cli, 'after the dark', { stream: 2 });
  report({ case: 'pr-sctp', seen: drain(cli, has('send-failed', 2)), ttl: cli.prAssocStatus(undefined, 'ttl'), rtx: cli.prAssocStatus(undefined, 'rtx') });

  // I-DATA: the small messages on stream 3 need not wait for the 2 MiB one on stream 1.
  cli.setSendBufferSize(4n << 20n);
  sendAll(cli, [{ data: new Uint8Array(2 << 20).fill(1), info: { stream: 1 } }]);
  sendAll(cli, [0, 1, 2, 3, 4].map((i) => ({ data: bytes(`small ${i}`), info: { stream: 3 } })));

  // An association reset waits for nothing: the stack refuses it (invalid-state) while data is outstanding.
  acknowledged(cli);
  cli.resetAssoc(undefined);
  report({ case: 'assoc-reset', seen: drain(cli, has('assoc-reset')) });
  cli.shutdown();
  report({ case: 'end', seen: drain(cli, ended, 10_000) });
  cli[Symbol.dispose]();
}
