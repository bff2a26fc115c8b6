// The SCTP extensions between two hosts with plain SCTP on the wire: a guest component in host a
// (test/guests/datamodel, scenario ext-client) and a Node-side peer in host b (the peer
// program's server with --extensions, test/harness/peers/server.ts), each in its own network
// namespace and process, joined through a
// user-space relay that the test darkens for PR-SCTP. AUTH (a message under another key), stream
// reconfiguration (RFC 6525), PR-SCTP (RFC 7496) and I-DATA (RFC 8260), seen from both ends.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { startGuest } from './harness/components.js';
import { buildGuest } from '../scripts/guests.js';
import { LAB_POLICY, netnsUnavailable, startLab, type Lab } from './harness/netns/lab.js';
import { PEER_PORT, serverSaid, startServer } from './harness/netns/endpoints.js';
import { byCase, exitWithin } from './harness/processes.js';

type Seen = Record<string, unknown>;

const reason = netnsUnavailable();
if (reason) {
  console.log(`extensions between namespaced hosts: SKIPPED: ${reason}`);
} else {
  const hosts = suite('AUTH, reconfiguration, PR-SCTP and I-DATA between two hosts, plain SCTP');
  let lab: Lab | undefined;
  hosts.before(() => { buildGuest('datamodel'); });
  hosts.after(() => lab?.close());

  hosts('a guest and a Node peer on separate hosts', async () => {
    lab = await startLab({ paths: 1, relayed: true });
    const l = lab;
    const peer = startServer(l, ['--extensions']);
    const seen = peer.events;
    try {
      await serverSaid(peer, 'listening');
      const guest = startGuest('datamodel', ['ext-client', l.b.addresses[0], String(PEER_PORT)], {
        prefix: l.a.prefix, udpPort: 'raw', hostArgs: LAB_POLICY,
        onLine: (line) => {
          // The guest asks for the path to go dark and come back around its PR-SCTP messages.
          if (line.includes('"case":"dark-please"')) void l.impair(1, { loss: 100 });
          if (line.includes('"case":"light-please"')) void l.impair(1, { loss: 0 });
        },
      });
      assert.is(await exitWithin(guest, 120_000), 0, guest.lines.join('\n'));
      await peer.closed;
      const cases = byCase(guest.events);
      const notes = seen.flatMap((o) => (o.notification ? [o.notification as Seen] : []));
      const messages = seen.flatMap((o) => (o.message !== undefined ? [o] : []));
      const kind = (list: Seen[], k: string) => list.filter((s) => s.kind === k || s.type === k);

      assert.equal(cases.get('up')!.interleaving, true, 'I-DATA negotiated');
      // AUTH: the peer sees the key change before the message it authenticated.
      const newKey = notes.findIndex((n) => n.type === 'authentication' && n.indication === 'new-key' && n.keyNumber === 2);
      assert.ok(newKey >= 0, JSON.stringify(notes));
      assert.ok(messages.some((m) => m.message === 'authenticated with key 2'));
      // RFC 6525 at both ends.
      assert.equal(kind(cases.get('stream-reset')!.seen as Seen[], 'stream-reset').map((s) => s.streams), [[1]]);
      assert.ok(notes.some((n) => n.type === 'stream-reset' && n.incoming === true && (n.streams as number[])[0] === 1));
      assert.is(kind(cases.get('stream-change')!.seen as Seen[], 'stream-change')[0].outboundStreams, 12);
      assert.ok(notes.some((n) => n.type === 'stream-change' && n.inboundStreams === 12));
      assert.ok(kind(cases.get('assoc-reset')!.seen as Seen[], 'assoc-reset').length === 1);
      assert.ok(notes.some((n) => n.type === 'assoc-reset'));
      // PR-SCTP: abandoned in the dark, returned to the guest, counted, never delivered.
      const pr = cases.get('pr-sctp')!;
      const failed = kind(pr.seen as Seen[], 'send-failed').sort((a, b) => (a.context as number) - (b.context as number));
      assert.equal(failed.map((f) => f.context), [42, 43]);
      assert.equal([(pr.ttl as Seen).abandonedSent, (pr.rtx as Seen).abandonedSent], [1, 1]);
      assert.ok(!messages.some((m) => m.message === 'ttl-msg' || m.message === 'rtx-msg'));
      assert.ok(messages.some((m) => m.message === 'after the dark'));
      // I-DATA: the small messages on stream 3 arrive before the 2 MiB one on stream 1 completes.
      const order = messages.filter((m) => m.stream === 1 || m.stream === 3).map((m) => (m.stream === 1 ? 'big' : m.message));
      assert.is(order.indexOf('big'), 5, `order: ${order.join(', ')}`);
      // The end, graceful on both sides.
      assert.ok((cases.get('end')!.seen as Seen[]).some((s) => s.end));
      assert.ok(seen.some((o) => o.end));
    } finally {
      peer.kill();
    }
  });

  hosts.run();
}
