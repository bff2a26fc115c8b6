/**
 * `SctpSocket`: the typed SCTP socket API, shaped like the WIT resource `sctp-socket` it serves (methods named as
 * the WIT functions, errors as WIT error codes in `SctpError`), plus small async conveniences for plain Node users.
 *
 * Every method is non-blocking. The state machine lives in state.ts, the errno mapping in errors.ts, the options
 * in options.ts; this file glues them to the addon.
 */
import { WAIT_POLL, whenReady } from './readiness.js';
import { Reassembler } from './reassembly.js';
import {
  familyNumber, fromNative, validateAddress, wildcard, type IpAddressFamily, type SocketAddress,
} from './addresses.js';
import { SctpError, check, errnoToCode, errorFromErrno, isErrorCode, type ErrorCode } from './errors.js';
import { C, EVENT_ANY, EVENT_ERROR, EVENT_READ, EVENT_WRITE, native, type NativeNotification, type NativeOutgoing,
  type NativeRecord, type NativeSource } from './native.js';
import {
  getOption, setOption, type AssocScope, type OptionKey, type OptionName, type OptionValue, type OptionTarget,
} from './options.js';
import { SocketStateMachine, type SocketState, type SocketType } from './state.js';

export type { SocketState, SocketType } from './state.js';

/** A notification, as parsed from usrsctp (camelCase fields, `type` tag; see native.ts). */
export type Notification = NativeNotification;

export interface SendFlags {
  /** SCTP_EOF: shut the association down gracefully after this message. */
  eof?: boolean;
  /** SCTP_ABORT: abort the association (the data, if any, is the abort reason). */
  abort?: boolean;
  /** SCTP_SENDALL: one-to-many: send to every association. */
  sendall?: boolean;
  /** SCTP_SACK_IMMEDIATELY (RFC 7053). */
  sackImmediately?: boolean;
  /** SCTP_EOR: with explicit EOR on, ends a message written in several sends. */
  eor?: boolean;
  /** SCTP_ADDR_OVER: send to `destination` instead of the primary path. */
  addrOver?: boolean;
}

export interface PrPolicy {
  kind: 'ttl' | 'rtx' | 'prio';
  /** ms for 'ttl', retransmissions for 'rtx', priority for 'prio' (larger = dropped first). */
  value: number;
}

export interface OutgoingMessage {
  data: Uint8Array;
  /** Stream id, 0..65535; must be below the association's negotiated outbound streams. Default 0. */
  stream?: number;
  /** Payload protocol identifier, u32 host order. Default 0. */
  ppid?: number;
  unordered?: boolean;
  /** One-to-many: the association to send on (required). Ignored by one-to-one sockets. */
  association?: number;
  /** Opaque u32 reported back in send-failed notifications. */
  context?: number;
  flags?: SendFlags;
  /** Partial reliability (RFC 7496); none means fully reliable. */
  prPolicy?: PrPolicy;
  /**
   * Where to send: on a one-to-many socket, the peer of a new association set up implicitly by this message
   * (RFC 6458 3.1.3); with `flags.addrOver`, the peer address to use instead of the primary path.
   */
  destination?: SocketAddress;
}

export interface ReceivedMessage {
  kind: 'message';
  data: Buffer;
  association: number;
  stream: number;
  ssn: number;
  ppid: number;
  tsn: number;
  cumulativeTsn: number;
  context: number;
  unordered: boolean;
  /** False for every piece but the last of a message delivered in pieces. */
  complete: boolean;
}

export type Incoming =
  | ReceivedMessage
  | { kind: 'notification'; notification: Notification }
  /** One-to-one: the association ended gracefully and everything was read (returned again by later calls). */
  | { kind: 'end-of-stream' };

export interface StackOptions {
  /**
   * The local UDP port for SCTP over UDP (RFC 6951): a port number, 'auto' (a free port; the default) or 'raw' / 0
   * (plain SCTP over IP; needs root). Without this option the environment variable WASM_SCTP_UDP_PORT (a number,
   * 'auto' or 'raw') replaces the default.
   */
  udpPort?: number | 'auto' | 'raw';
}

/** The running stack's local UDP encapsulation port, 0 for raw IP, undefined before the stack runs. */
export function stackPort(): number | undefined {
  const p = native.stackPort();
  return p < 0 ? undefined : p;
}

