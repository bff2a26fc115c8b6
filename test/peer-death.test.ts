// Peer death: the peer's process is killed (SIGKILL) while a guest component talks to it. Nothing
// tells the guest's stack (UDP carries no reset), so SCTP's own failure detection has to: the
// guest tunes it (rto-info, assoc-info max-retransmits, peer-addr-params heartbeats) and must see
// the association lost, within the time those settings give, while sending or while blocked in
// poll, never hanging.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LISTENING, startGuest } from './harness/components.js';
import { exitWithin } from './harness/processes.js';

/** What test/guests/reliability/reliability.ts sets for this scenario. */
const SETTINGS = { rtoMaxMs: 400, maxRetransmits: 4, heartbeatMs: 200 };
/**
 * The longest the stack may take: with data outstanding, max-retransmits + 1 timeouts of at most
 * RTO.Max; while idle, as many heartbeats, each after its interval plus the RTO. Plus one RTO.Max
 * for the timer already running.
 */
const DETECTION_BOUND_MS = (SETTINGS.maxRetransmits + 1) * (SETTINGS.heartbeatMs + SETTINGS.rtoMaxMs) + SETTINGS.rtoMaxMs;
/** Process start-up, scheduling on a busy 2-CPU machine, and the lines' way through pipes. */
const SLACK_MS = 4000;

for (const mode of ['busy', 'idle'] as const) {
  test(`the peer is killed while the guest ${mode === 'busy' ? 'sends' : 'waits in poll'}: it sees comm-lost and timeout within ${DETECTION_BOUND_MS} ms`, async () => {
    const peer = startGuest('echo-server', ['--connections', '1', '--quiet']);
    const [, address, port, encaps] = await peer.waitForLine(LISTENING);
    const guest = startGuest('reliability', ['peer-death', address, port, encaps, mode]);
    try {
      await guest.waitForLine(/"case":"transferring"/, 60_000);
      peer.child.kill('SIGKILL');
      const killedAt = Date.now();
      const [line] = await guest.waitForLine(/^\{"case":"peer-death".*/, DETECTION_BOUND_MS + SLACK_MS + 10_000);
      const detectedMs = Date.now() - killedAt;
      const seen = JSON.parse(line) as { failedIn: string; code: string; events: string[]; echoes: number; sinceLastProgressMs: number };
      console.log(`peer death (${mode}): the guest saw ${seen.code} in ${seen.failedIn} ${detectedMs} ms after the kill (bound ${DETECTION_BOUND_MS} ms), `
        + `${seen.echoes} echoes before; events ${seen.events.join(', ')}`);
      assert.ok(['timeout', 'connection-aborted', 'connection-reset'].includes(seen.code), line);
      assert.ok(seen.events.includes('comm-lost'), `the assoc-change comm-lost notification came first: ${line}`);
      assert.ok(detectedMs <= DETECTION_BOUND_MS + SLACK_MS, `detected after ${detectedMs} ms`);
      assert.is(await exitWithin(guest, 10_000), 0, guest.lines.join('\n'));
    } finally {
      peer.child.kill('SIGKILL');
      guest.child.kill('SIGKILL');
    }
  });
}

test.run();
