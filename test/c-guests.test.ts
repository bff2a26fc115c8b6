// C guests: components written in C against the glue tools/wit-c generates from wit/, built with
// Debian's clang for wasm32-wasi and jco (scripts/c-guests.ts), run through the host like the
// TypeScript guests. The glue is checked against jco's own idea of the world's core ABI, and the
// C guests together call every function of sctp:sockets.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { componentEmbed } from '@bytecodealliance/jco';
import { buildCGuest, cGlue, cGuestPaths, C_WORLD } from '../scripts/c-guests.js';
import { observe, startGuest } from './harness/components.js';
import { echoClientToNode, echoPair, oneToManyEcho } from './harness/echo-guests.js';
import { find as findItem, get, noFeatures, noFlags } from './harness/observations.js';
import { exitWithin } from './harness/processes.js';
import { projectRoot } from '../scripts/guests.js';
import { canonicalInterfaceName, coreFunctions, legacyExport, legacyName, type CoreImport } from './harness/wasm-module.js';

type Seen = Record<string, any>;

const signature = (f: { params: string[]; results: string[] }) => `(${f.params.join(' ')}) -> (${f.results.join(' ')})`;
const importKey = (i: { module: string; name: string; params: string[]; results: string[] }) => `${i.module} ${i.name} ${signature(i)}`;

/** The core module of a C guest (before the adapter and the component wrapping). */
function coreOf(name: string): ReturnType<typeof coreFunctions> {
  buildCGuest(name);
  return coreFunctions(readFileSync(cGuestPaths(name).core));
}

let dummyCache: Promise<{ imports: CoreImport[]; exports: Array<{ name: string; params: string[]; results: string[] }> }> | undefined;
/**
 * jco's dummy core module for world `command` (wasm-tools' `component embed --dummy`), its names
 * turned from the standard `cm32p2|...` form into the legacy form the glue uses.
 */
function dummy(): Promise<{ imports: CoreImport[]; exports: Array<{ name: string; params: string[]; results: string[] }> }> {
  dummyCache ??= (async () => {
    const bytes = await componentEmbed({ dummy: true, witPath: join(projectRoot, 'wit'), world: C_WORLD } as never) as unknown as Uint8Array;
    const core = coreFunctions(bytes);
    // Canonical interface names (`wasi:io/poll@0.2`) back to the full ones the WIT gives.
    const versions = new Map<string, string>();
    for (const dir of ['wit', ...readdirSync(join(projectRoot, 'wit', 'deps')).map((d) => `wit/deps/${d}`)]) {
      const texts = readdirSync(join(projectRoot, dir)).filter((f) => f.endsWith('.wit')).map((f) => readFileSync(join(projectRoot, dir, f), 'utf8'));
      const pkg = texts.map((t) => t.match(/^package ([a-z-]+:[a-z-]+)@([0-9.]+);/m)).find(Boolean);
      assert.ok(pkg, `no package declaration in ${dir}`);
      for (const m of texts.join('\n').matchAll(/^\s*(?:@\S+\s+)?interface ([a-z0-9-]+)/gm)) {
        const full = `${pkg![1]}/${m[1]}@${pkg![2]}`;
        versions.set(canonicalInterfaceName(full), full);
      }
    }
    return {
      imports: core.imports.map((i) => ({ ...i, ...legacyName(i.module, i.name, versions) })),
      exports: core.exports.map((e) => ({ ...e, name: legacyExport(e.name, versions) })),
    };
  })();
  return dummyCache;
}

const SCTP_MODULES = ['sctp:sockets/sctp@0.1.0', 'sctp:sockets/sctp-create-socket@0.1.0'];

const glue = suite('the generated C glue');

glue('declares exactly the core imports of jco\'s dummy module for the world, with the same core signatures', async () => {
  const expected = (await dummy()).imports.map(importKey).sort();
  const declared = JSON.parse(readFileSync(join(cGlue().dir, `${C_WORLD}.core.json`), 'utf8')) as { imports: CoreImport[] };
  assert.equal(declared.imports.map(importKey).sort(), expected, 'what the generator says it declares');
  // What clang made of it: the check module exports every glue function, so it imports everything.
  const compiled = coreOf('c-glue-check').imports.filter((i) => i.module !== 'wasi_snapshot_preview1').map(importKey).sort();
  assert.equal(compiled, expected, 'what the compiled module imports');
  assert.ok(expected.length > 250, `${expected.length} imports`);
});

