// WIT ip-socket-address <-> the byte form the TS API and the addon take (src/addresses/sockaddr.ts): each
// address is converted once on its way in and once on its way out, flow info and scope id included.
import type { IpSocketAddress } from '../types/generated/interfaces/wasi-sockets-network.js';
import {
  familyOf, flowInfoOf, ipOf, portOf, scopeIdOf, sockaddrV4, sockaddrV6, type Sockaddr,
} from '../src/index.js';
import { HostError } from './errors.js';

const isU = (n: unknown, max: number): boolean => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= max;

/** A malformed value (a host embedding us may pass anything) is invalid-argument. */
export function fromWit(addr: IpSocketAddress): Sockaddr {
  const val = (addr as { val?: { address?: unknown; port?: unknown; flowInfo?: unknown; scopeId?: unknown } } | null)?.val;
  const address = val?.address;
  if (!Array.isArray(address) || !isU(val!.port, 0xffff)) throw new HostError('invalid-argument');
  if (addr.tag === 'ipv4') {
    if (address.length !== 4 || !address.every((n) => isU(n, 0xff))) throw new HostError('invalid-argument');
    return sockaddrV4(address as number[], val!.port as number);
  }
  if (addr.tag !== 'ipv6' || address.length !== 8 || !address.every((n) => isU(n, 0xffff))) {
    throw new HostError('invalid-argument');
  }
  const flowInfo = val!.flowInfo ?? 0;
  const scopeId = val!.scopeId ?? 0;
  if (!isU(flowInfo, 0xffffffff) || !isU(scopeId, 0xffffffff)) throw new HostError('invalid-argument');
  const bytes = new Uint8Array(16);
  (address as number[]).forEach((group, i) => {
    bytes[2 * i] = group >> 8;
    bytes[2 * i + 1] = group & 0xff;
  });
  return sockaddrV6(bytes, val!.port as number, flowInfo as number, scopeId as number);
}

export function toWit(sa: Sockaddr): IpSocketAddress {
  const ip = ipOf(sa);
  const port = portOf(sa);
  if (familyOf(sa) === 'ipv4') return { tag: 'ipv4', val: { address: [ip[0], ip[1], ip[2], ip[3]], port } };
  const g = (i: number) => (ip[2 * i] << 8) | ip[2 * i + 1];
  return {
    tag: 'ipv6',
    val: { address: [g(0), g(1), g(2), g(3), g(4), g(5), g(6), g(7)], port, flowInfo: flowInfoOf(sa), scopeId: scopeIdOf(sa) },
  };
}
