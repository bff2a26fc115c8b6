// The host's network policy (host/policy.ts): which addresses a guest may bind, connect or send
// to, and accept associations from. Denied calls get `access-denied` before a packet leaves; a
// refused peer's association is aborted and never reaches the guest. These tests call the host's
// WIT-level objects directly, as a transpiled guest does; guests.test.ts runs a component with
// the CLI flags.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SctpSocket, initStack, type SocketAddress } from '../src/index.js';
import { createSctpSocket, type SctpSocket as HostSocket } from '../host/sctp-socket.js';
import { hostConfig } from '../host/config.js';
import { DEFAULT_POLICY, NetworkPolicy, parseRule } from '../host/policy.js';
import type * as wit from '../types/generated/interfaces/sctp-sockets-sctp.js';
import { bytes, codeOf, info, ipv4, network, text } from './harness/host.js';
import { sniffer } from './harness/wire/sniffer.js';
import { CHUNK } from './harness/wire/sctp-wire.js';
import { lo, within } from './harness/node-api.js';
import { spawnSync } from 'node:child_process';
import { cliPath, startGuest } from './harness/components.js';
import { byCase, exitWithin } from './harness/processes.js';

const { udpPort } = initStack();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/** INIT goes out at once instead of after the default 3 s initial RTO. */
const QUICK_RTO = { initial: 100, max: 400, min: 50 };

function hostSocket(type: wit.SocketType, encapsPort = udpPort): HostSocket {
  const s = createSctpSocket('ipv4', type);
  s.setRemoteUdpEncapsPort({ tag: 'future' }, encapsPort);
  s.setRtoInfo({ tag: 'future' }, QUICK_RTO);
  return s;
}

function bound(type: wit.SocketType, port = 0, encapsPort = udpPort): HostSocket {
  const s = hostSocket(type, encapsPort);
  s.startBind(network, ipv4('127.0.0.1', port));
  s.finishBind();
  return s;
}

/** A TS API client on 127.0.0.1:`port` (0: any) that reaches this process's host sockets. */
function apiClient(type: 'one-to-one' | 'one-to-many', port = 0): SctpSocket {
  const s = SctpSocket.create('ipv4', type);
  s.setOption('remote-udp-encaps-port', udpPort);
  s.setOption('rto-info', QUICK_RTO);
  s.bind(lo(port));
  return s;
}

async function endsWithError(s: SctpSocket, what: string): Promise<string> {
  return within(5000, (async () => {
    for (;;) {
      try {
        await s.receiveSome();
      } catch (e) {
        return (e as { code: string }).code;
      }
    }
  })(), what);
}

const rules = suite('policy rules');

rules('the default allows loopback only: bind loopback or the wildcard, connect to and accept from loopback', () => {
  const p = new NetworkPolicy();
  assert.equal(p.text, DEFAULT_POLICY);
  assert.ok(p.allows('connect', ipv4('127.0.0.1', 5000)));
  assert.ok(p.allows('connect', ipv4('127.8.9.10', 1)));
  assert.not.ok(p.allows('connect', ipv4('10.0.0.1', 5000)));
  assert.not.ok(p.allows('connect', ipv4('192.168.1.1', 5000)));
  assert.ok(p.allows('bind', ipv4('0.0.0.0', 0)));
  assert.ok(p.allows('bind', ipv4('127.0.0.1', 0)));
  assert.not.ok(p.allows('bind', ipv4('10.0.0.1', 0)));
  assert.ok(p.allows('accept', { tag: 'ipv6', val: { address: [0, 0, 0, 0, 0, 0, 0, 1], port: 9, flowInfo: 0, scopeId: 0 } }));
  // An IPv4-mapped IPv6 address is the IPv4 address.
  assert.ok(p.allows('accept', { tag: 'ipv6', val: { address: [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1], port: 9, flowInfo: 0, scopeId: 0 } }));
  assert.not.ok(p.allows('accept', { tag: 'ipv6', val: { address: [0, 0, 0, 0, 0, 0xffff, 0x0a00, 1], port: 9, flowInfo: 0, scopeId: 0 } }));
  assert.not.ok(p.allowsAll('connect'));
  assert.ok(new NetworkPolicy('allow-all').allowsAll('accept'));
});

