// The WIT's option getters and setters, installed from the option table in src/options.ts: one
// generic getter and setter per row, never a hand-written function per option. A row says which
// arguments the WIT functions take (its association rule and key arguments) and where its value's
// WIT representation differs from the TS API's (its `wit` shape); the conversions here follow it.
import type * as wit from '../types/generated/interfaces/sctp-sockets-sctp.js';
import {
  KEY_WIT_SHAPES, OPTION_TABLE, type AssocRule, type AssocScope, type OptionRow, type SctpSocket as ApiSocket,
  type SocketAddress, type WitShape,
} from '../src/index.js';
import { fromWit as addressFromWit, toWit as addressToWit } from './addresses.js';
import { guarded, HostError } from './errors.js';

/** The methods of the WIT resource that are socket options (the rest are written in sctp-socket.ts). */
type CoreMethod =
  | 'startBind' | 'finishBind' | 'startConnect' | 'finishConnect' | 'startListen' | 'finishListen' | 'accept' | 'peeloff'
  | 'send' | 'receive' | 'shutdown' | 'localAddress' | 'remoteAddress' | 'isListening' | 'addressFamily'
  | 'socketType' | 'setListenBacklogSize' | 'subscribe' | 'wholeMessages' | 'setWholeMessages'
  | 'addLocalAddresses' | 'removeLocalAddresses' | 'startConnectx' | 'localAddresses' | 'remoteAddresses';
export type OptionMethods = Omit<wit.SctpSocket, CoreMethod>;

export const camelCase = (kebab: string): string => kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function scopeFromWit(scope: wit.AssociationScope): AssocScope {
  switch (scope?.tag) {
    case 'future': case 'current': case 'all': return scope.tag;
    case 'association': return scope.val;
    default: throw new HostError('invalid-argument');
  }
}

/** TS API value -> WIT value. */
export function toWitValue(value: unknown, shape: WitShape | undefined): unknown {
  if (shape === undefined || value === undefined) return value;
  if (shape === 'u64') return BigInt(value as number);
  if (shape === 'address') return addressToWit(value as SocketAddress);
  if (shape === 'u8-list') return Uint8Array.from(value as ArrayLike<number>);
  if (shape === 'u16-list') return Uint16Array.from(value as ArrayLike<number>);
  if (shape === 'u32-list') return Uint32Array.from(value as ArrayLike<number>);
  if ('option' in shape) return toWitValue(value, shape.option);
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [field, s] of Object.entries(shape.record)) out[field] = toWitValue(out[field], s);
  return out;
}

/** WIT value -> TS API value (bad input is invalid-argument; the table's codecs validate the rest). */
export function fromWitValue(value: unknown, shape: WitShape | undefined): unknown {
  if (shape === undefined || value === undefined) return value;
  if (shape === 'u64') {
    if (typeof value !== 'bigint' || value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new HostError('invalid-argument');
    }
    return Number(value);
  }
  if (shape === 'address') {
    if (typeof value !== 'object' || value === null) throw new HostError('invalid-argument');
    return addressFromWit(value as wit.IpSocketAddress);
  }
  if (shape === 'u8-list' || shape === 'u16-list' || shape === 'u32-list') return value;  // codecs take typed arrays
  if ('option' in shape) return fromWitValue(value, shape.option);
  if (typeof value !== 'object' || value === null) throw new HostError('invalid-argument');
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [field, s] of Object.entries(shape.record)) out[field] = fromWitValue(out[field], s);
  return out;
}

/** What comes before the key arguments of a setter: an association-scope, an option<association-id>, or nothing. */
function setterLead(rule: AssocRule): 'scope' | 'association' | 'none' {
  switch (rule) {
    case 'future-current-all-or-id': case 'future-or-id': return 'scope';
    case 'id-only': return 'association';
    case 'socket': case 'negotiated': return 'none';
  }
}

type Row = OptionRow<unknown, unknown> & { name: string };

/** One option call, as the `before` hook of installOptionMethods sees it (TS API values). */
export interface OptionCall {
  /** The option table's row name ('status', 'primary-addr', ...). */
  name: string;
  set: boolean;
  /** The getter's association, or the setter's scope / association; undefined for none. */
  association: AssocScope | undefined;
  key: Record<string, unknown> | undefined;
  value: unknown;
}

/** The key arguments at `args[start..]`, as the TS API's key object. */
function keysFromWit(row: Row, args: unknown[], start: number): Record<string, unknown> | undefined {
  if (!row.keys?.length) return undefined;
  const key: Record<string, unknown> = {};
  row.keys.forEach((k, i) => { key[k.name] = fromWitValue(args[start + i], KEY_WIT_SHAPES[k.kind]); });
  return key;
}

/** `before` runs ahead of every call, with its converted arguments; it throws to refuse the call. */
export function installOptionMethods(proto: object, apiOf: (resource: object) => ApiSocket,
  before: (resource: object, call: OptionCall) => void = () => {}): void {
  for (const row of OPTION_TABLE as readonly Row[]) {
    const name = row.name as never;
    const takesAssociation = row.assoc !== 'socket';
    const keyCount = row.keys?.length ?? 0;
    if (row.getter !== undefined && row.mode !== 'wo') {
      const get = function (this: object, ...args: unknown[]) {
        return guarded(() => {
          // none: the rule's default (future associations, or a one-to-one socket's association).
          const association = takesAssociation ? args[0] as number | undefined : undefined;
          const key = keysFromWit(row, args, takesAssociation ? 1 : 0);
          before(this, { name: row.name, set: false, association, key, value: undefined });
          return toWitValue(apiOf(this).getOption(name, association, key as never), row.wit);
        });
      };
      Object.defineProperty(proto, camelCase(row.getter), { value: get, writable: true, configurable: true });
    }
    if (row.setter !== undefined && row.mode !== 'ro') {
      const lead = setterLead(row.assoc);
      const first = lead === 'none' ? 0 : 1;
      const set = function (this: object, ...args: unknown[]) {
        guarded(() => {
          const scope = lead === 'scope' ? scopeFromWit(args[0] as wit.AssociationScope)
            : lead === 'association' ? args[0] as number | undefined : undefined;
          const key = keysFromWit(row, args, first);
          const value = row.noValue ? undefined : fromWitValue(args[first + keyCount], row.wit);
          before(this, { name: row.name, set: true, association: scope, key, value });
          apiOf(this).setOption(name, value as never, scope, key as never);
        });
      };
      Object.defineProperty(proto, camelCase(row.setter), { value: set, writable: true, configurable: true });
    }
  }
}
