// The WIT's option getters and setters, installed from the option table (src/options/table.ts): one
// generic getter and setter per row, never a hand-written function per option, and no list of them
// here either: their names are the rows' `getter` and `setter`, so the TypeScript type of the
// resource follows from the table and the compiler checks it against the WIT. A row says which
// arguments the functions take (its association rule and key arguments), where its value's WIT
// representation differs from the TS API's (its `wit` shape), and what the host checks before a
// call (its `screen` rule).
import type * as wit from '../types/generated/interfaces/sctp-sockets-sctp.js';
import type { IpSocketAddress } from '../types/generated/interfaces/wasi-sockets-network.js';
import {
  OPTION_TABLE, type AssocRule, type AssocScope, type KeyKind, type OptionFunctionName, type OptionRow,
  type SctpSocket, type Sockaddr, type WitShape,
} from '../src/index.js';
import { fromWit as addressFromWit, toWit as addressToWit } from './addresses.js';
import type { AssociationGuard } from './association-guard.js';
import { guarded, HostError } from './errors.js';
import { checkNetworkAccess } from './policy.js';

type CamelCase<S extends string> = S extends `${infer H}-${infer T}` ? `${H}${Capitalize<CamelCase<T>>}` : S;

/** The methods of the WIT resource that are socket options: one per getter and setter of the table. */
export type OptionMethods = Pick<wit.SctpSocket, CamelCase<OptionFunctionName>>;

const camelCase = (kebab: string): string => kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** WIT shapes of the key kinds. */
const KEY_WIT_SHAPES: Readonly<Record<KeyKind, WitShape | undefined>> = {
  address: 'address',
  'optional-address': { option: 'address' },
  stream: undefined,
  'event-kind': undefined,
  'optional-pr-policy': undefined,
};

function scopeFromWit(scope: wit.AssociationScope): AssocScope {
  switch (scope?.tag) {
    case 'future': case 'current': case 'all': return scope.tag;
    case 'association': return scope.val;
    default: throw new HostError('invalid-argument');
  }
}

/** TS API value -> WIT value. */
function toWitValue(value: unknown, shape: WitShape | undefined): unknown {
  if (shape === undefined || value === undefined) return value;
  if (shape === 'u64') return BigInt(value as number);
  if (shape === 'address') return addressToWit(value as Sockaddr);
  if (shape === 'u8-list') return Uint8Array.from(value as ArrayLike<number>);
  if (shape === 'u16-list') return Uint16Array.from(value as ArrayLike<number>);
  if (shape === 'u32-list') return Uint32Array.from(value as ArrayLike<number>);
  if ('option' in shape) return toWitValue(value, shape.option);
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [field, s] of Object.entries(shape.record)) out[field] = toWitValue(out[field], s);
  return out;
}

/** WIT value -> TS API value (bad input is invalid-argument; the table's codecs validate the rest). */
function fromWitValue(value: unknown, shape: WitShape | undefined): unknown {
  if (shape === undefined || value === undefined) return value;
  if (shape === 'u64') {
    if (typeof value !== 'bigint' || value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new HostError('invalid-argument');
    }
    return Number(value);
  }
  if (shape === 'address') {
    if (typeof value !== 'object' || value === null) throw new HostError('invalid-argument');
    return addressFromWit(value as IpSocketAddress);
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

type Row = OptionRow<unknown> & { name: string };

/** What screen() looks at in one option call: the keys as the guest gave them, the value both ways. */
interface OptionCall {
  row: Row;
  set: boolean;
  /** The getter's association, or the setter's scope / association; undefined for none. */
  association: AssocScope | undefined;
  witKey: Record<string, unknown> | undefined;
  value: unknown;
  witValue: unknown;
}

/** The key arguments at `args[start..]`, as the guest gave them (by key name). */
function witKeys(row: Row, args: unknown[], start: number): Record<string, unknown> | undefined {
  if (!row.keys?.length) return undefined;
  return Object.fromEntries(row.keys.map((k, i) => [k.name, args[start + i]]));
}

function keysFromWit(row: Row, witKey: Record<string, unknown> | undefined): Record<string, unknown> | undefined {
  if (witKey === undefined) return undefined;
  return Object.fromEntries(row.keys!.map((k) => [k.name, fromWitValue(witKey[k.name], KEY_WIT_SHAPES[k.kind])]));
}

/**
 * The host's checks before an option call: the association it names must be one the guest may see (the guard
 * screens it), and what the row's `screen` rule says the call reaches: every association, or a peer address the
 * connect rules must allow.
 */
function screen(call: OptionCall, guard: AssociationGuard | undefined): void {
  const rule = call.row.screen;
  if (guard) {
    if (typeof call.association === 'number') guard.requireAdmitted(call.association);
    else if (call.association === 'current' || call.association === 'all' || rule === 'lists-associations') guard.screenAll();
  }
  if (!call.set) return;
  if (rule === 'connects-to-value' && call.witValue) checkNetworkAccess('connect', call.witValue as IpSocketAddress);
  const path = call.witKey?.address as IpSocketAddress | undefined;
  if (rule === 'connects-on-heartbeat-now' && path && (call.value as { heartbeatNow?: boolean })?.heartbeatNow) {
    checkNetworkAccess('connect', path);
  }
}

/** What the installed methods need from a resource: its TS API socket and, when screening applies, its guard. */
export interface OptionHost {
  api(resource: object): SctpSocket<Sockaddr>;
  guard(resource: object): AssociationGuard | undefined;
}

export function installOptionMethods(proto: object, host: OptionHost): void {
  for (const row of OPTION_TABLE as readonly Row[]) {
    const name = row.name as never;
    const takesAssociation = row.assoc !== 'socket';
    const keyCount = row.keys?.length ?? 0;
    if (row.getter !== undefined && row.mode !== 'wo') {
      const get = function (this: object, ...args: unknown[]) {
        return guarded(() => {
          // none: the rule's default (future associations, or a one-to-one socket's association).
          const association = takesAssociation ? args[0] as number | undefined : undefined;
          const witKey = witKeys(row, args, takesAssociation ? 1 : 0);
          const key = keysFromWit(row, witKey);
          screen({ row, set: false, association, witKey, value: undefined, witValue: undefined }, host.guard(this));
          return toWitValue(host.api(this).getOption(name, association, key as never), row.wit);
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
          const witKey = witKeys(row, args, first);
          const key = keysFromWit(row, witKey);
          const witValue = row.noValue ? undefined : args[first + keyCount];
          const value = fromWitValue(witValue, row.wit);
          screen({ row, set: true, association: scope, witKey, value, witValue }, host.guard(this));
          host.api(this).setOption(name, value as never, scope, key as never);
        });
      };
      Object.defineProperty(proto, camelCase(row.setter), { value: set, writable: true, configurable: true });
    }
  }
}
