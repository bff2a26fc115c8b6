// The Node-side peer of the tests and benchmarks: one program on the TypeScript API (no
// WebAssembly), in a process of its own with its own SCTP stack, in one of these modes:
//   echo      listeners that echo every message: the peer of guests and of the fuzz, leak and
//             packet tests (echo.ts)
//   server    a one-to-one server on one or more addresses that reports what it sees and obeys
//             control messages: the far host of the two-host tests (server.ts)
//   send      the benchmark's lane (b): as many messages as the association takes (send.ts)
//   stream    the multihome guest's `stream` scenario without WebAssembly (stream.ts)
//   clients   many one-to-one clients at once, each checking its answers (clients.ts)
//   tcp-sink  the receiver of the benchmark's TCP lanes (tcp-sink.ts)
// A mode is a file of its own where it stands in for something that differs: an echo serves any
// number of associations and never ends by itself; the server takes one and reports it; the two
// senders print what the sender they replace prints (the C sender's `event` lines, the guest's
// `case` lines) and pace differently; the clients hold thousands of associations; the sink is TCP.
// What they share is here and in args.ts: the command line, JSON lines on stdout, and the end:
// exit 0 when the mode is done, or an {"event":"error"} line and exit 1.
//
//   node dist/test/harness/peers/peer.js <mode> [--option value ...]   (start.ts starts it)
import { Args, emit } from './args.js';

const MODES: Record<string, () => Promise<{ run(args: Args): Promise<void> | void }>> = {
  echo: () => import('./echo.js'),
  server: () => import('./server.js'),
  send: () => import('./send.js'),
  stream: () => import('./stream.js'),
  clients: () => import('./clients.js'),
  'tcp-sink': () => import('./tcp-sink.js'),
};

const [mode, ...rest] = process.argv.slice(2);
const load = MODES[mode];
if (!load) {
  console.error(`usage: peer.js ${Object.keys(MODES).join('|')} [--option value ...]`);
  process.exit(2);
}
try {
  await (await load()).run(new Args(rest));
  process.exit(0);
} catch (e) {
  const code = (e as { code?: string }).code;
  emit({ event: 'error', message: `${code ? `${code}: ` : ''}${e instanceof Error ? e.message : String(e)}` });
  console.error(e);
  process.exit(1);
}
