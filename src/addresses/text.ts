/**
 * Socket addresses as text, the form the Node API takes and returns (`SocketAddress`), and its conversion to and
 * from the byte form (sockaddr.ts). Nothing else in the project parses or prints address text.
 */
import { isIPv4, isIPv6 } from 'node:net';
import { SctpError } from '../errors.js';
import {
  familyOf, forStack, ipOf, listForStack, portOf, scopeIdOf, sockaddrV4, sockaddrV6, type AddressForm,
  type IpAddressFamily, type Sockaddr,
} from './sockaddr.js';

export interface SocketAddress {
  family: IpAddressFamily;
  /** Numeric address: dotted quad, or IPv6 text (an optional `%scope` suffix must be a numeric scope id). */
  address: string;
  port: number;
}

function invalid(message: string): SctpError {
  return new SctpError('invalid-argument', message);
}

/** The 4 or 16 bytes of a numeric IPv4 or IPv6 address (no scope suffix); undefined when it is neither. */
export function ipFromText(text: string): Uint8Array | undefined {
  if (isIPv4(text)) return Uint8Array.from(text.split('.').map(Number));
  if (!isIPv6(text) || text.includes('%')) return undefined;
  const out = new Uint8Array(16);
  const [head, tail] = text.includes('::') ? text.split('::', 2) : [text, undefined];
  const words = (part: string): number[] => part === '' ? [] : part.split(':').flatMap((piece) => {
    if (!piece.includes('.')) return [parseInt(piece, 16)];
    const [a, b, c, d] = piece.split('.').map(Number);
    return [(a << 8) | b, (c << 8) | d];
  });
  const h = words(head);
  const t = tail === undefined ? [] : words(tail);
  const all = tail === undefined ? h : [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
  all.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

/** RFC 5952 text of 4 or 16 address bytes (as inet_ntop prints it). */
export function ipToText(ip: Uint8Array): string {
  if (ip.length === 4) return ip.join('.');
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push((ip[2 * i] << 8) | ip[2 * i + 1]);
  if (w.slice(0, 5).every((x) => x === 0) && w[5] === 0xffff) return `::ffff:${ip.subarray(12).join('.')}`;
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8;) {
    if (w[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && w[j] === 0) j++;
    if (j - i > bestLen && j - i >= 2) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = (a: number[]) => a.map((x) => x.toString(16)).join(':');
  if (bestStart < 0) return hex(w);
  return `${hex(w.slice(0, bestStart))}::${hex(w.slice(bestStart + bestLen))}`;
}

/** SocketAddress <-> the byte form. */
export const TEXT_FORM: AddressForm<SocketAddress> = {
  toSockaddr(value) {
    if (typeof value !== 'object' || value === null) throw invalid('address must be an object');
    const a = value as Partial<SocketAddress>;
    if (a.family !== 'ipv4' && a.family !== 'ipv6') throw invalid("address.family must be 'ipv4' or 'ipv6'");
    if (typeof a.address !== 'string') throw invalid('address.address must be a string');
    if (typeof a.port !== 'number' || !Number.isInteger(a.port) || a.port < 0 || a.port > 65535) {
      throw invalid('address.port must be an integer 0..65535');
    }
    const [host, scope] = a.address.split('%', 2);
    const ip = ipFromText(a.family === 'ipv6' ? host : a.address);
    if (ip === undefined || ip.length !== (a.family === 'ipv4' ? 4 : 16)) throw invalid(`not an ${a.family} address: ${a.address}`);
    if (ip.length === 4) return sockaddrV4(ip, a.port);
    if (scope !== undefined && (!/^\d{1,10}$/.test(scope) || Number(scope) > 0xffffffff)) {
      throw invalid('the IPv6 scope must be a numeric id');
    }
    return sockaddrV6(ip, a.port, 0, Number(scope ?? 0));
  },
  fromSockaddr(sa) {
    const family = familyOf(sa)!;
    const scope = scopeIdOf(sa);
    const text = ipToText(ipOf(sa));
    return { family, address: scope ? `${text}%${scope}` : text, port: portOf(sa) };
  },
};

/** The wildcard address of a family (0.0.0.0 / ::). */
export function wildcard(family: IpAddressFamily, port = 0): SocketAddress {
  return { family, address: family === 'ipv4' ? '0.0.0.0' : '::', port };
}

/**
 * Checks an address for a socket of `family`, as the socket's own calls do: for binding (`remote` false) or for
 * reaching a peer (`remote` true; not the wildcard address, not port 0). Returns the address the stack will use.
 */
export function validateAddress(value: unknown, family: IpAddressFamily, remote: boolean): SocketAddress {
  return TEXT_FORM.fromSockaddr(forStack(TEXT_FORM.toSockaddr(value as SocketAddress), family, remote ? 'remote' : 'local'));
}

/** Checks a list of addresses for sctp_bindx / sctp_connectx (see listForStack). */
export function validateAddressList(value: unknown, family: IpAddressFamily, remote: boolean): SocketAddress[] {
  const convert = (a: unknown) => TEXT_FORM.toSockaddr(a as SocketAddress);
  return listForStack(value, family, remote ? 'remote' : 'local', convert).map(TEXT_FORM.fromSockaddr);
}

/** T with its addresses in form A: T itself for text, the byte form where a socket works in bytes. */
export type InForm<T, A> = A extends SocketAddress ? T : Reform<T, A>;
type Reform<T, A> = T extends SocketAddress ? A
  : T extends ((...args: never[]) => unknown) | Uint8Array ? T
  : T extends object ? { [K in keyof T]: Reform<T[K], A> } : T;
