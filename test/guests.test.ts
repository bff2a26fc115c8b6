// Guest components (the echo examples of guest-examples/ and the probe of test/guests/, built with
// componentize-js) talking SCTP through the host, each in its own process with its own SCTP stack,
// over UDP encapsulation on 127.0.0.1.
import { suite } from 'uvu';
import { readFileSync } from 'node:fs';
import * as assert from 'uvu/assert';
import { LISTENING, observe, startGuest } from './harness/components.js';
import { echoClientToNode, echoPair, oneToManyEcho } from './harness/echo-guests.js';
import { exitWithin } from './harness/processes.js';
import { LOOPBACK, startEchoServer, type EchoServer } from './harness/peers/echo.js';

const echo = suite('echo guests');

echo('a guest client and a guest server exchange messages on several streams', async () => {
  await echoPair('echo-server', 'echo-client', ['--streams', '5', '--batch', '32'], 200);
});

echo('a one-to-many guest server serves two guest clients at once', async () => {
  await oneToManyEcho('echo-server', ['echo-client', 'echo-client']);
});

echo('a guest client talks to a Node-side server: streams, PPIDs and ordering survive both ways', async () => {
  const lines = await echoClientToNode('echo-client', 60, 4, ['--quiet']);
  assert.ok(lines.includes('60/60 echoes verified, 0 failures'), lines.join('\n'));
});

