// Fills wit/deps from the WASI 0.2 WIT that jco ships, so the versions always match the jco we transpile with.
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const WASI_VERSION = '0.2.12';
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// jco's package exports hide package.json; it is always installed at the project's top level.
const jcoDir = join(root, 'node_modules', '@bytecodealliance', 'jco');
const source = join(jcoDir, 'lib', 'wit', 'builtin', WASI_VERSION);
if (!existsSync(source)) {
  console.error(`wit-deps: jco has no bundled WASI ${WASI_VERSION} WIT at ${source}`);
  process.exit(1);
}
const target = join(root, 'wit', 'deps');
rmSync(target, { recursive: true, force: true });
mkdirSync(target, { recursive: true });
// wasi:http is not needed by anything we import or by wasi:cli/imports.
for (const name of readdirSync(source).filter((n) => n !== 'wasi-http')) {
  cpSync(join(source, name), join(target, name), { recursive: true });
}
console.log(`wit-deps: wit/deps <- jco ${WASI_VERSION} (${readdirSync(target).join(', ')})`);
