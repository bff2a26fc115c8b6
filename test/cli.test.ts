// The wasm-sctp command line as a person meets it: help and version, one line (no stack trace)
// for each mistake it can explain, and what it prints about the guest's network use.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cliPath } from './harness/components.js';
import { buildGuest, projectRoot } from '../scripts/guests.js';
import { initStack } from '../src/index.js';
import { checkShimVersion, RunError } from '../host/transpile.js';

const dir = mkdtempSync(join(tmpdir(), 'wasm-sctp-cli-'));
process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
const echoClient = buildGuest('echo-client');

function cli(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Asserts the exit status and that stderr is exactly one line matching `pattern`. */
function failsWith(args: string[], status: number, pattern: RegExp): void {
  const r = cli(...args);
  assert.is(r.status, status, `${args.join(' ')}: ${r.stderr}`);
  const lines = r.stderr.trim().split('\n');
  assert.is(lines.length, 1, `one line, got:\n${r.stderr}`);
  assert.match(lines[0], /^wasm-sctp: /);
  assert.match(lines[0], pattern);
}

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

test('--help lists the commands and options; --version is the package\'s', () => {
  const help = cli('--help');
  assert.is(help.status, 0);
  for (const word of ['wasm-sctp run', 'wasm-sctp transpile', '--udp-port', '--allow-bind', '--allow-connect', '--allow-accept', '--allow-all', '--verbose', '--version', '~/.cache/wasm-sctp']) {
    assert.ok(help.stdout.includes(word), `--help mentions ${word}`);
  }
  const version = cli('--version');
  assert.is(version.status, 0);
  assert.is(version.stdout.trim(), (JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')) as { version: string }).version);
});

test('a file that is no component: missing, not wasm, a core module', () => {
  failsWith(['run', join(dir, 'missing.wasm')], 1, /missing\.wasm: no such file$/);
  failsWith(['run', file('notes.txt', 'not wasm at all\n')], 1, /notes\.txt is not a WebAssembly file$/);
  // The smallest core module: the magic number and version 1.
  failsWith(['run', file('core.wasm', new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]))], 1, /core\.wasm is a core WebAssembly module, not a component/);
  failsWith(['run', file('broken.wasm', new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0, 0xff, 0xff]))], 1, /cannot transpile .*broken\.wasm: /);
});

test('a component that is no command: it does not export wasi:cli/run', () => {
  // The smallest component: the preamble of layer 1 and nothing else.
  failsWith(['run', file('empty.wasm', new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]))], 1, /empty\.wasm does not export wasi:cli\/run, so it is no command component \(it exports nothing\)$/);
});

test('a command line in the wrong order says what the right one is', () => {
  failsWith([echoClient], 2, /unknown command .*echo-client.*\.wasm; to run it: wasm-sctp run /);
  failsWith(['run', '127.0.0.1', echoClient, '5000'], 2, /127\.0\.0\.1: no such file; the component comes first: wasm-sctp run \[options\] .*echo-client.*\.wasm/);
  failsWith(['run', echoClient, '--messages', '3'], 2,
    /unknown option --messages: a guest argument that starts with a dash goes after --, as in wasm-sctp run .* -- --messages 3$/);
  failsWith(['run', '--messages', '3', echoClient], 2, /unknown option --messages \(host options and then the component/);
  failsWith(['run', echoClient, '--udp-port'], 2, /--udp-port needs a port, auto or raw$/);
  failsWith(['run', echoClient, '--udp-port', '70000'], 2, /bad --udp-port 70000/);
  failsWith(['run', '--allow-connect', '10.0.0.0/33', echoClient], 2, /network policy rule '10\.0\.0\.0\/33': bad prefix length/);
  failsWith(['run'], 2, /missing the component to run/);
  failsWith(['run', '--'], 2, /missing the component to run/);
  // `--` before the component is fine: the component is the next argument.
  failsWith(['run', '--', file('empty-too.wasm', new Uint8Array([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0])), 'x'], 1, /empty-too\.wasm does not export wasi:cli\/run/);
  failsWith([], 2, /missing command/);
});

test('a --udp-port another process\'s UDP socket holds: one line naming the port, before the guest runs', async () => {
  const taken = createSocket('udp4');
  await new Promise<void>((resolve) => taken.bind(0, '0.0.0.0', resolve));
  try {
    const port = taken.address().port;
    const r = cli('run', '--udp-port', String(port), echoClient, '127.0.0.1', '5000', '0');
    assert.is(r.status, 1, r.stderr);
    assert.is(r.stderr.trim(), `wasm-sctp: cannot start the SCTP stack: UDP port ${port} (for SCTP over UDP) is in use by another socket`);
    assert.is(r.stdout, '', 'the guest never ran');
  } finally {
    taken.close();
  }
});

test('--verbose prints each network policy denial; without it the guest alone sees access-denied', () => {
  const args = ['--allow-connect', 'none', echoClient, '127.0.0.1', '5000', '0', '--', '--messages', '1'];
  const quiet = cli('run', ...args);
  assert.is(quiet.status, 1);
  assert.ok(quiet.stderr.includes('error: access-denied'), quiet.stderr);
  assert.not.ok(quiet.stderr.includes('network policy denied'), quiet.stderr);
  const verbose = cli('run', '--verbose', ...args);
  assert.is(verbose.status, 1);
  assert.match(verbose.stderr, /^wasm-sctp: network policy denied connect 127\.0\.0\.1:5000 \(bind: loopback, wildcard; connect: none; accept: loopback\)$/m);
  assert.ok(verbose.stderr.includes('error: access-denied'), verbose.stderr);
});

test('a connect refused for want of the peer\'s UDP encapsulation port gets a hint, a real refusal none', () => {
  const hint = /^wasm-sctp: hint: a connect was refused, and the socket had no remote UDP encapsulation port/m;
  // The guest's third argument is the peer's UDP encapsulation port; 0 leaves it unset.
  const unset = cli('run', echoClient, '127.0.0.1', '5000', '0');
  assert.is(unset.status, 1);
  assert.ok(unset.stderr.includes('error: connection-refused'), unset.stderr);
  assert.is(unset.stderr.match(new RegExp(hint, 'gm'))?.length, 1, `one hint:\n${unset.stderr}`);
  // This process's stack answers at its UDP port: no socket on SCTP port 5000, so it aborts the INIT.
  const { udpPort } = initStack();
  const refused = cli('run', echoClient, '127.0.0.1', '5000', String(udpPort));
  assert.is(refused.status, 1);
  assert.ok(refused.stderr.includes('error: connection-refused'), refused.stderr);
  assert.not.match(refused.stderr, hint);
});

test('the host runs only on the preview2-shim it pins, and says which one it needs', () => {
  checkShimVersion(); // the installed one is the one package.json names
  try {
    checkShimVersion('0.25.0');
    assert.unreachable('another pinned version must be refused');
  } catch (e) {
    assert.instance(e, RunError);
    assert.match((e as Error).message, /^wasm-sctp needs @bytecodealliance\/preview2-shim 0\.25\.0, but 0\.26\.0 is installed \(.*preview2-shim.*\); remove what overrides it$/);
  }
});

test.run();
