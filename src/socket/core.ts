/**
 * What the parts of a socket share (socket.ts and the files that do its work: binding.ts, connect.ts, send.ts,
 * receive.ts): its id and kind, its state machine, what it knows of its binding and association, and how its
 * failures become SctpErrors.
 */
import {
  forStack, isWildcard, listForStack, portOf, withPort, type AddressForm, type IpAddressFamily, type Sockaddr,
} from '../addresses/sockaddr.js';
import { SctpError, errorFromErrno, isErrorCode, type ErrorCode } from '../errors.js';
import { native } from '../native.js';
import type { OptionTarget } from '../options/engine.js';
import { Reassembler } from './reassembly.js';
import { SocketStateMachine, type SocketState, type SocketType } from './state.js';
import type { Incoming } from './types.js';

/** Items read from the stack and not handed out yet, with the peer address of each association they belong to. */
export interface Carried<A> {
  items: Incoming<A>[];
  sources: Map<number, A>;
}

/** Errors that mean a one-to-one socket's association is gone for good. */
const ENDINGS: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['connection-reset', 'connection-aborted', 'timeout']);

export function invalid(message: string): SctpError {
  return new SctpError('invalid-argument', message);
}

/** A u32 argument (an association id, a PPID, ...); undefined counts as 0. */
export function u32(v: unknown, what: string): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw invalid(`${what} must be an integer 0..4294967295`);
  }
  return v;
}

export class SocketCore<A> implements OptionTarget<A> {
  readonly sm: SocketStateMachine;
  /** undefined: receive hands out pieces as they come. */
  reassembler: Reassembler | undefined = new Reassembler();
  /** What the last receive read but had no room for, handed out first by the next (see receive.ts). */
  carried: Carried<A> | undefined;
  /** How this one-to-one socket's association ended, once an operation reported it. */
  ended: ErrorCode | undefined;
  /** The address given to bind (with the port the stack chose). */
  local: Sockaddr | undefined;
  /** Bound to the wildcard address (explicitly or implicitly, or accepted from such a listener): every address. */
  boundAll = false;
  backlog = 128;
  /** One-to-one: the association; one-to-many: the association of the pending connect. */
  association = 0;
  readonly #errnoContext: { oneToOne: boolean };

  constructor(readonly id: number, readonly family: IpAddressFamily, readonly type: SocketType,
    readonly addressForm: AddressForm<A>, state: SocketState) {
    this.sm = new SocketStateMachine(type);
    this.sm.state = state;
    this.#errnoContext = { oneToOne: type === 'one-to-one' };
  }

  assertOpen(operation: string): void {
    this.sm.assertOpen(operation);
  }

  fail(result: number, operation: string): never {
    const error = errorFromErrno(result, operation, this.#errnoContext);
    if (this.type === 'one-to-one' && ENDINGS.has(error.code)) this.ended = error.code;
    throw error;
  }

  /**
   * usrsctp answers a send on a one-to-one association that the peer aborted with "no such
   * association"; the socket's pending error (SO_ERROR) still says why it went: report that, as a
   * kernel's send does (ECONNRESET), instead of a bare invalid-state.
   */
  failSend(result: number): never {
    if (this.type === 'one-to-one') {
      const error = errorFromErrno(result, 'send', this.#errnoContext);
      if (error.code === 'invalid-state') {
        const pending = native.soError(this.id);
        if (pending > 0) this.fail(-pending, 'send');
        // receive() already reported (and usrsctp cleared) why the association ended.
        if (this.ended) throw new SctpError(this.ended, `send: the association ended (${this.ended})`);
      }
      throw error;
    }
    this.fail(result, 'send');
  }

  /** An address of the caller's, checked for `role`, as the stack takes it. */
  address(value: A, role: 'local' | 'remote'): Sockaddr {
    return forStack(this.addressForm.toSockaddr(value), this.family, role);
  }

  addresses(list: readonly A[], role: 'local' | 'remote'): Sockaddr[] {
    return listForStack(list, this.family, role, (a) => this.addressForm.toSockaddr(a as A));
  }

  bindNative(sa: Sockaddr, operation: string): void {
    const r = native.bind(this.id, sa);
    if (r < 0) this.fail(r, operation);
    this.local = portOf(sa) === 0 ? withPort(sa, this.boundPort()) : sa;
    this.boundAll = isWildcard(sa);
  }

  /** The port the socket is bound to (0 when it is not bound). */
  boundPort(): number {
    if (this.local && portOf(this.local) !== 0) return portOf(this.local);
    const list = native.localAddresses(this.id, 0);
    return Array.isArray(list) && list.length > 0 ? portOf(list[0]) : 0;
  }

  /** sctp_getladdrs of one association, or of the socket (`association` undefined). */
  localSockaddrs(association: number | undefined): Sockaddr[] {
    const r = native.localAddresses(this.id, association === undefined ? 0 : u32(association, 'association'));
    if (typeof r === 'number') this.fail(r, 'local-addresses');
    return r;
  }

  /** The peer addresses of an association of this one-to-many socket; invalid-argument when it has no such one. */
  peerSockaddrsOf(association: number, operation: string): Sockaddr[] {
    // usrsctp_getpaddrs reports an unknown association as an empty list; ids 0..2 name no association (EINVAL).
    const r = native.peerAddresses(this.id, u32(association, 'association'));
    if (typeof r === 'number' && !isErrorCode(errorFromErrno(r), 'invalid-argument')) this.fail(r, operation);
    if (typeof r === 'number' || r.length === 0) throw invalid(`${operation}: no association ${association} on this socket`);
    return r;
  }
}
