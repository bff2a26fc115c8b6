/**
 * THE one place holding the socket state machine (modelled on wasi:sockets/tcp and preview2-shim's TCP socket);
 * docs/SctpSocketOperationalSemantics.md describes it for guests. What a wait looks for in each state is
 * src/readiness/interest.ts.
 *
 * States:
 *   unbound --start-bind--> bind-started --finish-bind--> bound
 *   bound --start-listen--> listen-started --finish-listen--> listening
 *   unbound --add-local-addresses--> bound                                  (sctp_bindx on an unbound socket binds)
 *   unbound|bound --start-connect--> connect-started --finish-connect--> connected        (success)
 *                                                     \-- would-block --> connecting     (handshake still running)
 *                                                     \-- failure ----> connect-failed   (one-to-one: terminal)
 *   any --close--> closed
 *
 * Rules (as wasi:sockets/tcp):
 * - start-X in a state that does not allow it -> invalid-state;
 * - start-X while another start is pending (bind-started, listen-started, connect-started, connecting)
 *   -> concurrency-conflict;
 * - finish-X with no matching start -> not-in-progress;
 * - finish-connect while the handshake runs -> would-block (state 'connecting');
 * - everything on a closed socket -> invalid-state.
 *
 * One-to-many sockets differ: associations are independent of the socket. A one-to-many socket may connect while
 * bound, listening or already connected (one pending connect at a time); after the connect (success or failure) it
 * returns to its resting state ('listening' stays 'listening'; 'bound' becomes 'connected' on success). accept() is
 * invalid-state (associations arrive on the socket itself), shutdown() is not-supported (send with the eof flag ends
 * one association).
 *
 * Multi-homing (sctp_bindx, sctp_connectx): start-connectx is start-connect with several peer addresses and shares its
 * transitions. add-local-addresses binds an unbound socket at once (no finish step, as sctp_bindx) and adds
 * addresses to a bound, listening or connected one; remove-local-addresses needs one of those states too. Both are
 * concurrency-conflict while a bind, listen or connect is pending.
 *
 * Binding takes the network capability (wasi:sockets' `network` resource), so only the calls that take it bind:
 * start-bind, add-local-addresses, and start-connect(x), which binds an unbound socket to the wildcard address of its
 * family (the socket then advertises every local address of that family; bind explicitly to restrict it).
 * start-listen and a one-to-many send take no network: on an unbound socket they are invalid-state, as wasi:sockets'
 * TCP start-listen and UDP stream are.
 *
 * shutdown() does not change the state: a one-to-one socket stays 'connected' (receiving continues until
 * end-of-stream) but further sends are invalid-state. 'closed' is entered by close() only.
 */
import { SctpError } from '../errors.js';

export type SocketType = 'one-to-one' | 'one-to-many';

export type SocketState =
  | 'unbound'
  | 'bind-started'
  | 'bound'
  | 'listen-started'
  | 'listening'
  | 'connect-started'
  | 'connecting'
  | 'connected'
  | 'connect-failed'
  | 'closed';

/** Where a socket has local addresses to add to or remove from (sctp_bindx). */
const ADDRESS_STATES: readonly SocketState[] = ['bound', 'listening', 'connected'];

const PENDING: ReadonlySet<SocketState> = new Set(['bind-started', 'listen-started', 'connect-started', 'connecting']);

function invalidState(op: string, state: SocketState): SctpError {
  return new SctpError('invalid-state', `${op}: not allowed in state '${state}'`);
}

/** A call that takes no network on an unbound socket: binding needs the capability start-bind takes. */
function notBound(op: string): SctpError {
  return new SctpError('invalid-state', `${op}: the socket is not bound (bind it first: ${op} binds nothing implicitly)`);
}

export class SocketStateMachine {
  state: SocketState = 'unbound';
  /** The last send returned would-block (readiness then includes writability). */
  sendBlocked = false;
  /** shutdown() was called: no more sends. */
  sendShutdown = false;
  /** One-to-many: the state to return to after a connect. */
  private resting: SocketState = 'unbound';

  constructor(readonly type: SocketType) {}

  /** Throws invalid-state on a closed socket (every operation but close). */
  assertOpen(op: string): void {
    if (this.state === 'closed') throw invalidState(op, this.state);
  }

  private start(op: string, allowed: readonly SocketState[]): void {
    if (allowed.includes(this.state)) return;
    if (PENDING.has(this.state)) {
      throw new SctpError('concurrency-conflict', `${op}: another bind, listen or connect is in progress`);
    }
    throw invalidState(op, this.state);
  }

  private finish(op: string, started: readonly SocketState[]): void {
    this.assertOpen(op);
    if (!started.includes(this.state)) throw new SctpError('not-in-progress', `${op}: no ${op.slice(7)} in progress`);
  }

  startBind(): void {
    this.start('start-bind', ['unbound']);
    this.state = 'bind-started';
  }

  /** A bind that failed at once leaves the socket unbound (it can be retried, e.g. after address-in-use). */
  bindFailed(): void {
    this.state = 'unbound';
  }