glue('exports what the world asks of a guest: the run function and cabi_realloc, with the dummy module\'s signatures', async () => {
  const wanted = (await dummy()).exports.filter((e) => e.name === `wasi:cli/run@0.2.12#run` || e.name === 'cabi_realloc' || e.name === '_initialize');
  assert.is(wanted.length, 3);
  const exports = coreOf('c-echo-server').exports;
  for (const e of wanted) {
    const mine = exports.find((x) => x.name === e.name);
    assert.ok(mine, `no export ${e.name}`);
    assert.is(signature(mine!), signature(e), e.name);
  }
});

glue('the C guests together call every function of sctp:sockets', async () => {
  const all = (await dummy()).imports.filter((i) => SCTP_MODULES.includes(i.module));
  const used = new Set<string>();
  for (const name of ['c-echo-server', 'c-echo-client', 'c-datamodel', 'c-calls']) {
    for (const i of coreOf(name).imports) if (SCTP_MODULES.includes(i.module)) used.add(importKey(i));
  }
  const missing = all.map(importKey).filter((k) => !used.has(k));
  assert.equal(missing, [], `not called from any C guest:\n${missing.join('\n')}`);
  assert.ok(all.length > 120, `${all.length} functions`);
});

glue.run();

const echo = suite('C echo guests');

echo('a C client and a C server exchange messages on several streams', async () => {
  await echoPair('c-echo-server', 'c-echo-client', ['--streams', '5', '--batch', '32'], 200);
});

echo('a C client talks to the TypeScript server, a TypeScript client to the C server', async () => {
  await echoPair('echo-server', 'c-echo-client', ['--streams', '3'], 60);
  await echoPair('c-echo-server', 'echo-client', ['--streams', '3'], 60);
});

echo('a one-to-many C server serves a C and a TypeScript client at once', async () => {
  await oneToManyEcho('c-echo-server', ['c-echo-client', 'echo-client']);
});

echo('a C client against a Node-side server: streams, PPIDs and ordering arrive as sent, and every echo is printed', async () => {
  const lines = await echoClientToNode('c-echo-client', 40, 4);
  const echoes = lines.filter((l) => l.startsWith('echo '));
  assert.is(echoes.length, 40);
  assert.ok(echoes.includes('echo stream 2 ppid 1002 unordered: message 2 on stream 2'), echoes.join('\n'));
});

echo('wrong arguments: a usage message and exit code 1', async () => {
  const client = startGuest('c-echo-client', ['127.0.0.1']);
  assert.is(await exitWithin(client, 30_000), 1);
});

echo.run();

/** A C guest's observations, by case, once it ended. */
const observeC = async (guest: string, args: string[]) => await observe(guest, args, { timeoutMs: 90_000 }) as Map<string, Seen>;
/** An item of a drain, as loosely typed as the observations. */
const find = (items: unknown, kind: string, state?: string) => findItem<Seen>(items, kind, state);

const model = suite('SCTP\'s data model from a C guest (test/guests/c/datamodel/)');

