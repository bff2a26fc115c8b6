// A UDP socket standing in for a peer's SCTP-over-UDP port (RFC 6951): a socket told to send to
// it (remote-udp-encaps-port) delivers every packet it sends here, so a test can see what left.
import { createSocket, type Socket } from 'node:dgram';
import { parsePacket } from './sctp-wire.js';

export interface SctpPacket {
  sourcePort: number;
  destinationPort: number;
  verificationTag: number;
  /** Chunk types, in order. */
  chunks: number[];
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
    const p = parsePacket(m);
    if (p) packets.push({ sourcePort: p.srcPort, destinationPort: p.dstPort, verificationTag: p.vtag, chunks: p.chunks.map((c) => c.type) });
  });
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  return { port: socket.address().port, packets, close: () => socket.close() };
}
