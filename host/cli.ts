#!/usr/bin/env node
// wasm-sctp run <component.wasm> [--udp-port N|auto|raw] [--allow-* RULES] [--] [args...]
import { runComponent } from './run.js';
import { transpileComponent } from './transpile.js';
import { DEFAULT_POLICY, NetworkPolicy, type Direction, type PolicySetting } from './policy.js';

const usage = `usage:
  wasm-sctp run <component.wasm> [--udp-port <port>|auto|raw] [--allow-all]
                [--allow-bind RULES] [--allow-connect RULES] [--allow-accept RULES] [--] [args...]
      Runs a command component (wasi:cli/run) with the SCTP host and preview2-shim.
      --udp-port       local UDP port for SCTP over UDP (RFC 6951); default: auto (a free port;
                       also WASM_SCTP_UDP_PORT); raw: plain SCTP over IP (root only)
      --allow-bind     local addresses the guest may bind (explicitly, or implicitly: the
                       wildcard address with port 0)
      --allow-connect  peers the guest may connect or send to
      --allow-accept   peers whose associations the guest's listening sockets may take
                       (others are aborted, unseen by the guest)
      --allow-all      no network restriction at all
      RULES: comma-separated ADDRESS[/PREFIX][:PORT[-PORT]] (IPv6 in brackets when a port
      follows: [fd00::/8]:443), or any, loopback, wildcard (0.0.0.0 and ::), none. A flag may be
      repeated; a direction given replaces its default, the others keep theirs. Anything else is
      access-denied. Default: --allow-bind ${DEFAULT_POLICY.bind.join(',')} --allow-connect ${DEFAULT_POLICY.connect.join(',')} --allow-accept ${DEFAULT_POLICY.accept.join(',')}
  wasm-sctp transpile <component.wasm>
      Transpiles into the cache and prints the generated module's path.`;

function fail(message: string): never {
  console.error(message);
  console.error(usage);
  process.exit(2);
}

const ALLOW_FLAGS: Record<string, Direction> = { '--allow-bind': 'bind', '--allow-connect': 'connect', '--allow-accept': 'accept' };

const [command, ...rest] = process.argv.slice(2);
if (command === 'run') {
  const component = rest.shift() ?? fail('missing component');
  let udpPort: number | 'auto' | 'raw' | undefined;
  let allowAll = false;
  const rules: Partial<Record<Direction, string[]>> = {};
  while (rest.length && rest[0].startsWith('--')) {
    const flag = rest.shift()!;
    if (flag === '--') break;
    if (flag === '--udp-port') {
      const value = rest.shift() ?? fail('--udp-port needs a value');
      udpPort = value === 'auto' || value === 'raw' ? value : Number(value);
      if (typeof udpPort === 'number' && !(Number.isInteger(udpPort) && udpPort > 0 && udpPort < 65536)) fail(`bad --udp-port ${value}`);
    } else if (flag === '--allow-all') {
      allowAll = true;
    } else if (ALLOW_FLAGS[flag]) {
      const value = rest.shift() ?? fail(`${flag} needs rules (or none)`);
      const list = (rules[ALLOW_FLAGS[flag]] ??= []);
      for (const rule of value.split(',').map((r) => r.trim()).filter(Boolean)) if (rule !== 'none') list.push(rule);
    } else fail(`unknown option ${flag}`);
  }
  if (allowAll && Object.keys(rules).length) fail('--allow-all cannot be combined with --allow-bind/--allow-connect/--allow-accept');
  const policy: PolicySetting = allowAll ? 'allow-all' : rules;
  try {
    new NetworkPolicy(policy);
  } catch (e) {
    fail((e as Error).message);
  }
  const { exitCode } = await runComponent(component, rest, { udpPort, policy });
  process.exit(exitCode);
} else if (command === 'transpile') {
  console.log(transpileComponent(rest[0] ?? fail('missing component')).module);
} else {
  fail(command ? `unknown command ${command}` : 'missing command');
}
