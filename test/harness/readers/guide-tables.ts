// The tables of a Markdown guide (POSIX-COMPAT.md), each under the heading it follows, with helpers
// to read the conventions of its cells.

export interface GuideRow {
  /** The cells, trimmed, without the empty ones outside the outer pipes. */
  cells: string[];
  /** 1-based line number in the guide, for messages. */
  line: number;
}

export interface GuideTable {
  /** The text of the nearest heading above the table (`## Functions` -> `Functions`). */
  heading: string;
  header: string[];
  rows: GuideRow[];
}

function splitRow(line: string): string[] {
  // Pipes inside backticks (none today) would need more care; escaped pipes are kept.
  return line.trim().replace(/^\||\|$/g, '').split(/(?<!\\)\|/).map((c) => c.trim());
}

export function readTables(markdown: string): GuideTable[] {
  const tables: GuideTable[] = [];
  let heading = '';
  let current: GuideTable | undefined;
  markdown.split('\n').forEach((line, i) => {
    const h = line.match(/^#+\s+(.*)$/);
    if (h) heading = h[1].trim();
    if (!line.startsWith('|')) { current = undefined; return; }
    if (!current) {
      current = { heading, header: splitRow(line), rows: [] };
      tables.push(current);
      return;
    }
    if (/^\|[\s:|-]+\|$/.test(line.trim())) return; // the |---|---| line
    current.rows.push({ cells: splitRow(line), line: i + 1 });
  });
  return tables;
}

/** The texts between backticks in a cell. */
export function backticked(cell: string): string[] {
  return [...cell.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
}

export type Mark = '✅' | '⛔' | '❔';

/** The mark a cell starts with, if any. */
export function markOf(cell: string): Mark | undefined {
  const m = cell.match(/^(✅|⛔|❔)/u);
  return m ? (m[1] as Mark) : undefined;
}

/** Backticked names shaped like WIT items: kebab-case, `a::b`, `a.b`, `wasi:pkg/iface.item`. */
export function witShapedNames(cell: string): string[] {
  return backticked(cell).filter((t) => /^(?:[a-z0-9-]+:[a-z0-9-]+\/)?[a-z][a-z0-9-]*(?:(?:::|\.)[a-z][a-z0-9-]*)*$/.test(t));
}

/** The text of a cell after its mark with the backticked parts removed: the reason or note it gives. */
export function prose(cell: string): string {
  return cell.replace(/^(✅|⛔|❔)/u, '').replace(/`[^`]+`/g, '').replace(/[\s,;:.()+/]+/g, ' ').trim();
}

/** A test a row cites: its file under test/ and its title. */
export interface TestReference {
  file: string;
  title: string;
}

/** The tests a "Tested by" cell cites, each written `[name](test/name.test.ts) "title"`. */
export function testReferences(cell: string): TestReference[] {
  return [...cell.matchAll(/\[[^\]]*\]\(test\/([^)]+\.test\.ts)\)\s*"([^"]+)"/g)].map((m) => ({ file: m[1], title: m[2] }));
}
