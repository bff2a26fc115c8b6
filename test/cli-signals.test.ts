// Interrupting `wasm-sctp run`: SIGINT or SIGTERM, while the guest is blocked in poll or busy
// sending, ends the guest's associations before the process ends, so that no peer keeps a dead
// one: SHUTDOWN when the peer answers, ABORT when it has not finished within the exit linger. The
// process still ends as the signal ends it (its exit status says so). The peer is the peer
// program's echo in a process of its own; the guest is `reliability echo`, which echoes until its
// association ends (idle: it stops sending and waits in poll, for a minute), with the stack's
// default timers: without the host's help a peer would notice the guest's end only minutes later.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { startGuest } from './harness/components.js';
import { exitWithin, isEvent, type Child, type Json } from './harness/processes.js';
import { startEchoPeer, type EchoPeer } from './harness/peers/start.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * WASM_SCTP_EXIT_LINGER_MS for the guests: how long a SHUTDOWN may take before the host aborts. A busy
 * guest's SHUTDOWN waits until its full send buffer is acknowledged, which on a loaded 2-CPU machine has
 * taken over a second: the graceful cases allow more than the case that waits for the abort.
 */
const GRACEFUL_LINGER_MS = 5000;
const LINGER_MS = 1000;
/** Process scheduling on a busy 2-CPU machine and the peer's reports through pipes. */
const SLACK_MS = 4000;

type Stats = { ended: Record<string, number>; counters: { established: number; aborted: number; shutdowns: number } };

/** The peer's stats once `done` holds for them, or its last ones after `timeoutMs`. */
async function peerStatsWhen(peer: EchoPeer, done: (s: Stats) => boolean, timeoutMs: number): Promise<Stats> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const stats = (await peer.request('stats', isEvent('stats'))) as Json & Stats;
    if (done(stats) || Date.now() >= deadline) return stats;
    await sleep(50);
  }
}

/** How the peer's echo of its association on `primary` ended: `end-of-stream` or an error-code. */
const endingOf = (s: Stats) => Object.keys(s.ended).find((k) => k.startsWith('primary:'))?.slice('primary:'.length);

/** The guest, connected to `peer` and echoing; `mode` idle: it waits in poll from then on. */
async function echoingGuest(peer: EchoPeer, mode: 'busy' | 'idle', lingerMs: number): Promise<Child> {
  const guest = startGuest('reliability', ['echo', '127.0.0.1', String(peer.primary), String(peer.udpPort), mode],
    { env: { WASM_SCTP_EXIT_LINGER_MS: String(lingerMs) } });
  await guest.waitForLine(/"case":"transferring"/, 60_000);
  if (mode === 'idle') await sleep(300);
  return guest;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  for (const mode of ['idle', 'busy'] as const) {
    test(`${signal} while the guest ${mode === 'idle' ? 'waits in poll' : 'sends'}: the peer sees the association shut down, the process ends by ${signal}`, async () => {
      const peer = await startEchoPeer();
      const guest = await echoingGuest(peer, mode, GRACEFUL_LINGER_MS);
      try {
        guest.child.kill(signal);
        const signalled = Date.now();
        const stats = await peerStatsWhen(peer, (st) => endingOf(st) !== undefined && st.counters.established === 0, GRACEFUL_LINGER_MS + SLACK_MS);
        const ending = endingOf(stats);
        console.log(`${signal}, guest ${mode}: the peer saw ${ending ?? 'nothing'} after ${Date.now() - signalled} ms`);
        // end-of-stream: the guest's SHUTDOWN; invalid-state: an echo the peer still had to send was refused
        // because the association was shutting down.
        assert.ok(ending === 'end-of-stream' || ending === 'invalid-state', `the association ended gracefully: ${ending}`);
        assert.is(stats.counters.established, 0, 'the peer keeps no association');
        await exitWithin(guest, 10_000);
        assert.is(guest.child.signalCode, signal, `ended by ${signal}; exit code ${guest.child.exitCode}`);
      } finally {
        guest.kill();
        await peer.end();
      }
    });
  }
}

test('SIGINT while the peer does not answer: after the exit linger the association is aborted, and the peer sees the ABORT', async () => {
  const peer = await startEchoPeer();
  const guest = await echoingGuest(peer, 'busy', LINGER_MS);
  try {
    const before = (await peerStatsWhen(peer, () => true, 0)).counters;
    // The peer's process stops: the guest's data stays unacknowledged, so its SHUTDOWN cannot go out.
    peer.child.kill('SIGSTOP');
    await sleep(300);
    guest.child.kill('SIGINT');
    const signalled = Date.now();
    await exitWithin(guest, LINGER_MS + SLACK_MS);
    const exitedMs = Date.now() - signalled;
    assert.is(guest.child.signalCode, 'SIGINT', `ended by SIGINT; exit code ${guest.child.exitCode}`);
    // What the guest's host sent meanwhile waits in the peer's UDP socket: its ABORT ends the association there.
    peer.child.kill('SIGCONT');
    const after = (await peerStatsWhen(peer, (st) => st.counters.aborted > before.aborted, SLACK_MS)).counters;
    console.log(`SIGINT, peer stopped: the guest exited after ${exitedMs} ms (linger ${LINGER_MS} ms); the peer then counted `
      + `${after.aborted - before.aborted} aborted association(s), ${after.established} established`);
    assert.is(after.aborted - before.aborted, 1, 'the peer received the ABORT');
    assert.is(after.established, 0, 'the peer keeps no association');
  } finally {
    peer.child.kill('SIGCONT');
    guest.kill();
    await peer.end();
  }
});

test.run();