rules('rules name networks, port ranges, IPv6 in brackets; a direction given replaces its default only', () => {
  const p = new NetworkPolicy({ connect: ['10.77.0.0/24:5000-5010', '[fd00::/8]:443', '2001:db8::1'] });
  assert.ok(p.allows('connect', ipv4('10.77.0.200', 5005)));
  assert.not.ok(p.allows('connect', ipv4('10.77.1.1', 5005)));
  assert.not.ok(p.allows('connect', ipv4('10.77.0.2', 5011)));
  assert.not.ok(p.allows('connect', ipv4('127.0.0.1', 5005)), 'connect no longer has its default');
  assert.ok(p.allows('bind', ipv4('127.0.0.1', 0)), 'bind keeps its default');
  const v6 = (groups: number[], port: number): wit.IpSocketAddress =>
    ({ tag: 'ipv6', val: { address: groups as never, port, flowInfo: 0, scopeId: 0 } });
  assert.ok(p.allows('connect', v6([0xfd12, 0, 0, 0, 0, 0, 0, 1], 443)));
  assert.not.ok(p.allows('connect', v6([0xfd12, 0, 0, 0, 0, 0, 0, 1], 444)));
  assert.ok(p.allows('connect', v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 1], 1)));
  assert.ok(new NetworkPolicy({ connect: ['any'] }).allowsAll('connect'));
  assert.not.ok(new NetworkPolicy({ connect: [] }).allows('connect', ipv4('127.0.0.1', 1)), 'an empty list allows nothing');
  // Port 0 ("the host chooses") is in a range only when the range says so.
  const b = new NetworkPolicy({ bind: ['127.0.0.1:40000-40010'] });
  assert.not.ok(b.allows('bind', ipv4('127.0.0.1', 0)));
  assert.ok(b.allows('bind', ipv4('127.0.0.1', 40010)));
  for (const bad of ['10.0.0.0/33', '300.1.1.1', '10.0.0.1:70000', '10.0.0.1:9-8', 'fe80::1%eth0', '[::1]:', 'example.com']) {
    assert.throws(() => parseRule(bad), (e: Error) => e.message.includes(bad), bad);
  }
});

rules.run();

const outgoing = suite('bind, connect and send: denied before a packet leaves');
outgoing.after.each(() => hostConfig.configure({ policy: {} }));

outgoing('a denied start-connect sends no INIT; an allowed one does', async () => {
  const wire = await sniffer();
  try {
    hostConfig.configure({ policy: { connect: ['127.0.0.1:1-1000'] } });
    const s = bound('one-to-one', 0, wire.port);
    assert.is(codeOf(() => s.startConnect(network, ipv4('127.0.0.1', 5000))), 'access-denied');
    assert.is(codeOf(() => s.finishConnect()), 'not-in-progress', 'nothing was started');
    await sleep(500);
    assert.equal(wire.packets, [], 'nothing left the host');
    // The same socket, to a port the rule allows: the INIT is on the wire at once.
    assert.is(codeOf(() => s.startConnect(network, ipv4('127.0.0.1', 999))), 'ok');
    await within(3000, (async () => { while (!wire.packets.length) await sleep(20); })(), 'INIT');
    assert.equal(wire.packets[0].chunks, [CHUNK.INIT]);
    assert.is(wire.packets[0].destinationPort, 999);
    s[Symbol.dispose]();
  } finally {
    wire.close();
  }
});

outgoing('bind: denied addresses and ports, and a connect\'s implicit bind of the wildcard when the rules leave it out', () => {
  hostConfig.configure({ policy: { bind: ['127.0.0.1:40000-40010'] } });
  const s = hostSocket('one-to-many');
  assert.is(codeOf(() => s.startBind(network, ipv4('127.0.0.1', 0))), 'access-denied', 'port 0 is outside 40000-40010');
  assert.is(codeOf(() => s.startBind(network, ipv4('127.0.0.2', 40001))), 'access-denied');
  assert.is(codeOf(() => s.startBind(network, ipv4('0.0.0.0', 40001))), 'access-denied');
  // start-connect would bind 0.0.0.0:0 first.
  assert.is(codeOf(() => s.startConnect(network, ipv4('127.0.0.1', 9))), 'access-denied');
  assert.is(codeOf(() => s.localAddress()), 'invalid-state', 'still unbound');
  assert.is(codeOf(() => s.startBind(network, ipv4('127.0.0.1', 40005))), 'ok');
  assert.is(codeOf(() => s.finishBind()), 'ok');
  assert.equal(s.localAddress(), ipv4('127.0.0.1', 40005));
  s[Symbol.dispose]();
});

