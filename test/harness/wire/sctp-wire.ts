// A scripted SCTP endpoint on the wire (SCTP over UDP, RFC 6951), for what a well-behaved stack
// never does on request: send an ERROR chunk, restart an association, fall silent. It speaks just
// enough SCTP for that: the four-way handshake as the initiator, HEARTBEAT-ACK, and raw chunks.
import { createSocket, type Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';

const CRC32C = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[i] = c >>> 0;
  }
  return table;
})();

export function crc32c(data: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC32C[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

export const CHUNK = {
  DATA: 0, INIT: 1, INIT_ACK: 2, SACK: 3, HEARTBEAT: 4, HEARTBEAT_ACK: 5, ABORT: 6, SHUTDOWN: 7, ERROR: 9, COOKIE_ECHO: 10, COOKIE_ACK: 11,
} as const;

export interface Chunk {
  type: number;
  flags: number;
  value: Buffer;
}

export function chunk(type: number, flags: number, value: Buffer): Buffer {
  const length = 4 + value.length;
  const out = Buffer.alloc((length + 3) & ~3);
  out.writeUInt8(type, 0);
  out.writeUInt8(flags, 1);
  out.writeUInt16BE(length, 2);
  value.copy(out, 4);
  return out;
}

/** A whole SCTP packet: common header with a valid CRC32c, then the chunks. */
export function packet(srcPort: number, dstPort: number, vtag: number, chunks: Buffer[]): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(srcPort, 0);
  header.writeUInt16BE(dstPort, 2);
  header.writeUInt32BE(vtag >>> 0, 4);
  const p = Buffer.concat([header, ...chunks]);
  p.writeUInt32LE(crc32c(p), 8);
  return p;
}

export interface Packet { srcPort: number; dstPort: number; vtag: number; chunks: Chunk[] }

/** A packet's chunk types, in order. */
export function chunkTypes(p: Buffer): number[] {
  return parsePacket(p)?.chunks.map((c) => c.type) ?? [];
}

/** The common header and the chunks, as far as their lengths make sense; undefined when shorter than a common header. */
export function parsePacket(p: Buffer): Packet | undefined {
  if (p.length < 12) return undefined;
  const chunks: Chunk[] = [];
  for (let at = 12; at + 4 <= p.length;) {
    const length = p.readUInt16BE(at + 2);
    if (length < 4) break;
    chunks.push({ type: p[at], flags: p[at + 1], value: p.subarray(at + 4, at + length) });
    at += (length + 3) & ~3;
  }
  return { srcPort: p.readUInt16BE(0), dstPort: p.readUInt16BE(2), vtag: p.readUInt32BE(4), chunks };
}

/** An ERROR cause (RFC 9260 3.3.10): code, length, value. */
export function errorCause(code: number, value: Buffer): Buffer {
  const out = Buffer.alloc((4 + value.length + 3) & ~3);
  out.writeUInt16BE(code, 0);
  out.writeUInt16BE(4 + value.length, 2);
  value.copy(out, 4);
  return out;
}

export class WirePeer {
  readonly #udp: Socket;
  readonly #waiters: Array<{ type: number; resolve: (c: Chunk) => void }> = [];
  /** Our verification tag (the peer puts it on what it sends us) and the peer's. */
  localTag = 0;
  peerTag = 0;
  /** While true, HEARTBEATs go unanswered: to the peer, this endpoint has died. */
  silent = false;
  readonly received: Chunk[] = [];

  private constructor(udp: Socket, readonly sctpPort: number, readonly peerUdpPort: number, readonly peerSctpPort: number) {
    this.#udp = udp;
    udp.on('message', (msg) => this.#onPacket(msg));
  }

  /** A UDP socket on 127.0.0.1 that talks to the SCTP endpoint at 127.0.0.1:`peerSctpPort` behind UDP port `peerUdpPort`. */
  static async open(peerUdpPort: number, peerSctpPort: number): Promise<WirePeer> {
    const udp = createSocket('udp4');
    await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
    udp.unref();
    return new WirePeer(udp, 40000 + (randomBytes(2).readUInt16BE() % 20000), peerUdpPort, peerSctpPort);
  }

  /** The UDP source port the peer answers to. */
  get udpPort(): number {
    return this.#udp.address().port;
  }

  #onPacket(msg: Buffer): void {
    for (const c of parsePacket(msg)?.chunks ?? []) {
      this.received.push(c);
      if (c.type === CHUNK.HEARTBEAT && !this.silent) this.send([chunk(CHUNK.HEARTBEAT_ACK, 0, c.value)]);
      for (const w of [...this.#waiters]) {
        if (w.type === c.type) { this.#waiters.splice(this.#waiters.indexOf(w), 1); w.resolve(c); }
      }
    }
  }

  next(type: number, timeoutMs = 5000): Promise<Chunk> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no chunk of type ${type} within ${timeoutMs} ms`)), timeoutMs);
      this.#waiters.push({ type, resolve: (c) => { clearTimeout(timer); resolve(c); } });
    });
  }

  send(chunks: Buffer[], vtag = this.peerTag): void {
    this.#udp.send(packet(this.sctpPort, this.peerSctpPort, vtag, chunks), this.peerUdpPort, '127.0.0.1');
  }

  /**
   * INIT, INIT-ACK, COOKIE-ECHO, COOKIE-ACK with a fresh tag. Done again on a live association,
   * this is what a peer that crashed and came back does: the other side sees a restart.
   */
  async associate(streams = 4): Promise<void> {
    this.localTag = randomBytes(4).readUInt32BE() || 1;
    const init = Buffer.alloc(16);
    init.writeUInt32BE(this.localTag, 0);
    init.writeUInt32BE(65536, 4); // a_rwnd
    init.writeUInt16BE(streams, 8);
    init.writeUInt16BE(streams, 10);
    init.writeUInt32BE(randomBytes(4).readUInt32BE(), 12); // initial TSN
    const initAck = this.next(CHUNK.INIT_ACK);
    this.send([chunk(CHUNK.INIT, 0, init)], 0);
    const ack = await initAck;
    this.peerTag = ack.value.readUInt32BE(0);
    let cookie: Buffer | undefined;
    for (let at = 16; at + 4 <= ack.value.length;) {
      const type = ack.value.readUInt16BE(at);
      const length = ack.value.readUInt16BE(at + 2);
      if (length < 4) break;
      if (type === 7) cookie = ack.value.subarray(at + 4, at + length);
      at += (length + 3) & ~3;
    }
    if (!cookie) throw new Error('INIT-ACK without a state cookie');
    const cookieAck = this.next(CHUNK.COOKIE_ACK);
    this.send([chunk(CHUNK.COOKIE_ECHO, 0, cookie)]);
    await cookieAck;
  }

  close(): void {
    this.#udp.close();
  }
}
