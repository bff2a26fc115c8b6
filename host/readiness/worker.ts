// Runs inside preview2-shim's IO worker (loaded with callExtension). It gives every socket that has
// pollables one level-triggered poll state in the worker, for poll() lists that mix SCTP pollables
// with clocks or TCP streams: the worker answers those, and while the main thread is frozen in
// them only this thread can notice that an SCTP socket became ready.
import { EventEmitter } from 'node:events';
import type { Readable } from 'node:stream';
import type { WorkerExtension, WorkerExtensionContext } from '@bytecodealliance/preview2-shim/io-worker';
import { EVENT_INTEREST } from '../../src/readiness/mask.js';
import { isReady, publishedInterest } from '../../src/readiness/level.js';
import { whenReady } from '../../src/readiness/wait.js';

/**
 * What preview2-shim's worker takes for a readable stream, as far as its poll state looks at it.
 * The worker re-checks a stream's poll state on every poll (`pollStateCheck`): when ready but
 * `readableLength` is 0 (and the stream has not ended or failed) it becomes not-ready and waits
 * for the stream's next 'readable' event. With `readableLength` saying whether a wait on the
 * socket's published interest would end now, and 'readable' emitted when it would, a pollable on
 * this stream is ready exactly while the socket is, however often it is reused. Nothing is ever
 * read from it.
 */
class SocketLevel extends EventEmitter {
  readonly readableEnded = false;
  readonly errored = null;
  readonly closed = false;

  constructor(private readonly socketId: number) {
    super();
    // The worker listens for one 'readable' at a time, only while a poll waits on the socket.
    this.on('newListener', (event) => {
      if (event === 'readable') this.#arm();
    });
  }

  get readableLength(): number {
    return this.#ready() ? 1 : 0;
  }

  read(): null {
    return null;
  }

  #ready(): boolean {
    return isReady(this.socketId, publishedInterest(this.socketId));
  }

  /**
   * Waits for the interest as published now. The main thread publishes it before every poll it
   * hands to the worker; when it changed since (a send blocked meanwhile, a connect finished), the
   * wait ends early and starts over with the new one, so a stale mask never misses a wake-up.
   */
  #arm(): void {
    void whenReady(this.socketId, publishedInterest(this.socketId) | EVENT_INTEREST).then((events) => {
      if (events & EVENT_INTEREST && !this.#ready()) this.#arm();
      else this.emit('readable');
    });
  }
}

export default function create(ctx: WorkerExtensionContext): WorkerExtension {
  return (operation, args) => {
    switch (operation) {
      case 'level': {
        const [socketId] = args as [number];
        return ctx.createReadableStream(new SocketLevel(socketId) as unknown as Readable);
      }
      case 'counts':
        return ctx.resourceCounts();
      default:
        throw new Error(`sctp readiness extension: unknown operation ${operation}`);
    }
  };
}