/** utime + stime of a process, in clock ticks (100 per CPU-second on Linux). */
function cpuTicks(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

echo('a guest blocked in poll waits without spinning a CPU', async () => {
  const server = startGuest('echo-server', ['--connections', '1', '--quiet']);
  await server.waitForLine(LISTENING);
  // V8 compiles the guest's 13 MB of Wasm on background threads after start-up; wait for a quiet
  // second. A wait that spins never has one (it burns ~100 ticks every second).
  const windows: number[] = [];
  for (let i = 0; i < 12; i++) {
    const before = cpuTicks(server.child.pid);
    await new Promise((r) => setTimeout(r, 1000));
    windows.push(cpuTicks(server.child.pid) - before);
    if (windows.at(-1)! < 20) break;
  }
  server.child.kill();
  assert.ok(windows.at(-1)! < 20, `CPU ticks per second while blocked: ${windows.join(', ')}`);
});

echo.run();

const probe = suite('readiness and errors seen from a guest');
let node: EchoServer;
probe.before(() => { node = startEchoServer(); });
probe.after(() => node.close());

const observations = (scenario: string) => observe('probe', [scenario, LOOPBACK, String(node.port), String(node.udpPort)]);

probe('poll() over an SCTP pollable and a clock returns the one that is ready, in either order', async () => {
  const seen = await observations('poll');
  const expect = (name: string, ready: string[], min: number, max: number) => {
    const o = seen.get(name);
    assert.ok(o, `no observation ${name}`);
    assert.equal(o!.ready, ready, `${name}: ${JSON.stringify(o)}`);
    const ms = o!.elapsedMs as number;
    assert.ok(ms >= min && ms <= max, `${name}: took ${ms} ms, expected ${min}..${max}`);
  };
  // Idle socket: the 300 ms clock wins, whichever comes first in the list.
  expect('idle-socket-first', ['clock'], 100, 2000);
  expect('idle-clock-first', ['clock'], 100, 2000);
  // The reply arrives after ~150 ms, long before the 3 s clock.
  expect('reply-socket-first', ['socket'], 100, 2500);
  expect('reply-clock-first', ['socket'], 100, 2500);
  // Level-triggered: unread data keeps the pollable ready; once drained the clock wins again.
  expect('unread-data', ['socket'], 0, 100);
  expect('drained', ['clock'], 100, 2000);
});

probe('one pollable reused for 1,000 waits: every wake has work, and an idle wait on it costs no CPU', async () => {
  const guest = startGuest('probe', ['reuse', LOOPBACK, String(node.port), String(node.udpPort)]);
  const reused = await guest.waitFor((e) => e.case === 'reused-waits', 60_000);
  // A pollable that stayed ready after its first wake would wake the guest with nothing to receive.
  assert.is(reused.wakes, 1000, `wakes for 1,000 round trips: ${JSON.stringify(reused)}`);
  assert.is(reused.readyAfterDrain, false);
  // The peer answers after 1.5 s; the guest blocks on the same pollable meanwhile.
  await guest.waitFor((e) => e.case === 'idle-start');
  const before = cpuTicks(guest.child.pid);
  const idle = await guest.waitFor((e) => e.case === 'idle-end', 10_000);
  const ticks = cpuTicks(guest.child.pid) - before;
  assert.is(idle.wakes, 1, 'wakes while waiting for the late answer');
  assert.ok(ticks < 30, `CPU ticks in the idle 1.5 s: ${ticks}`);
  assert.is(await exitWithin(guest, 10_000), 0, guest.lines.join('\n'));
});

probe('wrong use gets an error-code, never a crash', async () => {
  const seen = await observations('errors');
  const code = (name: string) => seen.get(name)?.code;
  assert.is(code('finish-bind-without-start'), 'not-in-progress');
  assert.is(code('finish-connect-without-start'), 'not-in-progress');
  assert.is(code('send-unconnected'), 'invalid-state');
  assert.is(code('accept-not-listening'), 'invalid-state');
  assert.is(code('remote-address-unconnected'), 'invalid-state');
  assert.is(code('bind-wrong-family'), 'invalid-argument');
  assert.is(code('init-msg-zero-attempts-ok'), 'ok');
  // A one-to-one socket without an association has no status to report: wrong state, not a wrong argument.
  assert.is(code('status-unconnected'), 'invalid-state');
  // Listening takes no network (unlike start-bind and start-connect): it binds nothing.
  assert.is(code('listen-unbound'), 'invalid-state');
  const options = seen.get('options-read-back')!;
  assert.is(options.nodelay, true);
  assert.equal(options.initMsg, { numOstreams: 7, maxInstreams: 9, maxAttempts: 3, maxInitTimeo: 700 });
  assert.is(options.remoteUdpEncapsPort, 4242);
  assert.ok((options.sendBufferSize as number) >= 300_000, `send buffer ${options.sendBufferSize}`);
  assert.ok((options.receiveBufferSize as number) > 0);
  assert.is(options.socketType, 'one-to-many');
  assert.is(options.addressFamily, 'ipv4');
  assert.is(code('receive-buffer-size-zero'), 'invalid-argument');
  assert.is(code('remote-udp-encaps-port-unknown-association'), 'invalid-argument');
  assert.is(seen.get('is-listening-connected')?.value, false);
  assert.is(code('listen-connected'), 'invalid-state');
  assert.is(code('connect-connected'), 'invalid-state');
  assert.is(code('bind-connected'), 'invalid-state');
  assert.is(code('send-stream-3-of-4'), 'ok');
  assert.is(code('send-stream-4-of-4'), 'invalid-argument');
  // SCTP_INIT only matters to a send that sets up an association; a key that does not exist is refused.
  assert.is(code('send-init-existing-association'), 'ok');
  assert.is(code('send-auth-key-unknown'), 'invalid-argument');
  assert.is(code('peeloff-one-to-one'), 'invalid-state');
  assert.is(code('send-after-shutdown'), 'invalid-state');
  assert.is(code('connect-nobody-listening'), 'connection-refused');
  assert.is(code('connect-no-answer'), 'timeout');
});

probe('one-to-many: a send to a new address sets up an association; peeloff makes it a socket of its own', async () => {
  const seen = await observations('one-to-many');
  // A send takes no network, so it binds nothing: from an unbound socket it is refused.
  assert.is(seen.get('send-unbound')?.code, 'invalid-state');
  assert.is(seen.get('implicit-association')?.associations, 1);
  assert.equal(seen.get('server-received'), { case: 'server-received', text: 'first', stream: 1, ppid: 42 });
  assert.equal(seen.get('peeled'), { case: 'peeled', socketType: 'one-to-one', remote: 'ok' });
  assert.is(seen.get('client-received')?.text, 'reply');
  assert.is(seen.get('client-received')?.ppid, 43);
  // The association left the one-to-many socket with the peeloff.
  assert.is(seen.get('peeloff-again')?.code, 'invalid-argument');
});

probe('notifications a guest subscribed to arrive in order with the data', async () => {
  const seen = await observations('notifications');
  assert.equal(seen.get('subscribed'), { case: 'subscribed', assocChange: true, senderDry: false });
  // comm-up first, with the negotiated streams (client offers 6 out / 4 in, server 5 out / 6 in), then the message.
  assert.equal(seen.get('server-sees-up-and-data')?.seen, [
    { notification: 'assoc-change', state: 'comm-up', outboundStreams: 4, inboundStreams: 6, abortChunk: false },
    { message: 'hello', stream: 2, ppid: 9 },
  ]);
  assert.equal(seen.get('client-sees-up')?.seen, [
    { notification: 'assoc-change', state: 'comm-up', outboundStreams: 6, inboundStreams: 4, abortChunk: false },
  ]);
  // The peer's SHUTDOWN first (shutdown event), then the association is gone (shutdown-comp).
  assert.equal(seen.get('server-sees-shutdown')?.seen, [
    { notification: 'shutdown' },
    { notification: 'assoc-change', state: 'shutdown-comp', outboundStreams: 4, inboundStreams: 6, abortChunk: false },
  ]);
  const clientEnd = seen.get('client-sees-shutdown')?.seen as Record<string, unknown>[];
  assert.equal(clientEnd.at(-1), { end: true });
  assert.ok(clientEnd.some((s) => s.state === 'shutdown-comp'), JSON.stringify(clientEnd));
  // An ABORT from the peer: comm-lost, carrying the ABORT chunk.
  const lost = (seen.get('server-sees-abort')?.seen as Record<string, unknown>[]).find((s) => s.state === 'comm-lost');
  assert.ok(lost, JSON.stringify(seen.get('server-sees-abort')));
  assert.is(lost!.abortChunk, true);
});

probe('10,000 small messages cross in a handful of calls, intact; ordered streams stay in order', async () => {
  const batch = (await observations('batch')).get('batch')!;
  assert.is(batch.received, 10_000);
  assert.is(batch.intact, true);
  assert.is(batch.orderedInOrder, true);
  assert.is(batch.unorderedComplete, true);
  // Many messages per host call is the point: far fewer calls than messages.
  assert.ok((batch.sendCalls as number) + (batch.receiveCalls as number) < 100, JSON.stringify(batch));
});

probe.run();
