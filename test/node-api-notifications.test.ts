// Notifications through the TypeScript SCTP API, subscribed through the generic native option call
// (SCTP_EVENT) as a program without the option table would: two endpoints of one process over UDP
// encapsulation on 127.0.0.1, each kind with its fields and in order with the data.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SctpSocket, type Incoming, type Notification, type ReceivedMessage } from '../src/index.js';
import { native } from '../src/native.js';
import { client, lo, rejectsCode, server, throwsCode, within } from './harness/node-api.js';

const C = native.constants;

/** Subscribes a socket to notification types through the generic native option call (SCTP_EVENT). */
function subscribe(s: SctpSocket, ...types: number[]): void {
  for (const type of types) {
    const ev = Buffer.alloc(native.sizes.sctp_event);
    ev.writeUInt16LE(type, native.offsets['sctp_event.se_type']);
    ev.writeUInt8(1, native.offsets['sctp_event.se_on']);
    assert.is(native.setsockopt(s.id, C.IPPROTO_SCTP, C.SCTP_EVENT, ev), 0);
  }
}

async function notifications(s: SctpSocket, count: number): Promise<Notification[]> {
  const out: Notification[] = [];
  while (out.length < count) {
    for (const item of await within(5000, s.receiveSome(), `${count} notifications`)) {
      if (item.kind === 'notification') out.push(item.notification);
    }
  }
  return out;
}

test('notifications: assoc-change comm-up and shutdown-comp, then end-of-stream', async () => {
  const srv = server('one-to-one');
  const cli = client('one-to-one');
  subscribe(cli, C.SCTP_ASSOC_CHANGE);
  subscribe(srv, C.SCTP_SHUTDOWN_EVENT);

  const [association, conn] = await within(5000, Promise.all([cli.connect(srv.localAddress()), srv.acceptOne()]),
    'connect');
  const [up] = await within(5000, cli.receiveSome(), 'comm-up');
  assert.is(up.kind, 'notification');
  const n = (up as Extract<Incoming, { kind: 'notification' }>).notification;
  assert.is(n.type, 'assoc-change');
  if (n.type !== 'assoc-change') throw new Error('unreachable');
  assert.is(n.state, 'comm-up');
  assert.is(n.assocId, association);
  assert.is(n.outboundStreams, 10);
  assert.ok(n.features.includes('pr'), `features ${n.features.join(',')}`);

  assert.is(cli.send([{ data: Buffer.from('last words'), ppid: 9 }]), 1);
  cli.shutdown();
  cli.shutdown(); // idempotent
  throwsCode(() => cli.send([{ data: Buffer.from('after shutdown') }]), 'invalid-state');

  // The peer gets the data, the shutdown-event (it subscribed, inheriting from the listener), then end-of-stream.
  const seen: Incoming[] = [];
  while (!seen.some((i) => i.kind === 'end-of-stream')) seen.push(...(await within(5000, conn.receiveSome(), 'eos')));
  assert.is(seen[0].kind, 'message');
  assert.is((seen[0] as ReceivedMessage).data.toString(), 'last words');
  assert.ok(seen.some((i) => i.kind === 'notification' && i.notification.type === 'shutdown'), 'shutdown');
  assert.equal(conn.receive(), [{ kind: 'end-of-stream' }], 'end-of-stream is reported again');

  // The side that shut down sees shutdown-comp, then end-of-stream too.
  const mine: Incoming[] = [];
  while (!mine.some((i) => i.kind === 'end-of-stream')) mine.push(...(await within(5000, cli.receiveSome(), 'eos')));
  const comp = mine.find((i) => i.kind === 'notification');
  assert.ok(comp && comp.kind === 'notification' && comp.notification.type === 'assoc-change'
    && comp.notification.state === 'shutdown-comp', JSON.stringify(mine));
  cli.close();
  conn.close();
  srv.close();
});

