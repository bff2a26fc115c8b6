// WIT ip-socket-address <-> the TS API's textual addresses.
import type { IpSocketAddress } from '../types/generated/interfaces/wasi-sockets-network.js';
import type { SocketAddress } from '../src/index.js';
import { HostError } from './errors.js';

export function fromWit(addr: IpSocketAddress): SocketAddress {
  if (addr.tag === 'ipv4') {
    const a = addr.val.address;
    if (a.length !== 4 || a.some((n) => !Number.isInteger(n) || n < 0 || n > 255)) throw new HostError('invalid-argument');
    return { family: 'ipv4', address: a.join('.'), port: addr.val.port };
  }
  const a = addr.val.address;
  if (a.length !== 8 || a.some((n) => !Number.isInteger(n) || n < 0 || n > 0xffff)) throw new HostError('invalid-argument');
  return { family: 'ipv6', address: a.map((n) => n.toString(16)).join(':'), port: addr.val.port };
}

export function toWit(addr: SocketAddress): IpSocketAddress {
  if (addr.family === 'ipv4') {
    const parts = addr.address.split('.').map(Number);
    return { tag: 'ipv4', val: { address: [parts[0], parts[1], parts[2], parts[3]], port: addr.port } };
  }
  return { tag: 'ipv6', val: { address: expandIpv6(addr.address), port: addr.port, flowInfo: 0, scopeId: 0 } };
}

export function expandIpv6(text: string): [number, number, number, number, number, number, number, number] {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const parse = (s: string | undefined) => (s ? s.split(':').filter(Boolean) : []);
  const headParts = parse(head);
  const tailParts = parse(tail);
  // An embedded IPv4 tail (::ffff:1.2.3.4) counts as two groups.
  const groups = (parts: string[]) => parts.flatMap((p) => {
    if (!p.includes('.')) return [parseInt(p, 16)];
    const [a, b, c, d] = p.split('.').map(Number);
    return [(a << 8) | b, (c << 8) | d];
  });
  const h = groups(headParts);
  const t = groups(tailParts);
  const zeros = tail === undefined ? [] : new Array(8 - h.length - t.length).fill(0);
  const all = [...h, ...zeros, ...t];
  return [all[0], all[1], all[2], all[3], all[4], all[5], all[6], all[7]];
}
