// Host settings that apply to the whole process: usrsctp runs one stack per process, with one
// local UDP encapsulation port (or raw IP), fixed when the first socket is created.
import { initStack, stackPort } from '../src/index.js';

export interface HostOptions {
  /**
   * The local UDP port for SCTP over UDP (RFC 6951): a number, 'auto' (a free port, the
   * default, so that two processes on one machine never collide) or 'raw' (plain SCTP over IP,
   * needs root). The environment variable WASM_SCTP_UDP_PORT sets the same.
   */
  udpPort?: number | 'auto' | 'raw';
}

let options: HostOptions = {};

export const hostConfig = {
  configure(next: HostOptions): void {
    options = { ...options, ...next };
  },
  /** Starts the stack on first use; later calls return the port in use. */
  ensureStack(): number | undefined {
    const running = stackPort();
    if (running !== undefined) return running;
    return initStack({ udpPort: options.udpPort }).udpPort;
  },
};
