/**
 * Where a socket is: bind (one address, or several with sctp_bindx), the addresses added to and removed from a
 * bound socket, and listen (of a bound socket: listening binds nothing implicitly).
 */
import { isWildcard, portOf, sameHost, withPort, type Sockaddr } from '../addresses/sockaddr.js';
import { SctpError } from '../errors.js';
import { C, native } from '../native.js';
import { invalid, type SocketCore } from './core.js';

export function startBind<A>(s: SocketCore<A>, localAddress: A): void {
  s.assertOpen('start-bind');
  const sa = s.address(localAddress, 'local');
  s.sm.startBind();
  try {
    s.bindNative(sa, 'start-bind');
  } catch (e) {
    s.sm.bindFailed();
    throw e;
  }
}

export function addLocalAddresses<A>(s: SocketCore<A>, addresses: readonly A[]): void {
  s.assertOpen('add-local-addresses');
  const list = s.addresses(addresses, 'local');
  if (list.some(isWildcard)) throw invalid('add-local-addresses: bind to the wildcard address with start-bind');
  let rest = list;
  if (s.sm.addLocalAddresses() === 'bind') {
    // The first address binds the socket (the stack picks the port if it is 0); the others join it.
    const r = native.bindx(s.id, [list[0]], C.SCTP_BINDX_ADD_ADDR);
    if (r < 0) s.fail(r, 'add-local-addresses');
    s.sm.boundByBindx();
    s.local = withPort(list[0], portOf(list[0]) || s.boundPort());
    s.boundAll = false;
    rest = list.slice(1);
  } else if (s.boundAll) {
    throw new SctpError('invalid-state', 'add-local-addresses: the socket is bound to the wildcard address, which covers every address');
  }
  const port = s.boundPort();
  if (rest.length > 0 && portOf(rest[0]) !== 0 && portOf(rest[0]) !== port) {
    throw invalid(`add-local-addresses: the socket's port is ${port}`);
  }
  const added: Sockaddr[] = [];
  for (const a of rest) {
    const sa = withPort(a, port);
    const r = native.bindx(s.id, [sa], C.SCTP_BINDX_ADD_ADDR);
    if (r < 0) {
      if (added.length > 0) native.bindx(s.id, added, C.SCTP_BINDX_REM_ADDR);  // this call adds all or none
      s.fail(r, 'add-local-addresses');
    }
    added.push(sa);
  }
}

export function removeLocalAddresses<A>(s: SocketCore<A>, addresses: readonly A[]): void {
  s.assertOpen('remove-local-addresses');
  const list = s.addresses(addresses, 'local');
  s.sm.checkRemoveLocalAddresses();
  if (s.boundAll) {
    throw new SctpError('invalid-state', 'remove-local-addresses: the socket is bound to the wildcard address, not to a list of addresses');
  }
  const port = s.boundPort();
  if (portOf(list[0]) !== 0 && portOf(list[0]) !== port) throw invalid(`remove-local-addresses: the socket's port is ${port}`);
  const bound = s.localSockaddrs(undefined);
  if (list.some((a) => !bound.some((b) => sameHost(a, b)))) {
    throw invalid('remove-local-addresses: the socket is not bound to every address given');
  }
  if (bound.every((b) => list.some((a) => sameHost(a, b)))) {
    throw invalid('remove-local-addresses: the socket would have no address left');
  }
  const r = native.bindx(s.id, list.map((a) => withPort(a, port)), C.SCTP_BINDX_REM_ADDR);
  if (r < 0) s.fail(r, 'remove-local-addresses');
  if (s.local && list.some((a) => sameHost(a, s.local!))) {
    const left = bound.find((b) => !list.some((a) => sameHost(a, b)));
    s.local = left && withPort(left, port);
  }
}

export function startListen<A>(s: SocketCore<A>): void {
  s.assertOpen('start-listen');
  s.sm.startListen();
  try {
    const r = native.listen(s.id, s.backlog);
    if (r < 0) s.fail(r, 'start-listen');
  } catch (e) {
    s.sm.startRejected(true);
    throw e;
  }
}

export function setListenBacklogSize<A>(s: SocketCore<A>, value: number): void {
  if (!Number.isInteger(value) || value < 1) throw invalid('the backlog must be a positive integer');
  const action = s.sm.setListenBacklogSize();
  s.backlog = Math.min(value, 0x7fffffff);
  if (action === 'apply' && s.type === 'one-to-one') {
    const r = native.listen(s.id, s.backlog);
    if (r < 0) throw new SctpError('not-supported', 'set-listen-backlog-size: the stack refused the new backlog');
  }
}
