// peer.js send: the sender of the benchmark's lane (b), the Node TS API as a Node program would use
// it: batches of messages through `send`, awaiting readiness (`wait`) only on would-block (what
// `sendAll` does, with counters). It prints what every sender of the benchmark prints (the native
// C sender's `event` lines), and its loop is the C sender's; stream.ts paces numbered messages instead.
//
//   peer.js send --address A --port P --udp-encaps U [--size 1024] [--seconds 3] [--batch N]
// stdout: {"event":"connected","localPort":N}, {"event":"sent",...}, {"event":"closed"}.
import { SctpSocket, initStack, isErrorCode, type Notification, type OutgoingMessage } from '../../../src/index.js';
import { emit, type Args } from './args.js';

/**
 * Reads a one-to-one socket until its association ends, handing notifications to `onNotification`;
 * `shutdown` ends the association gracefully and says how it ended within 10 s. A sender must stay
 * until then: what is still queued in its stack would be lost at exit.
 */
export function finish(sock: SctpSocket, onNotification: (n: Notification) => void = () => {}): { shutdown(): Promise<'end-of-stream' | 'timeout'> } {
  const reading = (async () => {
    for (;;) {
      let items;
      try { items = await sock.receiveSome(256); } catch { return false; }
      for (const item of items) {
        if (item.kind === 'end-of-stream') return true;
        if (item.kind === 'notification') onNotification(item.notification);
      }
    }
  })();
  return {
    async shutdown() {
      sock.shutdown();
      let timer: NodeJS.Timeout | undefined;
      const ended = await Promise.race([reading, new Promise<false>((resolve) => { timer = setTimeout(() => resolve(false), 10_000); })]);
      clearTimeout(timer);
      sock.close();
      return ended ? 'end-of-stream' : 'timeout';
    },
  };
}

/** `peer.js send`. */
export async function run(args: Args): Promise<void> {
  const size = args.number('size', 1024);
  const seconds = args.number('seconds', 3);
  const batch = args.number('batch', size <= 4096 ? 128 : 4);
  initStack({ udpPort: 'auto' });
  const sock = SctpSocket.create('ipv4', 'one-to-one');
  sock.setOption('remote-udp-encaps-port', args.number('udp-encaps'), 'future');
  sock.bind({ family: 'ipv4', address: '127.0.0.1', port: 0 });
  await sock.connect({ family: 'ipv4', address: args.text('address'), port: args.number('port') });
  emit({ event: 'connected', localPort: sock.localAddress().port });

  const data = new Uint8Array(size);
  const messages: OutgoingMessage[] = Array.from({ length: batch }, () => ({ data, stream: 0, ppid: 1 }));
  let sent = 0;
  let sendCalls = 0;
  let wouldBlock = 0;
  const started = process.hrtime.bigint();
  const deadline = started + BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() < deadline) {
    // sock.sendAll(messages), counting calls and would-blocks.
    let taken = 0;
    while (taken < messages.length) {
      try {
        sendCalls++;
        taken += sock.send(taken === 0 ? messages : messages.slice(taken));
      } catch (e) {
        if (!isErrorCode(e, 'would-block')) throw e;
        wouldBlock++;
        await sock.wait();
      }
    }
    sent += taken;
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  emit({ event: 'sent', messages: sent, bytes: sent * size, seconds: elapsed, sendCalls, wouldBlock });
  if (await finish(sock).shutdown() === 'timeout') throw new Error('the association did not end within 10 s');
  emit({ event: 'closed' });
}
