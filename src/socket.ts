/**
 * `SctpSocket`: the typed SCTP socket API, shaped like the WIT resource `sctp-socket` it serves (methods named as
 * the WIT functions, errors as WIT error codes in `SctpError`), plus small async conveniences for plain Node users.
 *
 * Every method is non-blocking. The state machine lives in state.ts, the errno mapping in errors.ts, the options
 * in options.ts; this file glues them to the addon.
 */
import { WAIT_POLL, WAIT_RECHECK, whenReady } from './readiness.js';
import { Reassembler } from './reassembly.js';
import {
  familyNumber, fromNative, isWildcard, sameAddress, validateAddress, validateAddressList, wildcard,
  type IpAddressFamily, type SocketAddress,
} from './addresses.js';
import { SctpError, check, errnoToCode, errorFromErrno, isErrorCode, type ErrorCode } from './errors.js';
import { C, EVENT_ANY, EVENT_ERROR, EVENT_READ, EVENT_WRITE, native, type NativeAddress, type NativeNotification,
  type NativeOutgoing, type NativeRecord, type NativeSource } from './native.js';
import {
  getOption, setOption, type AssocScope, type InitMsg, type OptionKey, type OptionName, type OptionValue, type OptionTarget,
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
  /**
   * Stream id, 0..65535; must be below the association's negotiated outbound streams. Left out, it comes from the
   * association's `default-sndinfo` (0 unless set), as do `ppid`, `context` and the flags when both `unordered`
   * and `flags` are left out.
   */
  stream?: number;
  /** Payload protocol identifier, u32 host order. */
  ppid?: number;
  unordered?: boolean;
  /** One-to-many: the association to send on (required). Ignored by one-to-one sockets. */
  association?: number;
  /** Opaque u32 reported back in send-failed notifications. */
  context?: number;
  flags?: SendFlags;
  /**
   * The INIT parameters of the association this message sets up implicitly (RFC 6458 SCTP_INIT cmsg); ignored
   * when the association exists. Zero fields keep the socket's `init-msg` values.
   */
  init?: InitMsg;
  /** The shared key (RFC 4895) that authenticates this message instead of the active key (SCTP_AUTHINFO). */
  authKey?: number;
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
  /**
   * With `recv-nxtinfo` on, what the stack holds next for this socket when the message was read (SCTP_NXTINFO);
   * undefined when it is off or nothing was queued.
   */
  next?: NextInfo;
}

/** RFC 6458 5.3.6 `struct sctp_nxtinfo`: the next message or notification waiting on the socket. */
export interface NextInfo {
  association: number;
  stream: number;
  ppid: number;
  /** Bytes of it received so far (all of it when `complete`). */
  length: number;
  unordered: boolean;
  /** It is whole: every piece has arrived. */
  complete: boolean;
  /** It is a notification, not a message. */
  notification: boolean;
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
  const stream = m.stream;
  if (stream !== undefined && (!Number.isInteger(stream) || stream < 0 || stream > 0xffff)) {
    throw invalid('stream must be an integer 0..65535');
  }
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
  // SCTP carries no empty user message (RFC 9260 6.2); only EOF and ABORT may come without data (usrsctp refuses
  // an empty piece that only says EOR, too: the last piece of an explicit-EOR message carries bytes).
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
    ppid: m.ppid === undefined ? undefined : u32(m.ppid, 'ppid'),
    // Neither `unordered` nor `flags` given: the default-sndinfo flags apply.
    flags: m.unordered === undefined && m.flags === undefined ? undefined : flags,
    context: m.context === undefined ? undefined : u32(m.context, 'context'),
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

function needsSetting(m: OutgoingMessage): boolean {
  return typeof m === 'object' && m !== null && (m.init !== undefined || m.authKey !== undefined);
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
    // A message cut short by the end of its association is not complete, although the stack says MSG_EOR.
    complete: r.eor && !r.truncated,
    next: r.next && {
      association: r.next.assocId,
      stream: r.next.sid,
      ppid: r.next.ppid,
      length: r.next.length,
      unordered: (r.next.flags & C.SCTP_UNORDERED) !== 0,
      complete: (r.next.flags & C.SCTP_COMPLETE) !== 0,
      notification: (r.next.flags & C.SCTP_NOTIFICATION) !== 0,
    },
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
    this.#local = { ...a, port: a.port };
    if (a.port === 0) this.#local.port = this.#boundPort();
    this.#boundAll = isWildcard(a);
  }

