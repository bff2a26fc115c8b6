// Messages larger than the receive buffer (or past the partial delivery point) leave the stack in
// pieces (no MSG_EOR until the last). Applications that ignore that corrupt messages (usrsctp
// #267, #638, #522), so a socket hands out whole messages by default and pieces only on request.
import type { ReceivedMessage } from './types.js';

/** The most bytes held for one unfinished message; past it, pieces are handed out as they come. */
export const MAX_REASSEMBLY_BYTES = 64 * 1024 * 1024;

export class Reassembler {
  // One message per association, stream and ordering can be in pieces at a time, whatever the
  // fragment interleave level (RFC 6458 8.1.20; with I-DATA an unordered message may interleave
  // with an ordered one of the same stream).
  readonly #pending = new Map<string, { first: ReceivedMessage; pieces: Buffer[]; bytes: number; overflowed: boolean }>();

  /**
   * Takes one received piece; returns what the application should see now: the whole message when
   * this piece completes it, nothing while it is still incomplete, or the piece itself once the
   * message outgrew MAX_REASSEMBLY_BYTES (then `complete` tells the end, as in POSIX). `truncated`:
   * the association ended before the message did.
   */
  add(m: ReceivedMessage, truncated = false): ReceivedMessage | undefined {
    if (m.complete && this.#pending.size === 0) return m;
    const key = `${m.association}/${m.stream}/${m.unordered ? 'u' : 'o'}`;
    const entry = this.#pending.get(key);
    if (truncated) {
      // The association ended mid-message: hand out what arrived, `complete` false, so nothing is held forever
      // and nothing incomplete passes for whole.
      this.#pending.delete(key);
      if (!entry) return m;
      return { ...entry.first, data: Buffer.concat([...entry.pieces, m.data]), complete: false };
    }
    if (!entry) {
      if (m.complete) return m;
      this.#pending.set(key, { first: m, pieces: [m.data], bytes: m.data.length, overflowed: false });
      return undefined;
    }
    if (entry.overflowed) {
      if (m.complete) this.#pending.delete(key);
      return m;
    }
    entry.pieces.push(m.data);
    entry.bytes += m.data.length;
    if (!m.complete && entry.bytes > MAX_REASSEMBLY_BYTES) {
      // Too big to hold: hand out what we have as one piece and the rest as it comes.
      entry.overflowed = true;
      return { ...entry.first, data: Buffer.concat(entry.pieces), complete: false };
    }
    if (!m.complete) return undefined;
    this.#pending.delete(key);
    // What comes next is known from the last piece.
    return { ...entry.first, data: Buffer.concat(entry.pieces, entry.bytes), complete: true, next: m.next };
  }

  /**
   * A partial-delivery event said the message `seq` (the low 16 bits of its SSN) of this association and stream
   * was aborted, its rest never to come: what arrived of it, `complete` false; nothing when none is held.
   */
  abandon(association: number, stream: number, seq: number): ReceivedMessage | undefined {
    for (const [key, entry] of this.#pending) {
      const { first } = entry;
      if (first.association !== association || first.stream !== stream || (first.ssn & 0xffff) !== seq) continue;
      this.#pending.delete(key);
      return entry.overflowed ? undefined : { ...first, data: Buffer.concat(entry.pieces, entry.bytes), complete: false };
    }
    return undefined;
  }

  /** The bytes held for unfinished messages (a socket may not switch to pieces while any are held). */
  get pendingBytes(): number {
    let n = 0;
    for (const e of this.#pending.values()) n += e.bytes;
    return n;
  }
}
