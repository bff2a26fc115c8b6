// The `sctp-socket` resource of the WIT, on top of the TS API's SctpSocket. Only conversions
// between WIT values and the TS API live here: the state machine, the errno mapping and the
// option table live in src/.
import type * as wit from '../types/generated/interfaces/sctp-sockets-sctp.js';
import type { Network } from '../types/generated/interfaces/wasi-sockets-network.js';
import type { Pollable } from '../types/generated/interfaces/wasi-io-poll.js';
import { SctpSocket as ApiSocket, validateAddressList, type SocketAddress, type SocketType } from '../src/index.js';
import { fromWit, toWit } from './addresses.js';
import { guarded, HostError } from './errors.js';
import { fromWitMessage, toWitIncomingList } from './messages.js';
import { FutureSet } from './readiness.js';
import { installOptionMethods, type OptionCall, type OptionMethods } from './options.js';
import { hostConfig } from './config.js';
import { watchConnect } from './diagnostics.js';
import { checkNetworkAccess, implicitBindAddress, networkPolicy } from './policy.js';
import { AssociationGuard, refuseAccepted, screenAccepted } from './association-guard.js';

export class SctpSocket implements wit.SctpSocket {
  readonly #api: ApiSocket;
  readonly #futures = new FutureSet();
  /**
   * Holds associations that peers set up to the policy's accept rules: on every one-to-many
   * socket, and on an accepted one-to-one socket whose peer was already gone at `accept`.
   */
  readonly #guard: AssociationGuard | undefined;

  /** Not for guests: the resource is created by `create-sctp-socket` or `accept`. */
  static _wrap(api: ApiSocket, guard?: AssociationGuard): SctpSocket {
    wrapping = api;
    wrappingGuard = guard;
    return new SctpSocket();
  }

  // Zero arguments, like the generated class: the API socket comes through `wrapping`.
  private constructor() {
    if (!wrapping) throw new TypeError('sctp-socket resources are created by create-sctp-socket or accept');
    this.#api = wrapping;
    this.#guard = wrappingGuard ?? (wrapping.type === 'one-to-many' ? new AssociationGuard(wrapping) : undefined);
    wrapping = undefined;
    wrappingGuard = undefined;
  }

