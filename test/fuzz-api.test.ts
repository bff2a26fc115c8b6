// Guest API fuzzing: random call sequences against the host's WIT-level objects, called from Node
// as jco's generated code calls them, with arguments generated from wit/sctp.wit (every function
// of `sctp-socket`, the option functions included): wrong states, random option values, scopes
// and association ids, huge lengths, resources dropped in every order, sockets used after their
// pollables were dropped or their association died. The host must never crash, hang or throw
// anything but a HostError carrying a WIT error-code (and never throw where the WIT has no error,
// nor return a value jco could not lower), and every native socket must be released.
//
// FUZZ_API_RUNS sets the number of sequences (CI default 1500; the full run is 10,000:
// `npm run reliability`). FUZZ_SEED replays a run. A smaller run comes from inside a component
// (FUZZ_GUEST_SEQUENCES, default 250): what jco lowers and lifts on the way is part of it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fc from 'fast-check';
import { ERROR_CODES, initStack } from '../src/index.js';
import { native } from '../src/native.js';
import { createSctpSocket, SctpSocket as HostSocket } from '../host/sctp-socket.js';
import { hostConfig } from '../host/config.js';
import { HostError } from '../host/errors.js';
import { workerResourceCounts } from '../host/readiness/pollables.js';
import type { IpSocketAddress } from '../types/generated/interfaces/wasi-sockets-network.js';
import { loadSctpModel, conformance, resolve, type Method, type WitType } from './harness/readers/wit-model.js';
import { network, ipv4 } from './harness/host.js';
import { startEchoPeer } from './harness/peers/start.js';
import { startGuest } from './harness/components.js';
import { byCase, exitWithin } from './harness/processes.js';

const RUNS = Number(process.env.FUZZ_API_RUNS ?? 1500);
const GUEST_SEQUENCES = Number(process.env.FUZZ_GUEST_SEQUENCES ?? 250);
const SEED = process.env.FUZZ_SEED === undefined ? undefined : Number(process.env.FUZZ_SEED);
initStack();
const model = loadSctpModel();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---- the peers the fuzzed sockets can reach -------------------------------------------------------------------

// In another process: usrsctp corrupts its heap when one stack holds both ends of associations
// that come and go by the hundred (scripts/usrsctp-churn-repro.c).
hostConfig.configure({ policy: {} }); // the default policy: loopback only (so denials are fuzzed too)
const peer = await startEchoPeer();

// ---- arbitraries from the WIT -----------------------------------------------------------------------------------

const servers = [peer.primary, peer.many].map((port) => ipv4('127.0.0.1', port));
const v6 = (groups: number[], port: number): IpSocketAddress => ({ tag: 'ipv6', val: { address: groups as never, port, flowInfo: 0, scopeId: 0 } });

const addressArb: fc.Arbitrary<IpSocketAddress> = fc.oneof(
  { arbitrary: fc.constantFrom(...servers), weight: 6 },
  { arbitrary: fc.constantFrom(ipv4('127.0.0.1', 0), ipv4('0.0.0.0', 0), v6([0, 0, 0, 0, 0, 0, 0, 0], 0), v6([0, 0, 0, 0, 0, 0, 0, 1], 0)), weight: 3 },
  { arbitrary: fc.integer({ min: 0, max: 65535 }).map((p) => ipv4('127.0.0.1', p)), weight: 2 },
  { arbitrary: fc.constantFrom(...servers).map((a) => v6([0, 0, 0, 0, 0, 0xffff, 0x7f00, 1], a.val.port)), weight: 1 },
  { arbitrary: fc.tuple(fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 4, maxLength: 4 }), fc.integer({ min: 0, max: 65535 }))
    .map(([a, port]) => ({ tag: 'ipv4' as const, val: { address: a as never, port } })), weight: 1 },
  { arbitrary: fc.tuple(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 65535 }),
    fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }))
    .map(([a, port, flowInfo, scopeId]) => ({ tag: 'ipv6' as const, val: { address: a as never, port, flowInfo, scopeId } })), weight: 1 },
);