model('every notification kind with its fields: assoc-change, adaptation, peer-addr-change, authentication, sender-dry, send-failed, RFC 6525, partial-delivery, shutdown', async () => {
  const ev = await observeC('c-datamodel', ['events']);
  const client = get(ev, 'client-up');
  assert.equal(find(client.seen, 'assoc-change', 'comm-up'), {
    kind: 'assoc-change', association: client.association, state: 'comm-up', error: 0, outboundStreams: 10, inboundStreams: 10,
    features: { ...noFeatures, partialReliability: true, authentication: true, addressReconfiguration: true, multiBuffer: true, streamReconfiguration: true },
    abortChunk: [],
  });
  assert.equal(find(client.seen, 'adaptation-indication'), { kind: 'adaptation-indication', association: client.association, indication: 0x01020304 });
  assert.is(find(get(ev, 'server-up').seen, 'adaptation-indication').indication, 0x0a0b0c0d);
  const change = find(get(ev, 'server-up').seen, 'peer-addr-change');
  assert.equal([change.state, change.error], ['confirmed', 0]);
  assert.match(change.address, /^127\.0\.0\.1:\d+$/);

  const newKey = get(ev, 'auth-new-key').seen as Seen[];
  assert.equal(find(newKey, 'authentication'), { kind: 'authentication', association: find(newKey, 'authentication').association, keyNumber: 2, indication: 'new-key' });
  assert.ok(newKey.indexOf(find(newKey, 'authentication')) < newKey.findIndex((s) => s.message === 'hi'), 'the key change comes before the message');
  assert.equal(find(get(ev, 'sender-dry').seen, 'sender-dry'), { kind: 'sender-dry', association: client.association });
  assert.equal(find(get(ev, 'auth-free-key').seen, 'authentication').indication, 'free-key');
  const noAuth = get(ev, 'auth-no-auth').seen;
  assert.is(find(noAuth, 'authentication').indication, 'no-auth');
  assert.is(find(noAuth, 'assoc-change', 'comm-up').features.authentication, false);

  const pr = get(ev, 'pr-sctp');
  const failed = (pr.sender as Seen[]).filter((s) => s.kind === 'send-failed').sort((a, b) => a.context - b.context);
  assert.equal(failed.map((f) => [f.context, f.stream, f.sent, Buffer.from(f.data).toString()]), [[42, 2, true, 'ttl-msg'], [43, 2, true, 'rtx-msg']]);
  assert.equal([pr.ttl, pr.rtx], [{ abandonedUnsent: 0, abandonedSent: 1 }, { abandonedUnsent: 0, abandonedSent: 1 }]);
  assert.equal((pr.receiver as Seen[]).filter((s) => s.message !== undefined).map((s) => s.message), ['after']);

  const reset = get(ev, 'stream-reset');
  assert.equal([find(reset.client, 'stream-reset').flags, find(reset.client, 'stream-reset').streams], [{ ...noFlags, outgoing: true }, [1]]);
  assert.equal([find(reset.server, 'stream-reset').flags, find(reset.server, 'stream-reset').streams], [{ ...noFlags, incoming: true }, [1]]);
  const incoming = get(ev, 'stream-reset-incoming');
  assert.equal(find(incoming.client, 'stream-reset').flags, { ...noFlags, incoming: true });
  assert.equal(find(incoming.server, 'stream-reset').flags, { ...noFlags, outgoing: true });
  const streams = get(ev, 'stream-change');
  assert.equal([find(streams.client, 'stream-change').outboundStreams, find(streams.client, 'stream-change').inboundStreams], [12, 10]);
  assert.equal([find(streams.server, 'stream-change').outboundStreams, find(streams.server, 'stream-change').inboundStreams], [10, 12]);
  const assoc = get(ev, 'assoc-reset');
  const c = find(assoc.client, 'assoc-reset');
  const s = find(assoc.server, 'assoc-reset');
  assert.equal(c.flags, noFlags);
  assert.is(c.localTsn, s.remoteTsn - 1);
  assert.is(s.localTsn, c.remoteTsn - 1);
  const denied = get(ev, 'reconfig-denied');
  assert.equal(find(denied.reset, 'stream-reset').flags, { ...noFlags, outgoing: true, denied: true });
  assert.equal(find(denied.add, 'stream-change').flags, { ...noFlags, denied: true });
  assert.equal(find(denied.assoc, 'assoc-reset').flags, { ...noFlags, denied: true });

  const cant = find(get(ev, 'cant-str-assoc').seen, 'assoc-change', 'cant-str-assoc');
  assert.equal([cant.features, cant.abortChunk[0]], [noFeatures, 6]);
  const pd = get(ev, 'partial-delivery');
  const first = (pd.first as Seen[]).find((x) => x.message !== undefined)!;
  assert.is(first.complete, false, 'the first piece of a large message');
  assert.equal(find(pd.rest, 'partial-delivery'), { kind: 'partial-delivery', association: first.association, aborted: true, stream: 1, sequence: 0 });
  const lost = find(pd.rest, 'assoc-change', 'comm-lost');
  assert.is(lost.error, 12, 'User-Initiated Abort');
  assert.match(Buffer.from(lost.abortChunk).toString(), /abort$/);
  const unsent = (get(ev, 'send-failed-unsent').seen as Seen[]).filter((x) => x.kind === 'send-failed');
  assert.ok(unsent.some((f) => f.sent === false), JSON.stringify(unsent));
  const shutdown = get(ev, 'shutdown');
  find(shutdown.server, 'shutdown');
  find(shutdown.server, 'assoc-change', 'shutdown-comp');
  find(shutdown.client, 'assoc-change', 'shutdown-comp');
  assert.ok((shutdown.client as Seen[]).at(-1)!.end, 'end-of-stream last');
});

