/**
 * Socket addresses: the public `SocketAddress` shape, validation (bad input -> invalid-argument), conversion to and
 * from the addon's `{family: 4 | 6, address, port}`, and encoding into / decoding from `struct sockaddr_storage`
 * inside option structs (layouts from the addon's offsets, never guessed).
 */
import { isIPv4, isIPv6 } from 'node:net';
import { endianness } from 'node:os';
import { SctpError } from './errors.js';
import { C, SIZES, offsetOf, type NativeAddress } from './native.js';

export type IpAddressFamily = 'ipv4' | 'ipv6';

export interface SocketAddress {
  family: IpAddressFamily;
  /** Numeric address: dotted quad, or IPv6 text (an optional `%scope` suffix must be a numeric scope id). */
  address: string;
  port: number;
}

export function familyNumber(family: IpAddressFamily): 4 | 6 {
  return family === 'ipv4' ? 4 : 6;
}

export function fromNative(a: NativeAddress): SocketAddress {
  return { family: a.family === 4 ? 'ipv4' : 'ipv6', address: a.address, port: a.port };
}

/** The wildcard address of a family (0.0.0.0 / ::). */
export function wildcard(family: IpAddressFamily, port = 0): SocketAddress {
  return { family, address: family === 'ipv4' ? '0.0.0.0' : '::', port };
}

export function isWildcard(a: SocketAddress): boolean {
  return a.family === 'ipv4' ? a.address === '0.0.0.0' : ipv6Bytes(a.address).every((b) => b === 0);
}

function invalid(what: string): SctpError {
  return new SctpError('invalid-argument', what);
}

/**
 * Checks a SocketAddress for use on a socket of `family`:
 * - the family must match, the text must be a numeric address of that family, the port an integer 0..65535;
 * - IPv4-mapped IPv6 addresses and multicast addresses are rejected (as wasi:sockets does);
 * - for connect (`remote: true`): the wildcard address and port 0 are rejected too.
 */