  /** The port the socket is bound to (0 when it is not bound). */
  #boundPort(): number {
    if (this.#local && this.#local.port !== 0) return this.#local.port;
    const list = native.localAddresses(this.id, 0);
    return Array.isArray(list) && list.length > 0 ? list[0].port : 0;
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

  // ---- multi-homing (RFC 6458 9.1 sctp_bindx, 9.9 sctp_connectx) --------------------------------------------------

  /**
   * sctp_bindx(SCTP_BINDX_ADD_ADDR). On an unbound socket: binds it to all of `addresses` at once (one port for
   * all; 0: the stack picks it), with no finish step. On a bound, listening or connected socket: adds them; each
   * association's peer learns of them through ASCONF (RFC 5061) when it supports that. Either way the addresses
   * must belong to this host. If one fails, those this call added before it are removed again, except that the
   * first address of an unbound socket stays bound.
   */
  addLocalAddresses(addresses: readonly SocketAddress[]): void {
    this.#sm.assertOpen('add-local-addresses');
    const list = validateAddressList(addresses, this.family, false);
    if (list.some(isWildcard)) throw invalid('add-local-addresses: bind to the wildcard address with start-bind');
    let rest = list;
    if (this.#sm.addLocalAddresses() === 'bind') {
      // The first address binds the socket (the stack picks the port if it is 0); the others join it.
      const r = native.bindx(this.id, [list[0]], C.SCTP_BINDX_ADD_ADDR);
      if (r < 0) this.#fail(r, `add-local-addresses ${list[0].address}`);
      this.#sm.boundByBindx();
      this.#local = { ...list[0] };
      this.#local.port = this.#boundPort();
      this.#boundAll = false;
      rest = list.slice(1);
    } else if (this.#boundAll) {
      throw new SctpError('invalid-state', 'add-local-addresses: the socket is bound to the wildcard address, which covers every address');
    }
    const port = this.#boundPort();
    if (rest.length > 0 && rest[0].port !== 0 && rest[0].port !== port) {
      throw invalid(`add-local-addresses: the socket's port is ${port}`);
    }
    const added: Array<{ address: string; port: number }> = [];
    for (const a of rest) {
      const r = native.bindx(this.id, [{ address: a.address, port }], C.SCTP_BINDX_ADD_ADDR);
      if (r < 0) {
        if (added.length > 0) native.bindx(this.id, added, C.SCTP_BINDX_REM_ADDR);  // this call adds all or none
        this.#fail(r, `add-local-addresses ${a.address}`);
      }
      added.push({ address: a.address, port });
    }
  }

  /**
   * sctp_bindx(SCTP_BINDX_REM_ADDR): stops using local addresses. Each association's peer is told through ASCONF
   * (RFC 5061) when it supports that. The addresses must be addresses the socket is bound to, and at least one
   * must remain.
   */
  removeLocalAddresses(addresses: readonly SocketAddress[]): void {
    this.#sm.assertOpen('remove-local-addresses');
    const list = validateAddressList(addresses, this.family, false);
    this.#sm.checkRemoveLocalAddresses();
    if (this.#boundAll) {
      throw new SctpError('invalid-state', 'remove-local-addresses: the socket is bound to the wildcard address, not to a list of addresses');
    }
    const port = this.#boundPort();
    if (list[0].port !== 0 && list[0].port !== port) throw invalid(`remove-local-addresses: the socket's port is ${port}`);
    const bound = this.localAddresses();
    const unknown = list.find((a) => !bound.some((b) => sameAddress(a, b)));
    if (unknown) throw invalid(`remove-local-addresses: the socket is not bound to ${unknown.address}`);
    if (bound.every((b) => list.some((a) => sameAddress(a, b)))) {
      throw invalid('remove-local-addresses: the socket would have no address left');
    }
    const r = native.bindx(this.id, list.map((a) => ({ address: a.address, port })), C.SCTP_BINDX_REM_ADDR);
    if (r < 0) this.#fail(r, 'remove-local-addresses');
    if (this.#local && list.some((a) => sameAddress(a, this.#local!))) {
      const left = bound.find((b) => !list.some((a) => sameAddress(a, b)));
      this.#local = left && { ...left, port };
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
    return this.#connect([validateAddress(remoteAddress, this.family, true)], 'start-connect');
  }

  /**
   * sctp_connectx: start-connect with every address the peer is known by (one port for all); the INIT goes to
   * them in turn until one answers, and all of them become paths of the association. finish-connect completes it.
   */
  startConnectx(remoteAddresses: readonly SocketAddress[]): number {
    this.#sm.assertOpen('start-connectx');
    return this.#connect(validateAddressList(remoteAddresses, this.family, true), 'start-connectx');
  }

  #connect(addresses: SocketAddress[], operation: string): number {
    const implicitBind = this.#sm.startConnect(operation);
    let bound = !implicitBind;
    try {
      if (implicitBind) {
        this.#bindNative(wildcard(this.family), operation);
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

  // ---- accept ----------------------------------------------------------------------------------------------------

  /** A new connected socket for the next association; would-block when none is waiting. */
  accept(): SctpSocket {
    this.#sm.checkAccept();
    const r = native.accept(this.id);
    if (r < 0) this.#fail(r, 'accept');
    const s = new SctpSocket(token, r, this.family, this.type, 'connected');
    s.#boundAll = this.#boundAll;
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
    if (!messages.some(needsSetting)) return this.#sendBatch(messages);
    // Check every message first, so that a bad one fails the call before anything was sent, as in one batch.
    for (const m of messages) toNative(m, this.type === 'one-to-many', this.family);
    // usrsctp takes neither SCTP_INIT nor SCTP_AUTHINFO per message: such a message goes alone, with the socket
    // setting it stands for changed around it. Both are read when the stack queues the message (the INIT is built
    // and the DATA chunk bound to its key there), so the restored setting does not affect it.
    let sent = 0;
    while (sent < messages.length) {
      const special = messages.findIndex((m, i) => i >= sent && needsSetting(m));
      if (special !== sent) {
        const plain = messages.slice(sent, special < 0 ? messages.length : special);
        const n = sent === 0 ? this.#sendBatch(plain) : this.#sendMore(plain);
        sent += n;
        if (n < plain.length) return sent;
        continue;
      }
      const n = this.#sendWithSettings(messages[sent], sent > 0);
      if (n === 0) return sent;
      sent += 1;
    }
    return sent;
  }

  /** Sends the rest of a batch: an error or a full buffer now just ends the batch (the next call reports it). */
  #sendMore(messages: readonly OutgoingMessage[]): number {
    try {
      return this.#sendBatch(messages);
    } catch (e) {
      if (e instanceof SctpError) return 0;
      throw e;
    }
  }

  #sendWithSettings(m: OutgoingMessage, more: boolean): number {
    const restore: Array<() => void> = [];
    try {
      if (m.init !== undefined) {
        const saved = getOption(this, 'init-msg');
        setOption(this, 'init-msg', m.init);
        restore.push(() => setOption(this, 'init-msg', saved));
      }
      if (m.authKey !== undefined) {
        // The key of the association the message goes on; for one that it sets up, the endpoint's default.
        const scope: AssocScope = this.type === 'one-to-many' && m.association !== undefined ? m.association : 'future';
        const saved = getOption(this, 'auth-active-key', scope === 'future' ? undefined : scope);
        setOption(this, 'auth-active-key', m.authKey, scope);
        restore.push(() => setOption(this, 'auth-active-key', saved, scope));
      }
      const single = { ...m, init: undefined, authKey: undefined };
      return more ? this.#sendMore([single]) : this.#sendBatch([single]);
    } finally {
      for (const undo of restore.reverse()) undo();
    }
  }

  #sendBatch(messages: readonly OutgoingMessage[]): number {
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
    s.#boundAll = this.#boundAll;
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
        const record = r[i];
        const item = toIncoming(record);
        if (reassembler === undefined || item.kind !== 'message') { out.push(item); continue; }
        const whole = reassembler.add(item, 'truncated' in record && record.truncated);
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

  /**
   * sctp_getladdrs: the local addresses of one association, or (no association) of the socket: those it is bound
   * to, every address of this host for a socket bound to the wildcard address, and on a one-to-one socket with an
   * association, that association's. One-to-one sockets ignore the id (they have one association).
   */
  localAddresses(association?: number): SocketAddress[] {
    this.#sm.checkLocalAddress('local-addresses');
    if (association !== undefined && this.type === 'one-to-many') this.#peerAddressesOf(association, 'local-addresses');
    const r = native.localAddresses(this.id, association === undefined ? 0 : u32(association, 'association'));
    if (typeof r === 'number') this.#fail(r, 'local-addresses');
    return r.map(fromNative);
  }

  /**
   * sctp_getpaddrs: every address of the peer of an association (its paths). One-to-many sockets must name the
   * association; one-to-one sockets ignore the id and need to be connected.
   */
  remoteAddresses(association?: number): SocketAddress[] {
    this.#sm.checkRemoteAddress();
    if (this.type === 'one-to-many') {
      if (association === undefined) throw invalid('remote-addresses: a one-to-many socket must name the association');
      return this.#peerAddressesOf(association, 'remote-addresses').map(fromNative);
    }
    const r = native.peerAddresses(this.id, 0);
    if (typeof r === 'number') this.#fail(r, 'remote-addresses');
    if (r.length === 0) throw new SctpError('invalid-state', 'remote-addresses: the association has ended');
    return r.map(fromNative);
  }

  /** The peer addresses of an association of this one-to-many socket; invalid-argument when it has no such one. */
  #peerAddressesOf(association: number, operation: string): NativeAddress[] {
    // usrsctp_getpaddrs reports an unknown association as an empty list; ids 0..2 name no association (EINVAL).
    const r = native.peerAddresses(this.id, u32(association, 'association'));
    if (typeof r === 'number' && !isErrorCode(errorFromErrno(r), 'invalid-argument')) this.#fail(r, operation);
    if (typeof r === 'number' || r.length === 0) throw invalid(`${operation}: no association ${association} on this socket`);
    return r;
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
      await this.wait(EVENT_READ | EVENT_ERROR | WAIT_RECHECK);
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
