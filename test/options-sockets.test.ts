// Options of the socket itself, shown by what they change: sharing a port (reuse-port), how an IPv6
// socket reports its IPv4 peers (mapped-v4-addresses), what a socket says it is (is-listening,
// address-family, socket-type), and auto-asconf, which nothing here can honour. Node API on SCTP over
// UDP on 127.0.0.1, and the host's WIT-level objects where the Node API has no such call.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SctpSocket, initStack } from '../src/index.js';
import { createSctpSocket } from '../host/sctp-socket.js';
import { network } from './harness/host.js';
import { client, lo, throwsCode, within } from './harness/node-api.js';

initStack();

const sockets = suite('options of the socket itself');

sockets('reuse-port: one-to-one sockets that set it bind the same port; without it the port is in use', () => {
  const first = SctpSocket.create('ipv4', 'one-to-one');
  const second = SctpSocket.create('ipv4', 'one-to-one');
  const third = SctpSocket.create('ipv4', 'one-to-one');
  try {
    first.setOption('reuse-port', true);
    second.setOption('reuse-port', true);
    first.bind(lo());
    const port = first.localAddress().port;
    second.bind(lo(port));
    assert.is(second.localAddress().port, port);
    throwsCode(() => third.startBind(lo(port)), 'address-in-use', 'a socket that did not set reuse-port');
  } finally {
    for (const s of [first, second, third]) s.close();
  }
});

sockets('mapped-v4-addresses: an IPv6 socket lists an IPv4 peer as ::ffff:a.b.c.d in remote-addresses when set, remote-address says IPv4 either way', async () => {
  for (const mapped of [false, true]) {
    const listener = SctpSocket.create('ipv6', 'one-to-one');
    listener.setOption('mapped-v4-addresses', mapped);
    listener.bind({ family: 'ipv6', address: '::', port: 0 });
    listener.listen();
    const cli = client('one-to-one');
    try {
      const [, conn] = await within(5000, Promise.all([cli.connect(lo(listener.localAddress().port)), listener.acceptOne()]), 'connect');
      const port = cli.localAddress().port;
      assert.is(conn.getOption('mapped-v4-addresses'), mapped, 'the accepted socket inherits the setting');
      assert.equal(conn.remoteAddresses(), [mapped ? { family: 'ipv6', address: '::ffff:127.0.0.1', port } : { family: 'ipv4', address: '127.0.0.1', port }]);
      // usrsctp maps the addresses of sctp_getpaddrs only: the primary path keeps the IPv4 form.
      assert.equal(conn.remoteAddress(), { family: 'ipv4', address: '127.0.0.1', port });
      conn.close();
    } finally {
      cli.close();
      listener.close();
    }
  }
});

sockets('is-listening, address-family and socket-type say what the socket is', () => {
  const listener = createSctpSocket('ipv4', 'one-to-many');
  const other = createSctpSocket('ipv6', 'one-to-one');
  try {
    assert.equal([listener.isListening(), listener.addressFamily(), listener.socketType()], [false, 'ipv4', 'one-to-many']);
    listener.startBind(network, { tag: 'ipv4', val: { address: [127, 0, 0, 1], port: 0 } });
    listener.finishBind();
    assert.is(listener.isListening(), false, 'bound');
    listener.startListen();
    listener.finishListen();
    assert.is(listener.isListening(), true, 'listening');
    assert.equal([other.isListening(), other.addressFamily(), other.socketType()], [false, 'ipv6', 'one-to-one']);
  } finally {
    listener[Symbol.dispose]();
    other[Symbol.dispose]();
  }
});

sockets('auto-asconf: usrsctp on Linux never learns of address changes, so it reads false and cannot be turned on', () => {
  const s = SctpSocket.create('ipv4', 'one-to-one');
  try {
    s.bind({ family: 'ipv4', address: '0.0.0.0', port: 0 });
    assert.is(s.getOption('auto-asconf'), false);
    throwsCode(() => s.setOption('auto-asconf', true), 'not-supported');
    s.setOption('auto-asconf', false);
    assert.is(s.getOption('auto-asconf'), false);
  } finally {
    s.close();
  }
});

sockets('a fresh socket has the defaults the WIT documents', () => {
  const s = SctpSocket.create('ipv4', 'one-to-one');
  try {
    const defaults = {
      'rto-info': { initial: 3000, max: 60_000, min: 1000 },
      'init-msg': { numOstreams: 10, maxInstreams: 2048, maxAttempts: 8, maxInitTimeo: 60_000 },
      'receive-buffer-size': 131_072,
      'send-buffer-size': 262_144,
      'delayed-sack': { delay: 200, frequency: 2 },
      'fragment-interleave': 'associations',
      'max-burst': 4,
      'max-cwnd': 0,
      'stream-scheduler': 'default',
      nodelay: false,
      linger: undefined,
      'disable-fragments': false,
      'explicit-eor': false,
      'recv-nxtinfo': false,
      'auth-active-key': 0,
      context: 0,
      maxseg: 0,
      'pr-supported': true,
      'ecn-supported': true,
      'auth-supported': true,
      'asconf-supported': true,
      'reconfig-supported': true,
      'nrsack-supported': false,
      'pktdrop-supported': false,
      'interleaving-supported': false,
      'enable-stream-reset': { resetStreams: false, resetAssociation: false, addStreams: false },
      'default-sndinfo': {
        stream: 0, ppid: 0, context: 0,
        flags: { unordered: false, addrOver: false, abort: false, eof: false, sendall: false, sackImmediately: false, eor: false },
      },
    } as const;
    for (const [name, value] of Object.entries(defaults)) assert.equal(s.getOption(name as never), value, name);
    const assoc = s.getOption('assoc-info');
    assert.equal([assoc.cookieLife, assoc.maxRetransmits], [60_000, 10]);
    for (const kind of ['assoc-change', 'peer-addr-change', 'sender-dry', 'shutdown'] as const) {
      assert.is(s.getOption('event', undefined, { kind }), false, `${kind} is not subscribed`);
    }
    const v6 = SctpSocket.create('ipv6', 'one-to-one');
    assert.is(v6.getOption('mapped-v4-addresses'), false);
    v6.close();
  } finally {
    s.close();
  }
});

sockets('hmac-ident: this usrsctp has SHA-1 only, so a list that names sha256 is invalid-argument', () => {
  const s = SctpSocket.create('ipv4', 'one-to-one');
  try {
    assert.equal(s.getOption('hmac-ident'), ['sha1']);
    throwsCode(() => s.setOption('hmac-ident', ['sha1', 'sha256']), 'invalid-argument');
  } finally {
    s.close();
  }
});

sockets.run();
