// Guest components run through the host CLI (`node dist/host/cli.js run <component> ...`), each in
// a process of its own with its own SCTP stack: what the demo, the tests and the benchmarks share.
import { join } from 'node:path';
import { buildGuest, projectRoot } from '../../scripts/guests.js';
import { buildCGuest, isCGuest } from '../../scripts/c-guests.js';
import { byCase, exitWithin, start, type Child, type Json, type StartOptions } from './processes.js';

export const cliPath = join(projectRoot, 'dist', 'host', 'cli.js');

export interface GuestOptions extends StartOptions {
  /** The host's --udp-port: 'auto' (the default), a port, or 'raw'. */
  udpPort?: string;
  /** Host CLI flags before the guest's arguments, e.g. `['--allow-connect', '10.77.0.0/24']`. */
  hostArgs?: string[];
}

/** Starts guest `name` of scripts/guests.ts (built first if its sources changed) with `args`. */
export function startGuest(name: string, args: string[], options: GuestOptions = {}): Child {
  const { udpPort = 'auto', hostArgs = [], ...rest } = options;
  return start(name, process.execPath, [cliPath, 'run', isCGuest(name) ? buildCGuest(name) : buildGuest(name), '--udp-port', udpPort, ...hostArgs, '--', ...args],
    { stdin: 'ignore', ...rest });
}

/**
 * Runs a test guest to its end and returns what it observed: its JSON lines by case. A guest that
 * fails or does not end within `timeoutMs` fails the caller, with its output.
 */
export async function observe(name: string, args: string[], options: GuestOptions & { timeoutMs?: number } = {}): Promise<Map<string, Json>> {
  const guest = startGuest(name, args, options);
  const code = await exitWithin(guest, options.timeoutMs ?? 60_000);
  if (code !== 0) throw new Error(`${name} ${args.join(' ')} exited with ${code}:\n${guest.lines.join('\n')}`);
  return byCase(guest.events);
}

/** The line an echo server prints once it listens. */
export const LISTENING = /^listening (\S+):(\d+) udp-encaps (\d+|none)/;