model('three associations on one one-to-many socket: sendall, sack-immediately, peeloff, abort, eof, autoclose', async () => {
  const seen = await observeC('c-datamodel', ['associations']);
  const up = get(seen, 'three-up');
  assert.is(new Set(up.associations).size, 3);
  assert.is(up.number, 3);
  assert.equal([...up.ids].sort(), [...up.associations].sort());
  assert.equal(get(seen, 'sendall'), { case: 'sendall', got: [['to everyone'], ['to everyone'], ['to everyone']], sackImmediately: ['acknowledge at once'] });
  const peeled = get(seen, 'peeled');
  assert.equal([peeled.socketType, peeled.again], ['one-to-one', 'invalid-argument']);
  assert.equal(peeled.peeledGot.map((x: Seen) => x.message), ['to the peeled socket']);
  assert.equal(peeled.clientGot.map((x: Seen) => x.message), ['from the peeled socket']);
  assert.equal(get(seen, 'aborted'), { case: 'aborted', client: [{ error: 'connection-reset' }], sendAfter: 'connection-reset' });
  const others = get(seen, 'others-continue').server as Seen[];
  find(others, 'assoc-change', 'comm-lost');
  assert.ok(others.some((x) => x.message === 'still here'));
  assert.equal((get(seen, 'eof').client as Seen[]).map((x) => x.message ?? (x.end ? 'END' : x.kind)), ['last words', 'END']);
  const autoclose = get(seen, 'autoclose');
  find(autoclose.server, 'assoc-change', 'shutdown-comp');
  assert.ok((autoclose.client as Seen[]).at(-1)!.end);
  assert.is(autoclose.number, 0, 'every association is gone');
});

model('per-message information: 4 MiB whole, pieces, NXTINFO, RCVINFO, default-sndinfo, explicit EOR, per-message INIT', async () => {
  const seen = await observeC('c-datamodel', ['large']);
  assert.is(get(seen, 'too-large-for-buffer').code, 'datagram-too-large');
  assert.equal(get(seen, 'whole'), { case: 'whole', length: 4 << 20, intact: true, complete: true, ppid: 7, after: 'after' });
  const pieces = get(seen, 'pieces');
  assert.ok(pieces.count > 1);
  assert.equal([pieces.bytes, pieces.intact, pieces.completeOnlyLast, pieces.wholeMessages], [1 << 20, true, true, false]);
  const nxt = get(seen, 'nxtinfo');
  assert.equal(nxt.next, { association: nxt.next.association, stream: 2, ppid: 20, length: 7, unordered: true, complete: true, notification: false });
  assert.equal([nxt.first, nxt.second, nxt.nextAfterLast], ['first', 'second!', null]);
  const rcv = get(seen, 'rcvinfo');
  const [r1, r2] = rcv.got as Seen[];
  assert.equal([r1.stream, r2.stream, r1.context, r2.context, r1.association, r2.association], [4, 4, 0x1234, 0x1234, rcv.association, rcv.association]);
  assert.is(r2.ssn, r1.ssn + 1);
  assert.is(r2.tsn, (r1.tsn + 1) >>> 0);
  assert.equal(get(seen, 'default-sndinfo').got, [['defaults', 3, 77], ['own stream', 1, 77]]);
  assert.equal(get(seen, 'explicit-eor').got, [['one message in three', true], ['next', true]]);
  assert.equal(get(seen, 'per-message-init'), { case: 'per-message-init', peerInbound: 3, socketSetting: 10 });
});