outgoing('only the calls that take the network bind: start-listen and a one-to-many send need a bound socket, start-connect binds one', async () => {
  // The policy allows the wildcard (the default): what stops these calls is the missing capability.
  const wire = await sniffer();
  try {
    for (const type of ['one-to-one', 'one-to-many'] as const) {
      const s = hostSocket(type, wire.port);
      assert.is(codeOf(() => s.startListen()), 'invalid-state', `${type} start-listen`);
      assert.is(codeOf(() => s.finishListen()), 'not-in-progress', `${type}: no listen was started`);
      if (type === 'one-to-many') {
        assert.is(codeOf(() => s.send([{ data: bytes('x'), info: info({ destination: ipv4('127.0.0.1', 9) }) }])), 'invalid-state', 'send');
      }
      assert.is(codeOf(() => s.localAddress()), 'invalid-state', `${type}: still unbound`);
      s[Symbol.dispose]();
    }
    await sleep(500);
    assert.equal(wire.packets, [], 'nothing left the host');
    // start-connect takes the network: it binds the unbound socket to the wildcard and sends its INIT.
    const c = hostSocket('one-to-one', wire.port);
    assert.is(codeOf(() => c.startConnect(network, ipv4('127.0.0.1', 9))), 'ok');
    assert.equal(c.localAddress().val.address, [0, 0, 0, 0]);
    await within(3000, (async () => { while (!wire.packets.length) await sleep(20); })(), 'INIT');
    assert.equal(wire.packets[0].chunks, [CHUNK.INIT]);
    c[Symbol.dispose]();
    // Bound explicitly, the same socket kinds listen and send.
    const listener = bound('one-to-one');
    assert.is(codeOf(() => listener.startListen()), 'ok');
    const many = bound('one-to-many', 0, wire.port);
    assert.is(codeOf(() => many.send([{ data: bytes('x'), info: info({ destination: ipv4('127.0.0.1', 9) }) }])), 'ok');
    for (const x of [listener, many]) x[Symbol.dispose]();
  } finally {
    wire.close();
  }
});

outgoing('a send whose destination is denied sends nothing, not even the allowed messages before it in the batch', async () => {
  const wire = await sniffer();
  try {
    hostConfig.configure({ policy: { connect: ['127.0.0.1:7000'] } });
    const s = bound('one-to-many', 0, wire.port);
    const allowed = { data: bytes('to 7000'), info: info({ destination: ipv4('127.0.0.1', 7000) }) };
    const denied = { data: bytes('to 7001'), info: info({ destination: ipv4('127.0.0.1', 7001) }) };
    assert.is(codeOf(() => s.send([allowed, denied])), 'access-denied');
    assert.is(codeOf(() => s.send([denied])), 'access-denied');
    // addr-over names a path of an association: the same rule applies.
    assert.is(codeOf(() => s.send([{ data: bytes('x'), info: info({ association: 3, flags: { addrOver: true }, destination: ipv4('10.1.1.1', 7000) }) }])), 'access-denied');
    await sleep(500);
    assert.equal(wire.packets, [], 'nothing left the host');
    assert.is(codeOf(() => s.send([allowed])), 'ok');
    await within(3000, (async () => { while (!wire.packets.length) await sleep(20); })(), 'INIT');
    assert.ok(wire.packets.every((p) => p.destinationPort === 7000), JSON.stringify(wire.packets));
    s[Symbol.dispose]();
  } finally {
    wire.close();
  }
});

outgoing('setting the primary path or asking for a heartbeat names a peer address: the connect rules apply', () => {
  hostConfig.configure({ policy: { connect: ['127.0.0.1:7000'] } });
  const s = bound('one-to-one');
  assert.is(codeOf(() => s.setPrimaryAddr(undefined, ipv4('10.0.0.1', 7000))), 'access-denied');
  const params = s.peerAddrParams(undefined, undefined);
  assert.is(codeOf(() => s.setPeerAddrParams({ tag: 'future' }, ipv4('10.0.0.1', 7000), { ...params, heartbeatNow: true })), 'access-denied');
  // An allowed address goes on to the stack, which finds no association on this socket yet.
  assert.is(codeOf(() => s.setPrimaryAddr(undefined, ipv4('127.0.0.1', 7000))), 'invalid-state');
  s[Symbol.dispose]();
});

