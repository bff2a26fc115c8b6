// A UDP socket standing in for a peer's SCTP-over-UDP port (RFC 6951): a socket told to send to
// it (remote-udp-encaps-port) delivers every packet it sends here, so a test can see what left.
import { createSocket, type Socket } from 'node:dgram';

export interface SctpPacket {
  sourcePort: number;
  destinationPort: number;
  verificationTag: number;
  /** Chunk types, in order. */
  chunks: number[];
}

export const CHUNK = { DATA: 0, INIT: 1, INIT_ACK: 2, SACK: 3, ABORT: 6, SHUTDOWN: 7, COOKIE_ECHO: 10 } as const;

export function parseSctp(packet: Buffer): SctpPacket | undefined {
  if (packet.length < 12) return undefined;
  const chunks: number[] = [];
  for (let off = 12; off + 4 <= packet.length;) {
    chunks.push(packet[off]);
    const length = packet.readUInt16BE(off + 2);
    if (length < 4) break;
    off += (length + 3) & ~3;
  }
  return { sourcePort: packet.readUInt16BE(0), destinationPort: packet.readUInt16BE(2), verificationTag: packet.readUInt32BE(4), chunks };
}

export interface Sniffer {
  port: number;
  packets: SctpPacket[];
  close(): void;
}

export async function sniffer(address = '127.0.0.1'): Promise<Sniffer> {
  const socket: Socket = createSocket('udp4');
  const packets: SctpPacket[] = [];
  socket.on('message', (m) => {
    const p = parseSctp(m);
    if (p) packets.push(p);
  });
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  return { port: socket.address().port, packets, close: () => socket.close() };
}
