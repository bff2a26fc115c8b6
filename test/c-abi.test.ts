// tools/wit-c against the Canonical ABI in both directions, on a world of its own
// (test/guests/c/abi/wit: records, variants joining every core type, enums, flags of 3, 10 and 20,
// options of options, results, tuples, lists of lists, chars, 16 and 17 core parameters, a resource
// with constructor, method, static function and drop, world-level functions): the glue's core imports
// and exports against jco's dummy module; then values sent from the host into the C guest's exports,
// which pass them to the host's imports and return what came back.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { componentEmbed } from '@bytecodealliance/jco';
import { buildCGuest, cGuestPaths } from '../scripts/c-guests.js';
import { projectRoot } from '../scripts/guests.js';
import { seen } from './harness/abi-host.js';
import { coreFunctions, legacyExport, legacyName } from './harness/wasm-module.js';

const WIT = join(projectRoot, 'test', 'guests', 'c', 'abi', 'wit');
const VERSIONS = new Map([['test:abi/types@0.1', 'test:abi/types@0.1.0'], ['test:abi/host@0.1', 'test:abi/host@0.1.0'], ['test:abi/guest@0.1', 'test:abi/guest@0.1.0']]);
const sig = (f: { params: string[]; results: string[] }) => `(${f.params.join(' ')}) -> (${f.results.join(' ')})`;

const abi = suite('the C glue of a world with every kind of type');

abi('imports and exports: the names and core signatures of jco\'s dummy module', async () => {
  const dummy = coreFunctions(await componentEmbed({ dummy: true, witPath: WIT, world: 'abi' } as never) as unknown as Uint8Array);
  buildCGuest('c-abi');
  const mine = coreFunctions(readFileSync(cGuestPaths('c-abi').core));
  const key = (i: { module: string; name: string; params: string[]; results: string[] }) => `${i.module} ${i.name} ${sig(i)}`;
  assert.equal(mine.imports.map(key).sort(), dummy.imports.map((i) => key({ ...i, ...legacyName(i.module, i.name, VERSIONS) })).sort());
  const expected = new Map(dummy.exports.map((e) => [legacyExport(e.name, VERSIONS), sig(e)]));
  const exported = mine.exports.filter((e) => e.name !== 'memory');
  for (const e of exported) assert.is(sig(e), expected.get(e.name), `export ${e.name}`);
  // Every function is exported; post-return functions exist where a result owns memory.
  const functions = [...expected.keys()].filter((n) => !n.startsWith('cabi_post_'));
  assert.equal(functions.filter((n) => !exported.some((e) => e.name === n)), []);
  assert.ok(exported.some((e) => e.name === 'cabi_post_test:abi/guest@0.1.0#roundtrip-point'));
});

let dir: string;
let guest: Record<string, (...args: any[]) => any>;
let notes: () => number;
let memoryPages: () => number;
abi.before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'wasm-sctp-abi-'));
  const host = join(projectRoot, 'dist', 'test', 'harness', 'abi-host.js');
  execFileSync(process.execPath, [join(projectRoot, 'node_modules', '@bytecodealliance', 'jco', 'dist', 'jco.js'), 'transpile', buildCGuest('c-abi'),
    '-o', dir, '--name', 'component', '--no-typescript', '--quiet', '--map', `test:abi/*=${host}#*`, '--map', `note=${host}#note`]);
  const component = await import(pathToFileURL(join(dir, 'component.js')).href) as { guest: typeof guest; notes: () => number; memoryPages: () => number };
  guest = component.guest;
  notes = component.notes;
  memoryPages = component.memoryPages;
});
abi.after(() => rmSync(dir, { recursive: true, force: true }));

abi('records with floats, strings and lists of strings', () => {
  for (const p of [
    { x: 1.5, y: -2.25, label: 'héllo, wörld ✓', tags: ['a', '', 'a longer tag'] },
    { x: -0, y: 1e300, label: '', tags: [] },
    { x: Math.fround(3.14159), y: Number.MIN_VALUE, label: 'x'.repeat(10_000), tags: Array.from({ length: 300 }, (_, i) => `tag ${i}`) },
  ]) {
    assert.equal(guest.roundtripPoint(p), p);
  }
});

const SHAPES = [
  { tag: 'empty' },
  { tag: 'byte', val: 255 },
  { tag: 'wide', val: -(2n ** 63n) },
  { tag: 'wide', val: 2n ** 63n - 1n },
  { tag: 'single', val: Math.fround(-1.25e-30) },
  { tag: 'double', val: -1.5e300 },
  { tag: 'text', val: 'ünïcödé 😀' },
  { tag: 'pair', val: [65535, '😀'] },
  { tag: 'maybe', val: undefined },
  { tag: 'maybe', val: { tag: 'ok', val: 4294967295 } },
  { tag: 'maybe', val: { tag: 'err', val: 'no number' } },
];

