// Run inside a network namespace whose interface `argv[2]` (an ifindex) has the link-local address
// fe80::1 (test/addresses.test.ts makes it): a host socket binds that address with its scope id and
// listens, another binds it too and connects to the first, and what the WIT calls report comes out
// as one line of JSON. (usrsctp sends to a link-local peer only from a link-local address: a
// wildcard-bound socket never sends the INIT.)
import { createSctpSocket } from '../../host/sctp-socket.js';
import { hostConfig } from '../../host/config.js';
import { sctp } from '../../host/imports.js';
import type { IpSocketAddress } from '../../types/generated/interfaces/wasi-sockets-network.js';
import { isHostError, network } from './host.js';

const scopeId = Number(process.argv[2]);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Calls `f` until it does not fail with would-block (at most 5 s). */
async function settled<T>(f: () => T): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return f();
    } catch (e) {
      if (!isHostError(e) || e.payload !== 'would-block' || i > 500) throw e;
      await sleep(10);
    }
  }
}

hostConfig.configure({ policy: 'allow-all' });
const linkLocal: IpSocketAddress = { tag: 'ipv6', val: { address: [0xfe80, 0, 0, 0, 0, 0, 0, 1], port: 0, flowInfo: 0, scopeId } };
const server = createSctpSocket('ipv6', 'one-to-one');
server.startBind(network, linkLocal);
server.finishBind();
server.startListen();
server.finishListen();
const client = createSctpSocket('ipv6', 'one-to-one');
client.startBind(network, linkLocal);
client.finishBind();
const encaps = sctp.udpEncapsulationPort();
if (encaps !== undefined) client.setRemoteUdpEncapsPort({ tag: 'future' }, encaps);
client.startConnect(network, server.localAddress());
await settled(() => client.finishConnect());
const accepted = await settled(() => server.accept());
console.log(JSON.stringify({
  bound: server.localAddress(),
  connectedTo: client.remoteAddress(),
  peerPaths: client.remoteAddresses(undefined),
  acceptedOn: accepted.localAddress(),
}));
process.exit(0);
