// The echo guests (guest-examples/echo in TypeScript, guest-examples/c in C, any pairing) run to
// their end against each other or a Node-side server, with what they print checked: what the echo
// suites of both languages check alike.
import * as assert from 'uvu/assert';
import { LISTENING, startGuest } from './components.js';
import { LOOPBACK, startEchoServer } from './peers/echo.js';
import { exitWithin } from './processes.js';

/** A one-to-one server for one association and a client that sends `messages` (with `clientArgs`) and verifies each echo. */
export async function echoPair(server: string, client: string, clientArgs: string[], messages: number): Promise<void> {
  const srv = startGuest(server, ['--connections', '1', '--quiet']);
  const [, address, port, encaps] = await srv.waitForLine(LISTENING);
  const cli = startGuest(client, [address, port, encaps, '--messages', String(messages), ...clientArgs, '--quiet']);
  assert.is(await exitWithin(cli, 60_000), 0, cli.lines.join('\n'));
  assert.ok(cli.lines.includes(`${messages}/${messages} echoes verified, 0 failures`), cli.lines.join('\n'));
  assert.match(cli.lines[0], /^connected association \d+ from 127\.0\.0\.1:\d+ to 127\.0\.0\.1:\d+ over UDP port \d+$/);
  assert.is(await exitWithin(srv, 10_000), 0);
  assert.ok(srv.lines.includes(`association ended after ${messages} messages`), srv.lines.join('\n'));
  assert.match(srv.lines.find((l) => l.startsWith('accepted')) ?? '', /^accepted 127\.0\.0\.1:\d+$/);
}

/** A one-to-many server that serves `clients` at once, 50 messages each on 3 streams, and ends after all 50 x clients. */
export async function oneToManyEcho(server: string, clients: string[]): Promise<void> {
  const total = 50 * clients.length;
  const srv = startGuest(server, ['--style', 'one-to-many', '--messages', String(total), '--quiet']);
  const [, address, port, encaps] = await srv.waitForLine(LISTENING);
  assert.match(srv.lines[0], /one-to-many$/);
  const started = clients.map((name) => startGuest(name, [address, port, encaps, '--messages', '50', '--streams', '3', '--quiet']));
  for (const client of started) {
    assert.is(await exitWithin(client, 60_000), 0, client.lines.join('\n'));
    assert.ok(client.lines.includes('50/50 echoes verified, 0 failures'), client.lines.join('\n'));
  }
  assert.is(await exitWithin(srv, 10_000), 0);
  assert.ok(srv.lines.includes(`echoed ${total} messages`), srv.lines.join('\n'));
}

/**
 * A client against the Node-side echo server: message i ("message i on stream s") arrives on stream
 * i % streams with PPID 1000 + stream, every third unordered, whole. Returns what the client printed.
 */
export async function echoClientToNode(client: string, messages: number, streams: number, clientArgs: string[] = []): Promise<string[]> {
  const node = startEchoServer();
  try {
    const cli = startGuest(client, [LOOPBACK, String(node.port), String(node.udpPort), '--messages', String(messages), '--streams', String(streams), ...clientArgs]);
    assert.is(await exitWithin(cli, 60_000), 0, cli.lines.join('\n'));
    await node.handled(messages);
    for (const m of node.received) {
      const i = Number(m.data.toString().split(' ')[1]);
      assert.is(m.data.toString(), `message ${i} on stream ${i % streams}`);
      assert.equal([m.stream, m.ppid, m.unordered, m.complete], [i % streams, 1000 + (i % streams), i % 3 === 2, true]);
    }
    return cli.lines;
  } finally {
    node.close();
  }
}
