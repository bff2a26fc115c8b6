// Lane (b): the Node TS API (src/, the SctpSocket class) as sender, in its own Node process
// (the peer program's `send` mode, test/harness/peers/send.ts), to the same native receiver as (a) and (c).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SctpPeer } from '../lib/native.js';
import { failedThroughput, measureThroughput, type Throughput } from '../lib/measure.js';
import { projectRoot } from '../../scripts/guests.js';
import { startPeer } from '../../test/harness/peers/start.js';

export async function apiThroughput(peer: SctpPeer, size: number, seconds: number): Promise<Throughput> {
  if (!existsSync(join(projectRoot, 'dist', 'src', 'index.js'))) return failedThroughput('b', size, 'dist/src/index.js is missing: build with bash scripts/setup.sh');
  const child = startPeer('send', ['--address', peer.address, '--port', String(peer.sinkPort), '--udp-encaps', String(peer.udpPort),
    '--size', String(size), '--seconds', String(seconds)], { stderr: 'capture' });
  return measureThroughput(child, { lane: 'b', size, seconds, receiver: peer.server });
}
