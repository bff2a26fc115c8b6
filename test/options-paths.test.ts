// Socket options on a live association, through the Node API on endpoints of this process (SCTP
// over UDP on 127.0.0.1): what the path report says, how messages are cut and sent, which path and
// stream go first, and the defaults a message leaves to the socket.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { pair, receiveMessages, roundTrip, sleep, throwsCode, within } from './harness/node-api.js';

const paths = suite('options of a live association: its paths and how it sends (Node API)');

paths('status: state, stream counts and primary address of a live association; peer-addr-info agrees', async () => {
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

paths('rto-info and peer-addr-params show in the path report (status, peer-addr-info)', async () => {
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

paths('disable-fragments: a message larger than the path MTU fails; maxseg: messages travel in smaller pieces', async () => {
  const p = await pair();
  p.cli.setOption('disable-fragments', true);
  const e = throwsCode(() => p.cli.send([{ data: Buffer.alloc(3000, 1) }]), 'datagram-too-large', '3000 bytes, MTU 1460');
  assert.is(e.errno, 'EMSGSIZE');
  p.cli.setOption('peer-addr-params', { heartbeatNow: false, pmtud: false, pathMtu: 1200 }, p.association);
  throwsCode(() => p.cli.send([{ data: Buffer.alloc(1300, 2) }]), 'datagram-too-large', '1300 bytes, MTU 1200');
  assert.is(p.cli.send([{ data: Buffer.alloc(1100, 3) }]), 1);
  assert.is((await receiveMessages(p.conn, 1, 5000))[0].data.length, 1100);
  p.cli.setOption('disable-fragments', false);
  p.cli.setOption('maxseg', 500, p.association);
  assert.is(p.cli.getOption('maxseg', p.association), 500);
  assert.is(p.cli.getOption('status').fragmentationPoint, 500);
  assert.is(p.cli.send([{ data: Buffer.alloc(3000, 4) }]), 1);
  const [m] = await receiveMessages(p.conn, 1, 5000);
  assert.equal([m.data.length, m.complete], [3000, true]);
  p.close();
});

paths('default-sndinfo: the receiver sees the default stream and PPID of a message sent without send info', async () => {
  const p = await pair();
  p.cli.setOption('default-sndinfo', { stream: 3, ppid: 77, flags: { unordered: true }, context: 0 }, p.association);
  p.cli.setOption('default-prinfo', { policy: 'ttl', value: 5000 }, p.association);
  assert.equal(p.cli.getOption('default-prinfo', p.association), { policy: 'ttl', value: 5000 });
  // A message with nothing but data takes every field from the association's defaults (the addon fills them in).
  assert.is(p.cli.send([{ data: Buffer.from('defaults') }]), 1);
  const [m] = await receiveMessages(p.conn, 1, 5000);
  assert.equal([m.data.toString(), m.stream, m.ppid, m.unordered], ['defaults', 3, 77, true]);
  // What a message says wins, field by field.
  p.cli.send([{ data: Buffer.from('explicit'), stream: 1, ppid: 5, unordered: false }]);
  const [n] = await receiveMessages(p.conn, 1, 5000);
  assert.equal([n.stream, n.ppid, n.unordered], [1, 5, false]);
  p.close();
});

paths('primary-addr, set-peer-primary-addr, stream scheduler and its per-stream value on a live association', async () => {
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

paths('timeouts: the heartbeat timer of an idle association expires and is counted', async () => {
  const p = await pair();
  const peer = p.srv.localAddress();
  const before = p.cli.getOption('timeouts');
  assert.equal(before, { init: 0, data: 0, sack: 0, shutdown: 0, heartbeat: 0, cookie: 0, shutdownAck: 0 });
  // A heartbeat every 100 ms plus the path's RTO, held to 100..200 ms once measured.
  p.cli.setOption('rto-info', { initial: 150, max: 200, min: 100 }, p.association);
  p.cli.setOption('peer-addr-params', { heartbeatNow: false, pathMtu: 0, heartbeatInterval: 100 }, p.association, { address: peer });
  await within(5000, (async () => { while (p.cli.getOption('timeouts').heartbeat < 2) await sleep(50); })(), 'two heartbeat timeouts');
  assert.equal({ ...p.cli.getOption('timeouts'), heartbeat: 0 }, before, 'no other timer expired');
  p.close();
});

paths.run();
