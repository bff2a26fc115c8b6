// The `sctp-socket` resource of the WIT, on top of the TS API's SctpSocket. Only conversions
// between WIT values and the TS API live here: the state machine, the errno mapping and the
// option table live in src/.
import type * as wit from '../types/generated/interfaces/sctp-sockets-sctp.js';
import type { Network } from '../types/generated/interfaces/wasi-sockets-network.js';
import type { Pollable } from '../types/generated/interfaces/wasi-io-poll.js';
import { SctpSocket as ApiSocket, type SocketType } from '../src/index.js';
import { fromWit, toWit } from './addresses.js';
import { guarded, HostError } from './errors.js';
import { fromWitMessage, toWitIncomingList } from './messages.js';
import { FutureSet } from './readiness.js';
import { installOptionMethods, type OptionMethods } from './options.js';
import { hostConfig } from './config.js';

export class SctpSocket implements wit.SctpSocket {
  readonly #api: ApiSocket;
  readonly #futures = new FutureSet();

  /** Not for guests: the resource is created by `create-sctp-socket` or `accept`. */
  static _wrap(api: ApiSocket): SctpSocket {
    wrapping = api;
    return new SctpSocket();
  }

  // Zero arguments, like the generated class: the API socket comes through `wrapping`.
  private constructor() {
    if (!wrapping) throw new TypeError('sctp-socket resources are created by create-sctp-socket or accept');
    this.#api = wrapping;
    wrapping = undefined;
  }

  /** The TS API socket, for the option methods installed from the table. */
  static _api(socket: SctpSocket): ApiSocket {
    return socket.#api;
  }

  startBind(network: Network, localAddress: wit.IpSocketAddress): void {
    guarded(() => {
      requireNetwork(network);
      const address = fromWit(localAddress);
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
      this.#api.startConnect(address);
    });
  }

  addLocalAddresses(network: Network, localAddresses: wit.IpSocketAddress[]): void {
    guarded(() => {
      requireNetwork(network);
      this.#api.addLocalAddresses(addressList(localAddresses));
    });
  }

  removeLocalAddresses(localAddresses: wit.IpSocketAddress[]): void {
    guarded(() => this.#api.removeLocalAddresses(addressList(localAddresses)));
  }

  startConnectx(network: Network, remoteAddresses: wit.IpSocketAddress[]): void {
    guarded(() => {
      requireNetwork(network);
      this.#api.startConnectx(addressList(remoteAddresses));
    });
  }

  finishConnect(): wit.AssociationId {
    return guarded(() => this.#api.finishConnect());
  }

  startListen(): void {
    guarded(() => this.#api.startListen());
  }

  finishListen(): void {
    guarded(() => this.#api.finishListen());
  }

  accept(): SctpSocket {
    return guarded(() => SctpSocket._wrap(this.#api.accept()));
  }

  peeloff(association: wit.AssociationId): SctpSocket {
    return guarded(() => SctpSocket._wrap(this.#api.peeloff(association)));
  }

  send(messages: wit.OutgoingMessage[]): bigint {
    return guarded(() => BigInt(this.#api.send(messages.map(fromWitMessage))));
  }

  receive(maxResults: bigint): wit.Incoming[] {
    return guarded(() => {
      const max = maxResults > 65536n ? 65536 : Number(maxResults);
      return toWitIncomingList(this.#api.receive(max));
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
    this.#futures.sweep();
  }
}

export interface SctpSocket extends OptionMethods {}
installOptionMethods(SctpSocket.prototype, (socket) => SctpSocket._api(socket as SctpSocket));

let wrapping: ApiSocket | undefined;

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
