// Starting test/support/peer-process.ts: a peer with its own SCTP stack, in a child process.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { projectRoot } from '../../scripts/guests.js';
import { within } from './node-api.js';

export interface PeerProcess {
  udpPort: number;
  primary: number;
  exposed: number;
  many: number;
  events: Array<Record<string, unknown>>;
  request(line: string, event: string): Promise<Record<string, unknown>>;
  /** Writes a command line (see peer-process.ts) without waiting for anything. */
  tell(line: string): void;
  alive(): boolean;
  end(): Promise<number | null>;
}

/** Starts test/support/peer-process.ts and waits until it listens. */
export async function startPeerProcess(): Promise<PeerProcess> {
  const child = spawn(process.execPath, [join(projectRoot, 'dist', 'test', 'support', 'peer-process.js')],
    { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, WASM_SCTP_UDP_PORT: 'auto' } });
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { exitCode = code; resolve(code); }));
  process.on('exit', () => child.kill('SIGKILL'));
  const events: Array<Record<string, unknown>> = [];
  const waiters: Array<{ event: string; resolve: (e: Record<string, unknown>) => void }> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    const e = JSON.parse(line) as Record<string, unknown>;
    events.push(e);
    for (const w of [...waiters]) if (w.event === e.event) { waiters.splice(waiters.indexOf(w), 1); w.resolve(e); }
  });
  const next = (event: string) => new Promise<Record<string, unknown>>((resolve) => waiters.push({ event, resolve }));
  const ready = await within(30_000, next('ready'), 'peer process ready');
  return {
    udpPort: ready.udpPort as number,
    primary: ready.primary as number,
    exposed: ready.exposed as number,
    many: ready.many as number,
    events,
    request: (line, event) => {
      const p = next(event);
      child.stdin!.write(`${line}\n`);
      return within(10_000, p, `peer process ${event}`);
    },
    tell: (line) => { child.stdin!.write(`${line}\n`); },
    alive: () => exitCode === undefined,
    end: async () => {
      child.stdin!.end();
      return within(15_000, exited, 'peer process exit');
    },
  };
}