outgoing.run();

const incoming = suite('accept: associations from refused peers never reach the guest');
incoming.after.each(() => hostConfig.configure({ policy: {} }));

/** Only peers on 127.0.0.1 with ports 41000-41099 may associate. */
const ACCEPT_RULES = { accept: ['127.0.0.1:41000-41099'] };

incoming('a one-to-one listener hands out allowed associations only; a refused peer sees its association aborted', async () => {
  hostConfig.configure({ policy: ACCEPT_RULES });
  const listener = bound('one-to-one');
  listener.startListen();
  listener.finishListen();
  const address = listener.localAddress();
  const server: SocketAddress = { family: 'ipv4', address: '127.0.0.1', port: address.val.port };

  const refused = apiClient('one-to-one');
  const allowed = apiClient('one-to-one', 41007);
  // The stack completes the handshake before the host sees the association: both connect, and
  // the refused one is aborted when the guest's accept reaches it in the queue.
  await within(5000, refused.connect(server), 'refused connect');
  refused.send([{ data: Buffer.from('let me in') }]);
  await within(5000, allowed.connect(server), 'allowed connect');
  allowed.send([{ data: Buffer.from('hello') }]);

  let accepted: HostSocket | undefined;
  await within(5000, (async () => {
    for (;;) {
      try { accepted = listener.accept(); return; } catch (e) { if ((e as { payload?: string }).payload !== 'would-block') throw e; }
      await sleep(20);
    }
  })(), 'accept');
  assert.equal(accepted!.remoteAddress(), ipv4('127.0.0.1', 41007), 'the one accepted is the allowed peer');
  assert.is(codeOf(() => listener.accept()), 'would-block', 'nothing else is waiting');
  assert.is(await endsWithError(refused, 'abort seen by the refused peer'), 'connection-reset');
  const got: string[] = [];
  await within(5000, (async () => {
    while (!got.length) {
      for (const item of accepted!.receive(16n)) if (item.tag === 'message') got.push(text(item.val.data));
      await sleep(20);
    }
  })(), 'receive');
  assert.equal(got, ['hello']);
  for (const s of [accepted!, listener]) s[Symbol.dispose]();
  refused.close();
  allowed.close();
});

incoming('a one-to-many listener: refused associations are aborted; their messages, notifications and ids stay hidden', async () => {
  hostConfig.configure({ policy: ACCEPT_RULES });
  const listener = bound('one-to-many');
  listener.setEvent({ tag: 'future' }, 'assoc-change', true);
  listener.startListen();
  listener.finishListen();
  const server: SocketAddress = { family: 'ipv4', address: '127.0.0.1', port: listener.localAddress().val.port };

  const allowed = apiClient('one-to-one', 41010);
  const refused = apiClient('one-to-one');
  await within(5000, Promise.all([allowed.connect(server), refused.connect(server)]), 'connects');
  refused.send([{ data: Buffer.from('from a refused peer') }]);
  allowed.send([{ data: Buffer.from('from an allowed peer') }]);

  const messages: string[] = [];
  const associations = new Set<number>();
  await within(5000, (async () => {
    while (!messages.length) {
      for (const item of listener.receive(64n)) {
        if (item.tag === 'message') { messages.push(text(item.val.data)); associations.add(item.val.association); }
        if (item.tag === 'notification' && item.val.tag === 'assoc-change') associations.add(item.val.val.association);
      }
      await sleep(20);
    }
  })(), 'receive');
  assert.equal(messages, ['from an allowed peer']);
  assert.is(associations.size, 1, 'only the allowed association was ever named');
  assert.is(await endsWithError(refused, 'abort seen by the refused peer'), 'connection-reset');
  const [mine] = associations;
  assert.equal(Array.from(listener.assocIdList()), [mine]);
  // Guessing ids does not reach the refused association: ids are small integers from 3 up.
  for (let id = 1; id < mine + 3; id++) {
    if (id === mine) continue;
    assert.is(codeOf(() => listener.send([{ data: bytes('guess'), info: info({ association: id }) }])), 'invalid-argument', `send to ${id}`);
    assert.is(codeOf(() => listener.status(id)), 'invalid-argument', `status of ${id}`);
  }
  assert.is(codeOf(() => listener.send([{ data: bytes('reply'), info: info({ association: mine }) }])), 'ok');
  const [reply] = await within(5000, allowed.receiveSome(), 'reply');
  assert.is(reply.kind === 'message' && reply.data.toString(), 'reply');
  listener[Symbol.dispose]();
  allowed.close();
  refused.close();
});

