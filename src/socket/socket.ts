/**
 * `SctpSocket`: the typed SCTP socket API, shaped like the WIT resource `sctp-socket` it serves (methods named as
 * the WIT functions, errors as WIT error codes in `SctpError`), plus small async conveniences for plain Node users.
 *
 * Every method is non-blocking. This file glues the parts to the addon: the state machine (state.ts), the send and
 * receive paths (send.ts, receive.ts), addresses (src/addresses/), options (src/options/), readiness
 * (src/readiness/), the errno mapping (src/errors.ts).
 */
import {
  forStack, isWildcard, listForStack, portOf, sameHost, wildcardSockaddr, withPort, type AddressForm,
  type IpAddressFamily, type Sockaddr,
} from '../addresses/sockaddr.js';
import { TEXT_FORM, type SocketAddress } from '../addresses/text.js';
import { SctpError, check, errnoToCode, errorFromErrno, isErrorCode, type ErrorCode } from '../errors.js';
import { C, native, type NativeOutgoing } from '../native.js';
import { getOption, setOption, type OptionTarget } from '../options/engine.js';
import type { AssocScope } from '../options/schema.js';
import type { OptionKey, OptionName, OptionValue } from '../options/table.js';
import { interest } from '../readiness/interest.js';
import { EVENT_ERROR, EVENT_READ, EVENT_WRITE, WAIT_RECHECK } from '../readiness/mask.js';
import { whenReady } from '../readiness/wait.js';
import { Reassembler } from './reassembly.js';
import { receiveItems } from './receive.js';
import { sendMessages, u32 } from './send.js';
import { initStack, stackPort, type StackOptions } from './stack.js';
import { SocketStateMachine, type SocketState, type SocketType } from './state.js';
import type { Incoming, OutgoingMessage } from './types.js';

// Sockets that were never closed are closed when their object is collected.
const finalizer = new FinalizationRegistry<number>((id) => native.close(id));

const token = Symbol('SctpSocket');

/** Errors that mean a one-to-one socket's association is gone for good. */
const ENDINGS: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['connection-reset', 'connection-aborted', 'timeout']);

function invalid(message: string): SctpError {
  return new SctpError('invalid-argument', message);
}

/**
 * A = how the socket takes and returns addresses: `SocketAddress` text by default, or another form given to
 * `create` (the WIT host uses the byte form and converts its own tuples once).
 */
export class SctpSocket<A = SocketAddress> implements OptionTarget<A> {
  /** The addon's socket id: process-wide, usable from worker threads (e.g. with readiness/wait.ts's whenReady). */
  readonly id: number;
  readonly family: IpAddressFamily;
  readonly type: SocketType;
  readonly addressForm: AddressForm<A>;
  readonly #sm: SocketStateMachine;
  #reassembler: Reassembler | undefined = new Reassembler();
  /** How this one-to-one socket's association ended, once an operation reported it. */
  #ended: ErrorCode | undefined;
  readonly #errnoContext: { oneToOne: boolean };
  /** The address given to bind (with the port the stack chose), in the byte form. */
  #local: Sockaddr | undefined;
  /** Bound to the wildcard address (explicitly or implicitly, or accepted from such a listener): every address. */
  #boundAll = false;
  #backlog = 128;
  /** One-to-one: the association; one-to-many: the association of the pending connect. */
  #association = 0;

  /** Starts the stack (see `initStack`); same as the module-level function. */
  static initStack(options?: StackOptions): { udpPort: number } {
    return initStack(options);
  }

  /** The stack's local UDP encapsulation port (0: raw IP), undefined before the stack runs. */
  static udpPort(): number | undefined {
    return stackPort();
  }

