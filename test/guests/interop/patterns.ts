// The messages of the kernel interoperability tests, shared by the interop guest and
// test/kernel-interop.test.ts (test/harness/kernel/peer.py makes the same ones in Python).
// No imports: this file is compiled both into the guest and into the Node test.

export const STREAMS = 8;
export const LARGE_SIZE = 1 << 20;
/** The 1 MiB message goes on this stream with this PPID. */
export const LARGE_STREAM = 5;
export const LARGE_PPID = 0xc0ffee;

export interface BurstMessage { index: number; text: string; size: number; stream: number; ppid: number; unordered: boolean }

/**
 * Message i of a burst: stream i % 8, PPID `ppidBase + stream` (a different PPID per stream, and
 * with a base like 0x10203040 a byte-order mix-up cannot go unnoticed), every fourth message
 * unordered, 17..2999 bytes: the text "burst <i> stream <s> " padded with dots.
 */
export function burst(count: number, ppidBase: number): BurstMessage[] {
  const out: BurstMessage[] = [];
  for (let index = 0; index < count; index++) {
    const stream = index % STREAMS;
    const text = `burst ${index} stream ${stream} `;
    out.push({ index, text, size: Math.max(text.length, (index * 211) % 3000), stream, ppid: ppidBase + stream, unordered: index % 4 === 3 });
  }
  return out;
}

export function burstPayload(m: BurstMessage): Uint8Array {
  const data = new Uint8Array(m.size).fill(0x2e);
  data.set(new TextEncoder().encode(m.text));
  return data;
}

/** Byte j of the 1 MiB message: every 4 KiB block is a different rotation of 0..255. */
export function largeByte(j: number): number {
  return ((j & 4095) + 7 * (j >> 12)) & 255;
}

export function largeMessage(): Uint8Array {
  const data = new Uint8Array(LARGE_SIZE);
  for (let j = 0; j < LARGE_SIZE; j++) data[j] = largeByte(j);
  return data;
}

export function isLarge(data: Uint8Array): boolean {
  if (data.length !== LARGE_SIZE) return false;
  for (let j = 0; j < LARGE_SIZE; j++) if (data[j] !== largeByte(j)) return false;
  return true;
}

/** How both sides report a received message: short text without its padding, or size and integrity. */
export function describe(data: Uint8Array): { len: number; text?: string; largeIntact?: boolean } {
  if (data.length > 4000) return { len: data.length, largeIntact: isLarge(data) };
  return { len: data.length, text: new TextDecoder().decode(data).replace(/\.+$/, '') };
}
