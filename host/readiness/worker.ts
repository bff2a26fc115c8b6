// Runs inside preview2-shim's IO worker (loaded with callExtension). While the main thread is
// frozen in poll()/block(), only this thread can notice that an SCTP socket became ready, so the
// readiness futures behind our pollables are created and resolved here, never on the data path.
import type { WorkerExtension, WorkerExtensionContext } from '@bytecodealliance/preview2-shim/io-worker';
import { whenReady } from '../../src/readiness/wait.js';

export default function create(ctx: WorkerExtensionContext): WorkerExtension {
  return (operation, args) => {
    switch (operation) {
      case 'subscribe': {
        // A fresh one-shot future per subscribe: level-triggered readiness is then just "check
        // now, else wait for the next matching upcall", which whenReady does without a gap.
        const [socketId, mask] = args as [number, number];
        return ctx.createFuture(whenReady(socketId, mask).then(() => undefined));
      }
      case 'counts':
        return ctx.resourceCounts();
      default:
        throw new Error(`sctp readiness extension: unknown operation ${operation}`);
    }
  };
}