function parsePortSetting(v: number | string | undefined, source: string): number {
  if (v === undefined || v === 'auto') return -1;
  if (v === 'raw') return 0;
  const n = typeof v === 'number' ? v : /^\d+$/.test(v) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < 0 || n > 65535) {
    throw new SctpError('invalid-argument', `${source}: expected a UDP port, 'auto' or 'raw', got ${String(v)}`);
  }
  return n;
}

/**
 * Starts the process-wide usrsctp stack (idempotent: later calls, from any thread, return the running stack's port
 * and ignore their options). Returns the local UDP encapsulation port, 0 for raw IP.
 */
export function initStack(options: StackOptions = {}): { udpPort: number } {
  const running = stackPort();
  if (running !== undefined) return { udpPort: running };
  const port = options.udpPort !== undefined
    ? parsePortSetting(options.udpPort, 'udpPort')
    : parsePortSetting(process.env.WASM_SCTP_UDP_PORT || undefined, 'WASM_SCTP_UDP_PORT');
  const udpPort = check(native.init(port), 'init-stack');
  process.once('exit', () => drainStack(exitLingerMs()));
  return { udpPort };
}

/**
 * How long the process may wait at exit for its associations to finish their graceful shutdown
 * (WASM_SCTP_EXIT_LINGER_MS, default 2000). Kernel sockets keep delivering after their process
 * ends; usrsctp's stack lives in the process, so it has to finish before the process does.
 */
function exitLingerMs(): number {
  const v = Number(process.env.WASM_SCTP_EXIT_LINGER_MS ?? 2000);
  return Number.isFinite(v) && v >= 0 ? v : 2000;
}

/**
 * Closes every socket and waits, blocking, until every association has shut down gracefully or
 * `timeoutMs` passed; true when the stack finished. No socket can be created afterwards.
 */
export function drainStack(timeoutMs: number): boolean {
  return native.drain(timeoutMs);
}

// Sockets that were never closed are closed when their object is collected.
const finalizer = new FinalizationRegistry<number>((id) => native.close(id));

const PR_POLICY = { ttl: C.SCTP_PR_SCTP_TTL, rtx: C.SCTP_PR_SCTP_RTX, prio: C.SCTP_PR_SCTP_BUF } as const;

function invalid(message: string): SctpError {
  return new SctpError('invalid-argument', message);
}

function u32(v: unknown, what: string): number {
  if (v === undefined) return 0;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) {
    throw invalid(`${what} must be an integer 0..4294967295`);
  }
  return v;
}

function toNative(m: OutgoingMessage, oneToMany: boolean, family: IpAddressFamily): NativeOutgoing {
  if (typeof m !== 'object' || m === null || !(m.data instanceof Uint8Array)) {
    throw invalid('a message needs data: Uint8Array');
  }
  const stream = m.stream ?? 0;
  if (!Number.isInteger(stream) || stream < 0 || stream > 0xffff) throw invalid('stream must be an integer 0..65535');
  let flags = m.unordered ? C.SCTP_UNORDERED : 0;
  const f = m.flags;
  if (f) {
    if (f.eof) flags |= C.SCTP_EOF;
    if (f.abort) flags |= C.SCTP_ABORT;
    if (f.sendall) flags |= C.SCTP_SENDALL;
    if (f.sackImmediately) flags |= C.SCTP_SACK_IMMEDIATELY;
    if (f.eor) flags |= C.SCTP_EOR;
    if (f.addrOver) flags |= C.SCTP_ADDR_OVER;
  }
  // SCTP carries no empty user message (RFC 9260 6.2); only EOF and ABORT may come without data.
  if (m.data.length === 0 && (flags & (C.SCTP_EOF | C.SCTP_ABORT)) === 0) {
    throw invalid('a message needs at least one byte (only eof and abort may be empty)');
  }
  let prPolicy = 0;
  let prValue = 0;
  if (m.prPolicy) {
    prPolicy = PR_POLICY[m.prPolicy.kind];
    if (prPolicy === undefined) throw invalid("prPolicy.kind must be 'ttl', 'rtx' or 'prio'");
    prValue = u32(m.prPolicy.value, 'prPolicy.value');
  }
  const out: NativeOutgoing = {
    data: m.data,
    sid: stream,
    ppid: u32(m.ppid, 'ppid'),
    flags,
    context: u32(m.context, 'context'),
    assocId: oneToMany ? u32(m.association, 'association') : 0,
    prPolicy,
    prValue,
  };
  if (m.destination !== undefined) {
    const d = validateAddress(m.destination, family, true);
    out.to = { address: d.address, port: d.port };
  } else if (flags & C.SCTP_ADDR_OVER) {
    throw invalid('addrOver needs a destination');
  }
  return out;
}