  /** The guard, when the accept rules restrict anything (the policy may change while sockets live). */
  #screening(): AssociationGuard | undefined {
    return this.#guard && !networkPolicy().allowsAll('accept') ? this.#guard : undefined;
  }

  /** An unbound socket is about to be bound implicitly (to the wildcard address, port 0). */
  #checkImplicitBind(): void {
    if (this.#api.state === 'unbound') checkNetworkAccess('bind', implicitBindAddress(this.#api.family));
  }

  /** The TS API socket, for the option methods installed from the table. */
  static _api(socket: SctpSocket): ApiSocket {
    return socket.#api;
  }

  startBind(network: Network, localAddress: wit.IpSocketAddress): void {
    guarded(() => {
      requireNetwork(network);
      const address = fromWit(localAddress);
      checkNetworkAccess('bind', localAddress);
      this.#api.startBind(address);
    });
  }

  finishBind(): void {
    guarded(() => this.#api.finishBind());
  }

  startConnect(network: Network, remoteAddress: wit.IpSocketAddress): void {
    guarded(() => {
      requireNetwork(network);
      const address = fromWit(remoteAddress);
      checkNetworkAccess('connect', remoteAddress);
      this.#checkImplicitBind();
      const association = this.#api.startConnect(address);
      this.#guard?.initiated(association);
    });
  }

  addLocalAddresses(network: Network, localAddresses: wit.IpSocketAddress[]): void {
    guarded(() => {
      requireNetwork(network);
      // A malformed list is invalid-argument whatever the policy says; then every address must be allowed.
      const list = validateAddressList(addressList(localAddresses), this.#api.family, false);
      for (const address of localAddresses) checkNetworkAccess('bind', address);
      this.#api.addLocalAddresses(list);
    });
  }

  removeLocalAddresses(localAddresses: wit.IpSocketAddress[]): void {
    guarded(() => this.#api.removeLocalAddresses(addressList(localAddresses)));
  }

  startConnectx(network: Network, remoteAddresses: wit.IpSocketAddress[]): void {
    guarded(() => {
      requireNetwork(network);
      const list = validateAddressList(addressList(remoteAddresses), this.#api.family, true);
      // Every address becomes a path of the association: each one must be allowed.
      for (const address of remoteAddresses) checkNetworkAccess('connect', address);
      this.#checkImplicitBind();
      const association = this.#api.startConnectx(list);
      this.#guard?.initiated(association);
    });
  }

  finishConnect(): wit.AssociationId {
    return guarded(() => watchConnect(this.#api, () => this.#api.finishConnect()));
  }

  startListen(): void {
    guarded(() => {
      this.#checkImplicitBind();
      this.#api.startListen();
    });
  }

  finishListen(): void {
    guarded(() => this.#api.finishListen());
  }

  accept(): SctpSocket {
    return guarded(() => {
      // Associations from peers the accept rules refuse are aborted here, unseen: take the next.
      for (;;) {
        const api = this.#api.accept();
        if (networkPolicy().allowsAll('accept')) return SctpSocket._wrap(api);
        const verdict = screenAccepted(api);
        if (verdict === 'refused') {
          refuseAccepted(api);
          continue;
        }
        return SctpSocket._wrap(api, verdict === 'unknown' ? new AssociationGuard(api) : undefined);
      }
    });
  }

  peeloff(association: wit.AssociationId): SctpSocket {
    return guarded(() => {
      this.#screening()?.requireAdmitted(association);
      return SctpSocket._wrap(this.#api.peeloff(association));
    });
  }

  send(messages: wit.OutgoingMessage[]): bigint {
    return guarded(() => {
      const outgoing = messages.map(fromWitMessage);
      // Every destination and association is checked before anything is sent: a batch with one
      // refused message sends nothing.
      const guard = this.#screening();
      let destinations = false;
      for (let i = 0; i < messages.length; i++) {
        const destination = messages[i].info.destination;
        if (destination !== undefined) {
          checkNetworkAccess('connect', destination);
          if (!destinations) this.#checkImplicitBind();
          destinations = true;
        }
        if (guard) {
          if (outgoing[i].flags?.sendall) guard.screenAll();
          else if (destination === undefined) guard.requireAdmitted(outgoing[i].association);
        }
      }
      const sent = this.#api.send(outgoing);
      // Associations these sends set up are the guest's own: the connect rules allowed them.
      if (destinations && this.#guard) {
        for (let i = 0; i < sent; i++) {
          const destination = outgoing[i].destination;
          if (destination) this.#guard.initiated(this.#api.associationWith(destination));
        }
      }
      return BigInt(sent);
    });
  }

  receive(maxResults: bigint): wit.Incoming[] {
    return guarded(() => {
      const max = maxResults > 65536n ? 65536 : Number(maxResults);
      const guard = this.#screening();
      return toWitIncomingList(guard ? guard.receive(max) : this.#api.receive(max));
    });
  }

  wholeMessages(): boolean {
    return this.#api.wholeMessages;
  }

  setWholeMessages(value: boolean): void {
    guarded(() => { this.#api.wholeMessages = value; });
  }

  shutdown(): void {
    guarded(() => this.#api.shutdown());
  }

  localAddress(): wit.IpSocketAddress {
    return guarded(() => toWit(this.#api.localAddress()));
  }

  remoteAddress(): wit.IpSocketAddress {
    return guarded(() => toWit(this.#api.remoteAddress()));
  }

  localAddresses(association: wit.AssociationId | undefined): wit.IpSocketAddress[] {
    return guarded(() => this.#api.localAddresses(association).map(toWit));
  }

  remoteAddresses(association: wit.AssociationId | undefined): wit.IpSocketAddress[] {
    return guarded(() => this.#api.remoteAddresses(association).map(toWit));
  }

  isListening(): boolean {
    return this.#api.state === 'listening';
  }

  addressFamily(): wit.IpAddressFamily {
    return this.#api.family;
  }

  socketType(): wit.SocketType {
    return this.#api.type;
  }

  setListenBacklogSize(value: bigint): void {
    guarded(() => {
      if (value === 0n) throw new HostError('invalid-argument');
      this.#api.setListenBacklogSize(value > 0x7fffffffn ? 0x7fffffff : Number(value));
    });
  }

  subscribe(): Pollable {
    return this.#futures.subscribe(this.#api.id, this.#api.interest(), this);
  }

  [Symbol.dispose](): void {
    this.#api.close();
    this.#futures.close();
  }

  /**
   * Before an option call: the association it names must be one the guest may see, and an
   * option that steers packets to a peer address (the primary path, a heartbeat on demand) needs
   * the connect rules' consent for that address.
   */
  static _screenOption(socket: SctpSocket, call: OptionCall): void {
    const guard = socket.#screening();
    if (guard) {
      if (typeof call.association === 'number') guard.requireAdmitted(call.association);
      else if (call.association === 'current' || call.association === 'all' || LISTS_ASSOCIATIONS.has(call.name)) guard.screenAll();
    }
    if (!call.set) return;
    if (call.name === 'primary-addr' && call.value) checkNetworkAccess('connect', toWit(call.value as SocketAddress));
    const address = call.key?.address as SocketAddress | undefined;
    if (call.name === 'peer-addr-params' && address && (call.value as { heartbeatNow?: boolean })?.heartbeatNow) {
      checkNetworkAccess('connect', toWit(address));
    }
  }
}

/** Getters that list a one-to-many socket's associations: refused ones are aborted before. */
const LISTS_ASSOCIATIONS: ReadonlySet<string> = new Set(['assoc-id-list', 'assoc-number']);

export interface SctpSocket extends OptionMethods {}
installOptionMethods(SctpSocket.prototype, (socket) => SctpSocket._api(socket as SctpSocket),
  (socket, call) => SctpSocket._screenOption(socket as SctpSocket, call));

let wrapping: ApiSocket | undefined;
let wrappingGuard: AssociationGuard | undefined;

function addressList(list: wit.IpSocketAddress[]): ReturnType<typeof fromWit>[] {
  if (!Array.isArray(list)) throw new HostError('invalid-argument');
  return list.map(fromWit);
}

function requireNetwork(network: Network): void {
  // The network resource is the capability to reach the network (WASI sockets); a guest without
  // one cannot call this, but a host embedding us might pass garbage.
  if (network === null || typeof network !== 'object') throw new HostError('access-denied');
}

export function createSctpSocket(addressFamily: wit.IpAddressFamily, socketType: wit.SocketType): SctpSocket {
  return guarded(() => {
    if (addressFamily !== 'ipv4' && addressFamily !== 'ipv6') throw new HostError('not-supported');
    hostConfig.ensureStack();
    return SctpSocket._wrap(ApiSocket.create(addressFamily, socketType as SocketType));
  });
}
