// POSIX-COMPAT.md must not lie: every WIT item it calls implemented exists in wit/ and is used by
// the tests or the example guests, and every function of the package appears in it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '../scripts/guests.js';

const guide = readFileSync(join(projectRoot, 'POSIX-COMPAT.md'), 'utf8');
const witText = readdirSync(join(projectRoot, 'wit')).filter((f) => f.endsWith('.wit'))
  .map((f) => readFileSync(join(projectRoot, 'wit', f), 'utf8')).join('\n');

/** Names the package's WIT defines: functions, types, and the cases and fields they carry. */
function witNames(): { functions: Set<string>; all: Set<string> } {
  const functions = new Set<string>();
  const all = new Set<string>();
  for (const line of witText.split('\n').map((l) => l.trim())) {
    if (line.startsWith('//')) continue;
    const fn = line.match(/^%?([a-z0-9-]+): func\(/);
    if (fn) { functions.add(fn[1]); all.add(fn[1]); continue; }
    const type = line.match(/^(?:record|variant|enum|flags|resource|type|interface|world) %?([a-z0-9-]+)/);
    if (type) { all.add(type[1]); continue; }
    const member = line.match(/^%?([a-z0-9-]+)(?:[:(,]|$)/);
    if (member) all.add(member[1]);
  }
  return { functions, all };
}

function sourcesUnder(dir: string): string {
  return readdirSync(dir, { withFileTypes: true }).map((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'types' ? '' : sourcesUnder(path);
    return e.name.endsWith('.ts') ? readFileSync(path, 'utf8') : '';
  }).join('\n');
}

const camel = (kebab: string) => kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** Rows of the guide's tables whose Implemented column says ✅, with the WIT names in it. */
function implementedRows(): Array<{ row: string; names: string[] }> {
  const rows: Array<{ row: string; names: string[] }> = [];
  for (const line of guide.split('\n')) {
    if (!line.startsWith('|')) continue;
    const cells = line.split('|').map((c) => c.trim());
    const implemented = cells.find((c) => c.startsWith('✅'));
    if (!implemented) continue;
    const names = [...implemented.matchAll(/`([a-z0-9-]+)(?:::[a-z0-9-]+)?(?:\.([a-z0-9-]+))?`/g)].flatMap((m) => [m[1], m[2]].filter(Boolean) as string[]);
    rows.push({ row: cells[1], names });
  }
  return rows;
}

test('every implemented row names WIT items that exist', () => {
  const { all } = witNames();
  const rows = implementedRows();
  assert.ok(rows.length > 20, `only ${rows.length} implemented rows found`);
  for (const { row, names } of rows) {
    assert.ok(names.length > 0, `row ${row} is marked implemented but names no WIT item`);
    for (const name of names) assert.ok(all.has(name), `row ${row}: \`${name}\` is not in wit/`);
  }
});

test('every WIT function named by an implemented row is used by the tests or the example guests', () => {
  const { functions } = witNames();
  const used = sourcesUnder(join(projectRoot, 'test')) + sourcesUnder(join(projectRoot, 'guest-examples'));
  for (const { row, names } of implementedRows()) {
    for (const name of names.filter((n) => functions.has(n))) {
      assert.ok(used.includes(camel(name)), `row ${row}: \`${name}\` (${camel(name)}) is not exercised by test/ or guest-examples/`);
    }
  }
});

test('every function of the package appears in the guide', () => {
  for (const fn of witNames().functions) {
    assert.ok(guide.includes(`\`${fn}\``), `POSIX-COMPAT.md does not mention \`${fn}\``);
  }
});

test('the guide has no TBD', () => {
  assert.not.match(guide, /\bTBD\b/);
});

test.run();
