/**
 * The receive path: the addon's records turned into the API's items, messages delivered in pieces put together
 * (reassembly.ts), and where each association's items came from.
 */
import type { AddressForm } from '../addresses/sockaddr.js';
import { SctpError } from '../errors.js';
import { C, native, type NativeEof, type NativeRecord, type NativeSource } from '../native.js';
import type { Notification } from './notifications.js';
import type { Carried, SocketCore } from './core.js';
import type { Incoming } from './types.js';

/** The most items one receive call returns. */
export const MAX_RECEIVE = 65536;

function toIncoming<A>(r: NativeRecord | NativeEof, form: AddressForm<A>): Incoming<A> {
  if ('eof' in r) return { kind: 'end-of-stream' };
  const n = r.notification;
  if (n !== undefined) {
    const notification = n.type === 'peer-addr-change' && n.address ? { ...n, address: form.fromSockaddr(n.address) } : n;
    return { kind: 'notification', notification: notification as Notification<A> };
  }
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

/**
 * Up to `max` items in delivery order; [] when nothing is pending. With `sources`, also records the peer address
 * each association's items came from (the first of this call per association).
 */
export function receiveItems<A>(socket: SocketCore<A>, max: number, sources?: Map<number, A>): Incoming<A>[] {
  socket.sm.checkReceive();
  if (!Number.isInteger(max) || max < 0) throw new SctpError('invalid-argument', 'max must be a non-negative integer');
  max = Math.min(max, MAX_RECEIVE);
  const out = takeCarried(socket, max, sources);
  const { reassembler, addressForm: form } = socket;
  // Pieces of a message being reassembled yield nothing: keep reading while the stack has more.
  while (out.length < max) {
    const raw: NativeSource[] | undefined = sources && [];
    const r = native.recvBatch(socket.id, max - out.length, raw);
    if (typeof r === 'number') {
      if (out.length > 0) break; // the error comes again on the next call
      socket.fail(r, 'receive');
    }
    if (raw) for (const s of raw) if (!sources!.has(s.assocId)) sources!.set(s.assocId, form.fromSockaddr(s.address));
    let held = false;
    for (let i = 0; i < r.length; i++) {
      const record = r[i];
      const item = toIncoming(record, form);
      if (reassembler === undefined || item.kind !== 'message') {
        const n = item.kind === 'notification' ? item.notification : undefined;
        if (reassembler && n?.type === 'partial-delivery' && n.indication === 'aborted') {
          // What arrived of the aborted message comes before the event, `complete` false: one item more than the
          // records read, so the last item of a full batch may have to wait for the next call.
          const cut = reassembler.abandon(n.assocId, n.stream, n.seq);
          if (cut) out.push(cut);
        }
        out.push(item);
        continue;
      }
      const whole = reassembler.add(item, 'truncated' in record && record.truncated);
      if (whole) out.push(whole); else held = true;
    }
    if (!held || r.length === 0) break;
  }
  if (out.length > max) carry(socket, out.splice(max), sources);
  return out;
}

/** Up to `max` items a previous receive read and had no room for (their sources added to `sources`). */
function takeCarried<A>(socket: SocketCore<A>, max: number, sources?: Map<number, A>): Incoming<A>[] {
  const carried = socket.carried;
  if (carried === undefined) return [];
  if (sources) for (const [association, address] of carried.sources) if (!sources.has(association)) sources.set(association, address);
  const items = carried.items.splice(0, max);
  if (carried.items.length === 0) socket.carried = undefined;
  return items;
}

function carry<A>(socket: SocketCore<A>, items: Incoming<A>[], sources?: Map<number, A>): void {
  const carried: Carried<A> = socket.carried ??= { items: [], sources: new Map<number, A>() };
  carried.items.push(...items);
  if (!sources) return;
  for (const item of items) {
    const association = item.kind === 'message' ? item.association : item.kind === 'notification' ? item.notification.assocId : 0;
    const address = sources.get(association);
    if (address !== undefined) carried.sources.set(association, address);
  }
}
