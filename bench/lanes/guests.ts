// Guest components run through the host CLI, each in its own process (node dist/host/cli.js run ...).
import { buildCGuest } from '../../scripts/c-guests.js';
import { buildGuest } from '../../scripts/guests.js';
import { cliPath } from '../lib/paths.js';
import { start, type Child } from '../lib/proc.js';

/**
 * Builds (or takes from .cache/guests and .cache/c-guests) the components the guest lanes need; 13-18 s
 * each on first build for the TypeScript guests, about 1 s for the C one.
 */
export function buildBenchGuests(log: (line: string) => void, lanes: { ts: boolean; c: boolean }): { sctp: string; tcp: string; c: string } {
  return {
    sctp: lanes.ts ? buildGuest('bench-sctp', log) : '',
    tcp: lanes.ts ? buildGuest('bench-tcp', log) : '',
    c: lanes.c ? buildCGuest('c-bench-sctp') : '',
  };
}

export function startGuest(name: string, wasm: string, args: string[]): Child {
  return start(name, process.execPath, [cliPath, 'run', wasm, '--udp-port', 'auto', '--', ...args]);
}

/** A guest loads and compiles ~13 MB of Wasm (and is transpiled on its first run): allow for it. */
export const GUEST_STARTUP_MS = 60_000;
