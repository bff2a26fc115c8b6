// SCTP packets as bytes, for the packet fuzzer: the CRC32c of RFC 9260 (appendix A) and mutations
// of real packets that aim at the parsers: chunk and parameter lengths, chunk types and flags,
// truncation, splicing, verification tags.

import { crc32c } from './sctp-wire.js';

/** Writes the packet's checksum (computed with the field zeroed; stored least significant byte first, as the stacks do). */
export function setChecksum(packet: Buffer): Buffer {
  if (packet.length < 12) return packet;
  packet.writeUInt32LE(0, 8);
  packet.writeUInt32LE(crc32c(packet), 8);
  return packet;
}

export function hasValidChecksum(packet: Buffer): boolean {
  if (packet.length < 12) return false;
  const stored = packet.readUInt32LE(8);
  const copy = Buffer.from(packet);
  copy.writeUInt32LE(0, 8);
  return crc32c(copy) === stored;
}

/** Chunk boundaries [offset, padded length] of a packet, as far as its length fields make sense. */
export function chunkOffsets(packet: Buffer): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let off = 12; off + 4 <= packet.length;) {
    const length = packet.readUInt16BE(off + 2);
    if (length < 4) break;
    const padded = (length + 3) & ~3;
    out.push([off, Math.min(padded, packet.length - off)]);
    off += padded;
  }
  return out;
}

/** A small seeded generator (mulberry32): the same seed gives the same datagrams. */
export class Random {
  #state: number;
  constructor(seed: number) {
    this.#state = seed >>> 0;
  }
  u32(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }
  int(n: number): number { return Math.floor((this.u32() / 0x100000000) * n); }
  chance(p: number): boolean { return this.u32() / 0x100000000 < p; }
  pick<T>(list: readonly T[]): T { return list[this.int(list.length)]; }
  bytes(n: number): Buffer {
    const b = Buffer.alloc(n);
    for (let i = 0; i < n; i++) b[i] = this.u32() & 0xff;
    return b;
  }
}

/** Chunk types of RFC 9260 and its extensions (DATA..SHUTDOWN-COMPLETE, AUTH, I-DATA, ASCONF, RE-CONFIG, FORWARD-TSN, I-FORWARD-TSN, PAD). */
const CHUNK_TYPES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0x40, 0x80, 0x81, 0x82, 0x84, 0xc0, 0xc1, 0xc2, 0x64, 0xff];
const INTERESTING_16 = [0, 1, 3, 4, 5, 8, 12, 16, 0x7fff, 0x8000, 0xfffc, 0xffff];

/** One to three mutations of a real packet (the common header and chunks stay recognisable). */
export function mutate(packet: Buffer, rnd: Random, corpus: readonly Buffer[]): Buffer {
  let p = Buffer.from(packet);
  const rounds = 1 + rnd.int(3);
  for (let r = 0; r < rounds; r++) {
    const chunks = chunkOffsets(p);
    const chunk = chunks.length ? rnd.pick(chunks) : undefined;
    switch (rnd.int(10)) {
      case 0: { // bit flips anywhere past the ports
        const flips = 1 + rnd.int(8);
        for (let i = 0; i < flips && p.length > 4; i++) p[4 + rnd.int(p.length - 4)] ^= 1 << rnd.int(8);
        break;
      }
      case 1: // a chunk's length field
        if (chunk) p.writeUInt16BE(rnd.chance(0.5) ? rnd.pick(INTERESTING_16) : (p.readUInt16BE(chunk[0] + 2) + rnd.int(17) - 8) & 0xffff, chunk[0] + 2);
        break;
      case 2: // a chunk's type
        if (chunk) p[chunk[0]] = rnd.chance(0.7) ? rnd.pick(CHUNK_TYPES) : rnd.int(256);
        break;
      case 3: // a chunk's flags
        if (chunk) p[chunk[0] + 1] = rnd.int(256);
        break;
      case 4: // a 16-bit field inside a chunk: parameter types and lengths, stream ids, gap blocks
        if (chunk && chunk[1] > 6) {
          const off = chunk[0] + 4 + 2 * rnd.int(Math.max(1, (chunk[1] - 6) >> 1));
          if (off + 2 <= p.length) p.writeUInt16BE(rnd.chance(0.5) ? rnd.pick(INTERESTING_16) : rnd.int(0x10000), off);
        }
        break;
      case 5: // truncated
        p = p.subarray(0, 12 + rnd.int(Math.max(1, p.length - 11)));
        break;
      case 6: // random bytes appended
        p = Buffer.concat([p, rnd.bytes(1 + rnd.int(64))]);
        break;
      case 7: { // another packet's chunks spliced in
        const other = rnd.pick(corpus);
        if (other.length > 12) p = Buffer.concat([p, other.subarray(12 + rnd.int(other.length - 12))]);
        break;
      }
      case 8: // a chunk repeated
        if (chunk) p = Buffer.concat([p, p.subarray(chunk[0], chunk[0] + chunk[1])]);
        break;
      case 9: // a 32-bit field (TSN, cumulative TSN ack, a_rwnd, tags) set to an edge value
        if (chunk && chunk[1] >= 8) {
          const off = chunk[0] + 4 + 4 * rnd.int((chunk[1] - 4) >> 2);
          if (off + 4 <= p.length) p.writeUInt32BE(rnd.pick([0, 1, 0x7fffffff, 0x80000000, 0xffffffff, rnd.u32()]), off);
        }
        break;
    }
  }
  if (p.length >= 8 && rnd.chance(0.2)) p.writeUInt32BE(rnd.chance(0.5) ? 0 : rnd.u32(), 4); // the verification tag
  return p;
}
