// Runs example guests as child processes through the host CLI: what the demo, the tests and the
// benchmarks share. Every child is killed when the parent exits or the run times out.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { buildGuest, projectRoot } from './guests.js';
import { buildCGuest, isCGuest } from './c-guests.js';

export const cliPath = join(projectRoot, 'dist', 'host', 'cli.js');

const children = new Set<ChildProcess>();
process.on('exit', () => { for (const child of children) child.kill('SIGKILL'); });

export interface GuestProcess {
  child: ChildProcess;
  /** Every line the guest printed to stdout so far. */
  lines: string[];
  /** Resolves with the first stdout line matching `pattern`. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (null when killed). */
  exited: Promise<number | null>;
}

/**
 * `prefix` runs the host through another command that then executes it, e.g.
 * `['ip', 'netns', 'exec', name]` to run the guest inside a network namespace. `hostArgs` go to
 * the host CLI before the guest's arguments (e.g. `--allow-connect 10.77.0.0/24`).
 */
export function startGuest(name: string, args: string[], options: { udpPort?: string; onLine?: (line: string) => void; env?: NodeJS.ProcessEnv; prefix?: string[]; hostArgs?: string[] } = {}): GuestProcess {
  const wasm = isCGuest(name) ? buildCGuest(name) : buildGuest(name);
  const [command, ...commandArgs] = [...(options.prefix ?? []), process.execPath, cliPath, 'run', wasm, '--udp-port', options.udpPort ?? 'auto',
    ...(options.hostArgs ?? []), '--', ...args];
  const child = spawn(command, commandArgs, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...options.env },
  });
  children.add(child);
  const lines: string[] = [];
  const waiters: Array<{ pattern: RegExp; resolve: (m: RegExpMatchArray) => void }> = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    lines.push(line);
    options.onLine?.(line);
    for (const w of [...waiters]) {
      const m = line.match(w.pattern);
      if (m) { waiters.splice(waiters.indexOf(w), 1); w.resolve(m); }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => { children.delete(child); resolve(code); }));
  return {
    child,
    lines,
    exited,
    waitForLine(pattern, timeoutMs = 30_000) {
      const seen = lines.map((l) => l.match(pattern)).find(Boolean);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`${name}: no line matching ${pattern} within ${timeoutMs} ms; got:\n${lines.join('\n')}`)), timeoutMs);
        waiters.push({ pattern, resolve: (m) => { clearTimeout(timer); resolve(m); } });
        exited.then((code) => { clearTimeout(timer); reject(new Error(`${name} exited (${code}) before printing ${pattern}; got:\n${lines.join('\n')}`)); });
      });
    },
  };
}

/** Resolves with the exit code, or kills the guest and rejects after `timeoutMs`. */
export async function exitWithin(guest: GuestProcess, timeoutMs: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => { guest.child.kill('SIGKILL'); reject(new Error(`guest did not exit within ${timeoutMs} ms; output:\n${guest.lines.join('\n')}`)); }, timeoutMs);
  });
  try {
    return await Promise.race([guest.exited, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The line an echo server prints once it listens. */
export const LISTENING = /^listening (\S+):(\d+) udp-encaps (\d+|none)/;