  /** Creates an unbound, non-blocking socket; starts the stack with its defaults if it is not running yet. */
  static create(family: IpAddressFamily, type: SocketType): SctpSocket;
  static create<A>(family: IpAddressFamily, type: SocketType, form: AddressForm<A>): SctpSocket<A>;
  static create<A>(family: IpAddressFamily, type: SocketType, form?: AddressForm<A>): SctpSocket<A> {
    if (family !== 'ipv4' && family !== 'ipv6') throw new SctpError('not-supported', `address family ${family}`);
    if (type !== 'one-to-one' && type !== 'one-to-many') throw invalid(`socket type ${type}`);
    initStack();
    const id = check(native.socket(family === 'ipv4' ? 4 : 6, type === 'one-to-one' ? 1 : 2), 'create-sctp-socket');
    return new SctpSocket<A>(token, id, family, type, 'unbound', form ?? (TEXT_FORM as unknown as AddressForm<A>));
  }

  private constructor(t: symbol, id: number, family: IpAddressFamily, type: SocketType, state: SocketState,
    form: AddressForm<A>) {
    if (t !== token) throw new TypeError('use SctpSocket.create()');
    this.id = id;
    this.family = family;
    this.type = type;
    this.addressForm = form;
    this.#sm = new SocketStateMachine(type);
    this.#sm.state = state;
    this.#errnoContext = { oneToOne: type === 'one-to-one' };
    finalizer.register(this, id, this);
  }

