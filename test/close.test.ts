// Closing a socket: what its peers see, and when its usrsctp socket goes. usrsctp 0.9.5 frees a socket in
// usrsctp_close while its own threads may still work on the socket's associations
// (scripts/usrsctp-close-race-repro.c), so the addon ends the associations first, as usrsctp_close would, and
// closes the socket once none is left (src/native/closer.h). Node API, two endpoints in one process.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SctpError, SctpSocket, type Incoming, type Notification } from '../src/index.js';
import { native } from '../src/native.js';
import { client, lo, pair, receiveMessages, server, sleep, within } from './harness/node-api.js';
import { startEchoPeer } from './harness/peers/start.js';

/** Resolves once no closed socket waits for its associations to end; fails after 5 s. */
async function retired(): Promise<void> {
  const deadline = Date.now() + 5000;
  while (native.stackCounters().retiring > 0) {
    assert.ok(Date.now() < deadline, `${native.stackCounters().retiring} closed socket(s) still wait for their associations`);
    await sleep(5);
  }
}

/** How the association of a connected socket ends: 'shutdown' (end-of-stream) or the error-code of an abort. */
async function ending(s: SctpSocket): Promise<{ how: string; seen: Incoming[] }> {
  const seen: Incoming[] = [];
  for (;;) {
    try {
      const items = await within(5000, s.receiveSome(), 'the end of the association');
      seen.push(...items);
      if (items.some((i) => i.kind === 'end-of-stream')) return { how: 'shutdown', seen };
    } catch (e) {
      if (e instanceof SctpError) return { how: e.code, seen };
      throw e;
    }
  }
}

const notifications = (seen: Incoming[]): Notification[] => seen.flatMap((i) => (i.kind === 'notification' ? [i.notification] : []));

test('closing a connected socket shuts its association down gracefully, after what it had queued', async () => {
  const { cli, conn, srv } = await pair();
  const data = Buffer.alloc(200_000, 7);
  cli.setOption('send-buffer-size', 1 << 20);
  cli.send([{ data }]);
  cli.close(); // the message is still queued
  const [m] = await receiveMessages(conn, 1, 5000);
  assert.ok(m.data.equals(data), 'all of the message');
  assert.is((await ending(conn)).how, 'shutdown');
  await retired();
  conn.close();
  srv.close();
  await retired();
});

test('closing with data left unread, or with linger 0, aborts the association', async () => {
  for (const cause of ['unread', 'linger 0']) {
    const { cli, conn, srv } = await pair((s) => s.setOption('event', true, 'future', { kind: 'assoc-change' }));
    await within(5000, cli.receiveSome(), 'comm-up');
    if (cause === 'unread') {
      cli.send([{ data: Buffer.from('never read') }]);
      await within(5000, conn.wait(), 'the message at the receiver');
    } else {
      conn.setOption('linger', 0);
    }
    conn.close();
    const { how, seen } = await ending(cli);
    assert.is(how, 'connection-reset', cause);
    const lost = notifications(seen).find((n) => n.type === 'assoc-change');
    assert.ok(lost?.type === 'assoc-change' && lost.state === 'comm-lost', `${cause}: ${JSON.stringify(notifications(seen))}`);
    await retired();
    cli.close();
    srv.close();
  }
  await retired();
});

test('closing a socket whose association is still being set up abandons it, as usrsctp does', async () => {
  // The peer's UDP port is a closed one: the INIT goes nowhere.
  const s = SctpSocket.create('ipv4', 'one-to-one');
  s.setOption('remote-udp-encaps-port', 9);
  s.bind(lo());
  const target = server('one-to-one');
  s.startConnect(target.localAddress());
  await sleep(20);
  s.close();
  await retired();
  target.close();
});

test('closing a listener aborts the associations waiting to be accepted, and takes no new one', async () => {
  const srv = server('one-to-one');
  const cli = client('one-to-one');
  await within(5000, cli.connect(srv.localAddress()), 'connect'); // established, never accepted
  srv.close();
  assert.is((await ending(cli)).how, 'connection-reset');
  await retired();
  cli.close();
  await retired();
});

test('closing a one-to-many socket ends each of its associations', async () => {
  const srv = server('one-to-many');
  const clients = [client('one-to-one'), client('one-to-one')];
  for (const c of clients) await within(5000, c.connect(srv.localAddress()), 'connect');
  for (const c of clients) c.send([{ data: Buffer.from('hello') }]);
  let got = 0;
  while (got < 2) got += (await within(5000, srv.receiveSome(), 'hellos')).filter((i) => i.kind === 'message').length;
  srv.close();
  for (const c of clients) assert.is((await ending(c)).how, 'shutdown');
  await retired();
  for (const c of clients) c.close();
  await retired();
});

test('sockets closed while their peer still sends: the process stays up, and every one is closed in the end', async () => {
  // The peer in another process echoes what each socket sent; the sockets close, a few at a time, while the echoes
  // come in. With usrsctp_close at once this crashed now and then (reliably under AddressSanitizer: scripts/asan.sh).
  const peer = await startEchoPeer();
  const data = Buffer.alloc(1024, 1);
  let open: SctpSocket[] = [];
  for (let i = 0; i < 300; i++) {
    const s = SctpSocket.create('ipv4', 'one-to-one');
    s.setOption('remote-udp-encaps-port', peer.udpPort);
    s.bind(lo());
    await within(5000, s.connect(lo(peer.primary)), 'connect');
    s.send(Array.from({ length: 16 }, () => ({ data })));
    open.push(s);
    if (open.length === 4 || i % 7 === 0) {
      for (const o of open) o.close();
      open = [];
    }
  }
  for (const o of open) o.close();
  await retired();
  assert.ok(peer.alive(), 'the peer is up');
  assert.is(await peer.end(), 0);
});

test.run();
