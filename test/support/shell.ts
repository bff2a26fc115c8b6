// Running commands from test helpers that set up hosts (namespaces, devices): one place for the
// few ways they are run.
import { execFileSync, spawnSync } from 'node:child_process';

/** Runs a command; its failure throws with the command's output. */
export function run(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** Runs a command that may fail; says whether it worked and what it printed. */
export function tryRun(command: string, args: string[]): { ok: boolean; output: string } {
  const r = spawnSync(command, args, { encoding: 'utf8' });
  return { ok: r.status === 0, output: `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`.trim() };
}

/** Whether a process runs (one of another user counts). */
export function pidAlive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
}