model('wrong use gets an error code', async () => {
  const e = get(await observeC('c-datamodel', ['errors']), 'errors');
  assert.equal(e, {
    case: 'errors',
    finishBindWithoutStart: 'not-in-progress', finishConnectWithoutStart: 'not-in-progress', finishListenWithoutStart: 'not-in-progress',
    sendUnconnected: 'invalid-state', acceptNotListening: 'invalid-state', remoteAddressUnconnected: 'invalid-state',
    peeloffOneToOne: 'invalid-state', shutdownUnconnected: 'invalid-state', bindWrongFamily: 'invalid-argument',
    receiveBufferSizeZero: 'invalid-argument', listenBacklogZero: 'invalid-argument', startBind: 'ok', startBindAgain: 'concurrency-conflict',
    finishBind: 'ok', listenWhileBound: 'ok', startConnect: 'ok', startConnectAgain: 'concurrency-conflict',
    connectNobodyListening: 'connection-refused', sendAfterRefused: 'invalid-state',
  });
});

model.run();

const options = suite('socket options and the other functions from a C guest (test/guests/c/calls/)');

options('every read-write option set and read back, and the error codes of wrong values', async () => {
  const seen = await observeC('c-calls', ['local']);
  const r = get(seen, 'read-back');
  assert.equal(r.rtoInfo, { initial: 500, max: 5000, min: 200 });
  assert.equal(r.assocInfo, { peerRwnd: 0, localRwnd: 200000, cookieLife: 30000, maxRetransmits: 7, peerDestinations: 0 });
  assert.equal(r.initMsg, { numOstreams: 5, maxInstreams: 6, maxAttempts: 3, maxInitTimeo: 900 });
  assert.equal([r.linger, r.nodelay, r.receiveBufferSize, r.sendBufferSize, r.autoclose, r.adaptationLayer, r.disableFragments],
    [5000, true, 200000, 300000, 3000, 0xabcdef, true]);
  assert.equal(r.peerAddrParams, { heartbeat: true, heartbeatInterval: 5000, heartbeatNow: false, pmtud: false, pathMtu: 1200, pathMaxRetransmits: 4 });
  assert.equal([r.mappedV4Addresses, r.maxseg, r.hmacIdent, r.authActiveKey], [true, 1000, ['sha1'], 1]);
  assert.equal(r.delayedSack, { delay: 100, frequency: 3 });
  assert.equal([r.fragmentInterleave, r.partialDeliveryPoint, r.maxBurst, r.context, r.explicitEor, r.reusePort], ['streams', 1000, 6, 77, true, true]);
  assert.equal([r.event, r.eventOff, r.recvRcvinfo, r.recvNxtinfo], [true, false, true, true]);
  assert.equal(r.defaultSndinfo, { stream: 2, ppid: 42, flags: { unordered: true, addrOver: false, abort: false, eof: false, sendall: false, sackImmediately: false, eor: false }, context: 9 });
  assert.equal(r.defaultPrinfo, { policy: 'ttl', value: 300 });
  assert.equal(r.localAuthChunks, [0]);
  assert.equal(r.enableStreamReset, { resetStreams: true, resetAssociation: false, addStreams: true });
  assert.equal([r.prSupported, r.interleavingSupported, r.streamScheduler, r.remoteUdpEncapsPort], [false, true, 'priority', 4242]);
  assert.equal(r.peerAddrThresholds, { pathMaxRetransmits: 4, potentiallyFailedThreshold: 2 });
  assert.equal([r.ecnSupported, r.authSupported, r.asconfSupported, r.reconfigSupported, r.nrsackSupported, r.pktdropSupported], [false, false, false, false, true, true]);
  assert.equal([r.maxCwnd, r.ipv6Only, r.assocNumber, r.assocIdList, r.addressFamily], [100000, false, 0, [], 'ipv6']);
  assert.is(get(seen, 'linger-off').none, true);
  assert.equal(get(seen, 'auto-asconf'), { case: 'auto-asconf', wildcard: false, bound: 'ok' });
  const errors = get(seen, 'errors');
  const expected: Record<string, string> = {
    rtoOrder: 'invalid-argument', cookieLife: 'invalid-argument', lingerFraction: 'invalid-argument', autocloseFraction: 'invalid-argument',
    autocloseOneToOne: 'invalid-state', sackDelay: 'invalid-argument', pathMtu: 'invalid-argument', sackDelayLinuxOnly: 'not-supported',
    dscp: 'invalid-argument', hmacWithoutSha1: 'invalid-argument', hmacTwice: 'invalid-argument', reusePortOff: 'not-supported',
    reusePortOneToMany: 'invalid-state', notificationsStopped: 'not-supported', rcvinfoOff: 'not-supported', prinfoNoneWithValue: 'invalid-argument',
    wfq: 'not-supported', ipv6OnlyOn: 'not-supported', ipv6OnlyOnIpv4: 'not-supported', assocNumberOneToOne: 'invalid-state',
    statusOneToManyNone: 'invalid-argument', unknownAssociation: 'invalid-argument', unknownAssociationSet: 'invalid-argument',
    currentForDefaultsOnly: 'invalid-argument', resetStreamsNoDirection: 'invalid-argument', addStreamsNone: 'invalid-argument',
    resetAssocUnconnected: 'invalid-state', peerPrimaryUnconnected: 'invalid-state', deactivateUnknownKey: 'invalid-argument',
    deleteUnknownKey: 'invalid-argument',
  };
  assert.equal(errors, { case: 'errors', ...expected });
});

