// Socket options from inside a guest component: the options guest (test/guests/options) calls
// every option function of the WIT, on sockets of its own and on a live association with a Node
// peer that accepts stream resets and authenticates DATA.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { observe } from './harness/components.js';
import { startEchoServer } from './harness/peers/echo.js';

const guest = suite('options seen from a guest component (the WIT functions)');

/** A one-to-one echo peer for the guest that accepts stream resets and requires authenticated DATA (keys 1 and 2). */
const optionsPeer = () => startEchoServer((s) => {
  s.setOption('enable-stream-reset', { resetStreams: true, resetAssociation: true, addStreams: true });
  s.setOption('auth-key', { keyNumber: 1, key: Buffer.from('key-one') });
  s.setOption('auth-key', { keyNumber: 2, key: Buffer.from('key-two') });
  s.setOption('auth-chunk', 0);
});

const run = async (args: string[]) => await observe('options', args, { timeoutMs: 90_000 }) as Map<string, Record<string, any>>;

guest('every read-write option set and read back through the WIT, and the error-codes of wrong values', async () => {
  const seen = await run(['local']);
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
  assert.equal(seen.get('auto-asconf'), { case: 'auto-asconf', wildcard: false, on: 'not-supported' });

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
    resetAssocUnconnected: 'invalid-state', peerPrimaryUnconnected: 'invalid-state',
    deactivateUnknownKey: 'invalid-argument', deleteUnknownKey: 'invalid-argument',
  };
  for (const [k, code] of Object.entries(expected)) assert.is(errors[k], code, k);
});

guest('a live association through the WIT: status, path report, scheduler, RFC 6525 requests, auth key rotation', async () => {
  const peer = optionsPeer();
  try {
    const seen = await run(['live', '127.0.0.1', String(peer.port), String(peer.udpPort)]);
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
