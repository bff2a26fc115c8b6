// Socket options (issue 4), the table: every row of src/options.ts against the WIT and the guide,
// and every read-write option set and read back through the Node API, with the errors of values it
// refuses. What options do on a live association: options-paths and options-associations; from a
// guest component: options-guest.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OPTION_TABLE, SctpSocket, type AssocScope, type OptionKey, type OptionName, type OptionValue, type SocketType } from '../src/index.js';
import { currentTable, GUIDE, renderOptionsTable } from '../scripts/options-doc.js';
import { projectRoot } from '../scripts/guests.js';
import { lo, throwsCode } from './harness/node-api.js';

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

table("POSIX-COMPAT.md's options table is the one src/options.ts renders", () => {
  const guide = readFileSync(GUIDE, 'utf8');
  assert.is(currentTable(guide), renderOptionsTable(), 'run node dist/scripts/options-doc.js');
});

table('every WIT option function is called by the options guest', () => {
  const guest = readFileSync(join(projectRoot, 'test', 'guests', 'options', 'options.ts'), 'utf8');
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
      // These have one possible value here (recv-rcvinfo, ipv6-only, auto-asconf) or one this usrsctp build supports (hmac-ident).
      if (!['recv-rcvinfo', 'ipv6-only', 'auto-asconf', 'hmac-ident'].includes(row.name)) {
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
    [() => s.setOption('auto-asconf', true), 'usrsctp on Linux follows no address changes'],
  ];
  for (const [f, what] of unsupported) throwsCode(f, 'not-supported', what);
  throwsCode(() => s.setOption('autoclose', 1000), 'invalid-state', 'autoclose on one-to-one');
  throwsCode(() => s.getOption('assoc-number'), 'invalid-state', 'assoc-number on one-to-one');
  throwsCode(() => s.getOption('assoc-id-list'), 'invalid-state', 'assoc-id-list on one-to-one');
  throwsCode(() => many.setOption('reuse-port', true), 'invalid-state', 'reuse-port on one-to-many');
  // usrsctp answers EINVAL here; the table says what it means.
  s.bind(lo());
  throwsCode(() => s.setOption('reuse-port', true), 'invalid-state', 'reuse-port after bind');
  throwsCode(() => s.setOption('interleaving-supported', true), 'invalid-state', 'I-DATA without fragment-interleave streams');
  throwsCode(() => s.setOption('auth-supported', false), 'invalid-state', 'auth off while asconf is on');
  s.close();
  many.close();
  v6.close();
});

roundTrips.run();
