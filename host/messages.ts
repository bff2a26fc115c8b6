// WIT messages and notifications <-> the TS API's. This runs once per message on the data path:
// plain object literals, no per-message allocation beyond what the guest gets.
import type * as wit from '../types/generated/interfaces/sctp-sockets-sctp.js';
import type { Incoming, OutgoingMessage, Notification } from '../src/index.js';
import { HostError } from './errors.js';
import { toWit } from './addresses.js';

export function fromWitMessage(m: wit.OutgoingMessage): OutgoingMessage {
  const info = m.info;
  const f = info.flags;
  // These send-info fields arrive with the messages issue (implicit setup, AUTHINFO, ADDR_OVER);
  // refusing them beats silently sending without them.
  if (info.destination !== undefined || info.init !== undefined || info.authKey !== undefined || f.addrOver) {
    throw new HostError('not-supported');
  }
  return {
    data: m.data,
    stream: info.stream,
    ppid: info.ppid,
    unordered: f.unordered === true,
    association: info.association,
    context: info.context,
    flags: { eof: f.eof, abort: f.abort, sendall: f.sendall, sackImmediately: f.sackImmediately, eor: f.eor },
    prPolicy: info.prPolicy ? { kind: info.prPolicy.tag, value: info.prPolicy.val } : undefined,
  };
}

export function toWitIncoming(item: Incoming): wit.Incoming {
  switch (item.kind) {
    case 'message':
      return {
        tag: 'message',
        val: {
          data: item.data,
          association: item.association,
          stream: item.stream,
          ssn: item.ssn,
          ppid: item.ppid,
          tsn: item.tsn,
          cumulativeTsn: item.cumulativeTsn,
          context: item.context,
          unordered: item.unordered,
          complete: item.complete,
        },
      };
    case 'notification':
      return { tag: 'notification', val: toWitNotification(item.notification) };
    case 'end-of-stream':
      return { tag: 'end-of-stream' };
  }
}

function toWitNotification(n: Notification): wit.Notification {
  throw new Error(`notification ${JSON.stringify(n)} not mapped yet`);
}