function toIncoming(r: NativeRecord | { eof: true }): Incoming {
  if ('eof' in r) return { kind: 'end-of-stream' };
  if (r.notification !== undefined) return { kind: 'notification', notification: r.notification };
  return {
    kind: 'message',
    data: r.data,
    association: r.assocId,
    stream: r.sid,
    ssn: r.ssn,
    ppid: r.ppid,
    tsn: r.tsn,
    cumulativeTsn: r.cumtsn,
    context: r.context,
    unordered: (r.flags & C.SCTP_UNORDERED) !== 0,
    complete: r.eor,
  };
}

const token = Symbol('SctpSocket');

/** Errors that mean a one-to-one socket's association is gone for good. */
const ENDINGS: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['connection-reset', 'connection-aborted', 'timeout']);

export class SctpSocket implements OptionTarget {
  /** The addon's socket id: process-wide, usable from worker threads (e.g. with readiness.ts's whenReady). */
  readonly id: number;
  readonly family: IpAddressFamily;
  readonly type: SocketType;
  readonly #sm: SocketStateMachine;
  #reassembler: Reassembler | undefined = new Reassembler();
  /** How this one-to-one socket's association ended, once an operation reported it. */
  #ended: ErrorCode | undefined;
  readonly #errnoContext: { oneToOne: boolean };
  /** The address given to bind (with the port the stack chose). */
  #local: SocketAddress | undefined;
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
  static create(family: IpAddressFamily, type: SocketType): SctpSocket {
    if (family !== 'ipv4' && family !== 'ipv6') throw new SctpError('not-supported', `address family ${family}`);
    if (type !== 'one-to-one' && type !== 'one-to-many') throw invalid(`socket type ${type}`);
    initStack();
    const id = check(native.socket(familyNumber(family), type === 'one-to-one' ? 1 : 2), 'create-sctp-socket');
    return new SctpSocket(token, id, family, type, 'unbound');
  }

  private constructor(t: symbol, id: number, family: IpAddressFamily, type: SocketType, state: SocketState) {
    if (t !== token) throw new TypeError('use SctpSocket.create()');
    this.id = id;
    this.family = family;
    this.type = type;
    this.#sm = new SocketStateMachine(type);
    this.#sm.state = state;
    this.#errnoContext = { oneToOne: type === 'one-to-one' };
    finalizer.register(this, id, this);
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

  #bindNative(a: SocketAddress, operation: string): void {
    const r = native.bind(this.id, a.address, a.port);
    if (r < 0) this.#fail(r, operation);
    let port = a.port;
    if (port === 0) {
      const list = native.localAddresses(this.id, 0);
      if (Array.isArray(list) && list.length > 0) port = list[0].port;
    }
    this.#local = { ...a, port };
  }

  // ---- bind ------------------------------------------------------------------------------------------------------

  /** Binds to a local address (port 0: the stack picks one). Bind errors are reported here; finish-bind completes. */
  startBind(localAddress: SocketAddress): void {
    this.#sm.assertOpen('start-bind');
    const a = validateAddress(localAddress, this.family, false);
    this.#sm.startBind();
    try {
      this.#bindNative(a, 'start-bind');
    } catch (e) {
      this.#sm.bindFailed();
      throw e;
    }
  }

  finishBind(): void {
    this.#sm.finishBind();
  }

  // ---- listen ----------------------------------------------------------------------------------------------------

