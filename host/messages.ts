// WIT messages and notifications <-> the TS API's. This runs once per message on the data path:
// plain object literals, and a received message is not copied at all.
import type * as wit from '../types/generated/interfaces/sctp-sockets-sctp.js';
import type { Incoming, OutgoingMessage, Notification, Sockaddr } from '../src/index.js';
import { fromWit, toWit } from './addresses.js';

export function fromWitMessage(m: wit.OutgoingMessage): OutgoingMessage<Sockaddr> {
  const info = m.info;
  return {
    data: m.data,
    stream: info.stream,
    ppid: info.ppid,
    association: info.association,
    context: info.context,
    // Flags left out: the association's default-sndinfo flags apply.
    flags: info.flags,
    prPolicy: info.prPolicy ? { kind: info.prPolicy.tag, value: info.prPolicy.val } : undefined,
    destination: info.destination && fromWit(info.destination),
    init: info.init,
    authKey: info.authKey,
  };
}

export function toWitIncomingList(items: Incoming<Sockaddr>[]): wit.Incoming[] {
  const out: wit.Incoming[] = [];
  for (const item of items) {
    const converted = toWitIncoming(item);
    if (converted) out.push(converted);
  }
  return out;
}

function toWitIncoming(item: Incoming<Sockaddr>): wit.Incoming | undefined {
  switch (item.kind) {
    case 'message':
      // The TS API's message has the WIT record's fields (and its `kind`, which the lowering ignores).
      return { tag: 'message', val: item };
    case 'notification':
    {
      const notification = toWitNotification(item.notification);
      return notification && { tag: 'notification', val: notification };
    }
    case 'end-of-stream':
      return { tag: 'end-of-stream' };
  }
}

const FEATURES: Record<string, keyof wit.AssocFeatures> = {
  pr: 'partialReliability', auth: 'authentication', asconf: 'addressReconfiguration',
  multibuf: 'multiBuffer', 're-config': 'streamReconfiguration', interleaving: 'interleaving',
};

function resetFlags(n: { incoming?: boolean; outgoing?: boolean; denied: boolean; failed: boolean }): wit.ResetFlags {
  return { incoming: n.incoming === true, outgoing: n.outgoing === true, denied: n.denied, failed: n.failed };
}

/** Notification kinds the WIT cannot express (a future stack's new kind, a truncated read) come back as `unknown`. */
function toWitNotification(n: Notification<Sockaddr>): wit.Notification | undefined {
  switch (n.type) {
    case 'assoc-change': {
      if (n.state === 'unknown') break;
      const features: wit.AssocFeatures = {};
      for (const f of n.features) if (FEATURES[f]) features[FEATURES[f]] = true;
      return { tag: 'assoc-change', val: { association: n.assocId, state: n.state, error: n.error, outboundStreams: n.outboundStreams,
        inboundStreams: n.inboundStreams, features, abortChunk: n.abortInfo } };
    }
    case 'peer-addr-change': {
      if (n.state === 'unknown' || !n.address) break;
      return { tag: 'peer-addr-change', val: { association: n.assocId, address: toWit(n.address), state: n.state, error: n.error } };
    }
    case 'remote-error':
      return { tag: 'remote-error', val: { association: n.assocId, error: n.error, data: n.data } };
    case 'send-failed':
      return { tag: 'send-failed', val: { association: n.assocId, sent: n.sent, error: n.error, stream: n.sndinfo.sid,
        ppid: n.sndinfo.ppid, context: n.sndinfo.context, data: n.data } };
    case 'shutdown':
      return { tag: 'shutdown', val: n.assocId };
    case 'adaptation-indication':
      return { tag: 'adaptation-indication', val: { association: n.assocId, indication: n.adaptationInd } };
    case 'partial-delivery':
      return { tag: 'partial-delivery', val: { association: n.assocId, aborted: n.indication === 'aborted', stream: n.stream, sequence: n.seq } };
    case 'authentication':
      if (n.indication === 'unknown') break;
      return { tag: 'authentication', val: { association: n.assocId, keyNumber: n.keyNumber, indication: n.indication } };
    case 'sender-dry':
      return { tag: 'sender-dry', val: n.assocId };
    case 'notifications-stopped':
      return { tag: 'notifications-stopped', val: n.assocId };
    case 'stream-reset':
      return { tag: 'stream-reset', val: { association: n.assocId, flags: resetFlags(n), streams: Uint16Array.from(n.streams) } };
    case 'assoc-reset':
      return { tag: 'assoc-reset', val: { association: n.assocId, flags: resetFlags(n), localTsn: n.localTsn, remoteTsn: n.remoteTsn } };
    case 'stream-change':
      return { tag: 'stream-change', val: { association: n.assocId, flags: resetFlags(n), inboundStreams: n.inboundStreams,
        outboundStreams: n.outboundStreams } };
  }
  // Only kinds the guest subscribed to arrive, and each has a WIT case; what is left is a read the
  // stack truncated or a kind it added. Say so instead of failing the whole batch.
  console.error(`wasm-sctp host: notification without a WIT form skipped: ${JSON.stringify(n)}`);
  return undefined;
}
