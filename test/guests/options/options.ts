// A test guest for the socket options: every option getter and setter of the WIT, called from
// inside a component; one JSON line per observation, which test/options.test.ts asserts on.
//   options local                                     set and read back every option, and the errors
//   options live <address> <port> <udp-encaps-port>  options of a live association with a peer that
//                                                     accepts stream resets and authenticates DATA
//                                                     with keys 1 and 2 (see test/options.test.ts)
import { exit } from 'wasi:cli/exit@0.2.12';
import { createSctpSocket } from 'sctp:sockets/sctp-create-socket@0.1.0';
import type { AssociationScope, Incoming, IpSocketAddress, SctpSocket } from 'sctp:sockets/sctp@0.1.0';
import { parseArgs } from '../../../guest-examples/lib/args.js';
import {
  bind, bytes, codeOf, connect, formatAddress, ipv4, receiveSome, sendAll, socket, text, waitWithTimeout,
} from 'wasm-sctp/guest';

/** JSON-friendly: u64 as numbers, lists as arrays, addresses as "a.b.c.d:port". */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (ArrayBuffer.isView(value)) return Array.from(value as unknown as ArrayLike<number>);
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if ((o.tag === 'ipv4' || o.tag === 'ipv6') && o.val && typeof o.val === 'object') return formatAddress(value as IpSocketAddress);
    return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, plain(v)]));
  }
  return value;
}

function report(name: string, observation: Record<string, unknown>): void {
  console.log(JSON.stringify({ case: name, ...(plain(observation) as Record<string, unknown>) }));
}

/** The value `f` returns, or its error-code as `{ error }`. */
function attempt(f: () => unknown): unknown {
  try { return plain(f()); } catch (e) { return { error: codeOf(() => { throw e; }) }; }
}

const future: AssociationScope = { tag: 'future' };
const one = (association: number): AssociationScope => ({ tag: 'association', val: association });

