/**
 * The byte form of socket addresses, the one the addon takes and reports: a struct sockaddr_in or sockaddr_in6,
 * byte for byte (layout from the addon's sizes and offsets, never guessed), port, flow info and IPv6 scope id
 * included. An address is converted into it once, where it enters (from text for Node users, from a WIT tuple in the
 * host), and out of it once, where it leaves; everything between (checks, the stack, option structs) reads the
 * bytes. The rules an address must follow for each use live here too.
 */
import { endianness } from 'node:os';
import { SctpError } from '../errors.js';
import { C, SIZES, offsetOf } from '../native.js';

/** A struct sockaddr_in or sockaddr_in6 (see the file's comment). */
export type Sockaddr = Uint8Array;

export type IpAddressFamily = 'ipv4' | 'ipv6';

const LE = endianness() === 'LE';

const V4 = {
  size: SIZES.sockaddr_in,
  family: offsetOf('sockaddr_in.sin_family'),
  port: offsetOf('sockaddr_in.sin_port'),
  address: offsetOf('sockaddr_in.sin_addr'),
};

const V6 = {
  size: SIZES.sockaddr_in6,
  family: offsetOf('sockaddr_in6.sin6_family'),
  port: offsetOf('sockaddr_in6.sin6_port'),
  flowInfo: offsetOf('sockaddr_in6.sin6_flowinfo'),
  address: offsetOf('sockaddr_in6.sin6_addr'),
  scopeId: offsetOf('sockaddr_in6.sin6_scope_id'),
};

function view(sa: Sockaddr): DataView {
  return new DataView(sa.buffer, sa.byteOffset, sa.byteLength);
}

function invalid(message: string): SctpError {
  return new SctpError('invalid-argument', message);
}

/** An IPv4 address (4 bytes) and port. */
export function sockaddrV4(address: ArrayLike<number>, port: number): Sockaddr {
  const sa = new Uint8Array(V4.size);
  const v = view(sa);
  v.setUint16(V4.family, C.AF_INET, LE);
  v.setUint16(V4.port, port);
  sa.set(address, V4.address);
  return sa;
}

/** An IPv6 address (16 bytes), port, flow info and scope id. */
export function sockaddrV6(address: ArrayLike<number>, port: number, flowInfo = 0, scopeId = 0): Sockaddr {
  const sa = new Uint8Array(V6.size);
  const v = view(sa);
  v.setUint16(V6.family, C.AF_INET6, LE);
  v.setUint16(V6.port, port);
  v.setUint32(V6.flowInfo, flowInfo);  // network byte order, as sin6_flowinfo is
  sa.set(address, V6.address);
  v.setUint32(V6.scopeId, scopeId, LE);
  return sa;
}

/** The family of well-formed bytes (size and family field agree); undefined for anything else. */
export function familyOf(sa: unknown): IpAddressFamily | undefined {
  if (!(sa instanceof Uint8Array)) return undefined;
  if (sa.length === V4.size && view(sa).getUint16(V4.family, LE) === C.AF_INET) return 'ipv4';
  if (sa.length === V6.size && view(sa).getUint16(V6.family, LE) === C.AF_INET6) return 'ipv6';
  return undefined;
}

const isV4 = (sa: Sockaddr) => sa.length === V4.size;

export function portOf(sa: Sockaddr): number {
  return view(sa).getUint16(isV4(sa) ? V4.port : V6.port);
}

/** The address bytes (4 or 16), a view into `sa`. */
export function ipOf(sa: Sockaddr): Uint8Array {
  return isV4(sa) ? sa.subarray(V4.address, V4.address + 4) : sa.subarray(V6.address, V6.address + 16);
}

/** sin6_scope_id (0 for IPv4). */
export function scopeIdOf(sa: Sockaddr): number {
  return isV4(sa) ? 0 : view(sa).getUint32(V6.scopeId, LE);
}

/** sin6_flowinfo (0 for IPv4). */
export function flowInfoOf(sa: Sockaddr): number {
  return isV4(sa) ? 0 : view(sa).getUint32(V6.flowInfo);
}

/** A copy with another port. */
export function withPort(sa: Sockaddr, port: number): Sockaddr {
  const copy = new Uint8Array(sa);
  view(copy).setUint16(isV4(copy) ? V4.port : V6.port, port);
  return copy;
}

/** The wildcard address of a family (0.0.0.0 / ::). */
export function wildcardSockaddr(family: IpAddressFamily, port = 0): Sockaddr {
  return family === 'ipv4' ? sockaddrV4([0, 0, 0, 0], port) : sockaddrV6(new Uint8Array(16), port);
}

export function isWildcard(sa: Sockaddr): boolean {
  return ipOf(sa).every((b) => b === 0);
}

/** ::ffff:a.b.c.d */
export function isIpv4Mapped(ip: Uint8Array): boolean {
  return ip.length === 16 && ip.subarray(0, 10).every((b) => b === 0) && ip[10] === 0xff && ip[11] === 0xff;
}

/** Whether two addresses name the same host address (ports and flow info aside; the scope id counts). */
export function sameHost(a: Sockaddr, b: Sockaddr): boolean {
  if (a.length !== b.length || scopeIdOf(a) !== scopeIdOf(b)) return false;
  const x = ipOf(a);
  const y = ipOf(b);
  return x.every((v, i) => v === y[i]);
}

