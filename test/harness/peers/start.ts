// Starting the peer program (peer.ts) in a child process, from tests and benchmarks.
import { join } from 'node:path';
import { projectRoot } from '../../../scripts/guests.js';
import { exitWithin, isEvent, start, type Child, type StartOptions } from '../processes.js';

const PROGRAM = join(projectRoot, 'dist', 'test', 'harness', 'peers', 'peer.js');

export interface PeerOptions extends StartOptions {
  /** Node's own flags, e.g. `--expose-gc`. */
  nodeArgs?: string[];
  /** The stack's transport (WASM_SCTP_UDP_PORT): 'auto' unless given. */
  udpPort?: string;
}

/** `peer.js <mode> <args>`; its stdin is a pipe (closing it ends the modes that serve until then). */
export function startPeer(mode: string, args: string[] = [], options: PeerOptions = {}): Child {
  const { nodeArgs = [], udpPort = 'auto', env, ...rest } = options;
  return start(`peer ${mode}`, process.execPath, [...nodeArgs, PROGRAM, mode, ...args],
    { ...rest, env: { ...env, WASM_SCTP_UDP_PORT: udpPort } });
}

export interface EchoPeer extends Child {
  udpPort: number;
  /** The ports of its listeners (see echo.ts). */
  primary: number;
  exposed: number;
  many: number;
  /** Closes its stdin and resolves with its exit code. */
  end(): Promise<number | null>;
}

/** `peer.js echo`, once it listens. */
export async function startEchoPeer(options: PeerOptions = {}): Promise<EchoPeer> {
  const child = startPeer('echo', [], options);
  const ready = await child.waitFor(isEvent('ready'), 30_000, 'ready line');
  return Object.assign(child, {
    udpPort: Number(ready.udpPort),
    primary: Number(ready.primary),
    exposed: Number(ready.exposed),
    many: Number(ready.many),
    end: () => {
      child.child.stdin!.end();
      return exitWithin(child, 15_000);
    },
  });
}