  /** A socket the stack made from this one (accept, peeloff): same family and address form, connected. */
  #derived(id: number, type: SocketType, association: number): SctpSocket<A> {
    const s = new SctpSocket<A>(token, id, this.family, type, 'connected', this.addressForm);
    s.#association = association;
    s.#boundAll = this.#boundAll;
    return s;
  }

  get state(): SocketState {
    return this.#sm.state;
  }

  /** The association of a connected one-to-one socket (0 before). */
  get association(): number {
    return this.type === 'one-to-one' && this.#sm.state === 'connected' ? this.#association : 0;
  }

  /** @internal Throws invalid-state on a closed socket (OptionTarget). */
  assertOpen(operation: string): void {
    this.#sm.assertOpen(operation);
  }

  #fail(result: number, operation: string): never {
    const error = errorFromErrno(result, operation, this.#errnoContext);
    if (this.type === 'one-to-one' && ENDINGS.has(error.code)) this.#ended = error.code;
    throw error;
  }

  /**
   * usrsctp answers a send on a one-to-one association that the peer aborted with "no such
   * association"; the socket's pending error (SO_ERROR) still says why it went: report that, as a
   * kernel's send does (ECONNRESET), instead of a bare invalid-state.
   */
  #failSend(result: number): never {
    if (this.type === 'one-to-one') {
      const error = errorFromErrno(result, 'send', this.#errnoContext);
      if (error.code === 'invalid-state') {
        const pending = native.soError(this.id);
        if (pending > 0) this.#fail(-pending, 'send');
        // receive() already reported (and usrsctp cleared) why the association ended.
        if (this.#ended) throw new SctpError(this.#ended, `send: the association ended (${this.#ended})`);
      }
      throw error;
    }
    this.#fail(result, 'send');
  }

  #address(value: A, role: 'local' | 'remote'): Sockaddr {
    return forStack(this.addressForm.toSockaddr(value), this.family, role);
  }

  #addresses(list: readonly A[], role: 'local' | 'remote'): Sockaddr[] {
    return listForStack(list, this.family, role, (a) => this.addressForm.toSockaddr(a as A));
  }

  #bindNative(sa: Sockaddr, operation: string): void {
    const r = native.bind(this.id, sa);
    if (r < 0) this.#fail(r, operation);
    this.#local = portOf(sa) === 0 ? withPort(sa, this.#boundPort()) : sa;
    this.#boundAll = isWildcard(sa);
  }

  /** The port the socket is bound to (0 when it is not bound). */
  #boundPort(): number {
    if (this.#local && portOf(this.#local) !== 0) return portOf(this.#local);
    const list = native.localAddresses(this.id, 0);
    return Array.isArray(list) && list.length > 0 ? portOf(list[0]) : 0;
  }

  // ---- bind ------------------------------------------------------------------------------------------------------

  /** Binds to a local address (port 0: the stack picks one). Bind errors are reported here; finish-bind completes. */
  startBind(localAddress: A): void {
    this.#sm.assertOpen('start-bind');
    const sa = this.#address(localAddress, 'local');
    this.#sm.startBind();
    try {
      this.#bindNative(sa, 'start-bind');
    } catch (e) {
      this.#sm.bindFailed();
      throw e;
    }
  }

  finishBind(): void {
    this.#sm.finishBind();
  }

  // ---- multi-homing (RFC 6458 9.1 sctp_bindx, 9.9 sctp_connectx) --------------------------------------------------

  /**
   * sctp_bindx(SCTP_BINDX_ADD_ADDR). On an unbound socket: binds it to all of `addresses` at once (one port for
   * all; 0: the stack picks it), with no finish step. On a bound, listening or connected socket: adds them; each
   * association's peer learns of them through ASCONF (RFC 5061) when it supports that. Either way the addresses
   * must belong to this host. If one fails, those this call added before it are removed again, except that the
   * first address of an unbound socket stays bound.
   */
  addLocalAddresses(addresses: readonly A[]): void {
    this.#sm.assertOpen('add-local-addresses');
    const list = this.#addresses(addresses, 'local');
    if (list.some(isWildcard)) throw invalid('add-local-addresses: bind to the wildcard address with start-bind');
    let rest = list;
    if (this.#sm.addLocalAddresses() === 'bind') {
      // The first address binds the socket (the stack picks the port if it is 0); the others join it.
      const r = native.bindx(this.id, [list[0]], C.SCTP_BINDX_ADD_ADDR);
      if (r < 0) this.#fail(r, 'add-local-addresses');
      this.#sm.boundByBindx();
      this.#local = withPort(list[0], portOf(list[0]) || this.#boundPort());
      this.#boundAll = false;
      rest = list.slice(1);
    } else if (this.#boundAll) {
      throw new SctpError('invalid-state', 'add-local-addresses: the socket is bound to the wildcard address, which covers every address');
    }
    const port = this.#boundPort();
    if (rest.length > 0 && portOf(rest[0]) !== 0 && portOf(rest[0]) !== port) {
      throw invalid(`add-local-addresses: the socket's port is ${port}`);
    }
    const added: Sockaddr[] = [];
    for (const a of rest) {
      const sa = withPort(a, port);
      const r = native.bindx(this.id, [sa], C.SCTP_BINDX_ADD_ADDR);
      if (r < 0) {
        if (added.length > 0) native.bindx(this.id, added, C.SCTP_BINDX_REM_ADDR);  // this call adds all or none
        this.#fail(r, 'add-local-addresses');
      }
      added.push(sa);
    }
  }

  /**
   * sctp_bindx(SCTP_BINDX_REM_ADDR): stops using local addresses. Each association's peer is told through ASCONF
   * (RFC 5061) when it supports that. The addresses must be addresses the socket is bound to, and at least one
   * must remain.
   */
  removeLocalAddresses(addresses: readonly A[]): void {
    this.#sm.assertOpen('remove-local-addresses');
    const list = this.#addresses(addresses, 'local');
    this.#sm.checkRemoveLocalAddresses();
    if (this.#boundAll) {
      throw new SctpError('invalid-state', 'remove-local-addresses: the socket is bound to the wildcard address, not to a list of addresses');
    }
    const port = this.#boundPort();
    if (portOf(list[0]) !== 0 && portOf(list[0]) !== port) throw invalid(`remove-local-addresses: the socket's port is ${port}`);
    const bound = this.#localSockaddrs(undefined);
    if (list.some((a) => !bound.some((b) => sameHost(a, b)))) {
      throw invalid('remove-local-addresses: the socket is not bound to every address given');
    }
    if (bound.every((b) => list.some((a) => sameHost(a, b)))) {
      throw invalid('remove-local-addresses: the socket would have no address left');
    }
    const r = native.bindx(this.id, list.map((a) => withPort(a, port)), C.SCTP_BINDX_REM_ADDR);
    if (r < 0) this.#fail(r, 'remove-local-addresses');
    if (this.#local && list.some((a) => sameHost(a, this.#local!))) {
      const left = bound.find((b) => !list.some((a) => sameHost(a, b)));
      this.#local = left && withPort(left, port);
    }
  }

  // ---- listen ----------------------------------------------------------------------------------------------------

  /** Starts listening; an unbound socket is bound to the wildcard address first. */
  startListen(): void {
    this.#sm.assertOpen('start-listen');
    const implicitBind = this.#sm.startListen();
    let bound = !implicitBind;
    try {
      if (implicitBind) {
        this.#bindNative(wildcardSockaddr(this.family), 'start-listen');
        bound = true;
      }
      const r = native.listen(this.id, this.#backlog);
      if (r < 0) this.#fail(r, 'start-listen');
    } catch (e) {
      this.#sm.listenFailed(bound);
      throw e;
    }
  }

  finishListen(): void {
    this.#sm.finishListen();
  }

  /**
   * The accept queue length hint (backlog); 0 is invalid-argument, values above 2^31-1 are that. Applied at once on
   * a listening socket.
   */
  setListenBacklogSize(value: number): void {
    if (!Number.isInteger(value) || value < 1) throw invalid('the backlog must be a positive integer');
    const action = this.#sm.setListenBacklogSize();
    this.#backlog = Math.min(value, 0x7fffffff);
    if (action === 'apply' && this.type === 'one-to-one') {
      const r = native.listen(this.id, this.#backlog);
      if (r < 0) throw new SctpError('not-supported', 'set-listen-backlog-size: the stack refused the new backlog');
    }
  }

  // ---- connect ---------------------------------------------------------------------------------------------------

  /**
   * Sends INIT to the peer. An unbound socket is bound to the wildcard address first (it then advertises every local
   * address of its family). Set `remote-udp-encaps-port` before, when the peer uses UDP encapsulation. Returns the
   * id of the association being set up (finish-connect returns it too, once it is up). An IPv6 socket reaches an
   * IPv4 peer by its IPv4-mapped address.
   */
  startConnect(remoteAddress: A): number {
    this.#sm.assertOpen('start-connect');
    return this.#connect([this.#address(remoteAddress, 'remote')], 'start-connect');
  }

  /**
   * sctp_connectx: start-connect with every address the peer is known by (one port for all); the INIT goes to
   * them in turn until one answers, and all of them become paths of the association. finish-connect completes it.
   */
  startConnectx(remoteAddresses: readonly A[]): number {
    this.#sm.assertOpen('start-connectx');
    return this.#connect(this.#addresses(remoteAddresses, 'remote'), 'start-connectx');
  }

  #connect(addresses: Sockaddr[], operation: string): number {
    const implicitBind = this.#sm.startConnect(operation);
    let bound = !implicitBind;
    try {
      if (implicitBind) {
        this.#bindNative(wildcardSockaddr(this.family), operation);
        bound = true;
      }
      const r = native.connectx(this.id, addresses);
      if (r < 0) this.#fail(r, operation);
      this.#association = r;
    } catch (e) {
      this.#sm.connectRejected(bound);
      throw e;
    }
    return this.#association;
  }

  /**
   * The association id once the handshake is done; would-block while it runs. A failed one-to-one connect reports
   * its cause (connection-refused, timeout, remote-unreachable, ...). On one-to-many sockets usrsctp does not keep
   * the cause of a failed association setup (the association is simply gone): that is reported as
   * connection-refused; subscribe to assoc-change notifications for the real cause.
   */
  finishConnect(): number {
    this.#sm.checkFinishConnect();
    if (this.type === 'one-to-one') {
      const err = native.soError(this.id);
      if (err > 0) {
        this.#sm.connectFailed();
        this.#fail(-err, 'finish-connect');
      }
      const events = native.getEvents(this.id);
      if (events < 0) this.#fail(events, 'finish-connect');
      if ((events & EVENT_WRITE) === 0) {
        this.#sm.connectPending();
        throw new SctpError('would-block', 'finish-connect: the handshake is still running');
      }
      this.#sm.connectSucceeded();
      return this.#association;
    }
    let status;
    try {
      status = getOption(this, 'status', this.#association);
    } catch (e) {
      if (!(e instanceof SctpError) || (e.errno !== 'ENOENT' && e.errno !== 'EINVAL')) throw e;
      this.#sm.connectFailed();
      throw new SctpError('connection-refused', 'finish-connect: the association could not be set up', e.errno);
    }
    if (status.state === 'cookie-wait' || status.state === 'cookie-echoed') {
      this.#sm.connectPending();
      throw new SctpError('would-block', 'finish-connect: the handshake is still running');
    }
    this.#sm.connectSucceeded();
    return this.#association;
  }

  // ---- accept, peeloff -------------------------------------------------------------------------------------------

  /** A new connected socket for the next association; would-block when none is waiting. */
  accept(): SctpSocket<A> {
    this.#sm.checkAccept();
    const r = native.accept(this.id);
    if (r < 0) this.#fail(r, 'accept');
    const s = this.#derived(r, this.type, 0);
    try {
      s.#association = getOption(s, 'status').association;
    } catch {
      // The association may already be gone (aborted right away); receive() will tell.
    }
    return s;
  }

  /**
   * Takes one association off a one-to-many socket as a one-to-one socket of its own (RFC 6458 9.2,
   * sctp_peeloff); the association's messages arrive there from now on.
   */
  peeloff(association: number): SctpSocket<A> {
    this.#sm.checkPeeloff();
    const r = native.peeloff(this.id, u32(association, 'association'));
    if (r < 0) this.#fail(r, 'peeloff');
    return this.#derived(r, 'one-to-one', association);
  }

  // ---- data ------------------------------------------------------------------------------------------------------

  /**
   * Sends messages in order until one cannot be taken; returns how many were taken. would-block only when none was
   * taken (send-buffer full). A stream id at or above the negotiated outbound streams is invalid-argument. With
   * `reached`, adds the association each sent message with a destination went on (those such sends set up).
   */
  send(messages: readonly OutgoingMessage<A>[], reached?: Set<number>): number {
    this.#sm.checkSend();
    return sendMessages(this, messages, (batch) => this.#sendBatch(batch), reached);
  }

  #sendBatch(batch: NativeOutgoing[]): number {
    const r = native.sendBatch(this.id, batch);
    if (r < 0) {
      if (errnoToCode(r) === 'would-block') this.#sm.sendBlocked = true;
      this.#failSend(r);
    }
    this.#sm.sendBlocked = false;
    this.#sm.sentFromUnbound();
    return r;
  }

  /**
   * Up to `max` messages / notifications / end-of-stream, in delivery order (at most MAX_RECEIVE); [] when nothing
   * is pending. With `sources`, also records the peer address each association's items came from (the first of
   * this call per association; the primary path for notifications), which the stack knows even after the
   * association is gone.
   */
  receive(max = 64, sources?: Map<number, A>): Incoming<A>[] {
    this.#sm.checkReceive();
    return receiveItems({
      id: this.id, addressForm: this.addressForm, reassembler: this.#reassembler,
      fail: (r) => this.#fail(r, 'receive'),
    }, max, sources);
  }

  /**
   * Whether `receive` hands out whole messages (the default: pieces are put together, up to
   * MAX_REASSEMBLY_BYTES per message) or each piece as the stack delivers it, `complete` marking the
   * last one (POSIX behaviour, MSG_EOR).
   */
  get wholeMessages(): boolean {
    return this.#reassembler !== undefined;
  }

  set wholeMessages(value: boolean) {
    this.#sm.assertOpen('set-whole-messages');
    if (value === this.wholeMessages) return;
    if (!value && this.#reassembler !== undefined && this.#reassembler.pendingBytes > 0) {
      throw new SctpError('invalid-state', 'set-whole-messages: a message is being reassembled; read it first');
    }
    this.#reassembler = value ? new Reassembler() : undefined;
  }

  /** Graceful shutdown (SHUTDOWN after all queued data; SCTP has no half-close, the peer's sending ends too). */
  shutdown(): void {
    this.#sm.checkShutdown();
    if (this.#sm.sendShutdown) return;
    const r = native.shutdown(this.id, C.SHUT_WR);
    if (r < 0) this.#fail(r, 'shutdown');
    this.#sm.sendShutdown = true;
  }

  /** Closes the socket (idempotent). Pending waits resolve with EVENT_ERROR; later calls are invalid-state. */
  close(): void {
    if (this.#sm.state === 'closed') return;
    this.#sm.close();
    finalizer.unregister(this);
    native.close(this.id);
  }

  [Symbol.dispose](): void {
    this.close();
  }

  // ---- addresses -------------------------------------------------------------------------------------------------

  /**
   * The bound address: the one given to bind (with the chosen port), the wildcard after an implicit bind, or, for
   * an accepted socket, the first local address of its association. localAddresses() lists them all.
   */
  localAddress(): A {
    this.#sm.checkLocalAddress();
    if (this.#local) return this.addressForm.fromSockaddr(this.#local);
    const list = this.localAddresses();
    if (list.length === 0) throw new SctpError('invalid-state', 'local-address: not bound');
    return list[0];
  }

  /** The peer's primary address (one-to-one; one-to-many sockets name the association). */
  remoteAddress(association?: number): A {
    this.#sm.checkRemoteAddress();
    if (this.type === 'one-to-many' && association === undefined) {
      throw new SctpError('invalid-state', 'remote-address: a one-to-many socket has no single peer');
    }
    try {
      const primary = getOption(this, 'status', association).primary?.address;
      if (primary) return primary as A;
    } catch (e) {
      if (!(e instanceof SctpError) || e.code === 'invalid-state') throw e;
    }
    const list = this.remoteAddresses(association);
    if (list.length === 0) throw new SctpError('invalid-state', 'remote-address: not connected');
    return list[0];
  }

  /** The id of this socket's association with a peer address (RFC 6458 sctp_getassocid); 0 when there is none. */
  associationWith(peer: A): number {
    this.#sm.assertOpen('association-with');
    const r = native.assocId(this.id, this.#address(peer, 'remote'));
    return r > 0 ? r : 0;
  }

  /**
   * sctp_getladdrs: the local addresses of one association, or (no association) of the socket: those it is bound
   * to, every address of this host for a socket bound to the wildcard address, and on a one-to-one socket with an
   * association, that association's. One-to-one sockets ignore the id (they have one association).
   */
  localAddresses(association?: number): A[] {
    this.#sm.checkLocalAddress('local-addresses');
    if (association !== undefined && this.type === 'one-to-many') this.#peerAddressesOf(association, 'local-addresses');
    return this.#localSockaddrs(association).map((sa) => this.addressForm.fromSockaddr(sa));
  }

  #localSockaddrs(association: number | undefined): Sockaddr[] {
    const r = native.localAddresses(this.id, association === undefined ? 0 : u32(association, 'association'));
    if (typeof r === 'number') this.#fail(r, 'local-addresses');
    return r;
  }

  /**
   * sctp_getpaddrs: every address of the peer of an association (its paths). One-to-many sockets must name the
   * association; one-to-one sockets ignore the id and need to be connected.
   */
  remoteAddresses(association?: number): A[] {
    this.#sm.checkRemoteAddress();
    if (this.type === 'one-to-many') {
      if (association === undefined) throw invalid('remote-addresses: a one-to-many socket must name the association');
      return this.#peerAddressesOf(association, 'remote-addresses').map((sa) => this.addressForm.fromSockaddr(sa));
    }
    const r = native.peerAddresses(this.id, 0);
    if (typeof r === 'number') this.#fail(r, 'remote-addresses');
    if (r.length === 0) throw new SctpError('invalid-state', 'remote-addresses: the association has ended');
    return r.map((sa) => this.addressForm.fromSockaddr(sa));
  }

  /** The peer addresses of an association of this one-to-many socket; invalid-argument when it has no such one. */
  #peerAddressesOf(association: number, operation: string): Sockaddr[] {
    // usrsctp_getpaddrs reports an unknown association as an empty list; ids 0..2 name no association (EINVAL).
    const r = native.peerAddresses(this.id, u32(association, 'association'));
    if (typeof r === 'number' && !isErrorCode(errorFromErrno(r), 'invalid-argument')) this.#fail(r, operation);
    if (typeof r === 'number' || r.length === 0) throw invalid(`${operation}: no association ${association} on this socket`);
    return r;
  }

  // ---- options ---------------------------------------------------------------------------------------------------

  /** Reads an option of the table in src/options/table.ts (`key`: the option's key arguments, e.g. `{ address }`). */
  getOption<N extends OptionName>(name: N, association?: AssocScope, key?: OptionKey<N, A>): OptionValue<N, A> {
    return getOption(this, name, association, key);
  }

  /** Writes an option of the table in src/options/table.ts; invalid values are invalid-argument. */
  setOption<N extends OptionName>(name: N, value: OptionValue<N, A>, scope?: AssocScope, key?: OptionKey<N, A>): void {
    setOption(this, name, value, scope, key);
  }

  // ---- readiness -------------------------------------------------------------------------------------------------

  /**
   * The readiness mask a wait should use now (0: nothing pending, ready at once); see src/readiness/interest.ts.
   * `whenReady(socket.id, socket.interest())` is the complete wait, from any thread.
   */
  interest(): number {
    return interest(this.type, this.#sm.state, this.#sm.sendBlocked);
  }

  /** Current readiness bits of the socket (EVENT_READ, EVENT_WRITE, EVENT_ERROR). */
  events(): number {
    this.#sm.assertOpen('events');
    return check(native.getEvents(this.id), 'events');
  }

  /**
   * Resolves with the socket's events when one in `mask` is set (now or later), with EVENT_ERROR if the socket is
   * closed meanwhile, or after a short poll interval for waits usrsctp cannot signal (WAIT_POLL). Spurious
   * wake-ups are possible: re-try the operation and wait again on would-block.
   */
  wait(mask: number = this.interest(), signal?: AbortSignal): Promise<number> {
    return whenReady(this.id, mask, { signal });
  }

  // ---- async conveniences ----------------------------------------------------------------------------------------

  /** startBind + finishBind. */
  bind(localAddress: A): void {
    this.startBind(localAddress);
    this.finishBind();
  }

  /** startListen + finishListen. */
  listen(backlog?: number): void {
    if (backlog !== undefined) this.setListenBacklogSize(backlog);
    this.startListen();
    this.finishListen();
  }

  /** startConnect, then waits for finishConnect; resolves with the association id. */
  async connect(remoteAddress: A): Promise<number> {
    this.startConnect(remoteAddress);
    return this.#retry(() => this.finishConnect());
  }

  /** Waits for the next association and accepts it. */
  async acceptOne(): Promise<SctpSocket<A>> {
    return this.#retry(() => this.accept(), EVENT_READ | EVENT_ERROR);
  }

  /** Calls `f` until it does not say would-block, waiting for `mask` (default: the state's interest) in between. */
  async #retry<T>(f: () => T, mask?: number): Promise<T> {
    for (;;) {
      try {
        return f();
      } catch (e) {
        if (!isErrorCode(e, 'would-block')) throw e;
      }
      await this.wait(mask);
    }
  }

  /** Waits until receive() returns something (or fails). */
  async receiveSome(max = 64): Promise<Incoming<A>[]> {
    for (;;) {
      const items = this.receive(max);
      if (items.length > 0) return items;
      await this.wait(EVENT_READ | EVENT_ERROR | WAIT_RECHECK);
    }
  }

  /** Sends every message, waiting for send-buffer space as needed; resolves with the count. */
  async sendAll(messages: readonly OutgoingMessage<A>[]): Promise<number> {
    let sent = 0;
    while (sent < messages.length) {
      sent += await this.#retry(() => this.send(sent === 0 ? messages : messages.slice(sent)));
    }
    return sent;
  }
}