function localScenario(): void {
  const s = socket('one-to-one');
  const many = socket('one-to-many');
  const v6 = createSctpSocket('ipv6', 'one-to-one');

  // Every read-write option: set a value other than the default, read it back.
  s.setRtoInfo(future, { initial: 500, max: 5000, min: 200 });
  s.setAssocInfo(future, { peerRwnd: 0, localRwnd: 0, cookieLife: 30000, maxRetransmits: 7, peerDestinations: 0 });
  s.setInitMsg({ numOstreams: 5, maxInstreams: 6, maxAttempts: 3, maxInitTimeo: 900 });
  s.setLinger(5000);
  s.setNodelay(true);
  s.setReceiveBufferSize(200_000n);
  s.setSendBufferSize(300_000n);
  many.setAutoclose(3000);
  s.setAdaptationLayer(0xabcdef);
  s.setDisableFragments(true);
  s.setPeerAddrParams(future, undefined, {
    heartbeat: true, heartbeatInterval: 5000, heartbeatNow: false, pmtud: false, pathMtu: 1200, pathMaxRetransmits: 3,
  });
  v6.setMappedV4Addresses(true);
  s.setMaxseg(future, 1000);
  s.setHmacIdent(['sha1']);
  s.setAuthKey(future, { keyNumber: 1, key: bytes('key-one') });
  s.setAuthActiveKey(future, 1);
  s.setDelayedSack(future, { delay: 100, frequency: 3 });
  s.setFragmentInterleave('streams');
  s.setPartialDeliveryPoint(1000);
  s.setMaxBurst(future, 6);
  s.setContext(future, 77);
  s.setExplicitEor(true);
  s.setReusePort(true);
  s.setEvent(future, 'assoc-change', true);
  s.setRecvRcvinfo(true);
  s.setRecvNxtinfo(true);
  s.setDefaultSndinfo(future, { stream: 2, ppid: 42, flags: { unordered: true }, context: 9 });
  s.setDefaultPrinfo(future, { policy: 'ttl', value: 300 });
  s.setEnableStreamReset(future, { resetStreams: true, addStreams: true });
  s.setPrSupported(false);
  s.setInterleavingSupported(true);
  s.setStreamScheduler(future, 'priority');
  s.setRemoteUdpEncapsPort(future, 4242);
  s.setPeerAddrThresholds(future, undefined, { pathMaxRetransmits: 4, potentiallyFailedThreshold: 2 });
  s.addAuthChunk(0);  // before turning auth off: usrsctp's SCTP_AUTH_CHUNK turns it back on
  s.setEcnSupported(false);
  s.setAsconfSupported(false);
  s.setAuthSupported(false);
  s.setReconfigSupported(false);
  s.setNrsackSupported(true);
  s.setPktdropSupported(true);
  s.setMaxCwnd(future, 100_000);
  v6.setIpv6Only(false);
  report('read-back', {
    rtoInfo: s.rtoInfo(undefined),
    assocInfo: s.assocInfo(undefined),
    initMsg: s.initMsg(),
    linger: s.linger(),
    nodelay: s.nodelay(),
    receiveBufferSize: s.receiveBufferSize(),
    sendBufferSize: s.sendBufferSize(),
    autoclose: many.autoclose(),
    adaptationLayer: s.adaptationLayer(),
    disableFragments: s.disableFragments(),
    peerAddrParams: s.peerAddrParams(undefined, undefined),
    mappedV4Addresses: v6.mappedV4Addresses(),
    maxseg: s.maxseg(undefined),
    hmacIdent: s.hmacIdent(),
    authActiveKey: s.authActiveKey(undefined),
    delayedSack: s.delayedSack(undefined),
    fragmentInterleave: s.fragmentInterleave(),
    partialDeliveryPoint: s.partialDeliveryPoint(),
    maxBurst: s.maxBurst(undefined),
    context: s.context(undefined),
    explicitEor: s.explicitEor(),
    reusePort: s.reusePort(),
    event: s.event(undefined, 'assoc-change'),
    eventOff: s.event(undefined, 'sender-dry'),
    recvRcvinfo: s.recvRcvinfo(),
    recvNxtinfo: s.recvNxtinfo(),
    defaultSndinfo: s.defaultSndinfo(undefined),
    defaultPrinfo: s.defaultPrinfo(undefined),
    localAuthChunks: s.localAuthChunks(undefined),
    enableStreamReset: s.enableStreamReset(undefined),
    prSupported: s.prSupported(undefined),
    interleavingSupported: s.interleavingSupported(undefined),
    streamScheduler: s.streamScheduler(undefined),
    remoteUdpEncapsPort: s.remoteUdpEncapsPort(undefined),
    peerAddrThresholds: s.peerAddrThresholds(undefined, undefined),
    ecnSupported: s.ecnSupported(undefined),
    authSupported: s.authSupported(undefined),
    asconfSupported: s.asconfSupported(undefined),
    reconfigSupported: s.reconfigSupported(undefined),
    nrsackSupported: s.nrsackSupported(undefined),
    pktdropSupported: s.pktdropSupported(undefined),
    maxCwnd: s.maxCwnd(undefined),
    ipv6Only: v6.ipv6Only(),
    assocNumber: many.assocNumber(),
    assocIdList: many.assocIdList(),
  });
  // Back to none: linger off.
  s.setLinger(undefined);
  report('linger-off', { none: s.linger() === undefined });

  // Values out of range are invalid-argument, refused before the stack sees them; what the stack
  // cannot do is not-supported; options of the other socket style are invalid-state.
  report('errors', {
    rtoOrder: codeOf(() => s.setRtoInfo(future, { initial: 100, max: 50, min: 10 })),
    cookieLife: codeOf(() => s.setAssocInfo(future, { peerRwnd: 0, localRwnd: 0, cookieLife: 10, maxRetransmits: 0, peerDestinations: 0 })),
    lingerFraction: codeOf(() => s.setLinger(1500)),
    autocloseFraction: codeOf(() => many.setAutoclose(1500)),
    autocloseOneToOne: codeOf(() => s.setAutoclose(1000)),
    sackDelay: codeOf(() => s.setDelayedSack(future, { delay: 501, frequency: 0 })),
    pathMtu: codeOf(() => s.setPeerAddrParams(future, undefined, { heartbeatNow: false, pmtud: false, pathMtu: 100 })),
    sackDelayLinuxOnly: codeOf(() => s.setPeerAddrParams(future, undefined, { heartbeatNow: false, pathMtu: 0, sackDelay: 10 })),
    dscp: codeOf(() => s.setPeerAddrParams(future, undefined, { heartbeatNow: false, pathMtu: 0, dscp: 3 })),
    hmacWithoutSha1: codeOf(() => s.setHmacIdent(['sha256'])),
    hmacTwice: codeOf(() => s.setHmacIdent(['sha1', 'sha1'])),
    reusePortOff: codeOf(() => s.setReusePort(false)),
    reusePortOneToMany: codeOf(() => many.setReusePort(true)),
    notificationsStopped: codeOf(() => s.setEvent(future, 'notifications-stopped', true)),
    rcvinfoOff: codeOf(() => s.setRecvRcvinfo(false)),
    prinfoNoneWithValue: codeOf(() => s.setDefaultPrinfo(future, { policy: 'none', value: 5 })),
    wfq: codeOf(() => s.setStreamScheduler(future, 'weighted-fair-queueing')),
    ipv6OnlyOn: codeOf(() => v6.setIpv6Only(true)),
    ipv6OnlyOnIpv4: codeOf(() => s.ipv6Only()),
    assocNumberOneToOne: codeOf(() => s.assocNumber()),
    statusOneToManyNone: codeOf(() => many.status(undefined)),
    unknownAssociation: codeOf(() => many.rtoInfo(12345)),
    unknownAssociationSet: codeOf(() => many.setContext(one(12345), 1)),
    currentForDefaultsOnly: codeOf(() => many.setRtoInfo({ tag: 'current' }, { initial: 0, max: 0, min: 0 })),
    resetStreamsNoDirection: codeOf(() => s.resetStreams(undefined, { directions: {}, streams: new Uint16Array() })),
    addStreamsNone: codeOf(() => s.addStreams(undefined, { inbound: 0, outbound: 0 })),
    resetAssocUnconnected: codeOf(() => s.resetAssoc(undefined)),
    peerPrimaryUnconnected: codeOf(() => s.setPeerPrimaryAddr(undefined, ipv4('127.0.0.1', 1))),
    deactivateUnknownKey: codeOf(() => s.deactivateAuthKey(future, 9)),
    deleteUnknownKey: codeOf(() => s.deleteAuthKey(future, 9)),
  });

  // Auto ASCONF: nothing follows the host's address changes here, so it stays off.
  const wild = socket('one-to-one');
  bind(wild, ipv4('0.0.0.0', 0));
  wild.setAutoAsconf(false);
  report('auto-asconf', { wildcard: wild.autoAsconf(), on: codeOf(() => wild.setAutoAsconf(true)) });
  for (const sock of [s, many, v6, wild]) sock[Symbol.dispose]();
}

