// The benchmark's guest components (bench/guests/), run through the host CLI, each in its own process.
import { buildCGuest } from '../../scripts/c-guests.js';
import { buildGuest } from '../../scripts/guests.js';
import { startGuest } from '../../test/harness/components.js';
import type { Child } from '../../test/harness/processes.js';

/**
 * Builds (or takes from .cache/guests and .cache/c-guests) the components the guest lanes need; 13-18 s
 * each on first build for the TypeScript guests, about 1 s for the C one.
 */
export function buildBenchGuests(log: (line: string) => void, lanes: { ts: boolean; c: boolean }): void {
  if (lanes.ts) {
    buildGuest('bench-sctp', log);
    buildGuest('bench-tcp', log);
  }
  if (lanes.c) buildCGuest('c-bench-sctp');
}

/** The SCTP senders: TypeScript (lane c) and C (bench/guests/c/bench-sctp.c, lane e), same modes and output. */
export type BenchSctpGuest = 'bench-sctp' | 'c-bench-sctp';

/** Its stderr is kept for the lane's failure message. */
export function startBenchGuest(guest: BenchSctpGuest | 'bench-tcp', args: string[]): Child {
  return startGuest(guest, args, { stderr: 'capture' });
}

/** A guest loads and compiles ~13 MB of Wasm (and is transpiled on its first run): allow for it. */
export const GUEST_STARTUP_MS = 60_000;
