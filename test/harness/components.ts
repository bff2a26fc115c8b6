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

/** What the host prints when it leaves out a notification that has no WIT form (host/messages.ts). */
const SKIPPED_NOTIFICATION = /notification without a WIT form skipped/;

/**
 * Runs a test guest to its end and returns what it observed: its JSON lines by case. A guest that
 * fails or does not end within `timeoutMs` fails the caller, with its output; so does a run in
 * which the host left out a notification (the host never drops or mislabels what the stack
 * delivers). The host's stderr still shows with the test's.
 */
export async function observe(name: string, args: string[], options: GuestOptions & { timeoutMs?: number } = {}): Promise<Map<string, Json>> {
  const skipped: string[] = [];
  const guest = startGuest(name, args, {
    ...options,
    stderr: 'capture',
    onStderrLine: (line) => {
      process.stderr.write(`${line}\n`);
      if (SKIPPED_NOTIFICATION.test(line)) skipped.push(line);
    },
  });
  const code = await exitWithin(guest, options.timeoutMs ?? 60_000);
  if (code !== 0) throw new Error(`${name} ${args.join(' ')} exited with ${code}:\n${guest.lines.join('\n')}`);
  if (skipped.length > 0) throw new Error(`${name} ${args.join(' ')}: the host left out notifications:\n${skipped.join('\n')}`);
  return byCase(guest.events);
}

/** The line an echo server prints once it listens. */
export const LISTENING = /^listening (\S+):(\d+) udp-encaps (\d+|none)/;
