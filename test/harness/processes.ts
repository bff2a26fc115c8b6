// The child processes of the tests, the demo and the benchmarks (guests under the host CLI, the
// peer program, native senders): each prints lines on stdout, JSON objects where it reports
// something, and takes commands on stdin. Every child is killed when this process exits or is
// interrupted, so that no run leaves one behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export type Json = Record<string, unknown>;

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

export interface Child {
  name: string;
  child: ChildProcess;
  /** Every stdout line so far. */
  lines: string[];
  /** Every stdout line that is a JSON object. */
  events: Json[];
  /** The last 200 stderr lines, when stderr is captured. */
  stderr: string[];
  /** Resolves with the exit code (null when a signal ended it). */
  exited: Promise<number | null>;
  /** Resolves with the exit code once stdout has been read to its end too. */
  closed: Promise<number | null>;
  /** Resolves with the first event (already seen or future) that matches; rejects on timeout or exit. */
  waitFor(match: (e: Json) => boolean, timeoutMs?: number, what?: string): Promise<Json>;
  /** Resolves with the first stdout line (already seen or future) that matches. */
  waitForLine(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Writes a command line to stdin and resolves with the first event after it that matches. */
  request(line: string, match: (e: Json) => boolean, timeoutMs?: number): Promise<Json>;
  /** Writes a command line to stdin. */
  tell(line: string): void;
  alive(): boolean;
  kill(): void;
  /** The last lines of output, for error messages. */
  tail(): string;
}

export interface StartOptions {
  /** Added to this process's environment. */
  env?: NodeJS.ProcessEnv;
  /** Runs the command through another that executes it, e.g. `['ip', 'netns', 'exec', name]`. */
  prefix?: string[];
  /** 'inherit' (tests): the child's errors show with this process's; 'capture' (benchmarks): kept for tail(). */
  stderr?: 'inherit' | 'capture';
  stdin?: 'pipe' | 'ignore';
  onLine?: (line: string) => void;
  /** Each stderr line, when stderr is captured. */
  onStderrLine?: (line: string) => void;
}

export function start(name: string, command: string, args: string[], options: StartOptions = {}): Child {
  const [program, ...programArgs] = [...(options.prefix ?? []), command, ...args];
  const child = spawn(program, programArgs, {
    env: { ...process.env, ...options.env },
    stdio: [options.stdin ?? 'pipe', 'pipe', options.stderr === 'capture' ? 'pipe' : 'inherit'],
  });
  live.add(child);
  const lines: string[] = [];
  const events: Json[] = [];
  /** The event of each line (the same object as in `events`), undefined for lines that are not JSON objects. */
  const eventOfLine: Array<Json | undefined> = [];
  const stderr: string[] = [];
  /** Each waiter looks at the lines it has not seen yet whenever one arrives. */
  const waiters = new Set<() => void>();
  let exitCode: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      live.delete(child);
      exitCode = code;
      resolve(code);
    });
    child.on('error', (e) => {
      live.delete(child);
      stderr.push(String(e));
      exitCode = null;
      resolve(null);
    });
  });
  child.stdin?.on('error', () => {});
  const stdoutEnded = new Promise<void>((resolve) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let event: Json | undefined;
      if (line.startsWith('{')) {
        try { event = JSON.parse(line) as Json; } catch { /* not JSON */ }
      }
      lines.push(line);
      eventOfLine.push(event);
      if (event) events.push(event);
      options.onLine?.(line);
      for (const waiter of [...waiters]) waiter();
    }).on('close', resolve);
  });
  const closed = Promise.all([exited, stdoutEnded]).then(([code]) => code);
  if (child.stderr) {
    createInterface({ input: child.stderr }).on('line', (line) => {
      stderr.push(line);
      if (stderr.length > 200) stderr.shift();
      options.onStderrLine?.(line);
    });
  }
  // The first stderr lines name the error (a Node stack trace puts the message on top).
  const tail = () => [...lines.slice(-10), ...stderr.slice(0, 12).map((l) => `stderr: ${l}`)].join('\n');

  /** Resolves with what `find` picks from the lines (by index) from `from` on. */
  function waitUntil<T>(find: (index: number) => T | undefined, from: number, timeoutMs: number, what: string): Promise<T> {
    return new Promise((resolve, reject) => {
      let next = from;
      const settle = (f: () => void) => {
        waiters.delete(look);
        clearTimeout(timer);
        f();
      };
      const look = () => {
        for (; next < lines.length; next++) {
          const found = find(next);
          if (found !== undefined) return settle(() => resolve(found));
        }
      };
      const timer = setTimeout(() => settle(() => reject(new Error(`${name}: no ${what} within ${timeoutMs} ms; output:\n${tail()}`))), timeoutMs);
      waiters.add(look);
      look();
      void closed.then((code) => {
        if (!waiters.has(look)) return;
        settle(() => reject(new Error(`${name} exited (${code}) before printing ${what}; output:\n${tail()}`)));
      });
    });
  }
  const eventOf = (match: (e: Json) => boolean) => (index: number) => {
    const e = eventOfLine[index];
    return e && match(e) ? e : undefined;
  };
  const tell = (line: string) => { child.stdin!.write(`${line}\n`); };

  return {
    name, child, lines, events, stderr, exited, closed, tail, tell,
    alive: () => exitCode === undefined,
    kill() { if (exitCode === undefined) child.kill('SIGKILL'); },
    waitFor(match, timeoutMs = 30_000, what = 'the expected line') {
      return waitUntil(eventOf(match), 0, timeoutMs, what);
    },
    waitForLine(pattern, timeoutMs = 30_000) {
      return waitUntil((index) => lines[index].match(pattern) ?? undefined, 0, timeoutMs, `line matching ${pattern}`);
    },
    request(line, match, timeoutMs = 10_000) {
      const answer = waitUntil(eventOf(match), lines.length, timeoutMs, `answer to ${line}`);
      tell(line);
      return answer;
    },
  };
}

/**
 * Resolves with the exit code once the child has exited and its output has been read; after
 * `timeoutMs` kills it and rejects with its last output.
 */
export async function exitWithin(child: Child, timeoutMs: number): Promise<number | null> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      child.kill();
      reject(new Error(`${child.name} did not exit within ${timeoutMs} ms; output:\n${child.tail()}`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([child.closed, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function isEvent(name: string): (e: Json) => boolean {
  return (e) => e.event === name;
}

/** A child's JSON lines by their `case` (the last line of each), as the test guests print them. */
export function byCase(events: Json[]): Map<string, Json> {
  return new Map(events.filter((e) => e.case !== undefined).map((e) => [String(e.case), e]));
}