const edge = <T>(values: T[], any: fc.Arbitrary<T>) => fc.oneof({ arbitrary: fc.constantFrom(...values), weight: 2 }, { arbitrary: any, weight: 1 });
const u32 = edge([0, 1, 2, 3, 4, 5, 10, 100, 1000, 65535, 65536, 0x7fffffff, 0x80000000, 0xffffffff], fc.integer({ min: 0, max: 0xffffffff }));
const PRIM_ARBS: Record<string, fc.Arbitrary<unknown>> = {
  bool: fc.boolean(),
  u8: edge([0, 1, 4, 0x7f, 0xff], fc.integer({ min: 0, max: 0xff })),
  u16: edge([0, 1, 2, 10, 512, 1500, 0x7fff, 0xfffe, 0xffff], fc.integer({ min: 0, max: 0xffff })),
  u32,
  u64: edge([0n, 1n, 2n, 1000n, 0x7fffffffn, 0xffffffffn, 1n << 32n, (1n << 63n) - 1n, (1n << 64n) - 1n], fc.bigInt({ min: 0n, max: (1n << 64n) - 1n })),
  s32: fc.integer({ min: -0x80000000, max: 0x7fffffff }),
  string: fc.string(),
};

/** Byte lists: mostly small, sometimes past a packet, a send buffer, or 16 MiB. */
const byteLength = fc.oneof(
  { arbitrary: fc.constant(0), weight: 2 },
  { arbitrary: fc.integer({ min: 1, max: 64 }), weight: 8 },
  { arbitrary: fc.integer({ min: 65, max: 4000 }), weight: 3 },
  { arbitrary: fc.integer({ min: 60_000, max: 300_000 }), weight: 1 },
  { arbitrary: fc.constantFrom(4 << 20, 16 << 20), weight: 1 },
);
const listLength = fc.oneof({ arbitrary: fc.integer({ min: 0, max: 4 }), weight: 10 }, { arbitrary: fc.constantFrom(200, 70_000), weight: 1 });

const cache = new Map<WitType, fc.Arbitrary<unknown>>();
function arb(type: WitType): fc.Arbitrary<unknown> {
  const hit = cache.get(type);
  if (hit) return hit;
  const made = makeArb(type);
  cache.set(type, made);
  return made;
}

function makeArb(type: WitType): fc.Arbitrary<unknown> {
  if (type.kind === 'named' && type.name === 'ip-socket-address') return addressArb;
  if (type.kind === 'handle' && type.resource === 'network') return fc.constant(network);
  const t = resolve(model, type);
  switch (t.kind) {
    case 'prim': {
      const a = PRIM_ARBS[t.name];
      if (!a) throw new Error(`no arbitrary for ${t.name}`);
      return a;
    }
    case 'list': {
      const of = resolve(model, t.of);
      if (of.kind === 'prim' && of.name === 'u8') return byteLength.map((n) => new Uint8Array(n));
      if (of.kind === 'prim' && of.name === 'u16') return fc.oneof(fc.uint16Array({ maxLength: 8 }), listLength.map((n) => new Uint16Array(n)));
      if (of.kind === 'prim' && of.name === 'u32') return fc.oneof(fc.uint32Array({ maxLength: 8 }), listLength.map((n) => new Uint32Array(n)));
      // Lists of records (messages): a few, sometimes hundreds of the same.
      return fc.oneof({ arbitrary: fc.array(arb(t.of), { maxLength: 4 }), weight: 8 },
        { arbitrary: fc.tuple(arb(t.of), fc.integer({ min: 100, max: 400 })).map(([v, n]) => new Array(n).fill(v)), weight: 1 });
    }
    case 'option':
      return fc.option(arb(t.of), { nil: undefined, freq: 2 });
    case 'tuple':
      return fc.tuple(...t.of.map(arb));
    case 'enum':
      return fc.constantFrom(...t.cases);
    case 'flags':
      return fc.record(Object.fromEntries(t.flags.map((f) => [camelName(f), fc.oneof({ arbitrary: fc.constant(false), weight: 4 }, { arbitrary: fc.constant(true), weight: 1 })])));
    case 'record':
      return fc.record(Object.fromEntries(t.fields.map((f) => [camelName(f.name),
        // Fields the host refuses whenever they are set: mostly unset, or every message would stop there.
        ALWAYS_REFUSED.has(f.name) ? fc.oneof({ arbitrary: fc.constant(undefined), weight: 9 }, { arbitrary: arb(f.type), weight: 1 }) : arb(f.type)])));
    case 'variant':
      return fc.oneof(...t.cases.map((c) => (c.type ? arb(c.type).map((val) => ({ tag: c.name, val })) : fc.constant({ tag: c.name }))));
    default:
      throw new Error(`no arbitrary for ${JSON.stringify(type)}`);
  }
}

