// Host settings that apply to the whole process: usrsctp runs one stack per process, with one
// local UDP encapsulation port (or raw IP), fixed when the first socket is created; and the
// network policy every guest of the process is held to.
import { initStack, stackPort } from '../src/index.js';
import { NetworkPolicy, setNetworkPolicy, type PolicySetting } from './policy.js';

export interface HostOptions {
  /**
   * The local UDP port for SCTP over UDP (RFC 6951): a number, 'auto' (a free port, the
   * default, so that two processes on one machine never collide) or 'raw' (plain SCTP over IP,
   * needs root). The environment variable WASM_SCTP_UDP_PORT sets the same.
   */
  udpPort?: number | 'auto' | 'raw';
  /**
   * Which addresses and ports guests may bind, connect or send to, and accept associations from
   * (see host/policy.ts for the rule syntax). A direction left out keeps its default; the default
   * is loopback only (DEFAULT_POLICY). 'allow-all' lifts every restriction. Anything else gets
   * `access-denied` before a packet leaves; refused incoming associations are aborted and never
   * reach the guest.
   */
  policy?: PolicySetting;
}

let options: HostOptions = {};

export const hostConfig = {
  /** Merges `next` into the settings; a `policy` replaces the previous one (and is checked here: a bad rule throws). */
  configure(next: HostOptions): void {
    if (next.policy !== undefined) setNetworkPolicy(new NetworkPolicy(next.policy));
    options = { ...options, ...next };
  },
  /** Starts the stack on first use; later calls return the port in use. */
  ensureStack(): number | undefined {
    const running = stackPort();
    if (running !== undefined) return running;
    return initStack({ udpPort: options.udpPort }).udpPort;
  },
};
