/**
 * `SctpSocket`: the typed SCTP socket API, shaped like the WIT resource `sctp-socket` it serves (methods named as
 * the WIT functions, errors as WIT error codes in `SctpError`), plus small async conveniences for plain Node users.
 *
 * Every method is non-blocking. The class is the public face; the work is done next to it: binding and listening
 * (binding.ts), association setup (connect.ts), the send and receive paths (send.ts, receive.ts), on the state the
 * parts share (core.ts, with the state machine of state.ts). Addresses are src/addresses/, options src/options/,
 * readiness src/readiness/, the errno mapping src/errors.ts.
 */
import type { AddressForm, IpAddressFamily } from '../addresses/sockaddr.js';
import { TEXT_FORM, type SocketAddress } from '../addresses/text.js';
import { SctpError, check, isErrorCode } from '../errors.js';
import { C, native } from '../native.js';
import { getOption, setOption, type OptionTarget } from '../options/engine.js';
import type { AssocScope } from '../options/schema.js';
import type { OptionKey, OptionName, OptionValue } from '../options/table.js';
import { interest } from '../readiness/interest.js';
import { EVENT_ERROR, EVENT_READ, WAIT_RECHECK } from '../readiness/mask.js';
import { whenReady } from '../readiness/wait.js';
import { addLocalAddresses, removeLocalAddresses, setListenBacklogSize, startBind, startListen } from './binding.js';
import { finishConnect, startConnect } from './connect.js';
import { invalid, SocketCore, u32 } from './core.js';
import { Reassembler } from './reassembly.js';
import { receiveItems } from './receive.js';
import { sendMessages } from './send.js';
import { initStack, stackPort, type StackOptions } from './stack.js';
import type { SocketState, SocketType } from './state.js';
import type { Incoming, OutgoingMessage } from './types.js';

// Sockets that were never closed are closed when their object is collected.
const finalizer = new FinalizationRegistry<number>((id) => native.close(id));

