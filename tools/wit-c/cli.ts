#!/usr/bin/env node
// wit-c --wit <dir> --world <name> --out <dir> [--features a,b]
// Writes <world>.h and <world>.c (the C glue), and <world>.core.json: the core imports and exports
// the glue declares, with their core signatures.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generate } from './index.js';
import { snake } from './names.js';

const usage = 'usage: wit-c --wit <dir> --world <name> --out <dir> [--features a,b]';

function main(argv: string[]): void {
  const options = new Map<string, string>();
  for (let i = 0; i < argv.length; i += 2) {
    if (!argv[i].startsWith('--') || argv[i + 1] === undefined) throw new Error(usage);
    options.set(argv[i].slice(2), argv[i + 1]);
  }
  const wit = options.get('wit');
  const world = options.get('world');
  const out = options.get('out');
  if (!wit || !world || !out) throw new Error(usage);
  const generated = generate({ wit, world, features: options.get('features')?.split(',').filter(Boolean) });
  mkdirSync(out, { recursive: true });
  const stem = snake(world);
  writeFileSync(join(out, `${stem}.h`), generated.header);
  writeFileSync(join(out, `${stem}.c`), generated.source);
  writeFileSync(join(out, `${stem}.core.json`), `${JSON.stringify({ imports: generated.imports, exports: generated.exports }, null, 2)}\n`);
  console.log(`wit-c: ${join(out, `${stem}.h`)}, ${stem}.c: ${generated.imports.length} imports, ${generated.exports.length} exports`);
}

try {
  main(process.argv.slice(2));
} catch (e) {
  console.error(`wit-c: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