options('a live association between two sockets of the guest: addresses, status, paths, scheduler, RFC 6525, AUTH key rotation', async () => {
  const seen = await observeC('c-calls', ['live']);
  const a = get(seen, 'addresses');
  assert.equal([a.localAddresses, a.remoteAddresses], [[a.local], [a.peer]]);
  assert.equal([a.removeLast, a.removeUnknown, a.isListening, a.clientListening], ['invalid-argument', 'invalid-argument', true, false]);
  const status = get(seen, 'status');
  assert.equal([status.status.state, status.status.association, status.status.outboundStreams, status.status.inboundStreams], ['established', status.connected, 6, 6]);
  assert.equal([status.status.primary.address, status.status.primary.state], [status.expectedPrimary, 'active']);
  const info = get(seen, 'peer-addr-info');
  assert.equal([info.info.address, info.byAssociation.address], [a.peer, a.peer]);
  const o = get(seen, 'association-options');
  assert.equal([o.primaryAddr, o.setPrimaryAddr, o.setPeerPrimaryAddr], [a.peer, 'ok', 'ok']);
  assert.ok(o.peerAuthChunks.includes(0), `peer auth chunks ${o.peerAuthChunks}`);
  assert.equal([o.prAssocStatus, o.prAssocStatusTtl, o.prStreamStatus], Array(3).fill({ abandonedUnsent: 0, abandonedSent: 0 }));
  assert.equal(o.prStreamStatusTtl, { error: 'not-supported' });
  assert.equal(o.negotiated, { pr: true, interleaving: false, reconfig: true });
  assert.is(o.timeouts.init, 0);
  assert.equal(get(seen, 'scheduler'), { case: 'scheduler', scheduler: 'priority', value: 5 });
  assert.equal(get(seen, 'path-before-traffic').rtoInfo, { initial: 3000, max: 60000, min: 1500 });
  const path = get(seen, 'path');
  assert.equal([path.reply, path.info.mtu, path.info.rto], ['measure rtt', 1200, 1500]);
  assert.equal([path.params.pmtud, path.params.pathMtu, path.params.heartbeatInterval], [false, 1200, 1000]);
  assert.equal(path.thresholds, { pathMaxRetransmits: 6, potentiallyFailedThreshold: 3 });
  assert.ok(path.fragmentationPoint < 1200);
  const rc = get(seen, 'reconfig');
  assert.equal(find(rc.reset, 'stream-reset').streams, [1]);
  assert.is(find(rc.change, 'stream-change').outboundStreams, 8);
  assert.equal([rc.resetAssoc, find(rc.assocReset, 'assoc-reset').flags.denied, rc.outboundStreams], ['ok', false, 8]);
  const auth = get(seen, 'auth-rotation');
  assert.equal([auth.withKey1, auth.active1, auth.withKey2, auth.deactivate1, auth.deleteActive, auth.afterDeactivate, auth.active2],
    ['signed with key 1', 1, 'signed with key 2', 'ok', 'invalid-argument', 'key 1 retired', 2]);
});

options.run();