const token = Symbol('SctpSocket');

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
  readonly #s: SocketCore<A>;

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
    return new SctpSocket<A>(token, new SocketCore(id, family, type, form ?? (TEXT_FORM as unknown as AddressForm<A>), 'unbound'));
  }

  private constructor(t: symbol, core: SocketCore<A>) {
    if (t !== token) throw new TypeError('use SctpSocket.create()');
    this.#s = core;
    this.id = core.id;
    this.family = core.family;
    this.type = core.type;
    this.addressForm = core.addressForm;
    finalizer.register(this, core.id, this);
  }

  /** A socket the stack made from this one (accept, peeloff): same family and address form, connected. */
  #derived(id: number, type: SocketType, association: number): SctpSocket<A> {
    const core = new SocketCore(id, this.family, type, this.addressForm, 'connected');
    core.association = association;
    core.boundAll = this.#s.boundAll;
    return new SctpSocket<A>(token, core);
  }

  get state(): SocketState {
    return this.#s.sm.state;
  }

  /** The association of a connected one-to-one socket (0 before). */
  get association(): number {
    return this.type === 'one-to-one' && this.#s.sm.state === 'connected' ? this.#s.association : 0;
  }

  /** @internal Throws invalid-state on a closed socket (OptionTarget). */
  assertOpen(operation: string): void {
    this.#s.assertOpen(operation);
  }

  // ---- bind ------------------------------------------------------------------------------------------------------

  /** Binds to a local address (port 0: the stack picks one). Bind errors are reported here; finish-bind completes. */
  startBind(localAddress: A): void {
    startBind(this.#s, localAddress);
  }

  finishBind(): void {
    this.#s.sm.finishBind();
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
    addLocalAddresses(this.#s, addresses);
  }

  /**
   * sctp_bindx(SCTP_BINDX_REM_ADDR): stops using local addresses. Each association's peer is told through ASCONF
   * (RFC 5061) when it supports that. The addresses must be addresses the socket is bound to, and at least one
   * must remain.
   */
  removeLocalAddresses(addresses: readonly A[]): void {
    removeLocalAddresses(this.#s, addresses);
  }

  // ---- listen ----------------------------------------------------------------------------------------------------

  /** Starts listening on a bound socket (an unbound one is invalid-state: bind first, as in wasi:sockets). */
  startListen(): void {
    startListen(this.#s);
  }

  finishListen(): void {
    this.#s.sm.finishListen();
  }

  /**
   * The accept queue length hint (backlog); 0 is invalid-argument, values above 2^31-1 count as 2^31-1. Applied at
   * once on a listening socket.
   */
  setListenBacklogSize(value: number): void {
    setListenBacklogSize(this.#s, value);
  }

  // ---- connect ---------------------------------------------------------------------------------------------------

  /**
   * Sends INIT to the peer. An unbound socket is bound to the wildcard address first (it then advertises every local
   * address of its family). Set `remote-udp-encaps-port` before, when the peer uses UDP encapsulation. Returns the
   * id of the association being set up (finish-connect returns it too, once it is up). An IPv6 socket reaches an
   * IPv4 peer by its IPv4-mapped address.
   */
  startConnect(remoteAddress: A): number {
    this.#s.assertOpen('start-connect');
    return startConnect(this.#s, [this.#s.address(remoteAddress, 'remote')], 'start-connect');
  }

  /**
   * sctp_connectx: start-connect with every address the peer is known by (one port for all); the INIT goes to
   * them in turn until one answers, and all of them become paths of the association. finish-connect completes it.
   */
  startConnectx(remoteAddresses: readonly A[]): number {
    this.#s.assertOpen('start-connectx');
    return startConnect(this.#s, this.#s.addresses(remoteAddresses, 'remote'), 'start-connectx');
  }

  /**
   * The association id once the handshake is done; would-block while it runs. A failed one-to-one connect reports
   * its cause (connection-refused, timeout, remote-unreachable, ...). On one-to-many sockets usrsctp does not keep
   * the cause of a failed association setup (the association is simply gone): that is reported as
   * connection-refused; subscribe to assoc-change notifications for the real cause.
   */
  finishConnect(): number {
    return finishConnect(this.#s);
  }

  // ---- accept, peeloff -------------------------------------------------------------------------------------------

  /** A new connected socket for the next association; would-block when none is waiting. */
  accept(): SctpSocket<A> {
    this.#s.sm.checkAccept();
    const r = native.accept(this.id);
    if (r < 0) this.#s.fail(r, 'accept');
    const s = this.#derived(r, this.type, 0);
    try {
      s.#s.association = getOption(s.#s, 'status').association;
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
    this.#s.sm.checkPeeloff();
    const r = native.peeloff(this.id, u32(association, 'association'));
    if (r < 0) this.#s.fail(r, 'peeloff');
    return this.#derived(r, 'one-to-one', association);
  }

  // ---- data ------------------------------------------------------------------------------------------------------

  /**
   * Sends messages in order until one cannot be taken; returns how many were taken. would-block only when none was
   * taken (send-buffer full). A stream id at or above the negotiated outbound streams is invalid-argument. With
   * `reached`, adds the association each sent message with a destination went on (those such sends set up).
   */
  send(messages: readonly OutgoingMessage<A>[], reached?: Set<number>): number {
    return sendMessages(this.#s, messages, reached);
  }

  /**
   * Up to `max` messages / notifications / end-of-stream, in delivery order (at most MAX_RECEIVE); [] when nothing
   * is pending. With `sources`, also records the peer address each association's items came from (the first of
   * this call per association; the primary path for notifications), which the stack knows even after the
   * association is gone.
   */
  receive(max = 64, sources?: Map<number, A>): Incoming<A>[] {
    return receiveItems(this.#s, max, sources);
  }

  /**
   * Whether `receive` hands out whole messages (the default: pieces are put together, up to
   * MAX_REASSEMBLY_BYTES per message) or each piece as the stack delivers it, `complete` marking the
   * last one (POSIX behaviour, MSG_EOR).
   */
  get wholeMessages(): boolean {
    return this.#s.reassembler !== undefined;
  }

  set wholeMessages(value: boolean) {
    this.#s.assertOpen('set-whole-messages');
    if (value === this.wholeMessages) return;
    if (!value && this.#s.reassembler !== undefined && this.#s.reassembler.pendingBytes > 0) {
      throw new SctpError('invalid-state', 'set-whole-messages: a message is being reassembled; read it first');
    }
    this.#s.reassembler = value ? new Reassembler() : undefined;
  }

  /** Graceful shutdown (SHUTDOWN after all queued data; SCTP has no half-close, the peer's sending ends too). */
  shutdown(): void {
    this.#s.sm.checkShutdown();
    if (this.#s.sm.sendShutdown) return;
    const r = native.shutdown(this.id, C.SHUT_WR);
    if (r < 0) this.#s.fail(r, 'shutdown');
    this.#s.sm.sendShutdown = true;
  }

  /** Closes the socket (idempotent). Pending waits resolve with EVENT_ERROR; later calls are invalid-state. */
  close(): void {
    if (this.#s.sm.state === 'closed') return;
    this.#s.sm.close();
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
    this.#s.sm.checkLocalAddress();
    if (this.#s.local) return this.addressForm.fromSockaddr(this.#s.local);
    const list = this.localAddresses();
    if (list.length === 0) throw new SctpError('invalid-state', 'local-address: not bound');
    return list[0];
  }

  /** The peer's primary address (one-to-one; one-to-many sockets name the association). */
  remoteAddress(association?: number): A {
    this.#s.sm.checkRemoteAddress();
    if (this.type === 'one-to-many' && association === undefined) {
      throw new SctpError('invalid-state', 'remote-address: a one-to-many socket has no single peer');
    }
    try {
      const primary = getOption(this.#s, 'status', association).primary?.address;
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
    this.#s.assertOpen('association-with');
    const r = native.assocId(this.id, this.#s.address(peer, 'remote'));
    return r > 0 ? r : 0;
  }

  /**
   * sctp_getladdrs: the local addresses of one association, or (no association) of the socket: those it is bound
   * to, every address of this host for a socket bound to the wildcard address, and on a one-to-one socket with an
   * association, that association's. One-to-one sockets ignore the id (they have one association).
   */
  localAddresses(association?: number): A[] {
    this.#s.sm.checkLocalAddress('local-addresses');
    if (association !== undefined && this.type === 'one-to-many') this.#s.peerSockaddrsOf(association, 'local-addresses');
    return this.#s.localSockaddrs(association).map((sa) => this.addressForm.fromSockaddr(sa));
  }

  /**
   * sctp_getpaddrs: every address of the peer of an association (its paths). One-to-many sockets must name the
   * association; one-to-one sockets ignore the id and need to be connected.
   */
  remoteAddresses(association?: number): A[] {
    this.#s.sm.checkRemoteAddress();
    if (this.type === 'one-to-many') {
      if (association === undefined) throw invalid('remote-addresses: a one-to-many socket must name the association');
      return this.#s.peerSockaddrsOf(association, 'remote-addresses').map((sa) => this.addressForm.fromSockaddr(sa));
    }
    const r = native.peerAddresses(this.id, 0);
    if (typeof r === 'number') this.#s.fail(r, 'remote-addresses');
    if (r.length === 0) throw new SctpError('invalid-state', 'remote-addresses: the association has ended');
    return r.map((sa) => this.addressForm.fromSockaddr(sa));
  }

  // ---- options ---------------------------------------------------------------------------------------------------

  /** Reads an option of the table in src/options/table.ts (`key`: the option's key arguments, e.g. `{ address }`). */
  getOption<N extends OptionName>(name: N, association?: AssocScope, key?: OptionKey<N, A>): OptionValue<N, A> {
    return getOption(this.#s, name, association, key);
  }

  /** Writes an option of the table in src/options/table.ts; invalid values are invalid-argument. */
  setOption<N extends OptionName>(name: N, value: OptionValue<N, A>, scope?: AssocScope, key?: OptionKey<N, A>): void {
    setOption(this.#s, name, value, scope, key);
  }

  // ---- readiness -------------------------------------------------------------------------------------------------

  /**
   * The readiness mask a wait should use now (0: nothing pending, ready at once); see src/readiness/interest.ts.
   * `whenReady(socket.id, socket.interest())` is the complete wait, from any thread.
   */
  interest(): number {
    if (this.#s.carried !== undefined) return 0;  // items already read wait for the next receive
    return interest(this.type, this.#s.sm.state, this.#s.sm.sendBlocked);
  }

  /** Current readiness bits of the socket (EVENT_READ, EVENT_WRITE, EVENT_ERROR). */
  events(): number {
    this.#s.assertOpen('events');
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