/** send-info fields this host answers with not-supported (see the WIT). */
const ALWAYS_REFUSED = new Set(['auth-key', 'init']);

function camelName(kebab: string): string {
  return kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The calls that move a socket through its states come up more often than the hundred option functions. */
const CORE = new Set(['start-bind', 'finish-bind', 'start-connect', 'finish-connect', 'start-listen', 'finish-listen', 'accept',
  'peeloff', 'send', 'receive', 'shutdown', 'subscribe', 'local-address', 'remote-address']);
const methodsByWit = new Map(model.methods.map((m) => [m.wit, m]));
const callArb = (methods: Method[]) => fc.constantFrom(...methods).chain((m) =>
  fc.tuple(...m.params.map((p) => arb(p.type))).map((args) => ({ op: 'call' as const, method: m.wit, args })));
const coreMethods = model.methods.filter((m) => CORE.has(m.wit));
const otherMethods = model.methods.filter((m) => !CORE.has(m.wit));

type Command =
  | { op: 'create'; family: 'ipv4' | 'ipv6'; type: 'one-to-one' | 'one-to-many' }
  | { op: 'call'; method: string; args: unknown[] }
  | { op: 'reach-servers' }
  | { op: 'drop-socket' }
  | { op: 'pollable'; action: 'ready' | 'block-if-ready' | 'drop' }
  | { op: 'settle'; ms: number }
  | { op: 'peer-ends'; abort: boolean };

const commandArb: fc.Arbitrary<{ target: number; command: Command }> = fc.record({
  target: fc.nat(),
  command: fc.oneof(
    { arbitrary: fc.record({ op: fc.constant('create' as const), family: fc.constantFrom('ipv4' as const, 'ipv4' as const, 'ipv6' as const),
      type: fc.constantFrom('one-to-one' as const, 'one-to-many' as const) }), weight: 3 },
    { arbitrary: callArb(coreMethods), weight: 12 },
    { arbitrary: callArb(otherMethods), weight: 10 },
    { arbitrary: fc.constant({ op: 'reach-servers' as const }), weight: 3 },
    { arbitrary: fc.constant({ op: 'drop-socket' as const }), weight: 2 },
    { arbitrary: fc.record({ op: fc.constant('pollable' as const), action: fc.constantFrom('ready' as const, 'block-if-ready' as const, 'drop' as const) }), weight: 3 },
    { arbitrary: fc.record({ op: fc.constant('settle' as const), ms: fc.integer({ min: 0, max: 15 }) }), weight: 2 },
    { arbitrary: fc.record({ op: fc.constant('peer-ends' as const), abort: fc.boolean() }), weight: 1 },
  ),
});

// ---- running a sequence -----------------------------------------------------------------------------------------

interface Pollable { ready(): boolean; block(): void; [Symbol.dispose](): void }
const isPollable = (v: unknown): v is Pollable => typeof v === 'object' && v !== null && typeof (v as Pollable).ready === 'function'
  && typeof (v as Pollable).block === 'function';

function external(name: string, value: unknown): string | undefined {
  if (name === 'ip-socket-address') {
    const a = value as IpSocketAddress;
    if (a?.tag === 'ipv4') return conformance(model, { kind: 'tuple', of: Array(4).fill({ kind: 'prim', name: 'u8' }) }, a.val.address, external)
      ?? conformance(model, { kind: 'prim', name: 'u16' }, a.val.port, external);
    if (a?.tag === 'ipv6') return conformance(model, { kind: 'tuple', of: Array(8).fill({ kind: 'prim', name: 'u16' }) }, a.val.address, external)
      ?? conformance(model, { kind: 'prim', name: 'u16' }, a.val.port, external)
      ?? conformance(model, { kind: 'prim', name: 'u32' }, a.val.flowInfo, external)
      ?? conformance(model, { kind: 'prim', name: 'u32' }, a.val.scopeId, external);
    return 'not an ip-socket-address';
  }
  if (name === 'pollable') return isPollable(value) ? undefined : 'not a pollable';
  if (name === 'sctp-socket') return value instanceof HostSocket ? undefined : 'not an sctp-socket';
  return `unknown type ${name}`;
}

const stats = { calls: 0, codes: new Map<string, number>(), slowestMs: 0, slowest: '' };

/** Calls a host method as jco would; returns a problem description, or undefined when the host kept its promises. */
function callHost(socket: HostSocket, method: Method, args: unknown[], found: { sockets: HostSocket[]; pollables: Pollable[] }): string | undefined {
  const started = performance.now();
  let value: unknown;
  let error: unknown;
  let threw = false;
  try {
    value = (socket as unknown as Record<string, (...a: unknown[]) => unknown>)[method.js](...args);
  } catch (e) {
    threw = true;
    error = e;
  }
  const ms = performance.now() - started;
  stats.calls++;
  if (ms > stats.slowestMs) { stats.slowestMs = ms; stats.slowest = method.wit; }
  const describe = () => `${method.wit}(${args.map((a) => (a instanceof Uint8Array ? `bytes[${a.length}]` : typeof a === 'bigint' ? `${a}n` : JSON.stringify(a)?.slice(0, 200))).join(', ')})`;
  const returnsResult = method.result?.kind === 'result';
  if (threw) {
    if (!(error instanceof HostError)) return `${describe()} threw a non-WIT error: ${error instanceof Error ? error.stack : String(error)}`;
    if (!ERROR_CODES.includes(error.payload)) return `${describe()} threw a HostError without a WIT error-code: ${String(error.payload)}`;
    if (!returnsResult) return `${describe()} threw ${error.payload}, but the WIT gives it no error to return (a trap in the guest)`;
    if (error.payload === 'unknown') return `${describe()} failed with 'unknown' (a host bug or an errno without a mapping)`;
    stats.codes.set(error.payload, (stats.codes.get(error.payload) ?? 0) + 1);
    return undefined;
  }
  stats.codes.set('ok', (stats.codes.get('ok') ?? 0) + 1);
  if (method.result) {
    const problem = conformance(model, method.result, value, external, method.wit);
    if (problem) return `${describe()} returned a value jco cannot lower: ${problem}`;
  }
  if (value instanceof HostSocket) found.sockets.push(value);
  else if (isPollable(value)) found.pollables.push(value);
  return undefined;
}

async function runSequence(commands: Array<{ target: number; command: Command }>, dropOrder: number[]): Promise<void> {
  const sockets: HostSocket[] = [];
  const pollables: Pollable[] = [];
  const found = { sockets, pollables };
  const problems: string[] = [];
  try {
    for (const { target, command } of commands) {
      if (command.op === 'create') {
        try {
          sockets.push(createSctpSocket(command.family, command.type));
        } catch (e) {
          if (!(e instanceof HostError) || e.payload === 'unknown') problems.push(`create-sctp-socket threw ${e instanceof HostError ? e.payload : String(e)}`);
        }
        continue;
      }
      if (command.op === 'settle') { await sleep(command.ms); continue; }
      if (command.op === 'peer-ends') { peer.tell(command.abort ? 'abort' : 'end'); continue; }
      if (command.op === 'pollable') {
        if (!pollables.length) continue;
        const i = target % pollables.length;
        try {
          if (command.action === 'drop') pollables.splice(i, 1)[0][Symbol.dispose]();
          else if (command.action === 'ready') pollables[i].ready();
          else if (pollables[i].ready()) pollables[i].block();
        } catch (e) {
          problems.push(`pollable ${command.action} threw: ${String(e)}`);
        }
        continue;
      }
      if (!sockets.length) continue;
      const i = target % sockets.length;
      if (command.op === 'drop-socket') { sockets.splice(i, 1)[0][Symbol.dispose](); continue; }
      if (command.op === 'reach-servers') {
        // What a guest does before connecting here: our encapsulation port, a short initial RTO.
        const p = callHost(sockets[i], methodsByWit.get('set-remote-udp-encaps-port')!, [{ tag: 'future' }, peer.udpPort], found)
          ?? callHost(sockets[i], methodsByWit.get('set-rto-info')!, [{ tag: 'future' }, { initial: 60, max: 200, min: 50 }], found);
        if (p) problems.push(p);
        continue;
      }
      const p = callHost(sockets[i], methodsByWit.get(command.method)!, command.args, found);
      if (p) problems.push(p);
      if (problems.length) break;
    }
  } finally {
    // Everything left is dropped in the generated order: sockets before or after their pollables.
    const all: Array<{ [Symbol.dispose](): void }> = [...sockets, ...pollables];
    for (const k of dropOrder) if (all.length) all.splice(k % all.length, 1)[0][Symbol.dispose]();
    for (const r of all) r[Symbol.dispose]();
  }
  const open = native.stats().sockets;
  if (open !== baseline.sockets) problems.push(`native sockets: ${open} open after the sequence, ${baseline.sockets} before`);
  if (problems.length) throw new Error(problems.join('\n'));
}

const baseline = native.stats();

test(`${RUNS} random call sequences: only WIT error-codes, values jco can lower, every native socket released`, async () => {
  const started = Date.now();
  await fc.assert(
    fc.asyncProperty(fc.array(commandArb, { minLength: 5, maxLength: 40, size: 'max' }), fc.array(fc.nat(), { maxLength: 12 }), runSequence),
    { numRuns: RUNS, seed: SEED, verbose: 1 },
  );
  const codes = Object.fromEntries([...stats.codes].sort((a, b) => b[1] - a[1]));
  console.log(`fuzz-api: ${RUNS} sequences, ${stats.calls} host calls in ${((Date.now() - started) / 1000).toFixed(1)} s; `
    + `slowest call ${stats.slowestMs.toFixed(1)} ms (${stats.slowest}); results ${JSON.stringify(codes)}`);
  // Every result kind shows up: the sequences reach connected states, not only refusals.
  assert.ok((stats.codes.get('ok') ?? 0) > stats.calls / 10, JSON.stringify(codes));
  assert.ok(stats.slowestMs < 5000, `a host call took ${stats.slowestMs} ms (${stats.slowest})`);
});

test(`${GUEST_SEQUENCES} random call sequences from a guest component: every failure an error-code, never a trap`, async () => {
  const seed = SEED ?? Math.floor(Math.random() * 0x7fffffff);
  const guest = startGuest('reliability', ['fuzz', String(seed), String(GUEST_SEQUENCES), '127.0.0.1', String(peer.primary), String(peer.udpPort)]);
  {
    // A trap or a non-error-code failure ends the guest with an error (runMain); 'unknown' is named.
    const code = await exitWithin(guest, 300_000);
    assert.is(code, 0, `seed ${seed}:\n${guest.lines.join('\n')}`);
    const summary = byCase(guest.events).get('fuzz') as { codes?: Record<string, number> } | undefined;
    assert.ok(summary, guest.lines.join('\n'));
    console.log(`fuzz-api (guest, seed ${seed}): ${guest.lines.at(-1)}`);
    assert.equal(guest.lines.filter((l) => l.includes('fuzz-unknown')), [], `seed ${seed}`);
    assert.ok((summary!.codes!.ok ?? 0) > 0);
  }
});

test('afterwards: sockets, socket records, watchers and the IO worker\'s streams, futures and pollables are back where they started; the peer is up', async () => {
  const workerBefore = workerBaseline;
  let now = native.stats();
  for (let i = 0; i < 100 && (now.sockets !== baseline.sockets || now.watchers !== baseline.watchers || now.records !== baseline.records); i++) {
    await sleep(50);
    now = native.stats();
  }
  assert.equal(now, baseline);
  // Sockets dropped before their pollables and after them alike: nothing of theirs stays in the worker.
  const worker = workerResourceCounts();
  assert.equal(worker, workerBefore);
  assert.equal(peer.events.filter((e) => e.event === 'error'), [], 'the peer process saw no unexpected errors');
  assert.is(await peer.end(), 0);
});

// Taken when this suite starts (uvu imports every suite before it runs the first).
let workerBaseline: ReturnType<typeof workerResourceCounts>;
test.before(() => { workerBaseline = workerResourceCounts(); });

test.run();
