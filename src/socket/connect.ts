/**
 * Setting up an association: start-connect / start-connectx (with the implicit bind of an unbound socket) and
 * finish-connect, which follows the handshake differently on the two socket styles.
 */
import { wildcardSockaddr, type Sockaddr } from '../addresses/sockaddr.js';
import { SctpError } from '../errors.js';
import { native } from '../native.js';
import { getOption } from '../options/engine.js';
import { EVENT_WRITE } from '../readiness/mask.js';
import type { SocketCore } from './core.js';

export function startConnect<A>(s: SocketCore<A>, addresses: Sockaddr[], operation: string): number {
  const implicitBind = s.sm.startConnect(operation);
  let bound = !implicitBind;
  try {
    if (implicitBind) {
      s.bindNative(wildcardSockaddr(s.family), operation);
      bound = true;
    }
    const r = native.connectx(s.id, addresses);
    if (r < 0) s.fail(r, operation);
    s.association = r;
  } catch (e) {
    s.sm.startRejected(bound);
    throw e;
  }
  return s.association;
}

export function finishConnect<A>(s: SocketCore<A>): number {
  s.sm.checkFinishConnect();
  if (s.type === 'one-to-one') {
    // usrsctp reports the outcome as the socket's pending error (failed) or its writability (established).
    const err = native.soError(s.id);
    if (err > 0) {
      s.sm.connectFailed();
      s.fail(-err, 'finish-connect');
    }
    const events = native.getEvents(s.id);
    if (events < 0) s.fail(events, 'finish-connect');
    if ((events & EVENT_WRITE) === 0) return stillRunning(s);
    s.sm.connectSucceeded();
    return s.association;
  }
  // One-to-many sockets are never writable; the association's own state tells, and a failed one is simply gone.
  let status;
  try {
    status = getOption(s, 'status', s.association);
  } catch (e) {
    if (!(e instanceof SctpError) || (e.errno !== 'ENOENT' && e.errno !== 'EINVAL')) throw e;
    s.sm.connectFailed();
    throw new SctpError('connection-refused', 'finish-connect: the association could not be set up', e.errno);
  }
  if (status.state === 'cookie-wait' || status.state === 'cookie-echoed') return stillRunning(s);
  s.sm.connectSucceeded();
  return s.association;
}

function stillRunning<A>(s: SocketCore<A>): never {
  s.sm.connectPending();
  throw new SctpError('would-block', 'finish-connect: the handshake is still running');
}
