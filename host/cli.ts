#!/usr/bin/env node
// wasm-sctp run [options] <component.wasm> [options] [--] [args...]
// Every failure the person at the terminal can fix is one line on stderr, without a stack trace.
import { readFileSync } from 'node:fs';
import { subscribe } from 'node:diagnostics_channel';
import { parseRunArgs, UsageError } from './cli-args.js';

const usage = (defaults: Record<string, readonly string[]>) => `usage:
  wasm-sctp run [options] <component.wasm> [options] [--] [args...]
      Runs a command component (wasi:cli/run) with the SCTP host and preview2-shim; the
      arguments after the component (after -- when they start with a dash) go to the guest.
      --udp-port       local UDP port for SCTP over UDP (RFC 6951); default: auto (a free port;
                       also WASM_SCTP_UDP_PORT); raw: plain SCTP over IP (root only)
      --allow-bind     local addresses the guest may bind (explicitly, or implicitly by a
                       connect: the wildcard address with port 0)
      --allow-connect  peers the guest may connect or send to
      --allow-accept   peers whose associations the guest's listening sockets may take
                       (others are aborted, unseen by the guest)
      --allow-all      no network restriction at all
      -v, --verbose    print each network policy denial to stderr
      RULES: comma-separated ADDRESS[/PREFIX][:PORT[-PORT]] (IPv6 in brackets when a port
      follows: [fd00::/8]:443), or any, loopback, wildcard (0.0.0.0 and ::), none. A flag may be
      repeated; a direction given replaces its default, the others keep theirs. Anything else is
      access-denied. Default: --allow-bind ${defaults.bind.join(',')} --allow-connect ${defaults.connect.join(',')} --allow-accept ${defaults.accept.join(',')}
  wasm-sctp transpile <component.wasm>
      Transpiles into the cache and prints the generated module's path.
  wasm-sctp --help | --version

SIGINT and SIGTERM end the guest's associations first (SHUTDOWN; ABORT for those not done within
$WASM_SCTP_EXIT_LINGER_MS, default 2000 ms), then the process; a second signal ends it at once.

Transpiled components are cached in $WASM_SCTP_CACHE_DIR, else $XDG_CACHE_HOME/wasm-sctp or
~/.cache/wasm-sctp.`;

function version(): string {
  return (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** The host's modules load the native addon: imported only once the command line makes sense. */
async function loadHost() {
  try {
    const [run, transpile, policy, diagnostics] = await Promise.all([
      import('./run.js'), import('./transpile.js'), import('./policy.js'), import('./diagnostics.js'),
    ]);
    return { ...run, ...transpile, ...policy, ...diagnostics };
  } catch (e) {
    throw new Error(`cannot load the host (${(e as Error).message.split('\n')[0]}); if the native addon is missing, build it with: npm rebuild wasm-sctp`);
  }
}

let showStacks = false;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === '--version' || command === '-V') {
    console.log(version());
    return 0;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    console.log(usage((await loadHost()).DEFAULT_POLICY));
    return 0;
  }
  if (command === 'transpile') {
    if (rest.length !== 1) throw new UsageError('transpile takes one component: wasm-sctp transpile <component.wasm>');
    console.log((await loadHost()).transpileComponent(rest[0]).module);
    return 0;
  }
  if (command !== 'run') {
    if (command === undefined) throw new UsageError('missing command: wasm-sctp run <component.wasm> [args...] (or --help)');
    if (command.endsWith('.wasm')) throw new UsageError(`unknown command ${command}; to run it: wasm-sctp run ${[command, ...rest].join(' ')}`);
    throw new UsageError(`unknown command ${command} (run, transpile, --help, --version)`);
  }
  const run = parseRunArgs(rest);
  const host = await loadHost();
  showStacks = run.verbose;
  try {
    new host.NetworkPolicy(run.policy);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (run.verbose) {
    subscribe(host.policyDenials.name, (message) => {
      const { direction, address } = message as import('./diagnostics.js').PolicyDenial;
      console.error(`wasm-sctp: network policy denied ${direction} ${host.formatAddress(address)} (${host.networkPolicy().describe()})`);
    });
  }
  let hinted = false;
  subscribe(host.connectRefusals.name, (message) => {
    if (hinted) return;
    hinted = true;
    const { udpPort } = message as import('./diagnostics.js').ConnectRefusal;
    console.error(`wasm-sctp: hint: a connect was refused, and the socket had no remote UDP encapsulation port. This host runs SCTP over UDP (its port: ${udpPort}); a peer is reached at its own UDP port, which the guest sets with set-remote-udp-encaps-port (or run both ends with --udp-port raw)`);
  });
  try {
    const { exitCode } = await host.runComponent(run.component, run.guestArgs, { udpPort: run.udpPort, policy: run.policy, endOnSignals: true });
    return exitCode;
  } catch (e) {
    // A component path that does not exist, followed by one that looks like a component: the order is wrong.
    const later = run.guestArgs.find((a) => a.endsWith('.wasm'));
    if (e instanceof host.RunError && later && /no such file/.test(e.message)) {
      throw new UsageError(`${e.message}; the component comes first: wasm-sctp run [options] ${later} [args...]`);
    }
    throw e;
  }
}

// The guest may leave sockets, the stack's threads and the IO worker behind: exit explicitly.
try {
  process.exit(await main(process.argv.slice(2)));
} catch (e) {
  // Errors this CLI expects are one line; anything else is a bug, whose stack --verbose shows.
  console.error(`wasm-sctp: ${e instanceof Error ? e.message : String(e)}`);
  if (showStacks && e instanceof Error && !(e instanceof UsageError) && e.name !== 'RunError') console.error(e.stack);
  process.exit(e instanceof UsageError ? 2 : 1);
}