incoming('a peer that sends and shuts down before the guest reads is judged by where its messages came from', async () => {
  hostConfig.configure({ policy: ACCEPT_RULES });
  const listener = bound('one-to-many');
  listener.startListen();
  listener.finishListen();
  const server: SocketAddress = { family: 'ipv4', address: '127.0.0.1', port: listener.localAddress().val.port };
  // Both send one message with eof; the associations are gone before the host looks.
  const peers = [apiClient('one-to-many', 41020), apiClient('one-to-many')];
  peers.forEach((p, i) => p.send([{ data: Buffer.from(i === 0 ? 'allowed, then gone' : 'refused, then gone'), destination: server, flags: { eof: true } }]));
  await sleep(1500);
  assert.equal(listener.assocIdList(), new Uint32Array(0), 'both associations have ended');
  const messages = listener.receive(64n).flatMap((item) => (item.tag === 'message' ? [text(item.val.data)] : []));
  assert.equal(messages, ['allowed, then gone']);
  listener[Symbol.dispose]();
  for (const p of peers) p.close();
});

incoming('with allow-all nothing is screened', async () => {
  hostConfig.configure({ policy: 'allow-all' });
  const listener = bound('one-to-many');
  listener.startListen();
  listener.finishListen();
  const server: SocketAddress = { family: 'ipv4', address: '127.0.0.1', port: listener.localAddress().val.port };
  const peer = apiClient('one-to-many');
  peer.send([{ data: Buffer.from('anyone'), destination: server }]);
  const got: string[] = [];
  await within(5000, (async () => {
    while (!got.length) {
      for (const item of listener.receive(8n)) if (item.tag === 'message') got.push(text(item.val.data));
      await sleep(20);
    }
  })(), 'receive');
  assert.equal(got, ['anyone']);
  listener[Symbol.dispose]();
  peer.close();
});

incoming.run();

const guest = suite('a guest component under the CLI flags');

guest('--allow-bind and --allow-connect: refused calls are access-denied and nothing reaches the wire but the allowed connect', async () => {
  const wire = await sniffer();
  try {
    const [denied, allowed] = [7001, 7000];
    const g = startGuest('reliability', ['denied', String(wire.port), String(denied), String(allowed)],
      { hostArgs: ['--allow-bind', '127.0.0.1', '--allow-connect', `127.0.0.1:${allowed}`] });
    assert.is(await exitWithin(g, 60_000), 0, g.lines.join('\n'));
    assert.equal(Object.fromEntries([...byCase(g.events)].map(([name, o]) => [name, o.code])), {
      'bind-other-address': 'access-denied',
      // An unbound socket would bind the wildcard address first, which --allow-bind 127.0.0.1 leaves out.
      'connect-unbound': 'access-denied',
      'connect-denied-port': 'access-denied',
      'connect-denied-address': 'access-denied',
      // These take no network, so they bind nothing: whatever the policy, an unbound socket cannot.
      'listen-unbound': 'invalid-state',
      'send-unbound': 'invalid-state',
      'send-denied-destination': 'access-denied',
      'connect-allowed': 'ok',
    });
    // Every packet that left went to the allowed port: the INITs of the control connect.
    assert.ok(wire.packets.length > 0, 'the allowed connect reached the wire');
    assert.equal([...new Set(wire.packets.map((p) => p.destinationPort))], [allowed], JSON.stringify(wire.packets));
  } finally {
    wire.close();
  }
});

guest('the CLI refuses a bad rule, or --allow-all with rules, before running anything', () => {
  for (const [flags, message] of [[['--allow-connect', '10.0.0.0/33'], "rule '10.0.0.0/33'"], [['--allow-all', '--allow-bind', 'any'], '--allow-all cannot']] as const) {
    const r = spawnSync(process.execPath, [cliPath, 'run', 'never-read.wasm', ...flags], { encoding: 'utf8' });
    assert.is(r.status, 2, r.stderr);
    assert.ok(r.stderr.includes(message), r.stderr);
  }
});

guest.run();
