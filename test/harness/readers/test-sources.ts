// The uvu tests of test/*.test.ts as text, found by file and title, with what each one runs: its own
// body, the `before` hooks of its suite, the helpers of its file it calls, and the sources of the
// guest components those start. POSIX-COMPAT.md cites tests by file and title; this is what the
// guide's check reads to tell whether a cited test exists and calls what its row names.
// Not a TypeScript parser: it skips strings, comments and regular expressions well enough to match
// the brackets of the suites as they are written.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { guests, guestSources } from '../../../scripts/guests.js';

export interface CitedTest {
  /** The test's call, `name('title', async () => { ... })`. */
  source: string;
  /** The source, the suite's `before` hooks, the file's helpers it calls and the guests it runs. */
  evidence: string;
  /** The guest components it runs (registered names of scripts/guests.ts). */
  guests: string[];
}

/** The index just past the string, template or regular expression that starts at `i`. */
function skipLiteral(text: string, i: number): number {
  const quote = text[i];
  for (let j = i + 1; j < text.length; j++) {
    const c = text[j];
    if (c === '\\') { j++; continue; }
    if (quote === '/' && c === '[') {
      // A class may hold a slash: /[/]/.
      while (j < text.length && text[j] !== ']') j += text[j] === '\\' ? 2 : 1;
      continue;
    }
    if (quote === '`' && c === '$' && text[j + 1] === '{') { j = matching(text, j + 1) - 1; continue; }
    if (c === quote) return j + 1;
    if (c === '\n' && quote !== '`') return j + 1; // an unterminated literal: give up at the line's end
  }
  return text.length;
}

/** Whether a slash at `i` starts a regular expression (and not a division). */
function startsRegex(text: string, i: number): boolean {
  let k = i - 1;
  while (k >= 0 && /\s/.test(text[k])) k--;
  return k < 0 || /[(,=:[!&|?{};]/.test(text[k]) || /\b(?:return|typeof)$/.test(text.slice(Math.max(0, k - 6), k + 1));
}

/** The index just past the bracket that closes the one at `open` (`(`, `{` or `[`). */
function matching(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '`') { i = skipLiteral(text, i) - 1; continue; }
    if (c === '/' && text[i + 1] === '/') { i = text.indexOf('\n', i); if (i < 0) return text.length; continue; }
    if (c === '/' && text[i + 1] === '*') { i = text.indexOf('*/', i + 2) + 1; if (i <= 0) return text.length; continue; }
    if (c === '/' && startsRegex(text, i)) { i = skipLiteral(text, i) - 1; continue; }
    if (c === '(' || c === '{' || c === '[') depth++;
    if (c === ')' || c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The names a file registers tests under: `test` and every `const x = suite(...)`. */
function testFunctions(text: string): string[] {
  return ['test', ...[...text.matchAll(/\bconst (\w+) = suite\(/g)].map((m) => m[1])];
}

/**
 * Every test of a file: its title and the index of its call. A template title (`${n} messages ...`)
 * is kept as a pattern in which each `${...}` stands for any text: the guide cites it as it prints.
 */
export function testsOf(text: string): Array<{ name: string; title: string | RegExp; at: number }> {
  const out: Array<{ name: string; title: string | RegExp; at: number }> = [];
  for (const name of testFunctions(text)) {
    const call = new RegExp(`(?<![\\w$.])${escapeRegex(name)}\\(\\s*(['"\`])`, 'g');
    for (const m of text.matchAll(call)) {
      const start = m.index! + m[0].length - 1;
      const end = skipLiteral(text, start);
      if (!/^\s*,/.test(text.slice(end))) continue;
      const raw = text.slice(start + 1, end - 1);
      const title = m[1] !== '`' ? raw.replace(/\\(.)/g, '$1')
        : new RegExp(`^${raw.split(/\$\{[^}]*\}/).map(escapeRegex).join('.*')}$`);
      out.push({ name, title, at: m.index! });
    }
  }
  return out;
}

const titled = (title: string | RegExp, cited: string) => (typeof title === 'string' ? title === cited : title.test(cited));

/** Top-level declarations of a file (`function f`, `const f =`, ...): name -> text, for helpers a test calls. */
function topLevelDeclarations(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const decl = /^(?:export )?(?:async )?(?:function\*? |const |let )(\w+)/gm;
  for (const m of text.matchAll(decl)) {
    // The declaration runs to the next line that starts a new top-level statement.
    const rest = text.slice(m.index! + m[0].length);
    const next = rest.search(/\n(?=[A-Za-z@])/);
    out.set(m[1], text.slice(m.index!, next < 0 ? text.length : m.index! + m[0].length + next));
  }
  return out;
}

/**
 * Harness functions that start a guest without naming it: the multi-homing endpoints run the
 * `multihome` guest (test/harness/netns/endpoints.ts).
 */
const GUEST_STARTERS: Record<string, string> = { startMultihomeGuest: 'multihome', runFailover: 'multihome' };

/** The guests a text starts: registered names passed as string literals, and the harness's starters. */
function guestsRun(text: string): string[] {
  const named = Object.keys(guests).filter((g) => new RegExp(`['"]${escapeRegex(g)}['"]`).test(text));
  const started = Object.entries(GUEST_STARTERS).filter(([f]) => text.includes(`${f}(`)).map(([, g]) => g);
  return [...new Set([...named, ...started])];
}

/** The test of `file` (under test/) titled `title`, with what it runs; undefined when there is none. */
export function findTest(root: string, file: string, title: string): CitedTest | undefined {
  const path = join(root, 'test', file);
  if (!existsSync(path)) return undefined;
  const text = readFileSync(path, 'utf8');
  const found = testsOf(text).find((t) => titled(t.title, title));
  if (!found) return undefined;
  const source = text.slice(found.at, matching(text, text.indexOf('(', found.at)));
  // The suite's `before` hooks run first: guest-driven suites start their guest there.
  const hooks = [...text.matchAll(new RegExp(`(?<![\\w$.])${escapeRegex(found.name)}\\.before(?:\\.each)?\\(`, 'g'))]
    .map((m) => text.slice(m.index!, matching(text, m.index! + m[0].length - 1)));
  // The file's helpers it calls, and the helpers those call.
  const declarations = topLevelDeclarations(text);
  const parts = [source, ...hooks];
  const used = new Set<string>();
  for (let grew = true; grew;) {
    grew = false;
    const seen = parts.join('\n');
    for (const [name, body] of declarations) {
      if (used.has(name) || !new RegExp(`(?<![\\w$.])${escapeRegex(name)}\\b`).test(seen)) continue;
      used.add(name);
      parts.push(body);
      grew = true;
    }
  }
  const ownText = parts.join('\n');
  const run = guestsRun(ownText);
  const guestText = run.flatMap((g) => guestSources(guests[g]).map((f) => readFileSync(f, 'utf8')));
  return { source, evidence: [ownText, ...guestText].join('\n'), guests: run };
}
