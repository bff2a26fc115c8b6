// Applies the `accept` rules of the network policy to associations that peers set up: those of a
// listening one-to-many socket (which the stack accepts on its own, without `accept`) and of a
// one-to-one socket taken by `accept` whose peer could not be looked up then. An association from
// a peer outside the policy is aborted, its messages and notifications are dropped, and its id
// is "no such association" to the guest. Associations the guest set up itself passed the
// `connect` rules instead and are never screened here.
import { EVENT_READ, type Incoming, type SctpSocket, type Sockaddr } from '../src/index.js';
import { toWit } from './addresses.js';
import { HostError } from './errors.js';
import { networkPolicy } from './policy.js';

type ApiSocket = SctpSocket<Sockaddr>;

/** What the peer reads in the ABORT's user-initiated-abort cause. */
const ABORT_REASON = new TextEncoder().encode('refused by the host network policy');

export class AssociationGuard {
  readonly #api: ApiSocket;
  /** Associations the guest may see: set up by the guest, or from a peer the policy allows. */
  readonly #cleared = new Set<number>();
  readonly #refused = new Set<number>();
  /** Reused by every receive: where each association's items came from. */
  readonly #sources = new Map<number, Sockaddr>();
  /** The size at which the sets are pruned of associations that no longer exist. */
  #pruneAt = 1024;

  constructor(api: ApiSocket) {
    this.#api = api;
  }

  /** The guest set this association up (start-connect, a send with a destination): the connect rules allowed it. */
  initiated(association: number): void {
    if (association <= 0) return;
    this.#refused.delete(association);
    this.#cleared.add(association);
    if (this.#cleared.size >= this.#pruneAt) this.#prune();
  }

  /**
   * For calls that name an association: a refused one is `invalid-argument`, as one that does
   * not exist; an unknown one is screened first. One the stack does not know passes (the call
   * itself then fails).
   */
  requireAdmitted(association: number | undefined): void {
    if (association === undefined || association <= 0) return;
    if (this.#decide(association, undefined) === false) throw new HostError('invalid-argument');
  }

  /** For calls that reach every association of the socket (sendall, `current` / `all` option scopes, the id list). */
  screenAll(): void {
    let ids: number[];
    try {
      ids = this.#api.getOption('assoc-id-list');
    } catch {
      return; // not a one-to-many socket, or closed: the call itself reports that
    }
    for (const id of ids) this.#decide(id, undefined);
  }

  /** `receive` through the guard: items of refused associations never reach the guest. */
  receive(max: number): Incoming<Sockaddr>[] {
    const sources = this.#sources;
    sources.clear();
    const items = this.#api.receive(max, sources);
    let kept: Incoming<Sockaddr>[] | undefined;
    for (let i = 0; i < items.length; i++) {
      const item = items[i];
      const association = item.kind === 'message' ? item.association
        : item.kind === 'notification' ? item.notification.assocId : 0;
      const allowed = association <= 0 || this.#cleared.has(association)
        || this.#decide(association, sources.get(association)) === true;
      if (allowed) {
        kept?.push(item);
      } else if (!kept) {
        kept = items.slice(0, i);
      }
    }
    return kept ?? items;
  }

  /**
   * true: allowed (remembered); false: refused (aborted, remembered); undefined: the peer is
   * unknown (no address came with the read and the association is gone), which receive treats
   * as refused without remembering it.
   */
  #decide(association: number, source: Sockaddr | undefined): boolean | undefined {
    if (this.#cleared.has(association)) return true;
    if (this.#refused.has(association)) return false;
    const peer = source ?? this.#livePeer(association);
    if (!peer) return undefined;
    if (networkPolicy().allows('accept', toWit(peer))) {
      this.#cleared.add(association);
      if (this.#cleared.size >= this.#pruneAt) this.#prune();
      return true;
    }
    this.#refuse(association);
    return false;
  }

  #livePeer(association: number): Sockaddr | undefined {
    try {
      return this.#api.type === 'one-to-many' ? this.#api.remoteAddress(association) : this.#api.remoteAddress();
    } catch {
      return undefined;
    }
  }

  #refuse(association: number): void {
    this.#refused.add(association);
    try {
      this.#api.send([{ data: ABORT_REASON, association, flags: { abort: true } }]);
    } catch {
      // Already gone: nothing to abort.
    }
  }

  /**
   * Keeps only associations that still exist (ids are never reused within a socket's life in
   * practice). Only while nothing is queued: a gone association's unread items must still find
   * their decision here.
   */
  #prune(): void {
    let live: Set<number>;
    try {
      if (this.#api.events() & EVENT_READ) {
        this.#pruneAt = this.#cleared.size + 256;
        return;
      }
      live = new Set(this.#api.getOption('assoc-id-list'));
    } catch {
      return;
    }
    for (const id of this.#cleared) if (!live.has(id)) this.#cleared.delete(id);
    for (const id of this.#refused) if (!live.has(id)) this.#refused.delete(id);
    this.#pruneAt = Math.max(1024, 2 * this.#cleared.size);
  }
}

/**
 * The peer of a socket just taken by `accept`, checked against the accept rules: 'allowed',
 * 'refused' (the caller aborts it), or 'unknown' when the association is already gone (its reads
 * are checked by an AssociationGuard instead).
 */
export function screenAccepted(api: ApiSocket): 'allowed' | 'refused' | 'unknown' {
  let peer: Sockaddr;
  try {
    peer = api.remoteAddress();
  } catch {
    return 'unknown';
  }
  return networkPolicy().allows('accept', toWit(peer)) ? 'allowed' : 'refused';
}

/** Aborts and closes a socket taken by `accept` whose peer the policy refuses. */
export function refuseAccepted(api: ApiSocket): void {
  try {
    api.send([{ data: ABORT_REASON, flags: { abort: true } }]);
  } catch {
    // Gone already.
  }
  api.close();
}
