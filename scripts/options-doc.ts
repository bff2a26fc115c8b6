// The "Socket options" table of POSIX-COMPAT.md, rendered from the option table (src/options/table.ts):
//   node dist/scripts/options-doc.js           rewrites the table between the markers
//   node dist/scripts/options-doc.js --check   exits 1 when the guide and the table disagree
// test/options.test.ts runs the check too.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OPTION_TABLE, type OptionCompat } from '../src/index.js';
import { OPTION_DOC_EXTRAS } from '../src/options/doc-extras.js';
import { OPTION_EVIDENCE, type TestRef } from '../src/options/doc-tests.js';
import { projectRoot } from './guests.js';

export const GUIDE = join(projectRoot, 'POSIX-COMPAT.md');
export const START = '<!-- options-table: generated from src/options/table.ts by scripts/options-doc.ts; edit the table there -->';
export const END = '<!-- /options-table -->';

const code = (name: string) => `\`${name}\``;

/** A cited test as the guide writes it: `[options-paths](test/options-paths.test.ts) "title"`. */
export function testCell(tests: readonly TestRef[] | undefined): string {
  if (!tests?.length) return '—';
  return tests.map((ref) => `[${ref.file.replace(/\.test\.ts$/, '')}](test/${ref.file}) "${ref.title}"`).join('<br>');
}

function line(compat: OptionCompat, implemented: string, tests: readonly TestRef[] | undefined): string {
  return `| ${compat.option} | ${implemented} | ${compat.linux} | ${compat.freebsd} | ${compat.usrsctp} | ${testCell(tests)} |`;
}

/**
 * The Implemented cell of a row: its WIT functions, its mode, what is not supported, and what the tests show: ✅
 * when tests assert the effect, ❔ with what no test shows yet, ⛔ with why the option does nothing here.
 */
export function implementedCell(row: (typeof OPTION_TABLE)[number]): string {
  const functions = [row.mode !== 'wo' ? row.getter : undefined, row.mode !== 'ro' ? row.setter : undefined]
    .filter((f): f is string => f !== undefined).map(code).join(', ');
  const mode = row.mode === 'ro' ? ' (read-only)' : row.mode === 'wo' ? ' (write-only)' : '';
  const evidence = OPTION_EVIDENCE[row.name];
  if ('leftOut' in evidence) return `⛔ ${functions}${mode}: ${evidence.leftOut}`;
  const notes = [row.compat.note, 'untested' in evidence ? evidence.untested : evidence.note].filter(Boolean);
  return `${'untested' in evidence ? '❔' : '✅'} ${functions}${mode}${notes.map((n) => `; ${n}`).join('')}`;
}

/** The table (header included), one line per option row, with the doc-only rows after their anchors. */
export function renderOptionsTable(): string {
  const lines = ['| option | Implemented | Linux | FreeBSD | usrsctp | Tested by |', '|---|---|---|---|---|---|'];
  for (const row of OPTION_TABLE) {
    lines.push(line(row.compat, implementedCell(row), OPTION_EVIDENCE[row.name].tests));
    for (const extra of OPTION_DOC_EXTRAS.filter((e) => e.after === row.name)) {
      lines.push(line(extra.compat, extra.implemented, extra.tests));
    }
  }
  return lines.join('\n');
}

/** The text between the markers, or undefined when the guide has no markers. */
export function currentTable(guide: string): string | undefined {
  const start = guide.indexOf(START);
  const end = guide.indexOf(END);
  if (start < 0 || end < start) return undefined;
  return guide.slice(start + START.length, end).trim();
}

export function withTable(guide: string, table: string): string {
  const start = guide.indexOf(START);
  const end = guide.indexOf(END);
  if (start < 0 || end < start) throw new Error(`${GUIDE}: the markers of the options table are missing`);
  return `${guide.slice(0, start + START.length)}\n${table}\n${guide.slice(end)}`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const guide = readFileSync(GUIDE, 'utf8');
  const table = renderOptionsTable();
  if (process.argv.includes('--check')) {
    if (currentTable(guide) !== table) {
      console.error('POSIX-COMPAT.md: the options table differs from src/options/table.ts; run node dist/scripts/options-doc.js');
      process.exit(1);
    }
    console.log('POSIX-COMPAT.md: the options table matches src/options/table.ts');
  } else {
    writeFileSync(GUIDE, withTable(guide, table));
    console.log(`POSIX-COMPAT.md: options table rewritten (${OPTION_TABLE.length} options)`);
  }
}
