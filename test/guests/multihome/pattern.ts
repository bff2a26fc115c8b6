// What the multi-homing guest and its Node-side peers (the peer program's server and stream modes,
// test/harness/peers/) agree on: the numbered messages they check, the control messages they
// exchange, and the path-failure settings. No imports: this file is compiled both into the guest
// and into the Node harness.

/** PPID of numbered messages (checked for content, order and duplicates). */
export const SEQ_PPID = 0x4d480001;
/** PPID of control messages: JSON text, one object each. */
export const CONTROL_PPID = 0x4d480002;
/** The stream control messages use; numbered messages use streams 1..n. */
export const CONTROL_STREAM = 0;

/**
 * Numbered message `seq`: 4 bytes of seq (big-endian), then bytes that depend on seq and position,
 * so that a corrupted, truncated or misplaced message shows. Sent on stream 1 + seq % streams.
 */
export function numbered(seq: number, size: number): Uint8Array {
  const data = new Uint8Array(Math.max(size, 4));
  data[0] = seq >>> 24; data[1] = (seq >>> 16) & 0xff; data[2] = (seq >>> 8) & 0xff; data[3] = seq & 0xff;
  for (let i = 4; i < data.length; i++) data[i] = (seq * 31 + i * 7) & 0xff;
  return data;
}

export function streamOf(seq: number, streams: number): number {
  return 1 + (seq % streams);
}

/** The seq of a numbered message, or -1 when its bytes are not exactly what `numbered` made. */
export function seqOf(data: Uint8Array, size: number): number {
  if (data.length !== Math.max(size, 4)) return -1;
  const seq = ((data[0] << 24) | (data[1] << 16) | (data[2] << 8) | data[3]) >>> 0;
  for (let i = 4; i < data.length; i++) if (data[i] !== ((seq * 31 + i * 7) & 0xff)) return -1;
  return seq;
}

/**
 * Checks numbered messages as they arrive: each stream must deliver its messages in sending order
 * (seq, seq + streams, ...), nothing twice, nothing corrupt; `missing` lists what never came.
 */
export class SequenceCheck {
  received = 0;
  corrupt = 0;
  duplicates = 0;
  outOfOrder = 0;
  wrongStream = 0;
  private readonly seen = new Set<number>();
  private readonly last = new Map<number, number>();

  constructor(readonly size: number, readonly streams: number) {}

  /** Returns the message's seq (-1 if corrupt). */
  add(data: Uint8Array, stream: number): number {
    const seq = seqOf(data, this.size);
    if (seq < 0) { this.corrupt++; return -1; }
    if (this.seen.has(seq)) { this.duplicates++; return seq; }
    this.seen.add(seq);
    this.received++;
    if (stream !== streamOf(seq, this.streams)) this.wrongStream++;
    const previous = this.last.get(stream);
    if (previous !== undefined && seq !== previous + this.streams) this.outOfOrder++;
    this.last.set(stream, seq);
    return seq;
  }

  missing(count: number): number[] {
    const out: number[] = [];
    for (let seq = 0; seq < count && out.length < 20; seq++) if (!this.seen.has(seq)) out.push(seq);
    return out;
  }

  summary(count: number): Record<string, unknown> {
    return {
      received: this.received, corrupt: this.corrupt, duplicates: this.duplicates, outOfOrder: this.outOfOrder,
      wrongStream: this.wrongStream, missing: this.missing(count),
    };
  }
}

/**
 * Path-failure settings for both ends (see the failover test and bench): short RTOs (the outage
 * is about one RTO, and RTO.Max bounds it), a SACK for every packet (delayed SACKs inflate the
 * RTT samples and so the RTO), a heartbeat every 100 ms plus RTO, a path failed after 2
 * retransmissions, and potentially-failed (RFC 7829) after the first timeout, so that traffic
 * moves to another path at once.
 */
export const FAST_FAILOVER = {
  rto: { initial: 100, max: 200, min: 50 },
  sack: { delay: 10, frequency: 1 },
  heartbeatIntervalMs: 100,
  pathMaxRetransmits: 2,
  potentiallyFailedThreshold: 0,
  /** Association.Max.Retrans: well above one path's, so losing a path never ends the association. */
  associationMaxRetransmits: 20,
};
