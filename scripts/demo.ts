// npm run demo: an echo server component and an echo client component, each in its own process
// with its own SCTP stack, exchanging messages over several streams through the host.
import { LISTENING, startGuest } from '../test/harness/components.js';
import { exitWithin } from '../test/harness/processes.js';

const server = startGuest('echo-server', ['--connections', '1'], { onLine: (l) => console.log(`[server] ${l}`) });
const [, address, port, encaps] = await server.waitForLine(LISTENING);
const client = startGuest('echo-client', [address, port, encaps, '--messages', '24', '--streams', '4'], {
  onLine: (l) => console.log(`[client] ${l}`),
});
const clientCode = await exitWithin(client, 60_000);
const serverCode = await exitWithin(server, 10_000);
console.log(clientCode === 0 && serverCode === 0 ? 'demo: every echo verified' : `demo: FAILED (client ${clientCode}, server ${serverCode})`);
process.exit(clientCode === 0 && serverCode === 0 ? 0 : 1);
