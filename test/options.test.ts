// Socket options (issue 4): the option table against the WIT and the guide, every read-write option
// set and read back, and the options whose effect can be seen, seen: through the Node API on
// endpoints of this process (SCTP over UDP on 127.0.0.1), and through a guest component that calls
// every option function of the WIT.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  OPTION_TABLE, SctpError, SctpSocket, initStack, type AssocScope, type ErrorCode, type Incoming,
  type Notification, type OptionKey, type OptionName, type OptionValue, type ReceivedMessage, type SocketAddress,
  type SocketType,
} from '../src/index.js';
import { native } from '../src/native.js';
import { currentTable, GUIDE, renderOptionsTable } from '../scripts/options-doc.js';
import { exitWithin, startGuest } from '../scripts/components.js';
import { projectRoot } from '../scripts/guests.js';
import { lo, throwsCode, within } from './support/node-api.js';

const { udpPort } = initStack();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function listener(type: SocketType, configure: (s: SctpSocket) => void = () => {}): SctpSocket {
  const s = SctpSocket.create('ipv4', type);
  configure(s);
  s.bind(lo());
  s.listen();
  return s;
}

function client(type: SocketType = 'one-to-one', configure: (s: SctpSocket) => void = () => {}): SctpSocket {
  const s = SctpSocket.create('ipv4', type);
  s.setOption('remote-udp-encaps-port', udpPort);
  configure(s);
  s.bind(lo());
  return s;
}

/** A connected one-to-one pair: [client, accepted socket, association id of the client]. */
async function pair(configureClient?: (s: SctpSocket) => void, configureServer?: (s: SctpSocket) => void):
  Promise<{ cli: SctpSocket; conn: SctpSocket; srv: SctpSocket; association: number; close(): void }> {
  const srv = listener('one-to-one', configureServer);
  const cli = client('one-to-one', configureClient);
  const [association, conn] = await within(5000, Promise.all([cli.connect(srv.localAddress()), srv.acceptOne()]), 'connect');
  return { cli, conn, srv, association, close: () => { cli.close(); conn.close(); srv.close(); } };
}

async function messages(s: SctpSocket, count: number, ms = 5000): Promise<ReceivedMessage[]> {
  const out: ReceivedMessage[] = [];
  while (out.length < count) {
    for (const item of await within(ms, s.receiveSome(), `${count} messages`)) if (item.kind === 'message') out.push(item);
  }
  return out;
}

async function notifications(s: SctpSocket, type: Notification['type'], ms = 5000): Promise<Notification> {
  for (;;) {
    for (const item of await within(ms, s.receiveSome(), type)) {
      if (item.kind === 'notification' && item.notification.type === type) return item.notification;
    }
  }
}

async function roundTrip(from: SctpSocket, to: SctpSocket, text: string): Promise<string> {
  from.send([{ data: Buffer.from(text), stream: 0, ppid: 1 }]);
  const [m] = await messages(to, 1);
  return m.data.toString();
}

// -------------------------------------------------------------------------------------------------
const table = suite('the option table against the WIT and the guide');

/** The functions of the resource's options section of wit/sctp.wit: name -> parameter list. */
function witOptionFunctions(): Map<string, Array<[string, string]>> {
  const wit = readFileSync(join(projectRoot, 'wit', 'sctp.wit'), 'utf8');
  const section = wit.slice(wit.indexOf('// ---- Socket options:'));
  const out = new Map<string, Array<[string, string]>>();
  for (const m of section.matchAll(/^\s*%?([a-z0-9-]+): func\((.*)\) -> /gm)) {
    const params = m[2] === '' ? [] : m[2].split(/, (?=%?[a-z0-9-]+: )/).map((p) => {
      const [name, ...type] = p.split(': ');
      return [name.replace(/^%/, ''), type.join(': ')] as [string, string];
    });
    out.set(m[1], params);
  }
  return out;
}

const KEY_WIT_TYPES: Record<string, string> = {
  address: 'ip-socket-address', 'optional-address': 'option<ip-socket-address>', stream: 'u16',
  'event-kind': 'event-kind', 'optional-pr-policy': 'option<pr-policy-kind>',
};

