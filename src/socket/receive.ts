/**
 * The receive path: the addon's records turned into the API's items, messages delivered in pieces put together
 * (reassembly.ts), and where each association's items came from.
 */
import type { AddressForm } from '../addresses/sockaddr.js';
import { SctpError } from '../errors.js';
import { C, native, type NativeEof, type NativeRecord, type NativeSource } from '../native.js';
import type { Notification } from './notifications.js';
import type { SocketCore } from './core.js';
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
  const out: Incoming<A>[] = [];
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
        out.push(item);
        continue;
      }
      const whole = reassembler.add(item, 'truncated' in record && record.truncated);
      if (whole) out.push(whole); else held = true;
    }
    if (!held || r.length === 0) break;
  }
  return out;
}
