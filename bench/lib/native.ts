// The native side: compiles bench/native/sctp_bench.c with gcc against Debian's libusrsctp into
// .cache/bench/ (once per source hash; never committed), and starts its server (sink + echo).
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../../scripts/guests.js';
import { start, isEvent, type Child } from '../../test/harness/processes.js';
import { startPeer } from '../../test/harness/peers/start.js';

const source = join(projectRoot, 'bench', 'native', 'sctp_bench.c');

export function buildNative(): string {
  const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 12);
  const dir = join(projectRoot, '.cache', 'bench');
  const binary = join(dir, `sctp_bench-${hash}`);
  if (existsSync(binary)) return binary;
  if (!existsSync('/usr/include/usrsctp.h')) throw new Error('libusrsctp-dev is missing: run bash scripts/setup.sh');
  mkdirSync(dir, { recursive: true });
  const partial = `${binary}.partial-${process.pid}`;
  execFileSync('gcc', ['-O2', '-Wall', '-o', partial, source, '-lusrsctp', '-lpthread'], { stdio: ['ignore', 'inherit', 'inherit'] });
  renameSync(partial, binary);
  return binary;
}

export interface SctpPeer {
  server: Child;
  address: string;
  sinkPort: number;
  echoPort: number;
  udpPort: number;
}

/** The one SCTP receiver of every SCTP lane, and the echo peer of the round-trip lanes: one process, one stack. */
export async function startSctpPeer(binary: string): Promise<SctpPeer> {
  const server = start('native server', binary, ['server'], { stderr: 'capture' });
  const listening = await server.waitFor(isEvent('listening'), 10_000, 'listening line');
  return {
    server,
    address: '127.0.0.1',
    sinkPort: Number(listening.sinkPort),
    echoPort: Number(listening.echoPort),
    udpPort: Number(listening.udpPort),
  };
}

export interface TcpPeer {
  sink: Child;
  address: string;
  port: number;
}

export async function startTcpPeer(): Promise<TcpPeer> {
  const sink = startPeer('tcp-sink', [], { stderr: 'capture' });
  const listening = await sink.waitFor(isEvent('listening'), 10_000, 'listening line');
  return { sink, address: '127.0.0.1', port: Number(listening.port) };
}
