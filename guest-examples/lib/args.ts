import { getArguments } from 'wasi:cli/environment@0.2.12';

/** Positional arguments and `--name value` options of the command line (the program name is dropped). */
export function parseArgs(): { positional: string[]; options: Map<string, string> } {
  const args = getArguments().slice(1);
  const positional: string[] = [];
  const options = new Map<string, string>();
  for (let i = 0; i < args.length; i++) {
    if (args[i].startsWith('--')) options.set(args[i].slice(2), args[++i] ?? 'true');
    else positional.push(args[i]);
  }
  return { positional, options };
}

export function numberOption(options: Map<string, string>, name: string, fallback: number): number {
  const value = options.get(name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n)) throw new Error(`--${name} wants a number, got ${value}`);
  return n;
}
