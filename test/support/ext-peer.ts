// The far end of the extension checks between two hosts (test/extensions-netns.test.ts): a
// one-to-one server on the TS API (no WebAssembly) with AUTH (DATA must be authenticated; keys 0
// and 2), stream reconfiguration, I-DATA and every notification on. It prints one JSON line per
// thing it sees ({"listening"}, {"message"}, {"notification"}, {"end"}) and exits at the end of
// the association.
//   node dist/test/support/ext-peer.js <address> <port>
import { SctpSocket, type Incoming } from '../../src/index.js';
import type { EventKind } from '../../src/index.js';

const [address, port] = [process.argv[2], Number(process.argv[3])];
const KINDS: EventKind[] = ['assoc-change', 'peer-addr-change', 'remote-error', 'send-failed', 'shutdown', 'adaptation-indication',
  'partial-delivery', 'authentication', 'sender-dry', 'stream-reset', 'assoc-reset', 'stream-change'];
const print = (o: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(o)}\n`);

const srv = SctpSocket.create('ipv4', 'one-to-one');
for (const kind of KINDS) srv.setOption('event', true, 'future', { kind });
srv.setOption('auth-chunk', 0);
srv.setOption('auth-key', { keyNumber: 2, key: Buffer.alloc(8, 2) });
srv.setOption('enable-stream-reset', { resetStreams: true, resetAssociation: true, addStreams: true });
srv.setOption('fragment-interleave', 'streams');
srv.setOption('interleaving-supported', true);
srv.bind({ family: 'ipv4', address, port });
srv.listen();
print({ listening: `${address}:${port}` });

const conn = await srv.acceptOne();
const describe = (item: Incoming): Record<string, unknown> => {
  if (item.kind === 'end-of-stream') return { end: true };
  if (item.kind === 'notification') return { notification: item.notification };
  return { message: item.data.length <= 64 ? item.data.toString() : `<${item.data.length} bytes>`, stream: item.stream, length: item.data.length };
};
for (let done = false; !done;) {
  let items: Incoming[];
  try { items = await conn.receiveSome(); } catch (e) { print({ error: (e as { code?: string }).code ?? String(e) }); break; }
  for (const item of items) {
    print(describe(item));
    if (item.kind === 'end-of-stream') done = true;
  }
}
conn.close();
srv.close();
process.exit(0);
