// The rewrite of jco's generated glue (host/transpile-glue.ts): `_debugLog` reads JCO_DEBUG once at
// load instead of on every host call. This fails when a jco upgrade changes the code the rewrite
// looks for, so that the speed-up cannot silently disappear; and it checks that the rewritten
// module still runs a component, with JCO_DEBUG still honoured.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEBUG_LOG_DEFINITION, DEBUG_LOG_REPLACEMENT, rewriteGlue } from '../host/transpile-glue.js';
import { hostMappings, transpileComponent } from '../host/transpile.js';
import { buildCGuest } from '../scripts/c-guests.js';
import { cliPath } from './harness/components.js';
import { projectRoot } from '../scripts/guests.js';

const glue = suite('jco glue without per-call environment reads');

/** The transpiler the host runs (jco-transpile in a process of its own), without the rewrite. */
const transpileJob = join(projectRoot, 'dist', 'host', 'transpile-job.js');
let dir: string;
let raw: string;
let rewritten: string;
glue.before(() => {
  dir = mkdtempSync(join(tmpdir(), 'wasm-sctp-glue-'));
  const wasm = buildCGuest('c-calls');
  // What this jco makes of a component, untouched, with the host's mappings...
  execFileSync(process.execPath, [transpileJob, wasm, join(dir, 'raw'), JSON.stringify(hostMappings())],
    { stdio: ['ignore', 'ignore', 'inherit'] });
  raw = readFileSync(join(dir, 'raw', 'component.js'), 'utf8');
  // ... and what the host runs.
  rewritten = readFileSync(transpileComponent(wasm, join(dir, 'cache')).module, 'utf8');
});
glue.after(() => rmSync(dir, { recursive: true, force: true }));

glue('the installed jco reads JCO_DEBUG in _debugLog on every call; the rewrite finds that definition exactly once', () => {
  // Fails after a jco upgrade that changed the definition: update host/transpile-glue.ts then.
  assert.is((raw.match(DEBUG_LOG_DEFINITION) ?? []).length, 1, 'jco\'s _debugLog definition');
  assert.ok((raw.match(/_debugLog\(/g) ?? []).length > 50, 'called all over the glue');
  const { source, replaced } = rewriteGlue(raw);
  assert.is(replaced, 1);
  assert.is(source, rewritten, 'the module the host runs is jco\'s, rewritten');
});

glue('after the rewrite JCO_DEBUG is read once, when the module loads', () => {
  const reads = [...rewritten.matchAll(/process\?\.env/g)];
  assert.is(reads.length, 1, 'one read of the environment');
  assert.ok(rewritten.includes('const _debugLogEnabled = Boolean(globalThis?.process?.env?.JCO_DEBUG);'));
  assert.ok(rewritten.includes(DEBUG_LOG_REPLACEMENT));
});

glue('the rewritten module runs a component; JCO_DEBUG still turns jco\'s trace on', () => {
  const wasm = buildCGuest('c-calls');
  const run = (env: NodeJS.ProcessEnv) => {
    // Into a file: console.debug writes to a pipe asynchronously, and the CLI exits without waiting.
    const out = join(dir, `out-${Object.keys(env).length}.txt`);
    const fd = openSync(out, 'w');
    const r = spawnSync(process.execPath, [cliPath, 'run', wasm, '--', 'local'], { stdio: ['ignore', fd, 'inherit'], env: { ...process.env, ...env }, timeout: 60_000 });
    closeSync(fd);
    return { status: r.status, lines: readFileSync(out, 'utf8').split('\n') };
  };
  const quiet = run({});
  assert.is(quiet.status, 0);
  assert.ok(quiet.lines.some((l) => l.startsWith('{"case":"read-back"')));
  assert.ok(!quiet.lines.some((l) => l.startsWith('[iface=')), 'no trace without JCO_DEBUG');
  const traced = run({ JCO_DEBUG: '1' });
  assert.is(traced.status, 0);
  assert.ok(traced.lines.some((l) => l.startsWith('[iface="sctp:sockets/sctp@0.1.0", function="[method]sctp-socket.set-rto-info"]')));
});

glue.run();
