// The benchmark's guest components (bench/guests/), run through the host CLI, each in its own process.
import { buildGuest } from '../../scripts/guests.js';
import { startGuest } from '../../test/harness/components.js';
import type { Child } from '../../test/harness/processes.js';

/** Builds (or takes from .cache/guests) the components the guest lanes need; 13-18 s each on first build. */
export function buildBenchGuests(log: (line: string) => void): void {
  buildGuest('bench-sctp', log);
  buildGuest('bench-tcp', log);
}

/** `guest` is bench-sctp or bench-tcp; its stderr is kept for the lane's failure message. */
export function startBenchGuest(guest: 'bench-sctp' | 'bench-tcp', args: string[]): Child {
  return startGuest(guest, args, { stderr: 'capture' });
}

/** A guest loads and compiles ~13 MB of Wasm (and is transpiled on its first run): allow for it. */
export const GUEST_STARTUP_MS = 60_000;