  /** Starts listening; an unbound socket is bound to the wildcard address first. */
  startListen(): void {
    this.#sm.assertOpen('start-listen');
    const implicitBind = this.#sm.startListen();
    let bound = !implicitBind;
    try {
      if (implicitBind) {
        this.#bindNative(wildcard(this.family), 'start-listen');
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

  /** The accept queue length hint (backlog); 0 is invalid-argument. Applied at once on a listening socket. */
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
   * id of the association being set up (finish-connect returns it too, once it is up).
   */
  startConnect(remoteAddress: SocketAddress): number {
    this.#sm.assertOpen('start-connect');
    const a = validateAddress(remoteAddress, this.family, true);
    const implicitBind = this.#sm.startConnect();
    let bound = !implicitBind;
    try {
      if (implicitBind) {
        this.#bindNative(wildcard(this.family), 'start-connect');
        bound = true;
      }
      const r = native.connect(this.id, a.address, a.port);
      if (r < 0) this.#fail(r, 'start-connect');
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

  // ---- accept ----------------------------------------------------------------------------------------------------

  /** A new connected socket for the next association; would-block when none is waiting. */
  accept(): SctpSocket {
    this.#sm.checkAccept();
    const r = native.accept(this.id);
    if (r < 0) this.#fail(r, 'accept');
    const s = new SctpSocket(token, r, this.family, this.type, 'connected');
    try {
      s.#association = getOption(s, 'status').association;
    } catch {
      // The association may already be gone (aborted right away); receive() will tell.
    }
    return s;
  }

  // ---- data ------------------------------------------------------------------------------------------------------

  /**
   * Sends messages in order until one cannot be taken; returns how many were taken. would-block only when none was
   * taken (send-buffer full). A stream id at or above the negotiated outbound streams is invalid-argument.
   */
  send(messages: readonly OutgoingMessage[]): number {
    this.#sm.checkSend();
    if (!Array.isArray(messages)) throw invalid('messages must be an array');
    if (messages.length === 0) return 0;
    const oneToMany = this.type === 'one-to-many';
    const batch = new Array<NativeOutgoing>(messages.length);
    for (let i = 0; i < messages.length; i++) batch[i] = toNative(messages[i], oneToMany, this.family);
    const r = native.sendBatch(this.id, batch);
    if (r < 0) {
      if (isWouldBlock(r)) this.#sm.sendBlocked = true;
      this.#failSend(r);
    }
    this.#sm.sendBlocked = false;
    this.#sm.sentFromUnbound();
    return r;
  }

  /**
   * Takes one association off a one-to-many socket as a one-to-one socket of its own (RFC 6458 9.2,
   * sctp_peeloff); the association's messages arrive there from now on.
   */
  peeloff(association: number): SctpSocket {
    this.#sm.checkPeeloff();
    const r = native.peeloff(this.id, u32(association, 'association'));
    if (r < 0) this.#fail(r, 'peeloff');
    const s = new SctpSocket(token, r, this.family, 'one-to-one', 'connected');
    s.#association = association;
    return s;
  }

  /**
   * Up to `max` messages / notifications / end-of-stream, in delivery order; [] when nothing is pending. With
   * `sources`, also records the peer address each association's items came from (the first of this call per
   * association; the primary path for notifications), which the stack knows even after the association is gone.
   */
  receive(max = 64, sources?: Map<number, SocketAddress>): Incoming[] {
    this.#sm.checkReceive();
    if (!Number.isInteger(max) || max < 0) throw invalid('max must be a non-negative integer');
    if (max === 0) return [];
    const out: Incoming[] = [];
    const reassembler = this.#reassembler;
    // Pieces of a message being reassembled yield nothing: keep reading while the stack has more.
    while (out.length < max) {
      const want = Math.min(max - out.length, 0x7fffffff);
      const raw: NativeSource[] | undefined = sources && [];
      const r = native.recvBatch(this.id, want, raw);
      if (typeof r === 'number') {
        if (out.length > 0) break; // the error comes again on the next call
        this.#fail(r, 'receive');
      }
      if (raw) for (const s of raw) if (!sources!.has(s.assocId)) sources!.set(s.assocId, fromNative(s));
      let held = false;
      for (let i = 0; i < r.length; i++) {
        const item = toIncoming(r[i]);
        if (reassembler === undefined || item.kind !== 'message') { out.push(item); continue; }
        const whole = reassembler.add(item);
        if (whole) out.push(whole); else held = true;
      }
      if (!held || r.length === 0) break;
    }
    return out;
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
  localAddress(): SocketAddress {
    this.#sm.checkLocalAddress();
    if (this.#local) return { ...this.#local };
    const list = this.localAddresses();
    if (list.length === 0) throw new SctpError('invalid-state', 'local-address: not bound');
    return list[0];
  }

  /** The peer's primary address (one-to-one; one-to-many sockets name the association). */
  remoteAddress(association?: number): SocketAddress {
    this.#sm.checkRemoteAddress();
    if (this.type === 'one-to-many' && association === undefined) {
      throw new SctpError('invalid-state', 'remote-address: a one-to-many socket has no single peer');
    }
    try {
      const primary = getOption(this, 'status', association).primary?.address;
      if (primary) return primary;
    } catch (e) {
      if (!(e instanceof SctpError) || e.code === 'invalid-state') throw e;
    }
    const list = this.remoteAddresses(association);
    if (list.length === 0) throw new SctpError('invalid-state', 'remote-address: not connected');
    return list[0];
  }

  /** The id of this socket's association with a peer address (RFC 6458 sctp_getassocid); 0 when there is none. */
  associationWith(peer: SocketAddress): number {
    this.#sm.assertOpen('association-with');
    const a = validateAddress(peer, this.family, true);
    const r = native.assocId(this.id, a.address, a.port);
    return r > 0 ? r : 0;
  }

  /** Every local address of the socket (association 0) or of one association. */
  localAddresses(association = 0): SocketAddress[] {
    this.#sm.assertOpen('local-addresses');
    const r = native.localAddresses(this.id, association);
    if (typeof r === 'number') this.#fail(r, 'local-addresses');
    return r.map(fromNative);
  }

  /** Every address of the peer of an association (one-to-one: its association). */
  remoteAddresses(association = 0): SocketAddress[] {
    this.#sm.assertOpen('remote-addresses');
    const r = native.peerAddresses(this.id, association);
    if (typeof r === 'number') {
      if (isErrorCode(errorFromErrno(r), 'invalid-state')) throw new SctpError('invalid-state', 'not connected');
      this.#fail(r, 'remote-addresses');
    }
    return r.map(fromNative);
  }

  // ---- options ---------------------------------------------------------------------------------------------------

  /** Reads an option of the table in options.ts (`key`: the option's key arguments, e.g. `{ address }`). */
  getOption<N extends OptionName>(name: N, association?: AssocScope, key?: OptionKey<N>): OptionValue<N> {
    return getOption(this, name, association, key);
  }

  /** Writes an option of the table in options.ts; invalid values are invalid-argument. */
  setOption<N extends OptionName>(name: N, value: OptionValue<N>, scope?: AssocScope, key?: OptionKey<N>): void {
    setOption(this, name, value, scope, key);
  }

  // ---- readiness -------------------------------------------------------------------------------------------------

  /**
   * The readiness mask a wait should use now (EVENT_* bits and WAIT_POLL; 0: nothing pending, ready at once). See
   * state.ts. `whenReady(socket.id, socket.interest())` is the complete wait, from any thread.
   */
  interest(): number {
    return this.#sm.interest();
  }

  /** Current SCTP_EVENT_* bits of the socket (READ 1, WRITE 2, ERROR 4). */
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
  bind(localAddress: SocketAddress): void {
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
  async connect(remoteAddress: SocketAddress): Promise<number> {
    this.startConnect(remoteAddress);
    for (;;) {
      try {
        return this.finishConnect();
      } catch (e) {
        if (!isErrorCode(e, 'would-block')) throw e;
      }
      await this.wait();
    }
  }

  /** Waits for the next association and accepts it. */
  async acceptOne(): Promise<SctpSocket> {
    for (;;) {
      try {
        return this.accept();
      } catch (e) {
        if (!isErrorCode(e, 'would-block')) throw e;
      }
      await this.wait(EVENT_READ | EVENT_ERROR);
    }
  }

  /** Waits until receive() returns something (or fails). */
  async receiveSome(max = 64): Promise<Incoming[]> {
    for (;;) {
      const items = this.receive(max);
      if (items.length > 0) return items;
      await this.wait(EVENT_READ | EVENT_ERROR);
    }
  }

  /** Sends every message, waiting for send-buffer space as needed; resolves with the count. */
  async sendAll(messages: readonly OutgoingMessage[]): Promise<number> {
    let sent = 0;
    while (sent < messages.length) {
      try {
        sent += this.send(sent === 0 ? messages : messages.slice(sent));
      } catch (e) {
        if (!isErrorCode(e, 'would-block')) throw e;
        await this.wait();
      }
    }
    return sent;
  }
}

function isWouldBlock(errno: number): boolean {
  return errnoToCode(errno) === 'would-block';
}

/** Readiness bits, re-exported for users of wait(). */
export { EVENT_READ, EVENT_WRITE, EVENT_ERROR, EVENT_ANY, WAIT_POLL };
