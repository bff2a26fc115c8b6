// Addresses between the WIT and the stack (host/addresses.ts, src/addresses/): converted once each
// way with the IPv6 flow info and scope id kept, so that a link-local address works; and IPv6
// sockets, which are dual-stack, reaching IPv4 peers by their IPv4-mapped addresses. These tests
// call the host's WIT-level objects directly, as a transpiled guest does.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { SctpSocket, initStack, type ReceivedMessage } from '../src/index.js';
import { createSctpSocket } from '../host/sctp-socket.js';
import { fromWit, toWit } from '../host/addresses.js';
import type { IpSocketAddress } from '../types/generated/interfaces/wasi-sockets-network.js';
import { bytes, info, isHostError, network, text } from './harness/host.js';
import { lo, within } from './harness/node-api.js';
import { netnsUnavailable } from './harness/netns/lab.js';
import { cleanupAtExit, run, tryRun } from './harness/shell.js';

const { udpPort } = initStack();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** ::ffff:127.0.0.1 */
function mappedLoopback(port: number): IpSocketAddress {
  return { tag: 'ipv6', val: { address: [0, 0, 0, 0, 0, 0xffff, 0x7f00, 1], port, flowInfo: 0, scopeId: 0 } };
}

/** Calls `f` until it does not fail with would-block. */
async function settled<T>(f: () => T, what: string): Promise<T> {
  return within(5000, (async () => {
    for (;;) {
      try {
        return f();
      } catch (e) {
        if (!isHostError(e) || e.payload !== 'would-block') throw e;
        await sleep(5);
      }
    }
  })(), what);
}

async function firstMessage(s: SctpSocket): Promise<ReceivedMessage> {
  for (;;) {
    const item = (await within(5000, s.receiveSome(), 'a message')).find((i) => i.kind === 'message');
    if (item) return item as ReceivedMessage;
  }
}

const conversion = suite('WIT addresses to the stack and back');

conversion('an IPv6 address keeps its flow info and scope id; an IPv4 address is unchanged', () => {
  const linkLocal: IpSocketAddress = { tag: 'ipv6', val: { address: [0xfe80, 0, 0, 0, 0, 0, 0, 1], port: 5000, flowInfo: 0x12345, scopeId: 7 } };
  assert.equal(toWit(fromWit(linkLocal)), linkLocal);
  const v4: IpSocketAddress = { tag: 'ipv4', val: { address: [10, 1, 2, 3], port: 9 } };
  assert.equal(toWit(fromWit(v4)), v4);
});

conversion.run();

const mapped = suite('IPv6 sockets reach IPv4 peers by their IPv4-mapped addresses');

/** An IPv4 listener of the TS API on 127.0.0.1, and an IPv6 host socket of the same style that can reach it. */
function ipv4ListenerAndIpv6Client(type: 'one-to-one' | 'one-to-many') {
  const listener = SctpSocket.create('ipv4', type);
  listener.bind(lo(0));
  listener.listen();
  const client = createSctpSocket('ipv6', type);
  client.setRemoteUdpEncapsPort({ tag: 'future' }, udpPort);
  return { listener, client, mappedListener: mappedLoopback(listener.localAddress().port) };
}

/** An IPv6 one-to-one host socket connected by `connect` to an IPv4 listener's mapped address carries a message. */
async function reachesIpv4Listener(connect: (client: ReturnType<typeof createSctpSocket>, to: ReturnType<typeof mappedLoopback>) => void) {
  const { listener, client, mappedListener } = ipv4ListenerAndIpv6Client('one-to-one');
  try {
    connect(client, mappedListener);
    await settled(() => client.finishConnect(), 'finish-connect');
    assert.is(client.send([{ data: bytes('over a mapped address'), info: info() }]), 1n);
    const conn = await within(5000, listener.acceptOne(), 'accept');
    assert.is((await firstMessage(conn)).data.toString(), 'over a mapped address');
    conn.close();
  } finally {
    client[Symbol.dispose]();
    listener.close();
  }
}

mapped('start-connect to ::ffff:127.0.0.1 sets up an association with an IPv4 listener', () =>
  reachesIpv4Listener((client, to) => client.startConnect(network, to)));

mapped('start-connectx to ::ffff:127.0.0.1 sets up an association with an IPv4 listener too', () =>
  reachesIpv4Listener((client, to) => client.startConnectx(network, [to])));

mapped('a one-to-many send to ::ffff:127.0.0.1 sets up its association implicitly', async () => {
  const { listener: server, client, mappedListener: destination } = ipv4ListenerAndIpv6Client('one-to-many');
  try {
    // A send binds nothing: the wildcard of the IPv6 socket also takes the IPv4 peer's association.
    client.startBind(network, { tag: 'ipv6', val: { address: [0, 0, 0, 0, 0, 0, 0, 0], port: 0, flowInfo: 0, scopeId: 0 } });
    client.finishBind();
    assert.is(client.send([{ data: bytes('implicit and mapped'), info: info({ destination }) }]), 1n);
    const message = await firstMessage(server);
    assert.is(message.data.toString(), 'implicit and mapped');
    // The reply goes back on the association the send set up.
    server.send([{ data: Buffer.from('reply'), association: message.association }]);
    const reply = await within(5000, (async () => {
      for (;;) {
        const item = client.receive(8n).find((i) => i.tag === 'message');
        if (item?.tag === 'message') return item.val;
        await sleep(5);
      }
    })(), 'the reply');
    assert.is(text(reply.data), 'reply');
  } finally {
    client[Symbol.dispose]();
    server.close();
  }
});

mapped.run();

const linkLocal = suite('a link-local address with its scope id (network namespace)');

linkLocal('bound with its scope id, connected to, and reported with it everywhere', () => {
  const why = netnsUnavailable();
  if (why) {
    console.log(`  skipped: ${why}`);
    return;
  }
  const ns = `ll-${process.pid}`;
  const unhook = cleanupAtExit(() => tryRun('ip', ['netns', 'del', ns]));
  try {
    run('ip', ['netns', 'add', ns]);
    run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
    run('ip', ['-n', ns, 'link', 'add', 'v0', 'type', 'veth', 'peer', 'name', 'v1']);
    run('ip', ['-n', ns, 'link', 'set', 'v0', 'up']);
    run('ip', ['-n', ns, 'link', 'set', 'v1', 'up']);
    run('ip', ['-n', ns, '-6', 'addr', 'add', 'fe80::1/64', 'dev', 'v0', 'nodad']);
    const scopeId = (JSON.parse(run('ip', ['-n', ns, '-j', 'link', 'show', 'v0'])) as Array<{ ifindex: number }>)[0].ifindex;
    const probe = fileURLToPath(new URL('./harness/link-local.js', import.meta.url));
    const r = spawnSync('ip', ['netns', 'exec', ns, process.execPath, probe, String(scopeId)], { encoding: 'utf8', timeout: 30_000 });
    assert.is(r.status, 0, `${r.stdout}${r.stderr}`);
    const seen = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, IpSocketAddress | IpSocketAddress[]>;
    const address = [0xfe80, 0, 0, 0, 0, 0, 0, 1];
    for (const [what, value] of Object.entries(seen)) {
      for (const a of [value].flat()) {
        assert.is(a.tag, 'ipv6', what);
        assert.equal(a.val.address, address, what);
        assert.is((a.val as { scopeId: number }).scopeId, scopeId, `${what}: the scope id`);
      }
    }
  } finally {
    tryRun('ip', ['netns', 'del', ns]);
    unhook();
  }
});

linkLocal.run();