abi('a variant whose payloads are every core type (joined into i64 and i32 slots), alone and in a list', () => {
  for (const s of SHAPES) assert.equal(guest.roundtripShape(s), s, JSON.stringify(s, (_, v) => (typeof v === 'bigint' ? `${v}n` : v)));
  assert.equal(guest.roundtripShapes(SHAPES), SHAPES);
  assert.equal(guest.roundtripShapes([]), []);
});

const MANY = {
  a: 255, b: -128, c: 65535, d: -32768, e: 4294967295, f: -2147483648, g: 2n ** 64n - 1n, h: -(2n ** 63n),
  i: Math.fround(0.1), j: 0.1, k: '€', l: true, m: 'blue',
  n: { a: true, b: false, c: true },
  o: { m0: false, m1: true, m2: false, m3: false, m4: false, m5: false, m6: false, m7: false, m8: false, m9: true },
  p: Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`l${i}`, i % 3 === 0])),
};

abi('sixteen core parameters in registers, seventeen in memory; integers at their limits, chars, enums and flags of 1, 2 and 4 bytes', () => {
  assert.equal(guest.roundtripMany(MANY), MANY);
  const sum = BigInt(MANY.a + MANY.b + MANY.c + MANY.d + MANY.e + MANY.f) + BigInt(Math.trunc(MANY.i)) + BigInt(Math.trunc(MANY.j))
    + BigInt('€'.codePointAt(0)!) + MANY.g + MANY.h + 7n;
  assert.is(guest.sumMany(MANY, 7), sum);
  const scalars = [0, -1, 1, -1, 0, -1, 0n, -1n, Math.fround(2.5), -0.5, 'a', false];
  assert.equal(guest.roundtripScalars(...scalars), scalars);
  const limits = [255, 127, 65535, 32767, 4294967295, 2147483647, 2n ** 64n - 1n, 2n ** 63n - 1n, Infinity, -Infinity, '\u{10FFFF}', true];
  assert.equal(guest.roundtripScalars(...limits), limits);
});

abi('options of options, results both ways, lists of lists of strings', () => {
  // jco gives the outer option of a nested one as { tag }, the inner one as the value or undefined.
  for (const o of [{ tag: 'none' }, { tag: 'some', val: undefined }, { tag: 'some', val: 'inner' }, { tag: 'some', val: '' }]) {
    assert.equal(guest.roundtripOption(o), o, JSON.stringify(o));
  }
  assert.equal(guest.roundtripResult({ tag: 'ok', val: SHAPES[6] }), SHAPES[6]);
  assert.throws(() => guest.roundtripResult({ tag: 'err', val: 'refused' }), (e: any) => e.payload === 'refused');
  const nested = [[], ['one'], ['two', 'three', ''], Array.from({ length: 100 }, (_, i) => `${i}`)];
  assert.equal(guest.roundtripNested(nested), nested);
});

abi('resources: a constructor, a host function returning an owned handle, a method, a static function taking borrows, drops', () => {
  const dropped = seen.dropped;
  // Counters 10, 20, 30, each plus 1; totals of neighbours: (11 + 21) + (21 + 31).
  assert.is(guest.count([10, 20, 30], 1), 84n);
  assert.is(seen.dropped - dropped, 3, 'every counter dropped');
  assert.is(guest.count([], 5), 0n);
});

abi('world-level functions: an import and an export', () => {
  const before = seen.notes.length;
  const n = notes();
  assert.ok(n >= 1);
  assert.equal(seen.notes.slice(before), ['asked']);
});

abi('the guest\'s memory stays the same size over many large round trips: the free functions and post-returns release everything', () => {
  // Each round trip allocates ~400 KB in the guest (the export's parameters, the import's result).
  const big = { x: 1, y: 2, label: 'y'.repeat(100_000), tags: Array.from({ length: 100 }, () => 'z'.repeat(1000)) };
  const shapes = Array.from({ length: 1000 }, (_, i) => SHAPES[i % SHAPES.length]);
  const round = () => {
    assert.is(guest.roundtripPoint(big).label.length, 100_000);
    assert.is(guest.roundtripShapes(shapes).length, 1000);
    assert.is(guest.roundtripNested([big.tags, big.tags]).length, 2);
  };
  for (let i = 0; i < 20; i++) round();
  const settled = memoryPages();
  for (let i = 0; i < 200; i++) round();
  assert.is(memoryPages(), settled, `${settled} pages after 20 rounds, ${memoryPages()} after 220 (80+ MB were allocated)`);
});

abi.run();
