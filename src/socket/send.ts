/**
 * The send path: messages of the API turned into the addon's batch (every message checked before anything is
 * sent), and the messages usrsctp cannot take in a batch (a per-message INIT or AUTH key) sent alone with the socket
 * setting they stand for changed around them.
 */
import { forStack } from '../addresses/sockaddr.js';
import type { SocketAddress } from '../addresses/text.js';
import { SctpError, errnoToCode } from '../errors.js';
import { C, native, type NativeOutgoing } from '../native.js';
import { getOption, setOption, type OptionTarget } from '../options/engine.js';
import type { AssocScope } from '../options/schema.js';
import { prPolicyCode, sendFlagBits } from './send-flags.js';
import { invalid, u32, type SocketCore } from './core.js';
import type { OutgoingMessage } from './types.js';

const EMPTY_ALLOWED = C.SCTP_EOF | C.SCTP_ABORT;

function toNative<A>(m: OutgoingMessage<A>, target: OptionTarget<A>): NativeOutgoing {
  if (typeof m !== 'object' || m === null || !(m.data instanceof Uint8Array)) {
    throw invalid('a message needs data: Uint8Array');
  }
  const stream = m.stream;
  if (stream !== undefined && (!Number.isInteger(stream) || stream < 0 || stream > 0xffff)) {
    throw invalid('stream must be an integer 0..65535');
  }
  const flags = (m.unordered ? C.SCTP_UNORDERED : 0) | (m.flags ? sendFlagBits(m.flags) : 0);
  // SCTP carries no empty user message (RFC 9260 6.2); only EOF and ABORT may come without data (usrsctp refuses
  // an empty piece that only says EOR, too: the last piece of an explicit-EOR message carries bytes).
  if (m.data.length === 0 && (flags & EMPTY_ALLOWED) === 0) {
    throw invalid('a message needs at least one byte (only eof and abort may be empty)');
  }
  // Left undefined without a policy: the association's default-prinfo applies (the addon reads it).
  let prPolicy: number | undefined;
  let prValue: number | undefined;
  if (m.prPolicy) {
    const kind: string = m.prPolicy.kind;
    const code = kind === 'none' ? undefined : prPolicyCode(kind);
    if (code === undefined) throw invalid("prPolicy.kind must be 'ttl', 'rtx' or 'prio'");
    prPolicy = code;
    prValue = u32(m.prPolicy.value, 'prPolicy.value');
  }
  const out: NativeOutgoing = {
    data: m.data,
    sid: stream,
    ppid: m.ppid === undefined ? undefined : u32(m.ppid, 'ppid'),
    // Neither `unordered` nor `flags` given: the default-sndinfo flags apply.
    flags: m.unordered === undefined && m.flags === undefined ? undefined : flags,
    context: m.context === undefined ? undefined : u32(m.context, 'context'),
    assocId: target.type === 'one-to-many' ? u32(m.association, 'association') : 0,
    prPolicy,
    prValue,
  };
  if (m.destination !== undefined) {
    out.to = forStack(target.addressForm.toSockaddr(m.destination), target.family, 'remote');
  } else if (flags & C.SCTP_ADDR_OVER) {
    throw invalid('addrOver needs a destination');
  }
  return out;
}

function needsSetting(m: OutgoingMessage<unknown>): boolean {
  return m.init !== undefined || m.authKey !== undefined;
}

/** One native batch: how many were taken, or a thrown SctpError (would-block when none was). */
type BatchSender = (batch: NativeOutgoing[]) => number;

function sendBatch<A>(s: SocketCore<A>, batch: NativeOutgoing[]): number {
  const r = native.sendBatch(s.id, batch);
  if (r < 0) {
    // A blocked sender waits for the next packet (readiness/interest.ts).
    if (errnoToCode(r) === 'would-block') s.sm.sendBlocked = true;
    s.failSend(r);
  }
  s.sm.sendBlocked = false;
  return r;
}

/**
 * Sends messages in order until one cannot be taken; returns how many were taken. With `reached`, adds the
 * association of each sent message that named a destination (the ones such sends set up).
 */
export function sendMessages<A>(target: SocketCore<A>, messages: readonly OutgoingMessage<A>[], reached?: Set<number>): number {
  target.sm.checkSend();
  if (!Array.isArray(messages)) throw invalid('messages must be an array');
  const send: BatchSender = (batch) => sendBatch(target, batch);
  if (messages.length === 0) return 0;
  const batch = new Array<NativeOutgoing>(messages.length);
  for (let i = 0; i < messages.length; i++) batch[i] = toNative(messages[i], target);
  const sent = messages.some(needsSetting) ? sendAround(target, messages, batch, send) : send(batch);
  if (reached) {
    for (let i = 0; i < sent; i++) {
      const to = batch[i].to;
      const association = to ? native.assocId(target.id, to) : 0;
      if (association > 0) reached.add(association);
    }
  }
  return sent;
}

/**
 * usrsctp takes neither SCTP_INIT nor SCTP_AUTHINFO per message: such a message goes alone, with the socket setting
 * it stands for changed around it. Both are read when the stack queues the message (the INIT is built and the DATA
 * chunk bound to its key there), so the restored setting does not affect it.
 */
function sendAround<A>(target: OptionTarget<A>, messages: readonly OutgoingMessage<A>[], batch: NativeOutgoing[],
  send: BatchSender): number {
  // After the first batch, an error or a full buffer just ends the call (the next call reports it).
  const more: BatchSender = (b) => {
    try {
      return send(b);
    } catch (e) {
      if (e instanceof SctpError) return 0;
      throw e;
    }
  };
  let sent = 0;
  while (sent < messages.length) {
    const sender = sent === 0 ? send : more;
    const special = messages.findIndex((m, i) => i >= sent && needsSetting(m));
    if (special !== sent) {
      const plain = batch.slice(sent, special < 0 ? messages.length : special);
      const n = sender(plain);
      sent += n;
      if (n < plain.length) return sent;
      continue;
    }
    const n = withSettings(target, messages[sent], () => sender([batch[sent]]));
    if (n === 0) return sent;
    sent += 1;
  }
  return sent;
}

function withSettings<A>(socket: OptionTarget<A>, m: OutgoingMessage<A>, send: () => number): number {
  // Neither setting holds an address: the address form does not matter here.
  const target = socket as unknown as OptionTarget<SocketAddress>;
  const restore: Array<() => void> = [];
  try {
    if (m.init !== undefined) {
      const saved = getOption(target, 'init-msg');
      setOption(target, 'init-msg', m.init);
      restore.push(() => setOption(target, 'init-msg', saved));
    }
    if (m.authKey !== undefined) {
      // The key of the association the message goes on; for one that it sets up, the endpoint's default.
      const scope: AssocScope = target.type === 'one-to-many' && m.association !== undefined ? m.association : 'future';
      const saved = getOption(target, 'auth-active-key', scope === 'future' ? undefined : scope);
      setOption(target, 'auth-active-key', m.authKey, scope);
      restore.push(() => setOption(target, 'auth-active-key', saved, scope));
    }
    return send();
  } finally {
    for (const undo of restore.reverse()) undo();
  }
}