/**
 * What an address is for, and so which rules it follows:
 * - 'local': bound to (bind, sctp_bindx): the socket's family;
 * - 'remote': a peer to reach (connect, a send's destination): the socket's family, not the wildcard address nor
 *   port 0. An IPv6 socket reaches an IPv4 peer by its IPv4-mapped address (sockets are dual-stack);
 * - 'path': a peer address or one of ours named in an option (primary path, path parameters): either family.
 * None may be multicast or broadcast; only a remote IPv6 address may be IPv4-mapped.
 */
export type AddressRole = 'local' | 'remote' | 'path';

/**
 * Checks an address for a use on a socket of `family` (invalid-argument when it breaks a rule) and returns the
 * bytes the stack takes for it: the address itself, or for an IPv4-mapped peer of an IPv6 socket its IPv4 form
 * (usrsctp keeps such peers as IPv4 addresses, and sets up an association to a mapped address only through
 * connectx, not through a send).
 */
export function forStack(sa: unknown, family: IpAddressFamily, role: AddressRole): Sockaddr {
  const own = familyOf(sa);
  if (own === undefined) throw invalid('not an IPv4 or IPv6 socket address');
  if (role !== 'path' && own !== family) throw invalid(`an ${own} address on an ${family} socket`);
  let bytes = sa as Sockaddr;
  if (own === 'ipv6' && isIpv4Mapped(ipOf(bytes))) {
    if (role !== 'remote') throw invalid('IPv4-mapped IPv6 addresses name peers only');
    bytes = sockaddrV4(ipOf(bytes).subarray(12), portOf(bytes));
  }
  const ip = ipOf(bytes);
  if (ip.length === 4 ? ip[0] >= 224 && ip[0] <= 239 : ip[0] === 0xff) throw invalid('multicast addresses are not allowed');
  if (ip.length === 4 && ip.every((b) => b === 255)) throw invalid('the broadcast address is not allowed');
  if (role === 'remote') {
    if (isWildcard(bytes)) throw invalid('cannot connect to the wildcard address');
    if (portOf(bytes) === 0) throw invalid('cannot connect to port 0');
  }
  return bytes;
}

/** The most addresses one add-local-addresses, remove-local-addresses or start-connectx call takes. */
export const MAX_ADDRESS_LIST = 64;

/**
 * Checks a list of addresses for sctp_bindx / sctp_connectx: 1..MAX_ADDRESS_LIST addresses, each valid for the
 * role (forStack), no address twice, and one port for all, since an SCTP endpoint has one port whatever its
 * addresses. For local addresses a port of 0 stands for the common port (or the one the stack picks); for remote
 * ones every port must be the same non-zero port. Returns the stack's bytes with the common port filled in.
 */
export function listForStack(value: unknown, family: IpAddressFamily, role: 'local' | 'remote',
  convert: (item: unknown) => Sockaddr): Sockaddr[] {
  if (!Array.isArray(value)) throw invalid('addresses must be an array');
  if (value.length === 0) throw invalid('the address list is empty');
  if (value.length > MAX_ADDRESS_LIST) throw invalid(`at most ${MAX_ADDRESS_LIST} addresses per call`);
  const list = value.map((a) => forStack(convert(a), family, role));
  const ports = new Set(list.map(portOf).filter((p) => p !== 0));
  if (ports.size > 1) throw invalid('all addresses must have the same port (an SCTP endpoint has one port)');
  const port = ports.size === 1 ? [...ports][0] : 0;
  list.forEach((a, i) => {
    if (list.findIndex((b) => sameHost(a, b)) !== i) throw invalid('an address is listed twice');
  });
  return list.map((a) => (portOf(a) === port ? a : withPort(a, port)));
}

/**
 * How a caller holds addresses: converted into the byte form once where they enter the TS API, and out of it once
 * where they leave. `toSockaddr` throws invalid-argument for a value that is no address at all; the rules of each
 * use are checked on the bytes (forStack).
 */
export interface AddressForm<A> {
  toSockaddr(address: A): Sockaddr;
  fromSockaddr(sa: Sockaddr): A;
}

/** The byte form itself, for callers (such as the WIT host) that convert their own address type. */
export const SOCKADDR_FORM: AddressForm<Sockaddr> = {
  toSockaddr(sa) {
    if (familyOf(sa) === undefined) throw invalid('not an IPv4 or IPv6 socket address');
    return sa;
  },
  fromSockaddr: (sa) => sa,
};

const SS_FAMILY = offsetOf('sockaddr_storage.ss_family');

/** The address in a struct's sockaddr_storage field at `offset`, copied; undefined when none is set there. */
export function sockaddrAt(buf: Uint8Array, offset: number): Sockaddr | undefined {
  const family = new DataView(buf.buffer, buf.byteOffset, buf.byteLength).getUint16(offset + SS_FAMILY, LE);
  const size = family === C.AF_INET ? V4.size : family === C.AF_INET6 ? V6.size : 0;
  return size === 0 ? undefined : new Uint8Array(buf.subarray(offset, offset + size));
}

/** Writes an address into a struct's sockaddr_storage field at `offset` (the rest of the field zeroed). */
export function putSockaddr(buf: Uint8Array, offset: number, sa: Sockaddr): void {
  buf.fill(0, offset, offset + SIZES.sockaddr_storage);
  buf.set(sa, offset);
}