test('notifications: adaptation, sender-dry, stream reset and change, comm-lost with the ABORT chunk', async () => {
  const O = native.offsets;
  const S = native.sizes;
  const srv = SctpSocket.create('ipv4', 'one-to-one');
  srv.bind(lo());
  const adaptation = Buffer.alloc(S.sctp_setadaptation);
  adaptation.writeUInt32LE(0x1234abcd, O['sctp_setadaptation.ssb_adaptation_ind']);
  assert.is(native.setsockopt(srv.id, C.IPPROTO_SCTP, C.SCTP_ADAPTATION_LAYER, adaptation), 0);
  const cli = client('one-to-one');
  for (const s of [srv, cli]) {
    const enable = Buffer.alloc(S.sctp_assoc_value);
    enable.writeUInt32LE(C.SCTP_ENABLE_RESET_STREAM_REQ | C.SCTP_ENABLE_CHANGE_ASSOC_REQ,
      O['sctp_assoc_value.assoc_value']);
    assert.is(native.setsockopt(s.id, C.IPPROTO_SCTP, C.SCTP_ENABLE_STREAM_RESET, enable), 0);
  }
  srv.listen();
  subscribe(cli, C.SCTP_ADAPTATION_INDICATION, C.SCTP_SENDER_DRY_EVENT, C.SCTP_STREAM_RESET_EVENT,
    C.SCTP_STREAM_CHANGE_EVENT, C.SCTP_ASSOC_CHANGE);
  subscribe(srv, C.SCTP_STREAM_RESET_EVENT);
  const [association, conn] = await within(5000, Promise.all([cli.connect(srv.localAddress()), srv.acceptOne()]),
    'connect');

  const [up, adapt] = await notifications(cli, 2);
  assert.is(up.type, 'assoc-change');
  assert.equal(adapt, { type: 'adaptation-indication', flags: 0, adaptationInd: 0x1234abcd, assocId: association });

  cli.send([{ data: Buffer.from('x'), stream: 2 }]);
  const [dry] = await notifications(cli, 1);
  assert.equal(dry, { type: 'sender-dry', flags: 0, assocId: association });

  // RFC 6525: reset outgoing stream 2, then add 3 outgoing streams.
  const reset = Buffer.alloc(S.sctp_reset_streams + 2);
  reset.writeUInt16LE(C.SCTP_STREAM_RESET_OUTGOING, O['sctp_reset_streams.srs_flags']);
  reset.writeUInt16LE(1, O['sctp_reset_streams.srs_number_streams']);
  reset.writeUInt16LE(2, O['sctp_reset_streams.srs_stream_list']);
  assert.is(native.setsockopt(cli.id, C.IPPROTO_SCTP, C.SCTP_RESET_STREAMS, reset), 0);
  const [mine] = await notifications(cli, 1);
  assert.is(mine.type, 'stream-reset');
  if (mine.type !== 'stream-reset') throw new Error('unreachable');
  assert.equal([mine.outgoing, mine.incoming, mine.denied, mine.streams], [true, false, false, [2]]);
  const peer = (await notifications(conn, 1))[0];
  assert.ok(peer.type === 'stream-reset' && peer.incoming && peer.streams[0] === 2, JSON.stringify(peer));

  const add = Buffer.alloc(S.sctp_add_streams);
  add.writeUInt16LE(3, O['sctp_add_streams.sas_outstrms']);
  assert.is(native.setsockopt(cli.id, C.IPPROTO_SCTP, C.SCTP_ADD_STREAMS, add), 0);
  const [change] = await notifications(cli, 1);
  assert.equal(change, {
    type: 'stream-change', flags: 0, assocId: association, denied: false, failed: false,
    inboundStreams: 10, outboundStreams: 13,
  });
  assert.is(cli.getOption('status').outboundStreams, 13);

  // The peer aborts with a reason: comm-lost carries the ABORT chunk, then receive reports connection-reset.
  conn.send([{ data: Buffer.from('bye'), flags: { abort: true } }]);
  const [lost] = await notifications(cli, 1);
  assert.is(lost.type, 'assoc-change');
  if (lost.type !== 'assoc-change') throw new Error('unreachable');
  assert.is(lost.state, 'comm-lost');
  assert.is(lost.abortInfo[0], 6, 'an ABORT chunk (type 6)');
  assert.ok(lost.abortInfo.includes(Buffer.from('bye')), 'with the reason the peer sent');
  await within(5000, rejectsCode(cli.receiveSome(), 'connection-reset'), 'connection-reset');
  cli.close();
  conn.close();
  srv.close();
});

test('notifications: a send-failed event larger than one read comes as one notification with all its data', async () => {
  // usrsctp hands a notification longer than the read buffer (the addon reads 256 KiB at a time) out in pieces,
  // each flagged as a notification; the pieces after the first are the message's bytes and must not pass for
  // notifications of their own.
  const closed = SctpSocket.create('ipv4', 'one-to-one');
  closed.bind(lo()); // a port of ours where nobody listens: the INIT gets an ABORT back
  const cli = client('one-to-many', (s) => s.setOption('send-buffer-size', 1 << 20));
  subscribe(cli, C.SCTP_SEND_FAILED_EVENT, C.SCTP_ASSOC_CHANGE);
  const data = Buffer.alloc(600_000);
  for (let i = 0; i < data.length; i++) data[i] = i % 251;
  assert.is(cli.send([{ data, destination: closed.localAddress(), context: 7 }]), 1);

  const [first, second] = await notifications(cli, 2);
  const failed = [first, second].find((n) => n.type === 'send-failed');
  const change = [first, second].find((n) => n.type === 'assoc-change');
  assert.ok(failed && change, JSON.stringify([first.type, second.type]));
  if (failed.type !== 'send-failed' || change.type !== 'assoc-change') throw new Error('unreachable');
  assert.is(change.state, 'cant-str-assoc');
  assert.equal([failed.unsent, failed.sndinfo.context, failed.data.length], [true, 7, data.length]);
  assert.ok(failed.data.equals(data), 'the unsent message, byte for byte');
  assert.equal(cli.receive(), [], 'nothing else: no piece of it left over');
  cli.close();
  closed.close();
});

test.run();
