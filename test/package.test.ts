// The package as a third party gets it. It is packed from a clean copy of the sources (so no
// build output of this checkout can stand in for a missing build step), installed into a new
// project in the temporary directory, away from the repository: no NODE_PATH, none of this run's
// npm settings, no node_modules/.bin of the repository on PATH, a user npmrc without `nodedir`.
// There the README's "Your first guest" runs step by step, as written (only the package name
// becomes the tarball, and the peer's ports the real ones), with the package's own folder mounted
// read-only for the run. It needs the npm registry. Nothing is cached between runs but npm's own
// download cache; every step prints its time.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, sep } from 'node:path';
import { createInterface } from 'node:readline';
import { projectRoot } from '../scripts/guests.js';

const root = mkdtempSync(join(tmpdir(), 'wasm-sctp-package-'));
const children = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

/** The environment of a new user's shell: this run's npm settings and the repository's tools left out. */
const env: NodeJS.ProcessEnv = {
  PATH: (process.env.PATH ?? '').split(':').filter((dir) => dir && !dir.includes('node_modules') && !dir.startsWith(projectRoot)).join(':'),
  HOME: process.env.HOME,
  LANG: 'C.UTF-8',
  TMPDIR: tmpdir(),
  npm_config_userconfig: join(root, 'npmrc'),
  XDG_CACHE_HOME: join(root, 'cache'),
};
writeFileSync(join(root, 'npmrc'), 'audit=false\nfund=false\nupdate-notifier=false\n');

interface Step { status: number | null; stdout: string; stderr: string }

