// The host's network policy: which addresses and ports a guest may bind, connect or send to, and
// accept associations from. WASI sockets makes network access a capability (the `network`
// resource); this is where the host narrows it. Every check that guards a packet leaving or a
// peer reaching a guest goes through `checkNetworkAccess`, before the stack is asked to do anything.
import type { IpSocketAddress } from '../types/generated/interfaces/wasi-sockets-network.js';
import { ipFromText } from '../src/index.js';
import { reportDenial } from './diagnostics.js';
import { HostError } from './errors.js';

/**
 * - `bind`: local addresses a socket may be bound to, explicitly (`start-bind`,
 *   `add-local-addresses`) or implicitly (the wildcard address with port 0, by `start-connect` or
 *   `start-connectx` on an unbound socket: the calls that take the `network` do the binding).
 * - `connect`: peers a guest may set up an association with or send to (`start-connect`, a
 *   `send` whose `destination` sets up an association or picks a path, `set-primary-addr`, a
 *   heartbeat on demand).
 * - `accept`: peers whose associations a listening socket may take. Others are aborted and
 *   never reach the guest.
 */
export type Direction = 'bind' | 'connect' | 'accept';
export const DIRECTIONS: readonly Direction[] = ['bind', 'connect', 'accept'];

/**
 * Rules per direction, as text (see `parseRule`). A direction left out keeps its default; an
 * empty list allows nothing in that direction.
 */
export type PolicyRules = { readonly [D in Direction]?: readonly string[] };

/** What HostOptions.policy takes: rules per direction, or 'allow-all' (no restriction at all). */
export type PolicySetting = PolicyRules | 'allow-all';

/**
 * The default: loopback only. A guest may bind loopback addresses or the wildcard address (which
 * takes no address from anyone: the accept rules still decide who may associate), connect to
 * loopback peers, and accept associations from loopback peers, on any port. This keeps guests off
 * every other host and network, while local setups (the demo, tests, benchmarks) work unchanged.
 */
export const DEFAULT_POLICY: Readonly<Record<Direction, readonly string[]>> = {
  bind: ['loopback', 'wildcard'],
  connect: ['loopback'],
  accept: ['loopback'],
};

interface Rule {
  readonly family: 'ipv4' | 'ipv6';
  /** The network's bytes (4 or 16), masked to its prefix. */
  readonly bytes: readonly number[];
  readonly prefix: number;
  readonly lowPort: number;
  readonly highPort: number;
}

const NAMED: Readonly<Record<string, readonly string[]>> = {
  any: ['0.0.0.0/0', '::/0'],
  '*': ['0.0.0.0/0', '::/0'],
  loopback: ['127.0.0.0/8', '::1/128'],
  wildcard: ['0.0.0.0/32', '::/128'],
};

function ruleError(text: string, why: string): never {
  throw new Error(`network policy rule '${text}': ${why}`);
}

function parsePorts(text: string, ports: string | undefined): [number, number] {
  if (ports === undefined) return [0, 65535];
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(ports);
  if (!m) ruleError(text, `bad port range '${ports}' (expected N or N-M)`);
  const low = Number(m[1]);
  const high = m[2] === undefined ? low : Number(m[2]);
  if (low > 65535 || high > 65535 || low > high) ruleError(text, `bad port range '${ports}'`);
  return [low, high];
}

function masked(bytes: number[], prefix: number): number[] {
  return bytes.map((b, i) => {
    const bits = Math.max(0, Math.min(8, prefix - 8 * i));
    return b & ((0xff << (8 - bits)) & 0xff);
  });
}

function networkRule(text: string, network: string, ports: [number, number]): Rule {
  const [address, prefixText, extra] = network.split('/');
  if (extra !== undefined) ruleError(text, 'more than one prefix length');
  const ip = ipFromText(address);
  if (!ip) return ruleError(text, `'${address}' is not a numeric IPv4 or IPv6 address`);
  const family = ip.length === 4 ? 'ipv4' : 'ipv6';
  const bytes = [...ip];
  const max = bytes.length * 8;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 0 && prefix <= max)) ruleError(text, `bad prefix length '/${prefixText}' (0..${max})`);
  return { family, bytes: masked(bytes, prefix), prefix, lowPort: ports[0], highPort: ports[1] };
}

/**
 * One rule: `ADDRESS[/PREFIX][:PORTS]`, with an IPv6 address in brackets when ports follow
 * (`[fd00::/8]:443`); PORTS is `N` or `N-M` (all ports, 0 included, when left out). ADDRESS may
 * also be `any` (or `*`: every IPv4 and IPv6 address), `loopback` (127.0.0.0/8 and ::1) or
 * `wildcard` (0.0.0.0 and ::, the unspecified addresses a bind may name). Port 0 matters for
 * `bind` only: it is "let the host choose", allowed when the rule's range includes 0.
 */
