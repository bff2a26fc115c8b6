// How the data-model guest prints what it sees: one JSON line per observation, with every field of
// a notification or message, so that a test can check them one by one.
import type { Incoming, IpSocketAddress, Notification } from 'sctp:sockets/sctp@0.1.0';
import { formatAddress, text } from 'wasm-sctp/guest';

export function report(observation: Record<string, unknown>): void {
  // Typed arrays made by the bindings come from another realm: ArrayBuffer.isView, not instanceof.
  console.log(JSON.stringify(observation, (_, v) => (typeof v === 'bigint' ? Number(v) : ArrayBuffer.isView(v) ? Array.from(v as Uint8Array) : v)));
}

/** Every field of a notification, its kind under `kind`. */
export function notificationFields(n: Notification): Record<string, unknown> {
  const v = n.val as unknown;
  if (typeof v === 'number') return { kind: n.tag, association: v };
  const fields: Record<string, unknown> = { kind: n.tag };
  for (const [key, value] of Object.entries(v as Record<string, unknown>)) {
    fields[key] = key === 'address' ? formatAddress(value as IpSocketAddress) : value;
  }
  return fields;
}

/** What a guest sees of an incoming item: notifications with all their fields, messages by text. */
export function describe(item: Incoming): Record<string, unknown> {
  if (item.tag === 'end-of-stream') return { end: true };
  if (item.tag === 'notification') return notificationFields(item.val);
  const m = item.val;
  return {
    message: m.data.length <= 64 ? text(m.data) : `<${m.data.length} bytes>`, length: m.data.length, association: m.association, stream: m.stream, ppid: m.ppid,
    unordered: m.unordered, complete: m.complete, next: m.next,
  };
}
