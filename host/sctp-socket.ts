// The `sctp-socket` resource of the WIT, on top of the TS API's SctpSocket. Only conversions
// between WIT values and the TS API live here: the state machine, the errno mapping and the
// option table live in src/.
import type * as wit from '../types/generated/interfaces/sctp-sockets-sctp.js';
import type { Network } from '../types/generated/interfaces/wasi-sockets-network.js';
import type { Pollable } from '../types/generated/interfaces/wasi-io-poll.js';
import {
  SctpSocket as TsSocket, SOCKADDR_FORM, listForStack, type Sockaddr, type SocketType,
} from '../src/index.js';
import { fromWit, toWit } from './addresses.js';
import { guarded, HostError } from './errors.js';
import { fromWitMessage, toWitIncomingList } from './messages.js';
import { SocketPollables } from './readiness/pollables.js';
import { installOptionMethods, type OptionMethods } from './options.js';
import { hostConfig } from './config.js';
import { watchConnect } from './diagnostics.js';
import { checkNetworkAccess, implicitBindAddress, networkPolicy } from './policy.js';
import { AssociationGuard, refuseAccepted, screenAccepted } from './association-guard.js';

/** The TS API socket under a resource: addresses in the byte form, converted from and to WIT tuples here. */
type ApiSocket = TsSocket<Sockaddr>;

export class SctpSocket implements wit.SctpSocket {
  readonly #api: ApiSocket;
  readonly #pollables: SocketPollables;
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
    this.#pollables = new SocketPollables(wrapping);
    this.#guard = wrappingGuard ?? (wrapping.type === 'one-to-many' ? new AssociationGuard(wrapping) : undefined);
    wrapping = undefined;
    wrappingGuard = undefined;
  }

  /** The guard, when the accept rules restrict anything (the policy may change while sockets live). */
  #screening(): AssociationGuard | undefined {
    return this.#guard && !networkPolicy().allowsAll('accept') ? this.#guard : undefined;
  }

  /** An unbound socket is about to be bound implicitly by a connect (to the wildcard address, port 0). */
  #checkImplicitBind(): void {
    if (this.#api.state === 'unbound') checkNetworkAccess('bind', implicitBindAddress(this.#api.family));
  }

  /** The TS API socket, for the option methods installed from the table. */
  static _api(socket: SctpSocket): ApiSocket {
    return socket.#api;
  }

  /** The guard, for the option methods installed from the table (see #screening). */
  static _guard(socket: SctpSocket): AssociationGuard | undefined {
    return socket.#screening();
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
      const list = checkedList(localAddresses, this.#api.family, 'local');
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
      const list = checkedList(remoteAddresses, this.#api.family, 'remote');
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
    guarded(() => this.#api.startListen());
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
          destinations = true;
        }
        if (guard) {
          if (outgoing[i].flags?.sendall) guard.screenAll();
          else if (destination === undefined) guard.requireAdmitted(outgoing[i].association);
        }
      }
      // Associations these sends set up are the guest's own: the connect rules allowed them.
      const reached = destinations && this.#guard ? new Set<number>() : undefined;
      const sent = this.#api.send(outgoing, reached);
      if (reached) for (const association of reached) this.#guard!.initiated(association);
      return BigInt(sent);
    });
  }

  receive(maxResults: bigint): wit.Incoming[] {
    return guarded(() => {
      const max = Number(maxResults);  // the TS API caps it
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
    guarded(() => this.#api.setListenBacklogSize(Number(value)));
  }

  /** Level-triggered and cheap to reuse: see readiness/pollables.ts. */
  subscribe(): Pollable {
    return this.#pollables.subscribe() as unknown as Pollable;
  }

  [Symbol.dispose](): void {
    this.#api.close();
    this.#pollables.close();
  }
}

export interface SctpSocket extends OptionMethods {}
installOptionMethods(SctpSocket.prototype, {
  api: (socket) => SctpSocket._api(socket as SctpSocket),
  guard: (socket) => SctpSocket._guard(socket as SctpSocket),
});

let wrapping: ApiSocket | undefined;
let wrappingGuard: AssociationGuard | undefined;

function addressList(list: wit.IpSocketAddress[]): Sockaddr[] {
  if (!Array.isArray(list)) throw new HostError('invalid-argument');
  return list.map(fromWit);
}

/**
 * The list converted, after a check that it is one the TS API takes (so that a malformed list is invalid-argument
 * before the policy is asked about each address). The TS API gets the guest's addresses, not the stack's form the
 * check makes of them: the API checks them again and maps an IPv4-mapped peer itself, and would refuse the IPv4
 * address that mapping makes on an IPv6 socket.
 */
function checkedList(list: wit.IpSocketAddress[], family: wit.IpAddressFamily, role: 'local' | 'remote'): Sockaddr[] {
  const addresses = addressList(list);
  listForStack(addresses, family, role, (a) => SOCKADDR_FORM.toSockaddr(a as Sockaddr));
  return addresses;
}

function requireNetwork(network: Network): void {
  // The network resource is the capability to reach the network (WASI sockets); a guest without
  // one cannot call this, but a host embedding us might pass garbage.
  if (network === null || typeof network !== 'object') throw new HostError('access-denied');
}

export function createSctpSocket(addressFamily: wit.IpAddressFamily, socketType: wit.SocketType): SctpSocket {
  return guarded(() => {
    hostConfig.ensureStack();
    return SctpSocket._wrap(TsSocket.create(addressFamily, socketType as SocketType, SOCKADDR_FORM));
  });
}
