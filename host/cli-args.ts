// The command line of `wasm-sctp run`: host options before or after the component, the guest's
// arguments after it (or after `--` when they start with a dash).
import type { Direction, PolicySetting } from './policy.js';

/** A command line that cannot mean anything: the CLI prints the message, one line, and exits with 2. */
export class UsageError extends Error {}

export interface RunCommand {
  component: string;
  udpPort?: number | 'auto' | 'raw';
  policy: PolicySetting;
  verbose: boolean;
  guestArgs: string[];
}

const ALLOW_FLAGS: Record<string, Direction> = { '--allow-bind': 'bind', '--allow-connect': 'connect', '--allow-accept': 'accept' };

export function parseRunArgs(argv: readonly string[]): RunCommand {
  const rest = [...argv];
  let component: string | undefined;
  let udpPort: RunCommand['udpPort'];
  let allowAll = false;
  let verbose = false;
  const rules: Partial<Record<Direction, string[]>> = {};
  const value = (flag: string, what: string): string => {
    const v = rest.shift();
    if (v === undefined || (v.startsWith('--') && v !== '--')) throw new UsageError(`${flag} needs ${what}`);
    return v;
  };
  while (rest.length) {
    const arg = rest[0];
    if (arg === '--') {
      rest.shift();
      if (component === undefined) component = rest.shift(); // `run -- guest.wasm args`
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      if (component !== undefined) break; // the guest's first argument
      component = rest.shift()!;
      continue;
    }
    rest.shift();
    if (arg === '--udp-port') {
      const v = value(arg, 'a port, auto or raw');
      udpPort = v === 'auto' || v === 'raw' ? v : Number(v);
      if (typeof udpPort === 'number' && !(Number.isInteger(udpPort) && udpPort > 0 && udpPort < 65536)) {
        throw new UsageError(`bad --udp-port ${v} (a port 1-65535, auto or raw)`);
      }
    } else if (arg === '--allow-all') {
      allowAll = true;
    } else if (ALLOW_FLAGS[arg]) {
      const list = (rules[ALLOW_FLAGS[arg]] ??= []);
      for (const rule of value(arg, 'rules (or none)').split(',').map((r) => r.trim()).filter(Boolean)) if (rule !== 'none') list.push(rule);
    } else if (arg === '--verbose' || arg === '-v') {
      verbose = true;
    } else if (component === undefined) {
      throw new UsageError(`unknown option ${arg} (host options and then the component: wasm-sctp run [options] <component.wasm> [args...])`);
    } else {
      throw new UsageError(`unknown option ${arg}: a guest argument that starts with a dash goes after --, as in wasm-sctp run ${component} -- ${[arg, ...rest].join(' ')}`);
    }
  }
  if (component === undefined) throw new UsageError('missing the component to run: wasm-sctp run [options] <component.wasm> [args...]');
  if (allowAll && Object.keys(rules).length) throw new UsageError('--allow-all cannot be combined with --allow-bind/--allow-connect/--allow-accept');
  return { component, udpPort, policy: allowAll ? 'allow-all' : rules, verbose, guestArgs: rest };
}
