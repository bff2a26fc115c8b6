// Generates the host-side TypeScript declarations of the WIT imports (types/generated), which
// host/ is type-checked against and the package's host typings import (dist/host/*.d.ts name
// them by the same relative path, so a copy goes to dist/types/generated), and the guest-side module declarations (guest/types), which
// ship with wasm-sctp/guest and type-check the guests.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const jco = join(root, 'node_modules', '@bytecodealliance', 'jco', 'dist', 'jco.js');
const run = (args) => execFileSync(process.execPath, [jco, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });

rmSync(join(root, 'types', 'generated'), { recursive: true, force: true });
run(['types', 'wit', '-n', 'command', '-o', 'types/generated']);
rmSync(join(root, 'dist', 'types', 'generated'), { recursive: true, force: true });
cpSync(join(root, 'types', 'generated'), join(root, 'dist', 'types', 'generated'), { recursive: true });
rmSync(join(root, 'guest', 'types'), { recursive: true, force: true });
run(['guest-types', 'wit', '-n', 'command', '-o', 'guest/types']);
console.log('wit-types: types/generated (host) and guest/types (guests) generated from wit/');
