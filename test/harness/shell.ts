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

/** Kills every process left inside a network namespace. */
export function killNamespaceProcesses(ns: string): void {
  const pids = tryRun('ip', ['netns', 'pids', ns]).output.split(/\s+/).filter((p) => /^\d+$/.test(p)).map(Number);
  for (const pid of pids) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
}

/**
 * Runs `cleanup` when the process exits or gets SIGINT/SIGTERM (then the signal is raised again);
 * returns the function that unhooks it. `on`, not `once`: a second signal during the cleanup (timeout(1)
 * signals the child and its process group) must not kill the process halfway.
 */
export function cleanupAtExit(cleanup: () => void): () => void {
  const onExit = () => cleanup();
  const onSignal = (signal: NodeJS.Signals) => { cleanup(); unhook(); process.kill(process.pid, signal); };
  function unhook() {
    process.off('exit', onExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  process.on('exit', onExit);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return unhook;
}
