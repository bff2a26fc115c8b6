// Generates the host-side TypeScript declarations of the WIT imports (types/generated), which
// host/ is type-checked against, and the guest-side module declarations (guest-examples/types).
import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const jco = join(root, 'node_modules', '@bytecodealliance', 'jco', 'dist', 'jco.js');
const run = (args) => execFileSync(process.execPath, [jco, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });

rmSync(join(root, 'types', 'generated'), { recursive: true, force: true });
run(['types', 'wit', '-n', 'command', '-o', 'types/generated']);
rmSync(join(root, 'guest-examples', 'types'), { recursive: true, force: true });
run(['guest-types', 'wit', '-n', 'command', '-o', 'guest-examples/types']);
console.log('wit-types: types/generated (host) and guest-examples/types (guests) generated from wit/');
