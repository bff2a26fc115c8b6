import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root (this file runs as dist/bench/lib/paths.js). */
export const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const cliPath = join(projectRoot, 'dist', 'host', 'cli.js');
