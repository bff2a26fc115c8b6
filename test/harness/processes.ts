// Child processes of the benchmark: every child is spawned with a stdin pipe (the native server exits
// when it closes), its stdout read as lines (JSON lines are the protocol), and killed when the run
// ends, fails or is interrupted.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

const live = new Set<ChildProcess>();

function killAll(): void {
  for (const child of live) {
    try { child.kill('SIGKILL'); } catch { /* already gone */ }
  }
  live.clear();
}

process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    killAll();
    process.exit(130);
  });
}

export type Json = Record<string, unknown>;

export interface Child {
  name: string;
  child: ChildProcess;
  /** Every stdout line so far. */
  lines: string[];
  /** Every stdout line that parsed as a JSON object. */
  events: Json[];
  stderr: string[];
  /** Resolves with the first event (already seen or future) that matches; rejects on timeout or exit. */
  waitFor(match: (e: Json) => boolean, timeoutMs: number, what?: string): Promise<Json>;
  exited: Promise<number | null>;
  kill(): void;
  /** The last lines of output, for error messages. */
  tail(): string;
}

export function start(name: string, command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv; onEvent?: (e: Json) => void } = {}): Child {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['pipe', 'pipe', 'pipe'] });
  live.add(child);
  const lines: string[] = [];
  const events: Json[] = [];
  const stderr: string[] = [];
  const waiters = new Set<{ match: (e: Json) => boolean; resolve: (e: Json) => void }>();
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code, signal) => {
      live.delete(child);
      exitCode = code ?? (signal ? null : 0);
      resolve(exitCode);
    });
    child.on('error', (e) => {
      live.delete(child);
      stderr.push(String(e));
      exitCode = null;
      resolve(null);
    });
  });
  child.stdin!.on('error', () => {});
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    let event: Json | undefined;
    if (line.startsWith('{')) {
      try { event = JSON.parse(line) as Json; } catch { /* not JSON */ }
    }
    if (!event) return;
    events.push(event);
    options.onEvent?.(event);
    for (const w of [...waiters]) {
      if (w.match(event)) { waiters.delete(w); w.resolve(event); }
    }
  });
  createInterface({ input: child.stderr! }).on('line', (line) => {
    stderr.push(line);
    if (stderr.length > 200) stderr.shift();
  });
  // The first stderr lines name the error (a Node stack trace puts the message on top).
  const tail = () => [...lines.slice(-10), ...stderr.slice(0, 12).map((l) => `stderr: ${l}`)].join('\n');
  return {
    name, child, lines, events, stderr, exited, tail,
    kill() { if (exitCode === undefined) child.kill('SIGKILL'); },
    waitFor(match, timeoutMs, what = 'the expected line') {
      const seen = events.find(match);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const waiter = { match, resolve: (e: Json) => { clearTimeout(timer); resolve(e); } };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`${name}: no ${what} within ${timeoutMs} ms; output:\n${tail()}`));
        }, timeoutMs);
        waiters.add(waiter);
        exited.then((code) => {
          // Give the line reader a moment: the line may be in the last chunk.
          setTimeout(() => {
            if (!waiters.has(waiter)) return;
            waiters.delete(waiter);
            clearTimeout(timer);
            reject(new Error(`${name} exited (${code}) before printing ${what}; output:\n${tail()}`));
          }, 50);
        });
      });
    },
  };
}

/** Resolves with the exit code, or kills the child after `timeoutMs` and resolves with null. */
export async function exitWithin(child: Child, timeoutMs: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => { child.kill(); resolve(null); }, timeoutMs);
  });
  try {
    return await Promise.race([child.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function isEvent(name: string): (e: Json) => boolean {
  return (e) => e.event === name;
}
