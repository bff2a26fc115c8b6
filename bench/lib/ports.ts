import { createSocket } from 'node:dgram';

/** A UDP port free on the wildcard address right now (usrsctp binds its encapsulation port there). */
export function freeUdpPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, () => {
      const { port } = socket.address();
      socket.close(() => resolve(port));
    });
  });
}