function step(what: string, command: string, cwd: string, timeoutMs = 300_000): Step {
  const started = Date.now();
  const r = spawnSync('bash', ['-c', command], { cwd, env, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20 });
  console.log(`  package: ${what}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const result = { status: r.status, stdout: r.stdout ?? '', stderr: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
  assert.is(result.status, 0, `${command} (in ${cwd}) failed:\n${result.stdout}\n${result.stderr}`);
  return result;
}

/** The fenced blocks of README's "Your first guest", in order. */
function firstGuestSection(): Array<{ lang: string; file?: string; body: string }> {
  const readme = readFileSync(join(projectRoot, 'README.md'), 'utf8');
  const section = readme.split(/^## /m).find((s) => s.startsWith('Your first guest\n'));
  assert.ok(section, 'README has a "Your first guest" section');
  return [...section.matchAll(/^```(\w+)(?: file=(\S+))?\n([\s\S]*?)^```$/gm)].map((m) => ({ lang: m[1], file: m[2], body: m[3] }));
}

const blocks = firstGuestSection();
const commands = (i: number) => blocks.filter((b) => b.lang === 'sh')[i].body.trim().split('\n');
let tarball = '';
let app = '';

test('npm pack ships the built package and none of the repository\'s own files', () => {
  // Tracked files and new ones not ignored: what a clone of this branch holds, without build output.
  const source = join(root, 'source');
  const listed = spawnSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: projectRoot, encoding: 'utf8' }).stdout.split('\0').filter(Boolean);
  for (const file of listed) {
    if (!existsSync(join(projectRoot, file))) continue; // deleted in the working tree
    mkdirSync(dirname(join(source, file)), { recursive: true });
    cpSync(join(projectRoot, file), join(source, file));
  }
  // The build tools only (prepack builds with them); the consumer never sees this folder.
  symlinkSync(join(projectRoot, 'node_modules'), join(source, 'node_modules'));
  const packed = step('npm pack (prepack builds wit/deps, the types and dist/)', `npm pack --pack-destination '${root}' --json`, source);
  // The prepack build prints to stdout too: npm's JSON report is the last thing there.
  const [info] = JSON.parse(packed.stdout.slice(packed.stdout.search(/^\[$(?![\s\S]*^\[$)/m))) as Array<{ filename: string; files: Array<{ path: string }> }>;
  tarball = join(root, info.filename);
  const files = info.files.map((f) => f.path);
  for (const needed of ['LICENSE', 'README.md', 'package.json', 'binding.gyp', 'scripts/build-addon.mjs', 'src/native/addon.cc',
    'dist/src/index.js', 'dist/src/index.d.ts', 'dist/host/cli.js', 'dist/host/index.d.ts', 'dist/host/transpile-job.js',
    'dist/guest/index.js', 'dist/guest/index.d.ts', 'guest/types/command.d.ts', 'dist/types/generated/interfaces/sctp-sockets-sctp.d.ts',
    'wit/world.wit', 'wit/sctp.wit', 'wit/deps/wasi-io/package.wit', 'wit/deps/wasi-sockets/package.wit']) {
    assert.ok(files.includes(needed), `the package has ${needed}`);
  }
  const foreign = files.filter((f) => /^(test|bench|scripts|host|guest-examples|\.ci|dist\/(test|bench|scripts)|build|node_modules|\.cache)\//.test(f) && f !== 'scripts/build-addon.mjs');
  assert.equal(foreign, [], 'no tests, benchmarks, CI, sources of dist/ or build output');
  assert.not.ok(files.some((f) => f.endsWith('.map')), 'no source maps without their sources');
});

test('README: a new project installs the package, with one preview2-shim pinned without overrides', () => {
  for (let dir = root; dir !== dirname(dir); dir = dirname(dir)) {
    assert.not.ok(existsSync(join(dir, 'node_modules')) && dir !== root, `no node_modules above the project (${dir})`);
  }
  assert.not.ok(root.startsWith(`${projectRoot}${sep}`) || root.startsWith('/work/'), 'the project is outside the repository');
  assert.ok(tarball, 'the package was packed');
  const lines = commands(0);
  const made = /^mkdir (\S+) && cd \1$/.exec(lines[0]);
  assert.ok(made, `the first step makes the project's folder: ${lines[0]}`);
  app = join(root, made[1]);
  mkdirSync(app);
  const outputs = new Map<string, Step>();
  for (const line of lines.slice(1)) {
    const command = line === 'npm install wasm-sctp' ? `npm install '${tarball}'` : line;
    outputs.set(line, step(command === line ? line : `${line} (the packed tarball)`, command, app));
  }
  const installed = outputs.get('npm install wasm-sctp');
  assert.ok(installed, 'the README installs wasm-sctp');
  // npm 11's note that the install script is not approved yet is no warning about the tree.
  const treeWarnings = installed.stderr.split('\n').filter((l) => /^npm warn/.test(l) && !/install-scripts/.test(l));
  assert.equal(treeWarnings, [], 'installing wasm-sctp warns about nothing');
  // jco's own warning, as the README says: its jco-std's optional peer wants preview2-shim ^0.25.
  const tools = [...outputs].find(([line]) => line.includes('@bytecodealliance/jco@'))![1].stderr.split('\n');
  const requirers = tools.flatMap((l) => [...l.matchAll(/(?:While resolving: |peer(?:Optional)? \S+ from )(\S+)/g)].map((m) => m[1]));
  assert.equal([...new Set(requirers)], requirers.length ? ['@bytecodealliance/jco-std@0.5.0'] : [], `only jco-std's peer warning:\n${tools.join('\n')}`);

  const manifest = JSON.parse(readFileSync(join(app, 'package.json'), 'utf8')) as { overrides?: Record<string, unknown> };
  assert.not.ok(JSON.stringify(manifest.overrides ?? {}).includes('preview2-shim'), 'the project overrides nothing about preview2-shim');
  const shims = findPackages(join(app, 'node_modules'), join('@bytecodealliance', 'preview2-shim'));
  assert.equal(shims.map((dir) => version(dir)), ['0.26.0'], `one preview2-shim, 0.26.0: ${shims.join(', ')}`);
  // jco hands guests to the componentize-js the override names: its own copy if it has one, else the top one.
  const jco = join(app, 'node_modules', '@bytecodealliance', 'jco');
  assert.ok(existsSync(jco), 'jco is at the top of node_modules');
  const cjs = [join(jco, 'node_modules'), join(app, 'node_modules')].map((d) => join(d, '@bytecodealliance', 'componentize-js')).find((d) => existsSync(d));
  assert.is(cjs && version(cjs), '0.23.0', `jco's componentize-js (${cjs})`);
  assert.ok(existsSync(join(app, 'node_modules', 'wasm-sctp', 'build', 'Release', 'sctp_native.node')), 'the addon was built on install');
});

test('README: the first guest builds and runs against the Node peer, from a read-only install', async () => {
  assert.ok(app, 'the project exists');
  for (const b of blocks) if (b.file) writeFileSync(join(app, b.file), b.body);
  for (const line of commands(1)) step(line, line, app);
  assert.ok(statSync(join(app, 'guest.wasm')).size > 1_000_000, 'a component was written');

  const [startPeer] = commands(2);
  const [runGuest] = commands(3);
  const texts = blocks.filter((b) => b.lang === 'text').map((b) => b.body.trim());
  const peerLine = new RegExp(`^${texts[0].replace(/\d+\.\d+\.\d+\.\d+/, '\\S+').replace(/\d{4,5}/g, '(\\d+)')}$`);
  const peer = spawn('bash', ['-c', startPeer], { cwd: app, env, stdio: ['ignore', 'pipe', 'inherit'] });
  children.add(peer);
  const [port, udpPort] = await new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the peer printed no address within 20 s')), 20_000);
    createInterface({ input: peer.stdout! }).on('line', (line) => {
      const m = peerLine.exec(line);
      if (m) { clearTimeout(timer); resolve([m[1], m[2]]); }
    });
  });
  const [examplePort, exampleUdpPort] = texts[0].match(/\d{4,5}/g)!;
  const command = runGuest.replace(examplePort, port).replace(exampleUdpPort, udpPort);
  const before = snapshot(join(app, 'node_modules', 'wasm-sctp'));
  const run = step(`${runGuest} (transpiles, then runs)`, readOnly(join(app, 'node_modules'), command), app, 120_000);
  assert.is(run.stdout.trim(), texts[1].replace(examplePort, port), `the guest's output as the README shows it (stderr: ${run.stderr})`);
  assert.is(snapshot(join(app, 'node_modules', 'wasm-sctp')), before, 'nothing was written into the package');
  assert.is(readdirSync(join(root, 'cache', 'wasm-sctp', 'transpiled')).length, 1, 'the transpiled component went to the cache dir');
  const peerExit = await new Promise<number | null>((resolve) => peer.on('exit', resolve));
  assert.is(peerExit, 0, 'the peer saw the guest end the association');
  assert.is(step('npx wasm-sctp --version', 'npx wasm-sctp --version', app).stdout.trim(), version(projectRoot));
});

