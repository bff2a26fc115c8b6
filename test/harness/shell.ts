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

/**
 * Why this process cannot make network namespaces with `devices` in them, or undefined when it
 * can: it needs Linux, root and iproute2, and a namespace `probe` (removed again) in which
 * `check`, if given, finds nothing missing.
 */
export function namespacesUnavailable(probe: string, devices: string, check?: (namespace: string) => string | undefined): string | undefined {
  if (process.platform !== 'linux') return `needs Linux (this is ${process.platform})`;
  if (process.getuid?.() !== 0) return `needs root to create network namespaces and ${devices} (run as root)`;
  if (!tryRun('ip', ['-V']).ok) return 'needs iproute2 (`ip`; apt-get install iproute2)';
  const created = tryRun('ip', ['netns', 'add', probe]);
  const missing = created.ok ? check?.(probe) : undefined;
  tryRun('ip', ['netns', 'del', probe]);
  if (!created.ok) return `cannot create a network namespace: ${created.output}`;
  return missing;
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
