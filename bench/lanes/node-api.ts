// Lane (b): the Node TS API (src/, the SctpSocket class) as sender, in its own Node process
// (bench/peers/api-sender.ts), to the same native receiver as (a) and (c).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SctpPeer } from '../lib/native.js';
import { failedThroughput, measureThroughput, type Throughput } from '../lib/measure.js';
import { projectRoot } from '../lib/paths.js';
import { start } from '../lib/proc.js';

const sender = join(projectRoot, 'dist', 'bench', 'peers', 'api-sender.js');

export async function apiThroughput(peer: SctpPeer, size: number, seconds: number): Promise<Throughput> {
  if (!existsSync(join(projectRoot, 'dist', 'src', 'index.js'))) return failedThroughput('b', size, 'dist/src/index.js is missing: build with bash scripts/setup.sh');
  const child = start('node api sender', process.execPath, [sender, peer.address, String(peer.sinkPort), String(peer.udpPort),
    '--size', String(size), '--seconds', String(seconds)]);
  return measureThroughput(child, { lane: 'b', size, seconds, receiver: peer.server });
}