export function validateAddress(value: unknown, family: IpAddressFamily, remote: boolean): SocketAddress {
  if (typeof value !== 'object' || value === null) throw invalid('address must be an object');
  const a = value as Partial<SocketAddress>;
  if (a.family !== 'ipv4' && a.family !== 'ipv6') throw invalid("address.family must be 'ipv4' or 'ipv6'");
  if (a.family !== family) throw invalid(`address family ${a.family} does not match the socket's ${family}`);
  if (typeof a.address !== 'string') throw invalid('address.address must be a string');
  if (typeof a.port !== 'number' || !Number.isInteger(a.port) || a.port < 0 || a.port > 65535) {
    throw invalid('address.port must be an integer 0..65535');
  }
  let bytes: Uint8Array;
  if (a.family === 'ipv4') {
    if (!isIPv4(a.address)) throw invalid(`not an IPv4 address: ${a.address}`);
    bytes = ipv4Bytes(a.address);
    if (bytes[0] >= 224 && bytes[0] <= 239) throw invalid('multicast addresses are not allowed');
    if (bytes.every((b) => b === 255)) throw invalid('the broadcast address is not allowed');
  } else {
    const [host, scope] = a.address.split('%', 2);
    if (!isIPv6(host)) throw invalid(`not an IPv6 address: ${a.address}`);
    if (scope !== undefined && !/^\d{1,10}$/.test(scope)) throw invalid('the IPv6 scope must be a numeric id');
    bytes = ipv6Bytes(host);
    if (bytes[0] === 0xff) throw invalid('multicast addresses are not allowed');
    if (bytes.subarray(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
      throw invalid('IPv4-mapped IPv6 addresses are not allowed');
    }
  }
  if (remote) {
    if (bytes.every((b) => b === 0)) throw invalid('cannot connect to the wildcard address');
    if (a.port === 0) throw invalid('cannot connect to port 0');
  }
  return { family: a.family, address: a.address, port: a.port };
}

/** The most addresses one add-local-addresses, remove-local-addresses or start-connectx call takes. */
export const MAX_ADDRESS_LIST = 64;

/**
 * Checks a list of addresses for sctp_bindx / sctp_connectx: 1..MAX_ADDRESS_LIST addresses, each valid for the
 * socket (validateAddress), no address twice, and one port for all, since an SCTP endpoint has one port whatever
 * its addresses. For local addresses a port of 0 stands for the common port (or the one the stack picks); for
 * remote ones every port must be the same non-zero port. Returns the addresses with the common port filled in.
 */
export function validateAddressList(value: unknown, family: IpAddressFamily, remote: boolean): SocketAddress[] {
  if (!Array.isArray(value)) throw invalid('addresses must be an array');
  if (value.length === 0) throw invalid('the address list is empty');
  if (value.length > MAX_ADDRESS_LIST) throw invalid(`at most ${MAX_ADDRESS_LIST} addresses per call`);
  const list = value.map((a) => validateAddress(a, family, remote));
  const ports = new Set(list.map((a) => a.port).filter((p) => p !== 0));
  if (ports.size > 1) throw invalid('all addresses must have the same port (an SCTP endpoint has one port)');
  const port = ports.size === 1 ? [...ports][0] : 0;
  list.forEach((a, i) => {
    if (list.findIndex((b) => sameAddress(a, b)) !== i) throw invalid(`address ${a.address} is listed twice`);
  });
  return list.map((a) => ({ ...a, port }));
}

/** Whether two addresses of one family name the same host address (ports aside; textual forms may differ). */
export function sameAddress(a: SocketAddress, b: SocketAddress): boolean {
  if (a.family !== b.family) return false;
  const [x, y] = a.family === 'ipv4' ? [ipv4Bytes(a.address), ipv4Bytes(b.address)] : [ipv6Bytes(a.address), ipv6Bytes(b.address)];
  const scope = (t: string) => Number(t.split('%', 2)[1] ?? 0);
  return x.every((v, i) => v === y[i]) && (a.family === 'ipv4' || scope(a.address) === scope(b.address));
}

export function ipv4Bytes(text: string): Uint8Array {
  return Uint8Array.from(text.split('.').map(Number));
}

/** 16 bytes of an IPv6 address in text form (no scope suffix); accepts '::' and an IPv4 tail. */
export function ipv6Bytes(text: string): Uint8Array {
  const out = new Uint8Array(16);
  const host = text.split('%', 1)[0];
  let [head, tail] = host.includes('::') ? host.split('::', 2) : [host, undefined];
  const words = (part: string): number[] => {
    if (part === '') return [];
    const result: number[] = [];
    for (const piece of part.split(':')) {
      if (piece.includes('.')) {
        const v4 = ipv4Bytes(piece);
        result.push((v4[0] << 8) | v4[1], (v4[2] << 8) | v4[3]);
      } else {
        result.push(parseInt(piece, 16));
      }
    }
    return result;
  };
  const h = words(head);
  const t = tail === undefined ? [] : words(tail);
  const all = tail === undefined ? h : [...h, ...new Array(8 - h.length - t.length).fill(0), ...t];
  all.forEach((w, i) => {
    out[2 * i] = w >> 8;
    out[2 * i + 1] = w & 0xff;
  });
  return out;
}

/** RFC 5952 text of 16 address bytes (as inet_ntop prints it). */
export function ipv6Text(bytes: Uint8Array): string {
  const w: number[] = [];
  for (let i = 0; i < 8; i++) w.push((bytes[2 * i] << 8) | bytes[2 * i + 1]);
  if (w.slice(0, 5).every((x) => x === 0) && w[5] === 0xffff) {
    return `::ffff:${bytes[12]}.${bytes[13]}.${bytes[14]}.${bytes[15]}`;
  }
  let bestStart = -1;
  let bestLen = 0;
  for (let i = 0; i < 8; ) {
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

const LE = endianness() === 'LE';

/** Writes `a` as a struct sockaddr_in / sockaddr_in6 at `offset` of `buf` (a sockaddr_storage slot). */
export function encodeSockaddr(a: SocketAddress, buf: Buffer, offset: number): void {
  buf.fill(0, offset, offset + SIZES.sockaddr_storage);
  if (a.family === 'ipv4') {
    writeHost16(buf, C.AF_INET, offset + offsetOf('sockaddr_in.sin_family'));
    buf.writeUInt16BE(a.port, offset + offsetOf('sockaddr_in.sin_port'));
    buf.set(ipv4Bytes(a.address), offset + offsetOf('sockaddr_in.sin_addr'));
  } else {
    const [host, scope] = a.address.split('%', 2);
    writeHost16(buf, C.AF_INET6, offset + offsetOf('sockaddr_in6.sin6_family'));
    buf.writeUInt16BE(a.port, offset + offsetOf('sockaddr_in6.sin6_port'));
    buf.set(ipv6Bytes(host), offset + offsetOf('sockaddr_in6.sin6_addr'));
    const scopeOffset = offset + offsetOf('sockaddr_in6.sin6_scope_id');
    if (LE) buf.writeUInt32LE(Number(scope ?? 0), scopeOffset);
    else buf.writeUInt32BE(Number(scope ?? 0), scopeOffset);
  }
}

/** Reads a struct sockaddr_storage at `offset`; undefined for families other than IPv4/IPv6 (e.g. unset). */
export function decodeSockaddr(buf: Buffer, offset: number): SocketAddress | undefined {
  const family = readHost16(buf, offset + offsetOf('sockaddr_storage.ss_family'));
  if (family === C.AF_INET) {
    const p = offset + offsetOf('sockaddr_in.sin_addr');
    return {
      family: 'ipv4',
      address: `${buf[p]}.${buf[p + 1]}.${buf[p + 2]}.${buf[p + 3]}`,
      port: buf.readUInt16BE(offset + offsetOf('sockaddr_in.sin_port')),
    };
  }
  if (family === C.AF_INET6) {
    const p = offset + offsetOf('sockaddr_in6.sin6_addr');
    const scopeOffset = offset + offsetOf('sockaddr_in6.sin6_scope_id');
    const scope = LE ? buf.readUInt32LE(scopeOffset) : buf.readUInt32BE(scopeOffset);
    const text = ipv6Text(buf.subarray(p, p + 16));
    return {
      family: 'ipv6',
      address: scope ? `${text}%${scope}` : text,
      port: buf.readUInt16BE(offset + offsetOf('sockaddr_in6.sin6_port')),
    };
  }
  return undefined;
}

function writeHost16(buf: Buffer, v: number, offset: number): void {
  if (LE) buf.writeUInt16LE(v, offset);
  else buf.writeUInt16BE(v, offset);
}

function readHost16(buf: Buffer, offset: number): number {
  return LE ? buf.readUInt16LE(offset) : buf.readUInt16BE(offset);
}
