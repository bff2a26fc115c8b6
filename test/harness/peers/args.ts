// What every mode of the peer program shares: its command line and its JSON lines.

/** One JSON line on stdout. */
export function emit(o: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(o)}\n`);
}

/** The mode's arguments: `--name value` options (`--name` alone is a flag) and positional words. */
export class Args {
  readonly positional: string[] = [];
  readonly #options = new Map<string, string>();

  constructor(argv: string[]) {
    for (let i = 0; i < argv.length; i++) {
      if (!argv[i].startsWith('--')) { this.positional.push(argv[i]); continue; }
      const value = argv[i + 1];
      const flag = value === undefined || value.startsWith('--');
      this.#options.set(argv[i].slice(2), flag ? 'true' : value);
      if (!flag) i++;
    }
  }

  has(name: string): boolean {
    return this.#options.has(name);
  }

  text(name: string, fallback?: string): string {
    const value = this.#options.get(name) ?? fallback;
    if (value === undefined) throw new Error(`--${name} is missing`);
    return value;
  }

  number(name: string, fallback?: number): number {
    const value = Number(this.text(name, fallback === undefined ? undefined : String(fallback)));
    if (!Number.isFinite(value)) throw new Error(`--${name} wants a number`);
    return value;
  }

  /** A comma-separated list (empty when absent). */
  list(name: string): string[] {
    return (this.#options.get(name) ?? '').split(',').filter(Boolean);
  }
}