table('every row has its WIT functions, and only those: read-only rows no setter, write-only rows no getter', () => {
  const functions = witOptionFunctions();
  const expected = new Set<string>();
  for (const row of OPTION_TABLE) {
    const keys = (row.keys ?? []).map((k) => [k.name === 'kind' ? 'kind' : k.name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`), KEY_WIT_TYPES[k.kind]]);
    assert.is(row.getter === undefined, row.mode === 'wo', `${row.name}: a getter exactly when it is readable`);
    assert.is(row.setter === undefined, row.mode === 'ro', `${row.name}: a setter exactly when it is writable`);
    if (row.getter) {
      expected.add(row.getter);
      const params = functions.get(row.getter);
      assert.ok(params, `${row.name}: ${row.getter} is not in wit/sctp.wit`);
      const lead = row.assoc === 'socket' ? [] : [['association', 'option<association-id>']];
      assert.equal(params, [...lead, ...keys], `${row.getter}: parameters`);
    }
    if (row.setter) {
      expected.add(row.setter);
      const params = functions.get(row.setter);
      assert.ok(params, `${row.name}: ${row.setter} is not in wit/sctp.wit`);
      const lead = row.assoc === 'id-only' ? [['association', 'option<association-id>']]
        : row.assoc === 'socket' || row.assoc === 'negotiated' ? [] : [['scope', 'association-scope']];
      assert.equal(params!.slice(0, lead.length + keys.length), [...lead, ...keys], `${row.setter}: parameters`);
      assert.is(params!.length, lead.length + keys.length + (row.noValue ? 0 : 1), `${row.setter}: a value parameter`);
    }
    // The TS API refuses the missing direction too.
    const s = SctpSocket.create('ipv4', row.style ?? 'one-to-one');
    if (row.mode === 'ro') throwsCode(() => s.setOption(row.name, undefined as never), 'not-supported', `${row.name} set`);
    if (row.mode === 'wo') throwsCode(() => s.getOption(row.name), 'not-supported', `${row.name} get`);
    s.close();
  }
  assert.equal([...functions.keys()].filter((f) => !expected.has(f)), [], 'WIT option functions without a row');
  assert.ok(OPTION_TABLE.length >= 60, `${OPTION_TABLE.length} options`);
});

table("POSIX-COMPAT.md's options table is the one src/options/table.ts renders", () => {
  const guide = readFileSync(GUIDE, 'utf8');
  assert.is(currentTable(guide), renderOptionsTable(), 'run node dist/scripts/options-doc.js');
});

table('every WIT option function is called by the options guest', () => {
  const guest = readFileSync(join(projectRoot, 'guest-examples', 'options', 'options.ts'), 'utf8');
  const camel = (kebab: string) => kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
  for (const name of witOptionFunctions().keys()) assert.ok(guest.includes(`.${camel(name)}(`), `${name} is not called`);
});

table.run();

// -------------------------------------------------------------------------------------------------
const roundTrips = suite('every read-write option is set and read back (Node API)');

interface Sample<N extends OptionName> {
  value: OptionValue<N>;
  /** What the getter returns afterwards, when it is not `value` itself. */
  expect?: unknown;
  scope?: AssocScope;
  key?: OptionKey<N>;
  type?: SocketType;
  family?: 'ipv4' | 'ipv6';
  prepare?: (s: SctpSocket) => void;
}

const SAMPLES: { [N in OptionName]?: Sample<N> } = {
  'rto-info': { value: { initial: 500, max: 5000, min: 200 } },
  'assoc-info': { value: { cookieLife: 30_000, maxRetransmits: 7 }, expect: { peerRwnd: 0, localRwnd: 131072, cookieLife: 30_000, maxRetransmits: 7, peerDestinations: 0 } },
  'init-msg': { value: { numOstreams: 5, maxInstreams: 6, maxAttempts: 3, maxInitTimeo: 900 } },
  linger: { value: 3000 },
  nodelay: { value: true },
  'receive-buffer-size': { value: 200_000 },
  'send-buffer-size': { value: 300_000 },
  autoclose: { value: 4000, type: 'one-to-many' },
  'adaptation-layer': { value: 0x12345678 },
  'disable-fragments': { value: true },
  'peer-addr-params': {
    value: { heartbeat: false, heartbeatNow: false, pmtud: false, pathMtu: 1280, pathMaxRetransmits: 3 },
    expect: { heartbeat: false, heartbeatInterval: 30_000, heartbeatNow: false, pmtud: false, pathMtu: 1280, pathMaxRetransmits: 3, sackDelay: undefined, ipv6FlowLabel: undefined, dscp: undefined },
  },
  'mapped-v4-addresses': { value: true, family: 'ipv6' },
  maxseg: { value: 1000 },
  'hmac-ident': { value: ['sha1'] },
  'auth-active-key': { value: 3, prepare: (s) => s.setOption('auth-key', { keyNumber: 3, key: [1, 2, 3] }) },
  'delayed-sack': { value: { delay: 120, frequency: 4 } },
  'fragment-interleave': { value: 'streams' },
  'partial-delivery-point': { value: 4096 },
  'auto-asconf': { value: false, prepare: (s) => s.bind({ family: 'ipv4', address: '0.0.0.0', port: 0 }) },
  'max-burst': { value: 8 },
  context: { value: 0xfeedbeef },
  'explicit-eor': { value: true },
  'reuse-port': { value: true },
  event: { value: true, key: { kind: 'peer-addr-change' } },
  'recv-rcvinfo': { value: true },
  'recv-nxtinfo': { value: true },
  'default-sndinfo': {
    value: { stream: 4, ppid: 0xdeadbeef, flags: { unordered: true, sackImmediately: true }, context: 5 },
    expect: { stream: 4, ppid: 0xdeadbeef, flags: { unordered: true, addrOver: false, abort: false, eof: false, sendall: false, sackImmediately: true, eor: false }, context: 5 },
  },
  'default-prinfo': { value: { policy: 'rtx', value: 2 } },
  'enable-stream-reset': {
    value: { resetStreams: true, addStreams: true },
    expect: { resetStreams: true, resetAssociation: false, addStreams: true },
  },
  'pr-supported': { value: false },
  'interleaving-supported': { value: true, prepare: (s) => s.setOption('fragment-interleave', 'streams') },
  'stream-scheduler': { value: 'round-robin-packet' },
  'stream-scheduler-value': { value: 9, key: { stream: 1 }, prepare: () => {} },
  'primary-addr': { value: lo(1) },
  'remote-udp-encaps-port': { value: 9899 },
  'peer-addr-thresholds': { value: { pathMaxRetransmits: 4, potentiallyFailedThreshold: 1 } },
  'ecn-supported': { value: false },
  'auth-supported': { value: false, prepare: (s) => s.setOption('asconf-supported', false) },
  'asconf-supported': { value: false },
  'reconfig-supported': { value: false },
  'nrsack-supported': { value: true },
  'pktdrop-supported': { value: true },
  'max-cwnd': { value: 64_000 },
  'ipv6-only': { value: false, family: 'ipv6' },
};

/** Options that need a live association to be set: tested in the association suites below. */
const NEEDS_ASSOCIATION = new Set<OptionName>(['primary-addr', 'stream-scheduler-value']);

roundTrips('a sample value for every read-write row, read back on a fresh socket', () => {
  for (const row of OPTION_TABLE.filter((r) => r.mode === 'rw')) {
    const sample = SAMPLES[row.name] as Sample<OptionName> | undefined;
    assert.ok(sample, `${row.name}: no sample value in test/options.test.ts`);
    if (NEEDS_ASSOCIATION.has(row.name)) continue;
    const s = SctpSocket.create(sample!.family ?? 'ipv4', sample!.type ?? row.style ?? 'one-to-one');
    try {
      sample!.prepare?.(s);
      const before = s.getOption(row.name, undefined, sample!.key as never);
      s.setOption(row.name, sample!.value as never, sample!.scope, sample!.key as never);
      const after = s.getOption(row.name, undefined, sample!.key as never);
      assert.equal(after, sample!.expect ?? sample!.value, `${row.name}: read back`);
      // These have one possible value here (recv-rcvinfo, ipv6-only) or one this usrsctp build supports (hmac-ident).
      if (!['recv-rcvinfo', 'ipv6-only', 'hmac-ident'].includes(row.name)) {
        assert.not.equal(before, after, `${row.name}: the sample is not the default`);
      }
    } finally {
      s.close();
    }
  }
});

roundTrips('values out of range are invalid-argument and leave the option unchanged', () => {
  const s = SctpSocket.create('ipv4', 'one-to-one');
  const many = SctpSocket.create('ipv4', 'one-to-many');
  const bad: Array<[() => void, string]> = [
    [() => s.setOption('rto-info', { initial: 100, max: 50, min: 10 }), 'rto-info: initial > max'],
    [() => s.setOption('rto-info', { initial: 0, max: 50, min: 60 }), 'rto-info: min > max'],
    [() => s.setOption('assoc-info', { cookieLife: 999, maxRetransmits: 0 }), 'assoc-info: cookie life below 1 s'],
    [() => s.setOption('assoc-info', { cookieLife: 3_600_001, maxRetransmits: 0 }), 'assoc-info: cookie life above 1 h'],
    [() => s.setOption('assoc-info', { cookieLife: 0, maxRetransmits: 65536 }), 'assoc-info: u16'],
    [() => s.setOption('linger', 1500), 'linger: not whole seconds'],
    [() => s.setOption('linger', -1000), 'linger: negative'],
    [() => many.setOption('autoclose', 2500), 'autoclose: not whole seconds'],
    [() => s.setOption('delayed-sack', { delay: 501, frequency: 0 }), 'delayed-sack: above 500 ms'],
    [() => s.setOption('peer-addr-params', { heartbeatNow: false, pmtud: false, pathMtu: 511 }), 'peer-addr-params: mtu below 512'],
    [() => s.setOption('peer-addr-params', { heartbeatNow: false, pmtud: false, pathMtu: 65537 }), 'peer-addr-params: mtu above 65536'],
    [() => s.setOption('peer-addr-params', { heartbeatNow: false, pathMtu: 0, heartbeatInterval: 14_400_001 }), 'peer-addr-params: interval above 4 h'],
    [() => s.setOption('peer-addr-params', { heartbeatNow: false, pathMtu: 0, heartbeat: false, heartbeatInterval: 1000 }), 'peer-addr-params: interval with heartbeats off'],
    [() => s.setOption('peer-addr-params', { heartbeatNow: true, pathMtu: 0 }), 'peer-addr-params: heartbeat now without address'],
    [() => s.setOption('peer-addr-params', { heartbeatNow: false, pathMtu: 0, pathMaxRetransmits: 0 }), 'peer-addr-params: 0 retransmits'],
    [() => s.setOption('peer-addr-params', { heartbeatNow: false, pathMtu: 0, dscp: 2 }), 'peer-addr-params: dscp'],
    [() => s.setOption('peer-addr-params', { heartbeatNow: false, pathMtu: 0, ipv6FlowLabel: 0x100000 }), 'peer-addr-params: flow label'],
    [() => s.setOption('hmac-ident', ['sha256']), 'hmac-ident: without sha1'],
    [() => s.setOption('hmac-ident', ['sha1', 'sha1']), 'hmac-ident: twice'],
    [() => s.setOption('hmac-ident', ['md5' as never]), 'hmac-ident: unknown'],
    [() => s.setOption('fragment-interleave', 'level-3' as never), 'fragment-interleave: unknown level'],
    [() => s.setOption('default-sndinfo', { stream: 65536, ppid: 0, flags: {}, context: 0 }), 'default-sndinfo: stream'],
    [() => s.setOption('default-sndinfo', { stream: 0, ppid: 0, flags: { urgent: true } as never, context: 0 }), 'default-sndinfo: unknown flag'],
    [() => s.setOption('default-prinfo', { policy: 'none', value: 1 }), 'default-prinfo: none with a value'],
    [() => s.setOption('default-prinfo', { policy: 'fifo' as never, value: 1 }), 'default-prinfo: unknown policy'],
    [() => s.setOption('auth-key', { keyNumber: 65536, key: [] }), 'auth-key: key number'],
    [() => s.setOption('auth-key', { keyNumber: 1, key: [256] }), 'auth-key: byte'],
    [() => s.setOption('auth-chunk', 256), 'auth-chunk: u8'],
    [() => s.setOption('event', true, 'future', { kind: 'everything' as never }), 'event: unknown kind'],
    [() => s.setOption('reset-streams', { directions: {}, streams: [] }), 'reset-streams: no direction'],
    [() => s.setOption('reset-streams', { directions: { outgoing: true }, streams: [70000] }), 'reset-streams: stream id'],
    [() => s.setOption('add-streams', { inbound: 0, outbound: 0 }), 'add-streams: nothing'],
    [() => s.setOption('enable-stream-reset', { everything: true } as never), 'enable-stream-reset: unknown flag'],
    [() => s.setOption('stream-scheduler', 'lottery' as never), 'stream-scheduler: unknown'],
    [() => s.getOption('peer-addr-info', undefined, { address: { family: 'ipv4', address: '1.2.3', port: 1 } }), 'peer-addr-info: bad address'],
    [() => s.getOption('pr-assoc-status', undefined, { policy: 'none' }), 'pr-assoc-status: policy none'],
    [() => s.getOption('stream-scheduler-value', undefined, { stream: -1 }), 'stream-scheduler-value: stream'],
    [() => many.getOption('rto-info', 4242), 'unknown association id (get)'],
    [() => many.setOption('context', 1, 4242), 'unknown association id (set)'],
    [() => many.setOption('rto-info', { initial: 0, max: 0, min: 0 }, 'current'), "'current' for an option of defaults or one association"],
    [() => many.setOption('pr-supported', true, 'all'), 'negotiated options are set for the future only'],
    [() => many.getOption('status'), 'one-to-many status without association'],
    [() => many.getOption('status', 1), 'reserved association id'],
  ];
  const before = { rto: s.getOption('rto-info'), assoc: s.getOption('assoc-info'), sack: s.getOption('delayed-sack'), params: s.getOption('peer-addr-params') };
  for (const [f, what] of bad) throwsCode(f, 'invalid-argument', what);
  assert.equal({ rto: s.getOption('rto-info'), assoc: s.getOption('assoc-info'), sack: s.getOption('delayed-sack'), params: s.getOption('peer-addr-params') }, before, 'unchanged');
  s.close();
  many.close();
});

roundTrips('what the stack cannot do is not-supported; options of the other socket style are invalid-state', () => {
  const s = SctpSocket.create('ipv4', 'one-to-one');
  const many = SctpSocket.create('ipv4', 'one-to-many');
  const v6 = SctpSocket.create('ipv6', 'one-to-one');
  const unsupported: Array<[() => void, string]> = [
    [() => s.setOption('recv-rcvinfo', false), 'received-message needs RCVINFO'],
    [() => s.setOption('reuse-port', false), "usrsctp's setter cannot turn it off"],
    [() => s.setOption('event', true, 'future', { kind: 'notifications-stopped' }), 'notifications-stopped'],
    [() => s.getOption('event', undefined, { kind: 'notifications-stopped' }), 'notifications-stopped (get)'],
    [() => many.setOption('event', true, 'all', { kind: 'sender-dry' }), 'sender-dry for all associations (usrsctp ENOTSUP)'],
    [() => s.setOption('stream-scheduler', 'weighted-fair-queueing'), 'no WFQ in usrsctp'],
    [() => s.setOption('peer-addr-params', { heartbeatNow: false, pathMtu: 0, sackDelay: 100 }), 'Linux-only SACK delay'],
    [() => v6.setOption('ipv6-only', true), 'dual-stack only'],
    [() => s.getOption('ipv6-only'), 'IPv4 socket'],
  ];
  for (const [f, what] of unsupported) throwsCode(f, 'not-supported', what);
  throwsCode(() => s.setOption('autoclose', 1000), 'invalid-state', 'autoclose on one-to-one');
  throwsCode(() => s.getOption('assoc-number'), 'invalid-state', 'assoc-number on one-to-one');
  throwsCode(() => s.getOption('assoc-id-list'), 'invalid-state', 'assoc-id-list on one-to-one');
  throwsCode(() => many.setOption('reuse-port', true), 'invalid-state', 'reuse-port on one-to-many');
  // usrsctp answers EINVAL here; the table says what it means.
  s.bind(lo());
  throwsCode(() => s.setOption('reuse-port', true), 'invalid-state', 'reuse-port after bind');
  throwsCode(() => s.getOption('auto-asconf'), 'invalid-state', 'auto-asconf on a socket bound to one address');
  throwsCode(() => s.setOption('interleaving-supported', true), 'invalid-state', 'I-DATA without fragment-interleave streams');
  throwsCode(() => s.setOption('auth-supported', false), 'invalid-state', 'auth off while asconf is on');
  s.close();
  many.close();
  v6.close();
});

roundTrips.run();

// -------------------------------------------------------------------------------------------------
const effects = suite('options whose effect can be seen (Node API)');

effects('init-msg: the negotiated stream counts are the smaller offers of both ends', async () => {
  const p = await pair(
    (c) => c.setOption('init-msg', { numOstreams: 5, maxInstreams: 7, maxAttempts: 0, maxInitTimeo: 0 }),
    (s) => s.setOption('init-msg', { numOstreams: 9, maxInstreams: 3, maxAttempts: 0, maxInitTimeo: 0 }),
  );
  const mine = p.cli.getOption('status');
  const theirs = p.conn.getOption('status');
  assert.equal([mine.outboundStreams, mine.inboundStreams], [3, 7]);
  assert.equal([theirs.outboundStreams, theirs.inboundStreams], [7, 3]);
  throwsCode(() => p.cli.send([{ data: Buffer.from('x'), stream: 3 }]), 'invalid-argument', 'stream 3 of 3');
  p.close();
});

effects('status: state, stream counts and primary address of a live association; peer-addr-info agrees', async () => {
  const p = await pair();
  const st = p.cli.getOption('status');
  assert.is(st.state, 'established');
  assert.is(st.association, p.association);
  assert.equal([st.outboundStreams, st.inboundStreams], [10, 10]);
  assert.equal(st.primary?.address, p.srv.localAddress());
  assert.is(st.primary?.state, 'active');
  assert.ok(st.fragmentationPoint > 1000 && st.fragmentationPoint < 1500, `fragmentation point ${st.fragmentationPoint}`);
  const info = p.cli.getOption('peer-addr-info', undefined, { address: p.srv.localAddress() });
  assert.equal(info, st.primary);
  // One-to-one: any id names the association; the accepted side reports the same association state.
  assert.is(p.conn.getOption('status').state, 'established');
  assert.equal(p.conn.getOption('status').primary?.address, p.cli.localAddress());
  throwsCode(() => p.cli.getOption('peer-addr-info', undefined, { address: { family: 'ipv4', address: '127.0.0.2', port: 9 } }), 'invalid-argument', 'not a peer address');
  p.close();
});

effects('rto-info and peer-addr-params show in the path report (status, peer-addr-info)', async () => {
  const p = await pair();
  const peer = p.srv.localAddress();
  const before = p.cli.getOption('status');
  assert.is(before.primary?.mtu, 1460, 'UDP encapsulation: path MTU 1460');
  // A fixed path MTU: the path reports it and the fragmentation point follows.
  p.cli.setOption('peer-addr-params', { heartbeatNow: true, heartbeatInterval: 2000, pmtud: false, pathMtu: 1200 }, p.association, { address: peer });
  const params = p.cli.getOption('peer-addr-params', p.association, { address: peer });
  assert.equal([params.pmtud, params.pathMtu, params.heartbeat, params.heartbeatInterval], [false, 1200, true, 2000]);
  assert.is(p.cli.getOption('peer-addr-info', undefined, { address: peer }).mtu, 1200);
  assert.ok(p.cli.getOption('status').fragmentationPoint < before.fragmentationPoint - 200);
  // RTO bounds: the next RTT measurement clamps the path's RTO into them.
  p.cli.setOption('rto-info', { initial: 0, max: 0, min: 1500 }, p.association);
  assert.is(await roundTrip(p.cli, p.conn, 'ping'), 'ping');
  assert.is(await roundTrip(p.conn, p.cli, 'pong'), 'pong');
  assert.is(p.cli.getOption('status').primary?.rto, 1500);
  p.cli.setOption('rto-info', { initial: 300, max: 400, min: 100 }, p.association);
  assert.equal(p.cli.getOption('rto-info', p.association), { initial: 300, max: 400, min: 100 });
  for (let i = 0; i < 2; i++) {
    await roundTrip(p.cli, p.conn, 'ping');
    await roundTrip(p.conn, p.cli, 'pong');
  }
  const rto = p.cli.getOption('status').primary!.rto;
  assert.ok(rto >= 100 && rto <= 400, `rto ${rto}`);
  // Heartbeats off on the association, thresholds on the path.
  p.cli.setOption('peer-addr-params', { heartbeat: false, heartbeatNow: false, pathMtu: 0 }, p.association);
  assert.is(p.cli.getOption('peer-addr-params', p.association, { address: peer }).heartbeat, false);
  p.cli.setOption('peer-addr-thresholds', { pathMaxRetransmits: 6, potentiallyFailedThreshold: 2 }, p.association, { address: peer });
  assert.equal(p.cli.getOption('peer-addr-thresholds', p.association, { address: peer }), { pathMaxRetransmits: 6, potentiallyFailedThreshold: 2 });
  assert.is(p.cli.getOption('peer-addr-params', p.association, { address: peer }).pathMaxRetransmits, 6);
  p.close();
});

effects('disable-fragments: a message larger than the path MTU fails; maxseg: messages travel in smaller pieces', async () => {
  const p = await pair();
  p.cli.setOption('disable-fragments', true);
  const e = throwsCode(() => p.cli.send([{ data: Buffer.alloc(3000, 1) }]), 'datagram-too-large', '3000 bytes, MTU 1460');
  assert.is(e.errno, 'EMSGSIZE');
  p.cli.setOption('peer-addr-params', { heartbeatNow: false, pmtud: false, pathMtu: 1200 }, p.association);
  throwsCode(() => p.cli.send([{ data: Buffer.alloc(1300, 2) }]), 'datagram-too-large', '1300 bytes, MTU 1200');
  assert.is(p.cli.send([{ data: Buffer.alloc(1100, 3) }]), 1);
  assert.is((await messages(p.conn, 1))[0].data.length, 1100);
  p.cli.setOption('disable-fragments', false);
  p.cli.setOption('maxseg', 500, p.association);
  assert.is(p.cli.getOption('maxseg', p.association), 500);
  assert.is(p.cli.getOption('status').fragmentationPoint, 500);
  assert.is(p.cli.send([{ data: Buffer.alloc(3000, 4) }]), 1);
  const [m] = await messages(p.conn, 1);
  assert.equal([m.data.length, m.complete], [3000, true]);
  p.close();
});

effects('autoclose: an idle association of a one-to-many socket closes by itself', async () => {
  const srv = listener('one-to-many', (s) => {
    s.setOption('autoclose', 1000);
    s.setOption('event', true, 'future', { kind: 'assoc-change' });
  });
  const cli = client('one-to-one');
  await within(5000, cli.connect(srv.localAddress()), 'connect');
  cli.send([{ data: Buffer.from('then silence') }]);
  await messages(srv, 1);
  assert.is(srv.getOption('assoc-number'), 1);
  const started = Date.now();
  const seen: Incoming[] = [];
  while (!seen.some((i) => i.kind === 'end-of-stream')) seen.push(...(await within(6000, cli.receiveSome(), 'end-of-stream')));
  const idle = Date.now() - started;
  assert.ok(idle >= 500 && idle < 5000, `closed after ${idle} ms`);
  const change = await notifications(srv, 'assoc-change');
  assert.ok(change.type === 'assoc-change' && change.state === 'shutdown-comp', JSON.stringify(change));
  assert.is(srv.getOption('assoc-number'), 0);
  cli.close();
  srv.close();
});

effects('assoc-number and assoc-id-list with three associations; per-association context', async () => {
  const srv = listener('one-to-many');
  const clients = [client(), client(), client()];
  await within(5000, Promise.all(clients.map((c) => c.connect(srv.localAddress()))), 'connect');
  clients.forEach((c, i) => c.send([{ data: Buffer.from(`client ${i}`) }]));
  const got = await messages(srv, 3);
  const ids = got.map((m) => m.association);
  assert.is(new Set(ids).size, 3);
  assert.is(srv.getOption('assoc-number'), 3);
  assert.equal([...srv.getOption('assoc-id-list')].sort((a, b) => a - b), [...ids].sort((a, b) => a - b));
  // Each association has its own options: a context set on one shows on its messages only.
  const [a, b] = ids;
  srv.setOption('context', 0xaaaa, a);
  assert.is(srv.getOption('context', a), 0xaaaa);
  assert.is(srv.getOption('context', b), 0);
  clients.forEach((c, i) => c.send([{ data: Buffer.from(`again ${i}`) }]));
  const again = await messages(srv, 3);
  for (const m of again) assert.is(m.context, m.association === a ? 0xaaaa : 0, `context of ${m.association}`);
  assert.equal(srv.getOption('status', b).primary?.address.address, '127.0.0.1');
  clients[0].close();
  await sleep(300);
  assert.is(srv.getOption('assoc-number'), 2);
  clients.slice(1).forEach((c) => c.close());
  srv.close();
});

effects('default-sndinfo: the receiver sees the default stream and PPID of a message sent without send info', async () => {
  const p = await pair();
  p.cli.setOption('default-sndinfo', { stream: 3, ppid: 77, flags: { unordered: true }, context: 0 }, p.association);
  p.cli.setOption('default-prinfo', { policy: 'ttl', value: 5000 }, p.association);
  assert.equal(p.cli.getOption('default-prinfo', p.association), { policy: 'ttl', value: 5000 });
  // A message with nothing but data goes without send info (the addon's NOINFO): the defaults apply.
  assert.is(p.cli.send([{ data: Buffer.from('defaults') }]), 1);
  const [m] = await messages(p.conn, 1);
  assert.equal([m.data.toString(), m.stream, m.ppid, m.unordered], ['defaults', 3, 77, true]);
  // What a message says wins, field by field.
  p.cli.send([{ data: Buffer.from('explicit'), stream: 1, ppid: 5, unordered: false }]);
  const [n] = await messages(p.conn, 1);
  assert.equal([n.stream, n.ppid, n.unordered], [1, 5, false]);
  p.close();
});

effects('SCTP-AUTH: rotating the active key keeps an association whose DATA must be authenticated working', async () => {
  const keys = (s: SctpSocket, second = 'key-two') => {
    s.setOption('auth-key', { keyNumber: 1, key: Buffer.from('key-one') });
    s.setOption('auth-key', { keyNumber: 2, key: Buffer.from(second) });
  };
  const p = await pair(keys, (s) => {
    keys(s);
    s.setOption('auth-chunk', 0);  // DATA must be authenticated
  });
  assert.ok(p.cli.getOption('peer-auth-chunks').includes(0), 'the peer requires authenticated DATA');
  assert.ok(p.conn.getOption('local-auth-chunks').includes(0));
  assert.is(p.cli.getOption('auth-supported', p.association), true);
  p.cli.setOption('auth-active-key', 1, p.association);
  assert.is(await roundTrip(p.cli, p.conn, 'key 1'), 'key 1');
  p.cli.setOption('auth-active-key', 2, p.association);
  assert.is(p.cli.getOption('auth-active-key', p.association), 2);
  assert.is(await roundTrip(p.cli, p.conn, 'key 2'), 'key 2');
  p.cli.setOption('auth-deactivate-key', 1, p.association);
  p.cli.setOption('auth-delete-key', 1, p.association);
  throwsCode(() => p.cli.setOption('auth-active-key', 1, p.association), 'invalid-argument', 'a deleted key');
  throwsCode(() => p.cli.setOption('auth-delete-key', 2, p.association), 'invalid-argument', 'the active key');
  assert.is(await roundTrip(p.cli, p.conn, 'key 1 gone'), 'key 1 gone');
  p.close();

  // The keys are really checked: a key 2 the peer does not share makes its DATA vanish.
  const q = await pair((s) => keys(s, 'not-the-same'), (s) => {
    keys(s);
    s.setOption('auth-chunk', 0);
  });
  q.cli.setOption('auth-active-key', 2, q.association);
  q.cli.send([{ data: Buffer.from('forged') }]);
  await sleep(500);
  assert.equal(q.conn.receive().filter((i) => i.kind === 'message'), [], 'DATA with a wrong key is dropped');
  q.cli.setOption('linger', 0);
  q.close();
});

effects('event: a subscription per notification kind, per association', async () => {
  const p = await pair((c) => c.setOption('event', true, 'future', { kind: 'assoc-change' }));
  assert.is(p.cli.getOption('event', p.association, { kind: 'assoc-change' }), true);
  assert.is(p.cli.getOption('event', p.association, { kind: 'sender-dry' }), false);
  assert.is((await notifications(p.cli, 'assoc-change')).type, 'assoc-change');
  p.cli.setOption('event', true, p.association, { kind: 'sender-dry' });
  assert.is((await notifications(p.cli, 'sender-dry')).type, 'sender-dry');
  p.cli.setOption('event', false, p.association, { kind: 'sender-dry' });
  p.cli.send([{ data: Buffer.from('quiet') }]);
  await messages(p.conn, 1);
  await sleep(200);
  assert.equal(p.cli.receive(), [], 'no sender-dry after unsubscribing');
  p.close();
});

effects('linger 0: closing aborts the association (the peer sees connection-reset); none: a graceful end', async () => {
  const p = await pair();
  p.conn.setOption('linger', 0);
  assert.is(p.conn.getOption('linger'), 0);
  p.conn.close();
  const e = await within(5000, p.cli.receiveSome().then(() => undefined, (err: unknown) => err), 'abort');
  assert.instance(e, SctpError);
  assert.is((e as SctpError).code, 'connection-reset');
  p.close();

  const q = await pair();
  assert.is(q.conn.getOption('linger'), undefined);
  q.conn.close();
  assert.equal(await within(5000, q.cli.receiveSome(), 'end'), [{ kind: 'end-of-stream' }]);
  q.close();
});

effects('RFC 6525: reset-streams, add-streams and reset-assoc, with enable-stream-reset on the peer', async () => {
  const enable = (s: SctpSocket) => {
    s.setOption('enable-stream-reset', { resetStreams: true, resetAssociation: true, addStreams: true });
    for (const kind of ['stream-reset', 'stream-change', 'assoc-reset'] as const) s.setOption('event', true, 'future', { kind });
  };
  const p = await pair(enable, enable);
  assert.equal(p.conn.getOption('enable-stream-reset'), { resetStreams: true, resetAssociation: true, addStreams: true });
  p.cli.setOption('reset-streams', { directions: { outgoing: true }, streams: [1, 2] });
  const reset = await notifications(p.cli, 'stream-reset');
  assert.ok(reset.type === 'stream-reset' && reset.outgoing && !reset.denied, JSON.stringify(reset));
  const peer = await notifications(p.conn, 'stream-reset');
  assert.ok(peer.type === 'stream-reset' && peer.incoming, JSON.stringify(peer));
  p.cli.setOption('add-streams', { inbound: 0, outbound: 3 });
  await notifications(p.cli, 'stream-change');
  assert.is(p.cli.getOption('status').outboundStreams, 13);
  p.cli.setOption('reset-assoc', undefined);
  const assocReset = await notifications(p.cli, 'assoc-reset');
  assert.ok(assocReset.type === 'assoc-reset' && !assocReset.denied && !assocReset.failed, JSON.stringify(assocReset));
  assert.is(await roundTrip(p.cli, p.conn, 'after the reset'), 'after the reset');
  throwsCode(() => p.cli.setOption('reset-streams', { directions: { outgoing: true }, streams: [13] }), 'invalid-argument', 'stream 13 of 13');
  p.close();
});

effects('primary-addr, set-peer-primary-addr, stream scheduler and its per-stream value on a live association', async () => {
  const p = await pair();
  const peer = p.srv.localAddress();
  assert.equal(p.cli.getOption('primary-addr'), peer);
  p.cli.setOption('primary-addr', peer);
  throwsCode(() => p.cli.setOption('primary-addr', { family: 'ipv4', address: '127.0.0.2', port: 1 }), 'invalid-argument', 'not a peer address');
  p.cli.setOption('set-peer-primary-addr', p.cli.localAddress());
  throwsCode(() => p.cli.setOption('set-peer-primary-addr', { family: 'ipv4', address: '192.0.2.1', port: 1 }), 'invalid-argument', 'not a local address');
  throwsCode(() => p.cli.getOption('stream-scheduler-value', undefined, { stream: 1 }), 'invalid-argument', 'the default scheduler has no value');
  p.cli.setOption('stream-scheduler', 'priority', p.association);
  assert.is(p.cli.getOption('stream-scheduler', p.association), 'priority');
  p.cli.setOption('stream-scheduler-value', 3, undefined, { stream: 1 });
  assert.is(p.cli.getOption('stream-scheduler-value', undefined, { stream: 1 }), 3);
  throwsCode(() => p.cli.setOption('stream-scheduler-value', 3, undefined, { stream: 10 }), 'invalid-argument', 'stream 10 of 10');
  assert.equal(p.cli.getOption('pr-assoc-status'), { abandonedUnsent: 0, abandonedSent: 0 });
  assert.equal(p.cli.getOption('pr-stream-status', undefined, { stream: 0 }), { abandonedUnsent: 0, abandonedSent: 0 });
  throwsCode(() => p.cli.getOption('pr-stream-status', undefined, { stream: 0, policy: 'ttl' }), 'not-supported', 'per-policy stream counters');
  assert.equal(p.cli.getOption('timeouts'), { init: 0, data: 0, sack: 0, shutdown: 0, heartbeat: 0, cookie: 0, shutdownAck: 0 });
  p.close();
});

effects('negotiated features: pr-supported off on one end is off for the association', async () => {
  const p = await pair((c) => c.setOption('pr-supported', false));
  assert.is(p.cli.getOption('pr-supported', p.association), false);
  assert.is(p.conn.getOption('pr-supported'), false);
  assert.is(p.srv.getOption('pr-supported'), true, "the listener's own offer is unchanged");
  throwsCode(() => p.cli.setOption('pr-supported', true), 'invalid-state', 'set after the association exists');
  p.close();

  // I-DATA (RFC 8260): offered by both ends (which needs fragment-interleave streams), it is negotiated.
  const idata = (s: SctpSocket) => {
    s.setOption('fragment-interleave', 'streams');
    s.setOption('interleaving-supported', true);
    s.setOption('event', true, 'future', { kind: 'assoc-change' });
  };
  const q = await pair(idata, idata);
  assert.is(q.cli.getOption('interleaving-supported', q.association), true);
  const up = await notifications(q.cli, 'assoc-change');
  assert.ok(up.type === 'assoc-change' && up.features.includes('interleaving'), JSON.stringify(up));
  assert.is(await roundTrip(q.cli, q.conn, 'as I-DATA'), 'as I-DATA');
  q.close();
  const r = await pair(idata);
  assert.is(r.cli.getOption('interleaving-supported', r.association), false, 'offered by one end only');
  r.close();
});

effects.run();

// -------------------------------------------------------------------------------------------------
const guest = suite('options seen from a guest component (the WIT functions)');

/** A one-to-one peer for the guest: accepts stream resets, requires authenticated DATA (keys 1 and 2), echoes. */
function optionsPeer(): { port: number; close(): void } {
  const srv = listener('one-to-one', (s) => {
    s.setOption('enable-stream-reset', { resetStreams: true, resetAssociation: true, addStreams: true });
    s.setOption('auth-key', { keyNumber: 1, key: Buffer.from('key-one') });
    s.setOption('auth-key', { keyNumber: 2, key: Buffer.from('key-two') });
    s.setOption('auth-chunk', 0);
  });
  let closed = false;
  const conns: SctpSocket[] = [];
  (async () => {
    while (!closed) {
      let conn: SctpSocket;
      try {
        conn = await srv.acceptOne();
      } catch {
        return;
      }
      conns.push(conn);
      (async () => {
        try {
          for (;;) {
            const items = await conn.receiveSome();
            for (const item of items) {
              if (item.kind === 'message') await conn.sendAll([{ data: item.data, stream: item.stream, ppid: item.ppid }]);
            }
            if (items.some((i) => i.kind === 'end-of-stream')) break;
          }
        } catch {
          // the guest went away
        } finally {
          conn.close();
        }
      })();
    }
  })();
  return { port: srv.localAddress().port, close: () => { closed = true; conns.forEach((c) => c.close()); srv.close(); } };
}

async function observe(args: string[]): Promise<Map<string, Record<string, any>>> {
  const g = startGuest('options', args);
  const code = await exitWithin(g, 90_000);
  assert.is(code, 0, g.lines.join('\n'));
  const seen = new Map<string, Record<string, any>>();
  for (const line of g.lines) {
    if (line.startsWith('{')) {
      const o = JSON.parse(line) as Record<string, any>;
      seen.set(String(o.case), o);
    }
  }
  return seen;
}

guest('every read-write option set and read back through the WIT, and the error-codes of wrong values', async () => {
  const seen = await observe(['local']);
  const r = seen.get('read-back')!;
  assert.ok(r, 'no read-back');
  assert.equal(r.rtoInfo, { initial: 500, max: 5000, min: 200 });
  assert.equal(r.assocInfo, { peerRwnd: 0, localRwnd: 200000, cookieLife: 30000, maxRetransmits: 7, peerDestinations: 0 });
  assert.equal(r.initMsg, { numOstreams: 5, maxInstreams: 6, maxAttempts: 3, maxInitTimeo: 900 });
  assert.is(r.linger, 5000);
  assert.is(r.nodelay, true);
  assert.is(r.receiveBufferSize, 200000);
  assert.is(r.sendBufferSize, 300000);
  assert.is(r.autoclose, 3000);
  assert.is(r.adaptationLayer, 0xabcdef);
  assert.is(r.disableFragments, true);
  // Path.Max.Retrans is shared with peer-addr-thresholds, which the guest set to 4 afterwards.
  assert.equal(r.peerAddrParams, { heartbeat: true, heartbeatInterval: 5000, heartbeatNow: false, pmtud: false, pathMtu: 1200, pathMaxRetransmits: 4 });
  assert.is(r.mappedV4Addresses, true);
  assert.is(r.maxseg, 1000);
  assert.equal(r.hmacIdent, ['sha1']);
  assert.is(r.authActiveKey, 1);
  assert.equal(r.delayedSack, { delay: 100, frequency: 3 });
  assert.is(r.fragmentInterleave, 'streams');
  assert.is(r.partialDeliveryPoint, 1000);
  assert.is(r.maxBurst, 6);
  assert.is(r.context, 77);
  assert.is(r.explicitEor, true);
  assert.is(r.reusePort, true);
  assert.equal([r.event, r.eventOff], [true, false]);
  assert.equal([r.recvRcvinfo, r.recvNxtinfo], [true, true]);
  assert.equal(r.defaultSndinfo, { stream: 2, ppid: 42, flags: { unordered: true, addrOver: false, abort: false, eof: false, sendall: false, sackImmediately: false, eor: false }, context: 9 });
  assert.equal(r.defaultPrinfo, { policy: 'ttl', value: 300 });
  assert.equal(r.localAuthChunks, [0]);
  assert.equal(r.enableStreamReset, { resetStreams: true, resetAssociation: false, addStreams: true });
  assert.equal([r.prSupported, r.interleavingSupported], [false, true]);
  assert.is(r.streamScheduler, 'priority');
  assert.is(r.remoteUdpEncapsPort, 4242);
  assert.equal(r.peerAddrThresholds, { pathMaxRetransmits: 4, potentiallyFailedThreshold: 2 });
  assert.equal([r.ecnSupported, r.authSupported, r.asconfSupported, r.reconfigSupported, r.nrsackSupported, r.pktdropSupported], [false, false, false, false, true, true]);
  assert.is(r.maxCwnd, 100000);
  assert.is(r.ipv6Only, false);
  assert.equal([r.assocNumber, r.assocIdList], [0, []]);
  assert.is(seen.get('linger-off')?.none, true);
  assert.equal(seen.get('auto-asconf'), { case: 'auto-asconf', wildcard: false, bound: 'invalid-state' });

  const errors = seen.get('errors')!;
  const expected: Record<string, string> = {
    rtoOrder: 'invalid-argument', cookieLife: 'invalid-argument', lingerFraction: 'invalid-argument',
    autocloseFraction: 'invalid-argument', autocloseOneToOne: 'invalid-state', sackDelay: 'invalid-argument',
    pathMtu: 'invalid-argument', sackDelayLinuxOnly: 'not-supported', dscp: 'invalid-argument',
    hmacWithoutSha1: 'invalid-argument', hmacTwice: 'invalid-argument', reusePortOff: 'not-supported',
    reusePortOneToMany: 'invalid-state', notificationsStopped: 'not-supported', rcvinfoOff: 'not-supported',
    prinfoNoneWithValue: 'invalid-argument', wfq: 'not-supported',
    ipv6OnlyOn: 'not-supported', ipv6OnlyOnIpv4: 'not-supported', assocNumberOneToOne: 'invalid-state',
    statusOneToManyNone: 'invalid-argument', unknownAssociation: 'invalid-argument',
    unknownAssociationSet: 'invalid-argument', currentForDefaultsOnly: 'invalid-argument',
    resetStreamsNoDirection: 'invalid-argument', addStreamsNone: 'invalid-argument',
    resetAssocUnconnected: 'invalid-state', peerPrimaryUnconnected: 'invalid-argument',
    deactivateUnknownKey: 'invalid-argument', deleteUnknownKey: 'invalid-argument',
  };
  for (const [k, code] of Object.entries(expected)) assert.is(errors[k], code, k);
});

guest('a live association through the WIT: status, path report, scheduler, RFC 6525 requests, auth key rotation', async () => {
  const peer = optionsPeer();
  try {
    const seen = await observe(['live', '127.0.0.1', String(peer.port), String(udpPort)]);
    const target = `127.0.0.1:${peer.port}`;
    const status = seen.get('status')!;
    assert.is(status.state, 'established');
    assert.is(status.association, status.connected, 'the id finish-connect returned');
    assert.is(status.expectedPrimary, target);
    assert.equal([status.outboundStreams, status.inboundStreams], [6, 6]);
    assert.is(status.primary.address, target);
    assert.is(status.primary.state, 'active');
    const info = seen.get('peer-addr-info')!;
    assert.equal(info.info, status.primary);
    assert.equal(info.byAssociation.address, target);

    const a = seen.get('association-options')!;
    assert.is(a.primaryAddr, target);
    assert.equal([a.setPrimaryAddr, a.setPeerPrimaryAddr], ['ok', 'ok']);
    assert.ok(a.peerAuthChunks.includes(0), `peer auth chunks ${a.peerAuthChunks}`);
    assert.equal(a.prAssocStatus, { abandonedUnsent: 0, abandonedSent: 0 });
    assert.equal(a.prAssocStatusTtl, { abandonedUnsent: 0, abandonedSent: 0 });
    assert.equal(a.prStreamStatus, { abandonedUnsent: 0, abandonedSent: 0 });
    assert.equal(a.prStreamStatusTtl, { error: 'not-supported' });
    assert.equal(a.negotiated, { pr: true, interleaving: false, reconfig: true });
    assert.is(a.timeouts.init, 0);

    assert.equal(seen.get('scheduler'), { case: 'scheduler', scheduler: 'priority', value: 5 });
    assert.equal(seen.get('path-before-traffic')?.rtoInfo, { initial: 3000, max: 60000, min: 1500 });
    const path = seen.get('path')!;
    assert.is(path.reply, 'measure rtt');
    assert.is(path.info.mtu, 1200, 'peer-addr-params fixed the MTU');
    assert.is(path.info.rto, 1500, 'rto-info min applies to the next measurement');
    assert.equal([path.params.pmtud, path.params.pathMtu, path.params.heartbeatInterval], [false, 1200, 1000]);
    assert.equal(path.thresholds, { pathMaxRetransmits: 6, potentiallyFailedThreshold: 3 });
    assert.ok(path.fragmentationPoint < 1200, `fragmentation point ${path.fragmentationPoint}`);

    const rc = seen.get('reconfig')!;
    const kinds = (list: Array<{ tag: string; val: { tag: string; val: Record<string, any> } }>) => list.map((i) => i.val);
    const reset = kinds(rc.reset).find((n) => n.tag === 'stream-reset')!;
    assert.ok(reset && reset.val.flags.outgoing && !reset.val.flags.denied, JSON.stringify(rc.reset));
    assert.equal(reset.val.streams, [1]);
    const change = kinds(rc.change).find((n) => n.tag === 'stream-change')!;
    assert.ok(change && change.val.outboundStreams === 8, JSON.stringify(rc.change));
    assert.is(rc.resetAssoc, 'ok');
    assert.ok(kinds(rc.assocReset).some((n) => n.tag === 'assoc-reset' && !n.val.flags.denied), JSON.stringify(rc.assocReset));
    assert.is(rc.outboundStreams, 8);

    const auth = seen.get('auth-rotation')!;
    assert.ok(auth.peerAuthChunks.includes(0));
    assert.equal([auth.withKey1, auth.active1, auth.withKey2, auth.deactivate1, auth.deleteActive, auth.afterDeactivate, auth.active2],
      ['signed with key 1', 1, 'signed with key 2', 'ok', 'invalid-argument', 'key 1 retired', 2]);
  } finally {
    peer.close();
  }
});

guest.run();
