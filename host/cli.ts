#!/usr/bin/env node
// wasm-sctp run <component.wasm> [--udp-port N|auto|raw] [--] [args...]
import { runComponent } from './run.js';
import { transpileComponent } from './transpile.js';

const usage = `usage:
  wasm-sctp run <component.wasm> [--udp-port <port>|auto|raw] [--] [args...]
      Runs a command component (wasi:cli/run) with the SCTP host and preview2-shim.
      --udp-port  local UDP port for SCTP over UDP (RFC 6951); default: auto (a free port;
                  also WASM_SCTP_UDP_PORT); raw: plain SCTP over IP (root only)
  wasm-sctp transpile <component.wasm>
      Transpiles into the cache and prints the generated module's path.`;

function fail(message: string): never {
  console.error(message);
  console.error(usage);
  process.exit(2);
}

const [command, ...rest] = process.argv.slice(2);
if (command === 'run') {
  const component = rest.shift() ?? fail('missing component');
  let udpPort: number | 'auto' | 'raw' | undefined;
  while (rest.length && rest[0].startsWith('--')) {
    const flag = rest.shift()!;
    if (flag === '--') break;
    if (flag === '--udp-port') {
      const value = rest.shift() ?? fail('--udp-port needs a value');
      udpPort = value === 'auto' || value === 'raw' ? value : Number(value);
      if (typeof udpPort === 'number' && !(Number.isInteger(udpPort) && udpPort > 0 && udpPort < 65536)) fail(`bad --udp-port ${value}`);
    } else fail(`unknown option ${flag}`);
  }
  const { exitCode } = await runComponent(component, rest, { udpPort });
  process.exit(exitCode);
} else if (command === 'transpile') {
  console.log(transpileComponent(rest[0] ?? fail('missing component')).module);
} else {
  fail(command ? `unknown command ${command}` : 'missing command');
}
