// The `network` capability and socket addresses.
import type { IpSocketAddress } from 'sctp:sockets/sctp@0.1.0';
import { instanceNetwork } from 'wasi:sockets/instance-network@0.2.12';
import type { Network } from 'wasi:sockets/network@0.2.12';

let network: Network | undefined;
/**
 * The default network. componentize-js bug #221 (0.22 and 0.23): `instanceNetwork()` refers to a
 * class its bindings never define, because `network` is a resource without methods. The bindings
 * run in their own global, which the Function constructor of one of their functions reaches;
 * defining the class there first lets the call succeed.
 */
export function getNetwork(): Network {
  if (!network) {
    const bindingsGlobal = (instanceNetwork.constructor as FunctionConstructor)('return globalThis')() as Record<string, unknown>;
    const missing = 'import_network_0_2_12$Network';
    if (!(missing in bindingsGlobal)) bindingsGlobal[missing] = class Network {};
    network = instanceNetwork();
  }
  return network;
}

export function ipv4(address: string, port: number): IpSocketAddress {
  const [a, b, c, d] = address.split('.').map(Number);
  return { tag: 'ipv4', val: { address: [a, b, c, d], port } };
}

export function formatAddress(addr: IpSocketAddress): string {
  return addr.tag === 'ipv4' ? `${addr.val.address.join('.')}:${addr.val.port}` : `[${addr.val.address.map((n) => n.toString(16)).join(':')}]:${addr.val.port}`;
}
