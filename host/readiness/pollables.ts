// Pollables of SCTP sockets for guests. Each is a preview2-shim Pollable (jco's generated code
// checks `instanceof` the Pollable of `wasi:io/poll` and keys its resource table by the
// `cabiRep` symbol), so it mixes with clocks and TCP streams in poll(); but ready() and block()
// look at the socket on the main thread (src/readiness/level.ts), with no IO-worker round trip,
// and are level-triggered: a reused pollable blocks again once the socket is drained. A socket
// keeps the pollables guests drop for its next subscribe, so that only its first costs worker calls.
import { callExtension, inputStreamCreate } from '@bytecodealliance/preview2-shim/io-worker';
import { poll as shimPoll } from '@bytecodealliance/preview2-shim/io';
import { blockUntilReady, isReady, publishInterest } from '../../src/index.js';

const extension = new URL('./worker.js', import.meta.url);
const cabiRep = Symbol.for('cabiRep');

/** preview2-shim's pollables; the class's constructor is declared private, but it is not. */
export interface ShimPollable {
  ready(): boolean;
  block(): void;
}
const ShimPollableClass = shimPoll.Pollable as unknown as new () => ShimPollable;
type LevelStream = ReturnType<typeof inputStreamCreate>;

/** What a pollable waits on: a socket of the TS API (its id, and what a wait looks for in its state now). */
export interface Waitable {
  readonly id: number;
  interest(): number;
}

export class SctpPollable extends ShimPollableClass {
  readonly #set: SocketPollables;
  /**
   * The IO worker's pollable on the socket's level state (worker.ts), for poll() lists the worker
   * answers. Its id is this pollable's `cabiRep`: worker ids are never reused, so no two live
   * pollables share one. Gone once the socket is closed: the worker forgets the socket then.
   */
  #worker: ShimPollable | undefined;

  constructor(set: SocketPollables, worker: ShimPollable) {
    super();
    this.#set = set;
    this.#worker = worker;
    (this as Record<symbol, unknown>)[cabiRep] = (worker as unknown as Record<symbol, unknown>)[cabiRep];
  }

  override ready(): boolean {
    return isReady(this.#set.socket.id, this.#set.socket.interest());
  }

  override block(): void {
    if (!this.ready()) SctpPollable.wait([this]);
  }

  [Symbol.dispose](): void {
    this.#set.release(this);
  }

  /** The worker answers poll() for this pollable (the list mixes in other pollables). */
  get inWorker(): boolean {
    return this.#worker !== undefined;
  }

  /** Before the worker polls this pollable: the interest it will compare the socket's events with. */
  publish(): void {
    publishInterest(this.#set.socket.id, this.#set.socket.interest());
  }

  /** Lets the worker's pollable go (the socket is closed, or this pollable is done). */
  detach(): void {
    (this.#worker as unknown as Disposable | undefined)?.[Symbol.dispose]();
    this.#worker = undefined;
  }

  /** Blocks until one of the pollables is ready, on the main thread; their indices. */
  static wait(list: readonly SctpPollable[]): number[] {
    return blockUntilReady(list.map((p) => p.#set.socket.id), list.map((p) => p.#set.socket.interest()));
  }
}

/**
 * The pollables of one socket: those guests hold, and those they dropped, kept for the next
 * subscribe (never the same object to two holders at once). The worker's side, one level stream
 * per socket with a worker pollable per SctpPollable, is made on the first subscribe and let go
 * when the socket closes.
 */
export class SocketPollables {
  #free: SctpPollable[] = [];
  readonly #held = new Set<SctpPollable>();
  #level: LevelStream | undefined;
  #closed = false;

  constructor(readonly socket: Waitable) {}

  subscribe(): SctpPollable {
    const pollable = this.#free.pop() ?? new SctpPollable(this, this.#levelStream().subscribe() as ShimPollable);
    this.#held.add(pollable);
    return pollable;
  }

  /** A holder dropped the pollable. */
  release(pollable: SctpPollable): void {
    if (!this.#held.delete(pollable)) return; // dropped twice
    if (!this.#closed) {
      this.#free.push(pollable);
      return;
    }
    pollable.detach();
    this.#letLevelGo();
  }

  /**
   * The socket is closed: the worker's side goes now, even for pollables guests still hold; those
   * stay ready for good (a closed socket's pollable is) and are answered on the main thread.
   */
  close(): void {
    this.#closed = true;
    for (const pollable of [...this.#free, ...this.#held]) pollable.detach();
    this.#free = [];
    this.#letLevelGo();
  }

  #levelStream(): LevelStream {
    this.#level ??= inputStreamCreate(callExtension(extension, 'level', [this.socket.id]) as number);
    return this.#level;
  }

  /** preview2-shim refuses to drop a stream while a worker pollable on it lives. */
  #letLevelGo(): void {
    if (!this.#level || [...this.#held].some((p) => p.inWorker)) return;
    (this.#level as unknown as Disposable)[Symbol.dispose]();
    this.#level = undefined;
  }
}

/** Counts of the IO worker's resources, for leak checks in tests. */
export function workerResourceCounts(): { streams: number; futures: number; polls: number; sockets: number } {
  return callExtension(extension, 'counts', []) as { streams: number; futures: number; polls: number; sockets: number };
}