export function parseRule(text: string): Rule[] {
  const t = text.trim();
  let network: string;
  let ports: string | undefined;
  const bracketed = /^\[([^\]]+)\](?::(.*))?$/.exec(t);
  if (bracketed) {
    network = bracketed[1];
    ports = bracketed[2];
  } else if (t.split(':').length === 2 || (!t.includes(':'))) {
    // IPv4, a name, or either with ports: one colon at most.
    [network, ports] = t.split(':') as [string, string | undefined];
  } else {
    network = t; // bare IPv6, no ports
  }
  if (ports === '') ruleError(text, 'empty port range');
  const range = parsePorts(text, ports);
  const named = NAMED[network.toLowerCase()];
  if (named) return named.map((n) => networkRule(text, n, range));
  return [networkRule(text, network, range)];
}

function ipv6Bytes(groups: readonly number[]): number[] {
  return groups.flatMap((g) => [(g >> 8) & 0xff, g & 0xff]);
}

/** An address as the policy compares it: IPv4-mapped IPv6 addresses count as the IPv4 address. */
function normalize(addr: IpSocketAddress): { family: 'ipv4' | 'ipv6'; bytes: number[]; port: number } {
  if (addr.tag === 'ipv4') return { family: 'ipv4', bytes: [...addr.val.address], port: addr.val.port };
  const bytes = ipv6Bytes(addr.val.address);
  const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
  return mapped ? { family: 'ipv4', bytes: bytes.slice(12), port: addr.val.port } : { family: 'ipv6', bytes, port: addr.val.port };
}

function matches(rule: Rule, a: { family: string; bytes: number[]; port: number }): boolean {
  if (rule.family !== a.family || a.port < rule.lowPort || a.port > rule.highPort) return false;
  const m = masked(a.bytes, rule.prefix);
  for (let i = 0; i < m.length; i++) if (m[i] !== rule.bytes[i]) return false;
  return true;
}

export class NetworkPolicy {
  readonly #rules: Readonly<Record<Direction, readonly Rule[]>> | undefined;
  readonly #open: Readonly<Record<Direction, boolean>>;
  /** The rules as given (per direction), for messages and `describe`. */
  readonly text: Readonly<Record<Direction, readonly string[]>> | 'allow-all';

  /** Throws an Error naming the bad rule when a rule does not parse. */
  constructor(setting: PolicySetting = {}) {
    if (setting === 'allow-all') {
      this.#rules = undefined;
      this.text = 'allow-all';
      this.#open = { bind: true, connect: true, accept: true };
      return;
    }
    const text = { ...DEFAULT_POLICY } as Record<Direction, readonly string[]>;
    for (const d of DIRECTIONS) if (setting[d] !== undefined) text[d] = [...setting[d]!];
    for (const key of Object.keys(setting)) {
      if (!DIRECTIONS.includes(key as Direction)) throw new Error(`network policy: unknown direction '${key}' (bind, connect, accept)`);
    }
    this.text = text;
    const rules = {
      bind: text.bind.flatMap(parseRule),
      connect: text.connect.flatMap(parseRule),
      accept: text.accept.flatMap(parseRule),
    };
    this.#rules = rules;
    const open = (d: Direction) => (['ipv4', 'ipv6'] as const).every((family) =>
      rules[d].some((r) => r.family === family && r.prefix === 0 && r.lowPort === 0 && r.highPort === 65535));
    this.#open = { bind: open('bind'), connect: open('connect'), accept: open('accept') };
  }

  /** Whether every address and port is allowed in this direction (the host then skips its checks). */
  allowsAll(direction: Direction): boolean {
    return this.#open[direction];
  }

  allows(direction: Direction, address: IpSocketAddress): boolean {
    if (!this.#rules || this.#open[direction]) return true;
    const a = normalize(address);
    if (this.#rules[direction].some((r) => matches(r, a))) return true;
    reportDenial(direction, address);
    return false;
  }

  /** One line per direction, for the CLI's --help and logs. */
  describe(): string {
    if (this.text === 'allow-all') return 'allow-all';
    const text = this.text;
    return DIRECTIONS.map((d) => `${d}: ${text[d].length ? text[d].join(', ') : 'none'}`).join('; ');
  }
}

let current = new NetworkPolicy();

/** Replaces the policy every later check uses (config.ts calls this; it is process-wide, as the stack is). */
export function setNetworkPolicy(policy: NetworkPolicy): void {
  current = policy;
}

export function networkPolicy(): NetworkPolicy {
  return current;
}

/**
 * THE check: throws `access-denied` unless the host's policy allows `address` in `direction`.
 * Every host function that names an address for the network calls it before the stack sees the
 * address (start-bind, start-connect, send destinations, a connect's implicit bind; and add-local-addresses
 * and start-connectx, which name several: check each).
 */
export function checkNetworkAccess(direction: Direction, address: IpSocketAddress): void {
  if (!current.allows(direction, address)) throw new HostError('access-denied');
}

/** The wildcard address of a family with port 0: what a connect's implicit bind binds to. */
export function implicitBindAddress(family: 'ipv4' | 'ipv6'): IpSocketAddress {
  return family === 'ipv4'
    ? { tag: 'ipv4', val: { address: [0, 0, 0, 0], port: 0 } }
    : { tag: 'ipv6', val: { address: [0, 0, 0, 0, 0, 0, 0, 0], port: 0, flowInfo: 0, scopeId: 0 } };
}
