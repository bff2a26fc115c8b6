// Readiness, threads and processes with the TypeScript SCTP API: a full send buffer and the wake-up
// when it drains, waits that end when their socket closes, the native watcher from a worker thread,
// processes that exit with sockets open, and every socket and watcher released at the end.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { EVENT_ERROR, EVENT_READ, SctpError, initStack, whenReady } from '../src/index.js';
import { native } from '../src/native.js';
import { client, server, throwsCode, within } from './harness/node-api.js';

const { udpPort } = initStack();
const baseline = native.stats();

test('a full send buffer is would-block; the blocked sender wakes when the peer reads', async () => {
  const srv = server('one-to-one');
  const cli = client('one-to-one');
  cli.setOption('send-buffer-size', 32 * 1024);
  const [, conn] = await within(5000, Promise.all([cli.connect(srv.localAddress()), srv.acceptOne()]), 'connect');
  conn.setOption('receive-buffer-size', 32 * 1024);
  const chunk = { data: new Uint8Array(4096), stream: 0 };
  let accepted = 0;
  const deadline = performance.now() + 5000;
  for (;;) {
    try {
      accepted += cli.send([chunk, chunk, chunk, chunk]);
    } catch (e) {
      assert.instance(e, SctpError);
      assert.is((e as SctpError).code, 'would-block');
      // Wait for what frees space (SACKs) until the peer's window is full and nothing moves any more.
      const woke = await Promise.race([cli.wait(), new Promise((r) => setTimeout(() => r('idle'), 200))]);
      if (woke === 'idle') break;
    }
    assert.ok(performance.now() < deadline, 'the send buffer filled up');
  }
  assert.ok(accepted > 4, `accepted ${accepted} messages before blocking`);
  throwsCode(() => cli.send([chunk]), 'would-block');
  assert.ok((cli.interest() & EVENT_READ) !== 0);

  const woke = cli.wait();
  let drained = 0;
  const reader = (async () => {
    while (drained < accepted) drained += (await conn.receiveSome(256)).length;
  })();
  assert.ok((await within(5000, woke, 'the blocked sender wakes')) >= 0);
  await within(5000, cli.sendAll([chunk]), 'send after wake-up');
  accepted += 1;
  await within(5000, reader, 'reader');
  cli.close();
  conn.close();
  srv.close();
});

test('waits resolve with ERROR when the socket is closed; native watch works from a worker thread', async () => {
  const srv = server('one-to-one');
  const pending = srv.wait(EVENT_READ);
  const pending2 = whenReady(srv.id, EVENT_READ);
  assert.is(native.stats().watchers, baseline.watchers + 2);
  srv.close();
  assert.is(await within(2000, pending, 'wait'), EVENT_ERROR);
  assert.is(await within(2000, pending2, 'whenReady'), EVENT_ERROR);
  assert.is(native.stats().watchers, baseline.watchers);

  // The same addon in a worker thread: it shares the socket table and is woken by the main thread's traffic.
  const listener = server('one-to-one');
  const cli = client('one-to-one');
  const [, conn] = await within(5000, Promise.all([cli.connect(listener.localAddress()), listener.acceptOne()]),
    'connect');
  const nativeJs = new URL('../src/native.js', import.meta.url).href;
  const worker = new Worker(
    `import(${JSON.stringify(nativeJs)}).then(({ native }) => {
       const { parentPort, workerData } = require('node:worker_threads');
       parentPort.postMessage({ port: native.stackPort() });
       native.watch(workerData.id, 1, (events) => parentPort.postMessage({ events }));
     });`,
    { eval: true, workerData: { id: conn.id } },
  );
  const messages: Array<{ port?: number; events?: number }> = [];
  const firstTwo = new Promise<void>((resolve, reject) => {
    worker.on('message', (m) => {
      messages.push(m);
      if (messages.length === 2) resolve();
    });
    worker.on('error', reject);
  });
  await new Promise((r) => setTimeout(r, 100));
  cli.send([{ data: Buffer.from('wake the worker') }]);
  await within(5000, firstTwo, 'worker');
  assert.equal(messages[0], { port: udpPort }, 'the worker sees the same stack');
  assert.equal(messages[1], { events: (messages[1].events ?? 0) | EVENT_READ });
  await worker.terminate();
  cli.close();
  conn.close();
  listener.close();
});

test('processes exit cleanly with sockets open (process.exit and natural exit)', () => {
  const index = fileURLToPath(new URL('../src/index.js', import.meta.url));
  const script = (exit: string) => `
    import { SctpSocket, initStack } from ${JSON.stringify(index)};
    const { udpPort } = initStack();
    const srv = SctpSocket.create('ipv4', 'one-to-one');
    srv.bind({ family: 'ipv4', address: '127.0.0.1', port: 0 });
    srv.listen();
    const cli = SctpSocket.create('ipv4', 'one-to-one');
    cli.setOption('remote-udp-encaps-port', udpPort);
    await cli.connect(srv.localAddress());
    const conn = await srv.acceptOne();
    cli.send([{ data: Buffer.alloc(1000) }]);
    await conn.receiveSome();
    ${exit}`;
  for (const exit of ['process.exit(3)', '/* natural exit */', 'srv.close(); cli.close(); conn.close();']) {
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script(exit)], {
      encoding: 'utf8',
      timeout: 10000,
      env: { ...process.env, WASM_SCTP_UDP_PORT: 'auto' },
    });
    assert.is(r.signal, null, `${exit}: killed by ${r.signal}; ${r.stderr}`);
    assert.is(r.status, exit.startsWith('process.exit') ? 3 : 0, `${exit}: ${r.stderr}`);
  }
});

test('every socket and watcher is released', async () => {
  // Sockets closed above are gone at once; give queued watcher callbacks a turn to run.
  await new Promise((r) => setTimeout(r, 50));
  // At most what was open before this file ran: suites that ran earlier in this process may still be
  // releasing theirs.
  const now = native.stats() as unknown as Record<string, number>;
  for (const [what, before] of Object.entries(baseline as unknown as Record<string, number>)) {
    assert.ok(now[what] <= before, `${what}: ${now[what]} now, ${before} before this file`);
  }
});

test.run();