/** Waits for notifications of the wanted kinds (messages are skipped); returns what arrived. */
function notifications(sock: SctpSocket, tags: string[], ms = 5000): Incoming[] {
  const seen: Incoming[] = [];
  const missing = new Set(tags);
  while (missing.size > 0) {
    const items = sock.receive(64n);
    if (items.length === 0) {
      if (!waitWithTimeout(sock, ms)) break;
      continue;
    }
    for (const item of items) {
      if (item.tag === 'notification') {
        seen.push(item);
        missing.delete(item.val.tag);
      }
    }
  }
  return seen;
}

function echo(sock: SctpSocket, message: string): string {
  sendAll(sock, [{ data: bytes(message), info: { stream: 0, ppid: 7, flags: {}, context: 0 } }]);
  for (;;) {
    for (const item of receiveSome(sock)) if (item.tag === 'message') return text(item.val.data);
  }
}

function liveScenario(address: string, port: number, encaps: number): void {
  const peer = ipv4(address, port);
  const sock = socket('one-to-one');
  sock.setRemoteUdpEncapsPort(future, encaps);
  sock.setInitMsg({ numOstreams: 6, maxInstreams: 6, maxAttempts: 3, maxInitTimeo: 500 });
  sock.setEnableStreamReset(future, { resetStreams: true, resetAssociation: true, addStreams: true });
  for (const kind of ['stream-reset', 'stream-change', 'assoc-reset'] as const) sock.setEvent(future, kind, true);
  sock.setAuthKey(future, { keyNumber: 1, key: bytes('key-one') });
  sock.setAuthKey(future, { keyNumber: 2, key: bytes('key-two') });
  bind(sock, ipv4('127.0.0.1', 0));
  const local = sock.localAddress();
  const association = connect(sock, peer);

  const status = sock.status(undefined);
  report('status', { ...status, expectedPrimary: peer, connected: association });
  report('peer-addr-info', { info: sock.peerAddrInfo(undefined, peer), byAssociation: sock.peerAddrInfo(association, peer) });
  report('association-options', {
    primaryAddr: sock.primaryAddr(undefined),
    setPrimaryAddr: codeOf(() => sock.setPrimaryAddr(undefined, peer)),
    setPeerPrimaryAddr: codeOf(() => sock.setPeerPrimaryAddr(undefined, local)),
    peerAuthChunks: sock.peerAuthChunks(undefined),
    timeouts: sock.timeouts(undefined),
    prAssocStatus: sock.prAssocStatus(undefined, undefined),
    prAssocStatusTtl: sock.prAssocStatus(undefined, 'ttl'),
    prStreamStatus: sock.prStreamStatus(undefined, 0, undefined),
    prStreamStatusTtl: attempt(() => sock.prStreamStatus(undefined, 0, 'ttl')),
    negotiated: { pr: sock.prSupported(association), interleaving: sock.interleavingSupported(association), reconfig: sock.reconfigSupported(association) },
  });

  // Stream scheduler and its per-stream value.
  sock.setStreamScheduler(one(association), 'priority');
  sock.setStreamSchedulerValue(undefined, 1, 5);
  report('scheduler', { scheduler: sock.streamScheduler(association), value: sock.streamSchedulerValue(undefined, 1) });

  // rto-info and peer-addr-params show in the path report.
  sock.setRtoInfo(one(association), { initial: 0, max: 0, min: 1500 });
  sock.setPeerAddrParams(one(association), peer, { heartbeatNow: true, heartbeatInterval: 1000, pmtud: false, pathMtu: 1200 });
  sock.setPeerAddrThresholds(one(association), peer, { pathMaxRetransmits: 6, potentiallyFailedThreshold: 3 });
  report('path-before-traffic', { rtoInfo: sock.rtoInfo(association) });
  const reply = echo(sock, 'measure rtt');
  report('path', {
    reply,
    info: sock.peerAddrInfo(undefined, peer),
    params: sock.peerAddrParams(association, peer),
    thresholds: sock.peerAddrThresholds(association, peer),
    fragmentationPoint: sock.status(undefined).fragmentationPoint,
  });

  // RFC 6525: reset stream 1, add 2 outgoing streams, reset the association.
  sock.resetStreams(undefined, { directions: { outgoing: true }, streams: Uint16Array.of(1) });
  const reset = notifications(sock, ['stream-reset']);
  sock.addStreams(undefined, { inbound: 0, outbound: 2 });
  const change = notifications(sock, ['stream-change']);
  const resetAssoc = codeOf(() => sock.resetAssoc(undefined));
  const assocReset = notifications(sock, ['assoc-reset']);
  report('reconfig', { reset, change, resetAssoc, assocReset, outboundStreams: sock.status(undefined).outboundStreams });

  // SCTP-AUTH: the peer requires DATA to be authenticated; rotate the active key while messages flow.
  const rotation: Record<string, unknown> = { peerAuthChunks: sock.peerAuthChunks(undefined) };
  sock.setAuthActiveKey(one(association), 1);
  rotation.withKey1 = echo(sock, 'signed with key 1');
  rotation.active1 = sock.authActiveKey(association);
  sock.setAuthActiveKey(one(association), 2);
  rotation.withKey2 = echo(sock, 'signed with key 2');
  rotation.deactivate1 = codeOf(() => sock.deactivateAuthKey(one(association), 1));
  rotation.deleteActive = codeOf(() => sock.deleteAuthKey(one(association), 2));
  rotation.afterDeactivate = echo(sock, 'key 1 retired');
  rotation.active2 = sock.authActiveKey(association);
  report('auth-rotation', rotation);
  sock.shutdown();
  sock[Symbol.dispose]();
}

export const run = {
  run() {
    const { positional } = parseArgs();
    const [scenario, address, port, encaps] = [positional[0], positional[1], Number(positional[2]), Number(positional[3])];
    if (scenario === 'local') localScenario();
    else if (scenario === 'live') liveScenario(address, port, encaps);
    else {
      console.error(`unknown scenario ${scenario}`);
      exit({ tag: 'err', val: undefined });
    }
    exit({ tag: 'ok', val: undefined });
  },
};
