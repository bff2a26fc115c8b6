// Socket options that shape associations, through the Node API on endpoints of this process (SCTP
// over UDP on 127.0.0.1): what both ends negotiate (streams, AUTH, reconfiguration, PR-SCTP,
// I-DATA), how associations end (autoclose, linger), how a one-to-many socket counts them, and
// which notifications each one gets.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { SctpError, SctpSocket, type Incoming } from '../src/index.js';
import { client, nextNotification, pair, receiveMessages, roundTrip, server, sleep, throwsCode, within } from './harness/node-api.js';

const associations = suite('options that shape associations: negotiation, endings, notifications (Node API)');

associations('init-msg: the negotiated stream counts are the smaller offers of both ends', async () => {
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

associations('autoclose: an idle association of a one-to-many socket closes by itself', async () => {
  const srv = server('one-to-many', (s) => {
    s.setOption('autoclose', 1000);
    s.setOption('event', true, 'future', { kind: 'assoc-change' });
  });
  const cli = client('one-to-one');
  await within(5000, cli.connect(srv.localAddress()), 'connect');
  cli.send([{ data: Buffer.from('then silence') }]);
  await receiveMessages(srv, 1, 5000);
  assert.is(srv.getOption('assoc-number'), 1);
  const started = Date.now();
  const seen: Incoming[] = [];
  while (!seen.some((i) => i.kind === 'end-of-stream')) seen.push(...(await within(6000, cli.receiveSome(), 'end-of-stream')));
  const idle = Date.now() - started;
  assert.ok(idle >= 500 && idle < 5000, `closed after ${idle} ms`);
  const change = await nextNotification(srv, 'assoc-change');
  assert.ok(change.type === 'assoc-change' && change.state === 'shutdown-comp', JSON.stringify(change));
  assert.is(srv.getOption('assoc-number'), 0);
  cli.close();
  srv.close();
});

associations('assoc-number and assoc-id-list with three associations; per-association context', async () => {
  const srv = server('one-to-many');
  const clients = [client(), client(), client()];
  await within(5000, Promise.all(clients.map((c) => c.connect(srv.localAddress()))), 'connect');
  clients.forEach((c, i) => c.send([{ data: Buffer.from(`client ${i}`) }]));
  const got = await receiveMessages(srv, 3, 5000);
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
  const again = await receiveMessages(srv, 3, 5000);
  for (const m of again) assert.is(m.context, m.association === a ? 0xaaaa : 0, `context of ${m.association}`);
  assert.equal(srv.getOption('status', b).primary?.address.address, '127.0.0.1');
  clients[0].close();
  await sleep(300);
  assert.is(srv.getOption('assoc-number'), 2);
  clients.slice(1).forEach((c) => c.close());
  srv.close();
});

associations('SCTP-AUTH: rotating the active key keeps an association whose DATA must be authenticated working', async () => {
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

associations('event: a subscription per notification kind, per association', async () => {
  const p = await pair((c) => c.setOption('event', true, 'future', { kind: 'assoc-change' }));
  assert.is(p.cli.getOption('event', p.association, { kind: 'assoc-change' }), true);
  assert.is(p.cli.getOption('event', p.association, { kind: 'sender-dry' }), false);
  assert.is((await nextNotification(p.cli, 'assoc-change')).type, 'assoc-change');
  p.cli.setOption('event', true, p.association, { kind: 'sender-dry' });
  assert.is((await nextNotification(p.cli, 'sender-dry')).type, 'sender-dry');
  p.cli.setOption('event', false, p.association, { kind: 'sender-dry' });
  p.cli.send([{ data: Buffer.from('quiet') }]);
  await receiveMessages(p.conn, 1, 5000);
  await sleep(200);
  assert.equal(p.cli.receive(), [], 'no sender-dry after unsubscribing');
  p.close();
});

associations('linger 0: closing aborts the association (the peer sees connection-reset); none: a graceful end', async () => {
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

associations('options of one association on a one-to-one socket without one are invalid-state: before connecting and after the end', async () => {
  const fresh = SctpSocket.create('ipv4', 'one-to-one');
  throwsCode(() => fresh.getOption('status'), 'invalid-state', 'status, never connected');
  fresh.close();
  const p = await pair();
  // With the association there, a wrong argument is still one.
  throwsCode(() => p.cli.getOption('pr-stream-status', undefined, { stream: 999 }), 'invalid-argument', 'stream 999');
  p.conn.close();
  assert.equal(await within(5000, p.cli.receiveSome(), 'end'), [{ kind: 'end-of-stream' }]);
  // The association is gone once SHUTDOWN-COMPLETE arrived, a moment after end-of-stream.
  for (let i = 0; i < 100; i++) {
    try { p.cli.getOption('status'); } catch { break; }
    await sleep(20);
  }
  throwsCode(() => p.cli.getOption('status'), 'invalid-state', 'status, ended');
  throwsCode(() => p.cli.getOption('timeouts'), 'invalid-state', 'timeouts, ended');
  throwsCode(() => p.cli.getOption('pr-stream-status', undefined, { stream: 0 }), 'invalid-state', 'pr-stream-status, ended');
  throwsCode(() => p.cli.remoteAddresses(), 'invalid-state', 'remote-addresses, ended');
  // A one-to-many socket names its associations: an id it does not have is a wrong argument.
  const many = client('one-to-many');
  throwsCode(() => many.getOption('status', 12345), 'invalid-argument', 'unknown association id');
  many.close();
  p.close();
});

associations('RFC 6525: reset-streams, add-streams and reset-assoc, with enable-stream-reset on the peer', async () => {
  const enable = (s: SctpSocket) => {
    s.setOption('enable-stream-reset', { resetStreams: true, resetAssociation: true, addStreams: true });
    for (const kind of ['stream-reset', 'stream-change', 'assoc-reset'] as const) s.setOption('event', true, 'future', { kind });
  };
  const p = await pair(enable, enable);
  assert.equal(p.conn.getOption('enable-stream-reset'), { resetStreams: true, resetAssociation: true, addStreams: true });
  p.cli.setOption('reset-streams', { directions: { outgoing: true }, streams: [1, 2] });
  const reset = await nextNotification(p.cli, 'stream-reset');
  assert.ok(reset.type === 'stream-reset' && reset.outgoing && !reset.denied, JSON.stringify(reset));
  const peer = await nextNotification(p.conn, 'stream-reset');
  assert.ok(peer.type === 'stream-reset' && peer.incoming, JSON.stringify(peer));
  p.cli.setOption('add-streams', { inbound: 0, outbound: 3 });
  await nextNotification(p.cli, 'stream-change');
  assert.is(p.cli.getOption('status').outboundStreams, 13);
  p.cli.setOption('reset-assoc', undefined);
  const assocReset = await nextNotification(p.cli, 'assoc-reset');
  assert.ok(assocReset.type === 'assoc-reset' && !assocReset.denied && !assocReset.failed, JSON.stringify(assocReset));
  assert.is(await roundTrip(p.cli, p.conn, 'after the reset'), 'after the reset');
  throwsCode(() => p.cli.setOption('reset-streams', { directions: { outgoing: true }, streams: [13] }), 'invalid-argument', 'stream 13 of 13');
  p.close();
});

associations('negotiated features: pr-supported off on one end is off for the association', async () => {
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
  const up = await nextNotification(q.cli, 'assoc-change');
  assert.ok(up.type === 'assoc-change' && up.features.includes('interleaving'), JSON.stringify(up));
  assert.is(await roundTrip(q.cli, q.conn, 'as I-DATA'), 'as I-DATA');
  q.close();
  const r = await pair(idata);
  assert.is(r.cli.getOption('interleaving-supported', r.association), false, 'offered by one end only');
  r.close();
});

associations('association scopes: current sets every association there is, future the defaults of new ones, all both', async () => {
  const srv = server('one-to-many');
  const clients = [client(), client(), client()];
  const associate = async (c: SctpSocket, i: number) => {
    await within(5000, c.connect(srv.localAddress()), 'connect');
    c.send([{ data: Buffer.from(`client ${i}`) }]);
    return (await receiveMessages(srv, 1, 5000))[0].association;
  };
  const [a, b] = [await associate(clients[0], 0), await associate(clients[1], 1)];
  const contexts = (...ids: number[]) => [srv.getOption('context'), ...ids.map((id) => srv.getOption('context', id))];
  srv.setOption('context', 0x11, 'current');
  assert.equal(contexts(a, b), [0, 0x11, 0x11], 'current: the associations, not the defaults');
  srv.setOption('context', 0x22, 'future');
  assert.equal(contexts(a, b), [0x22, 0x11, 0x11], 'future: the defaults only');
  const c = await associate(clients[2], 2);
  assert.equal(contexts(a, b, c), [0x22, 0x11, 0x11, 0x22], 'a new association starts from the defaults');
  srv.setOption('context', 0x33, 'all');
  assert.equal(contexts(a, b, c), [0x33, 0x33, 0x33, 0x33], 'all: both');
  for (const s of [...clients, srv]) s.close();
});

associations('every *-supported switch: an association has a feature only when both ends offer it', async () => {
  const SWITCHES = ['ecn-supported', 'auth-supported', 'asconf-supported', 'reconfig-supported', 'nrsack-supported', 'pktdrop-supported'] as const;
  const offerAll = (s: SctpSocket) => {
    s.setOption('nrsack-supported', true);
    s.setOption('pktdrop-supported', true);
  };
  // ASCONF needs AUTH: it goes off first.
  const offerNone = (s: SctpSocket) => {
    for (const name of ['asconf-supported', 'auth-supported', 'ecn-supported', 'reconfig-supported', 'nrsack-supported', 'pktdrop-supported'] as const) {
      s.setOption(name, false);
    }
  };
  for (const [clientOffers, expected] of [[offerAll, true], [offerNone, false]] as const) {
    const p = await pair(clientOffers, offerAll);
    for (const name of SWITCHES) {
      assert.is(p.cli.getOption(name, p.association), expected, `${name} of the association, client side`);
      assert.is(p.conn.getOption(name), expected, `${name} of the association, accepted side`);
      assert.is(p.srv.getOption(name), true, `${name}: the listener's own offer`);
    }
    p.close();
  }
});

associations.run();