  finishBind(): void {
    this.finish('finish-bind', ['bind-started']);
    this.state = 'bound';
  }

  /**
   * add-local-addresses: 'bind' when the socket is unbound (the first address binds it; call `boundByBindx` once
   * it did), 'add' when it is bound, listening or connected.
   */
  addLocalAddresses(): 'bind' | 'add' {
    this.start('add-local-addresses', ['unbound', ...ADDRESS_STATES]);
    return this.state === 'unbound' ? 'bind' : 'add';
  }

  /** The bind of add-local-addresses on an unbound socket took at least its first address. */
  boundByBindx(): void {
    if (this.state === 'unbound') {
      this.state = 'bound';
      this.resting = 'bound';
    }
  }

  checkRemoveLocalAddresses(): void {
    this.start('remove-local-addresses', ADDRESS_STATES);
  }

  /** A listen or connect (or the connect's implicit bind) rejected at once: as before, or bound if the bind worked. */
  startRejected(bound: boolean): void {
    this.state = bound ? this.resting : 'unbound';
  }

  startListen(): void {
    if (this.state === 'unbound') throw notBound('start-listen');
    this.start('start-listen', this.type === 'one-to-one' ? ['bound'] : ['bound', 'connected']);
    this.resting = this.state;
    this.state = 'listen-started';
  }

  finishListen(): void {
    this.finish('finish-listen', ['listen-started']);
    this.state = 'listening';
  }

  /**
   * start-connect and start-connectx: the socket goes to connect-started, remembering where to return. Returns true
   * when the caller must bind implicitly first (unbound socket).
   */
  startConnect(op = 'start-connect'): boolean {
    const allowed: SocketState[] =
      this.type === 'one-to-one' ? ['unbound', 'bound'] : ['unbound', 'bound', 'listening', 'connected'];
    this.start(op, allowed);
    const implicitBind = this.state === 'unbound';
    this.resting = implicitBind ? 'bound' : this.state;
    this.state = 'connect-started';
    return implicitBind;
  }

  /** Checks that a connect is in progress (not-in-progress otherwise). */
  checkFinishConnect(): void {
    this.finish('finish-connect', ['connect-started', 'connecting']);
  }

  connectPending(): void {
    this.state = 'connecting';
  }

  connectSucceeded(): void {
    this.state = this.type === 'one-to-one' || this.resting !== 'listening' ? 'connected' : 'listening';
  }

  connectFailed(): void {
    this.state = this.type === 'one-to-one' ? 'connect-failed' : this.resting;
  }

  /** The backlog can be set in any open state; returns 'apply' when the socket already listens. */
  setListenBacklogSize(): 'store' | 'apply' {
    this.assertOpen('set-listen-backlog-size');
    return this.state === 'listening' || this.state === 'listen-started' ? 'apply' : 'store';
  }

  checkAccept(): void {
    this.assertOpen('accept');
    if (this.type === 'one-to-many') {
      throw new SctpError('invalid-state', 'accept: one-to-many sockets receive associations on themselves (peeloff takes one out)');
    }
    if (this.state !== 'listening') throw invalidState('accept', this.state);
  }

  private dataStates(): readonly SocketState[] {
    return this.type === 'one-to-one'
      ? ['connected']
      : ['bound', 'listen-started', 'listening', 'connect-started', 'connecting', 'connected'];
  }

  checkSend(): void {
    this.assertOpen('send');
    if (this.type === 'one-to-many' && this.state === 'unbound') throw notBound('send');
    if (!this.dataStates().includes(this.state)) throw invalidState('send', this.state);
    if (this.sendShutdown) throw new SctpError('invalid-state', 'send: the socket was shut down for sending');
  }

  checkReceive(): void {
    this.assertOpen('receive');
    if (!this.dataStates().includes(this.state)) throw invalidState('receive', this.state);
  }

  checkPeeloff(): void {
    this.assertOpen('peeloff');
    if (this.type !== 'one-to-many') throw new SctpError('invalid-state', 'peeloff: only one-to-many sockets have associations to peel off');
    if (this.state === 'unbound' || this.state === 'bind-started') throw invalidState('peeloff', this.state);
  }

  checkShutdown(): void {
    this.assertOpen('shutdown');
    if (this.type === 'one-to-many') {
      throw new SctpError('not-supported', 'shutdown: end one association with a message flagged eof instead');
    }
    if (this.state !== 'connected') throw invalidState('shutdown', this.state);
  }

  checkRemoteAddress(): void {
    this.assertOpen('remote-address');
    const ok = this.type === 'one-to-one' ? this.state === 'connected' : this.state !== 'unbound';
    if (!ok) throw invalidState('remote-address', this.state);
  }

  checkLocalAddress(op = 'local-address'): void {
    this.assertOpen(op);
    if (this.state === 'unbound' || this.state === 'bind-started') throw invalidState(op, this.state);
  }

  close(): void {
    this.state = 'closed';
  }
}