test('the typings check in the new project: the host, the Node API and the guest helpers', () => {
  assert.ok(app, 'the project exists');
  step('npm install typescript @types/node (the project\'s own type check)', 'npm install --save-dev typescript@7.0.2 @types/node@20', app);
  writeFileSync(join(app, 'host-check.ts'), `
import { runComponent, transpileComponent, hostMappings, hostConfig, NetworkPolicy, policyDenials, type HostOptions, type TranspiledComponent } from 'wasm-sctp/host';
import { SctpSocket, type SocketAddress } from 'wasm-sctp';
const options: HostOptions = { udpPort: 'auto', policy: { connect: ['127.0.0.1'] } };
hostConfig.configure(options);
const allowed: boolean = new NetworkPolicy(options.policy).allows('connect', { tag: 'ipv4', val: { address: [127, 0, 0, 1], port: 1 } });
const map: Record<string, string> = hostMappings();
const transpiled: TranspiledComponent = transpileComponent('guest.wasm');
const result: Promise<{ exitCode: number }> = runComponent('guest.wasm', []);
const address: SocketAddress = SctpSocket.create('ipv4', 'one-to-one').localAddress();
export { allowed, map, transpiled, result, address, policyDenials };
`);
  // skipLibCheck off: the package's own declarations are checked, and every module they name must resolve.
  const strict = { strict: true, noEmit: true, skipLibCheck: false, target: 'es2022' };
  writeFileSync(join(app, 'tsconfig.host.json'), JSON.stringify({
    compilerOptions: { ...strict, module: 'nodenext', types: ['node'], lib: ['es2023', 'esnext.disposable'] }, files: ['host-check.ts'],
  }));
  writeFileSync(join(app, 'tsconfig.guest.json'), JSON.stringify({
    compilerOptions: { ...strict, module: 'es2022', moduleResolution: 'bundler', types: [], lib: ['es2023', 'esnext.disposable', 'dom'] }, files: ['guest.ts'],
  }));
  step('tsc: host-check.ts (wasm-sctp/host, wasm-sctp)', 'npx tsc -p tsconfig.host.json', app);
  step('tsc: guest.ts (wasm-sctp/guest, the WIT imports)', 'npx tsc -p tsconfig.guest.json', app);
});

/** `command` with `dir` mounted read-only in a mount namespace of its own (root), else with its files made read-only. */
function readOnly(dir: string, command: string): string {
  if (process.getuid?.() === 0 && spawnSync('unshare', ['--mount', 'true']).status === 0) {
    return `unshare --mount -- bash -c 'mount --bind "$0" "$0" && mount -o remount,bind,ro "$0" && exec bash -c "$1"' '${dir}' '${command}'`;
  }
  return `chmod -R a-w '${dir}' && (${command}); status=$?; chmod -R u+w '${dir}'; exit $status`;
}

/** Every file under `dir` with its size and modification time. */
function snapshot(dir: string): string {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      const s = statSync(path);
      if (s.isDirectory()) walk(path); else out.push(`${path} ${s.size} ${s.mtimeMs}`);
    }
  };
  walk(dir);
  return out.join('\n');
}

function findPackages(nodeModules: string, name: string): string[] {
  const found: string[] = [];
  const walk = (dir: string) => {
    if (existsSync(join(dir, name, 'package.json'))) found.push(join(dir, name));
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const pkgs = entry.name.startsWith('@') ? readdirSync(join(dir, entry.name)).map((n) => join(dir, entry.name, n)) : [join(dir, entry.name)];
      for (const pkg of pkgs) if (existsSync(join(pkg, 'node_modules'))) walk(join(pkg, 'node_modules'));
    }
  };
  walk(nodeModules);
  return found;
}

function version(dir: string): string {
  return (JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { version: string }).version;
}

test.run();
