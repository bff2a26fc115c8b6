// What the host can tell the person who runs a guest, beside the error-codes the guest gets: a
// network policy denial, and a refused connect that a missing setting explains. Published on
// Node diagnostics channels (the CLI prints them); nothing is formatted unless someone listens.
import { channel } from 'node:diagnostics_channel';
import type { IpSocketAddress } from '../types/generated/interfaces/wasi-sockets-network.js';
import { SctpError, stackPort, type SctpSocket as ApiSocket, type Sockaddr } from '../src/index.js';
import type { Direction } from './policy.js';

export interface PolicyDenial { direction: Direction; address: IpSocketAddress }
export interface ConnectRefusal { /** This process's UDP encapsulation port. */ udpPort: number }

/** Every address the network policy refuses, in any direction. */
export const policyDenials = channel('wasm-sctp:policy-denied');
/** A connect refused while the socket had no remote UDP encapsulation port, on a stack that runs over UDP. */
export const connectRefusals = channel('wasm-sctp:connect-refused-without-encaps-port');

export function reportDenial(direction: Direction, address: IpSocketAddress): void {
  if (policyDenials.hasSubscribers) policyDenials.publish({ direction, address } satisfies PolicyDenial);
}

/**
 * Runs a finish-connect. Over UDP encapsulation a peer is reached only at its UDP port, which the
 * guest must set; without it the connect fails at once as refused, which looks like a peer that
 * is not listening.
 */
export function watchConnect<T>(api: ApiSocket<Sockaddr>, finish: () => T): T {
  try {
    return finish();
  } catch (e) {
    if (e instanceof SctpError && e.code === 'connection-refused' && connectRefusals.hasSubscribers) {
      const udpPort = stackPort();
      let remotePort = 0;
      try { remotePort = api.getOption('remote-udp-encaps-port'); } catch { /* gone with the association */ }
      if (udpPort && !remotePort) connectRefusals.publish({ udpPort } satisfies ConnectRefusal);
    }
    throw e;
  }
}

export function formatAddress(address: IpSocketAddress): string {
  return address.tag === 'ipv4'
    ? `${address.val.address.join('.')}:${address.val.port}`
    : `[${address.val.address.map((n) => n.toString(16)).join(':')}]:${address.val.port}`;
}
