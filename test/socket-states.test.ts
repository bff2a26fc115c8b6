// What a socket answers where the WIT's documentation says so, through the host's WIT-level objects
// as a transpiled guest calls them: which pollables of `subscribe` are ready in which state, and the
// error-codes of calls a state does not allow.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SctpSocket, initStack } from '../src/index.js';
import { createSctpSocket } from '../host/sctp-socket.js';
import type { Pollable } from '../types/generated/interfaces/wasi-io-poll.js';
import { codeOf, ipv4, network, portOf } from './harness/host.js';
import { lo, sleep, within } from './harness/node-api.js';

const { udpPort } = initStack();

const states = suite('what a socket answers in each state (the WIT)');

/** Whether a fresh pollable of the socket is ready now; the pollable is dropped. */
function readyNow(s: { subscribe(): Pollable }): boolean {
  const p = s.subscribe();
  try {
    return p.ready();
  } finally {
    (p as unknown as Disposable)[Symbol.dispose]();
  }
}

states('subscribe: ready at once on a socket that waits for nothing; on an idle listening socket only once a peer arrives', async () => {
  const s = createSctpSocket('ipv4', 'one-to-one');
  const peer = SctpSocket.create('ipv4', 'one-to-one');
  try {
    assert.is(readyNow(s), true, 'unbound: the call that follows answers at once');
    s.startBind(network, ipv4('127.0.0.1', 0));
    s.finishBind();
    assert.is(readyNow(s), true, 'bound');
    s.startListen();
    s.finishListen();
    assert.is(readyNow(s), false, 'listening, nobody there');
    const waiting = s.subscribe();
    peer.setOption('remote-udp-encaps-port', udpPort);
    peer.bind(lo());
    const connected = peer.connect(lo(portOf(s.localAddress())));
    await within(5000, (async () => { while (!waiting.ready()) await sleep(5); })(), 'the pollable becomes ready');
    (waiting as unknown as Disposable)[Symbol.dispose]();
    await within(5000, connected, 'connect');
    const accepted = s.accept();
    assert.is(accepted.isListening(), false);
    accepted[Symbol.dispose]();
  } finally {
    s[Symbol.dispose]();
    peer.close();
  }
});

states('calls a state does not allow: shutdown of a one-to-many socket, RFC 6525 requests without an association', () => {
  const many = createSctpSocket('ipv4', 'one-to-many');
  const one = createSctpSocket('ipv4', 'one-to-one');
  try {
    assert.is(codeOf(() => many.shutdown()), 'not-supported', 'one association ends with a send flagged eof');
    assert.is(codeOf(() => one.resetStreams(undefined, { directions: { outgoing: true }, streams: new Uint16Array() })), 'invalid-state');
    assert.is(codeOf(() => one.addStreams(undefined, { inbound: 0, outbound: 1 })), 'invalid-state');
    assert.is(codeOf(() => one.resetAssoc(undefined)), 'invalid-state');
  } finally {
    many[Symbol.dispose]();
    one[Symbol.dispose]();
  }
});

states.run();
