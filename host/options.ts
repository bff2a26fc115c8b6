// The WIT's option getters and setters, installed from the option table in src/options.ts: one
// generic getter and setter per association rule, never a hand-written function per option.
import type * as wit from '../types/generated/interfaces/sctp-sockets-sctp.js';
import { OPTION_TABLE, type AssocScope, type SctpSocket as ApiSocket } from '../src/index.js';
import { guarded, HostError } from './errors.js';

/** The methods of the WIT resource that are socket options (the rest are written in sctp-socket.ts). */
type CoreMethod =
  | 'startBind' | 'finishBind' | 'startConnect' | 'finishConnect' | 'startListen' | 'finishListen' | 'accept' | 'peeloff'
  | 'send' | 'receive' | 'shutdown' | 'localAddress' | 'remoteAddress' | 'isListening' | 'addressFamily'
  | 'socketType' | 'setListenBacklogSize' | 'subscribe' | 'wholeMessages' | 'setWholeMessages';
export type OptionMethods = Omit<wit.SctpSocket, CoreMethod>;

export const camelCase = (kebab: string): string => kebab.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

function scopeFromWit(scope: wit.AssociationScope): AssocScope {
  switch (scope.tag) {
    case 'future': case 'current': case 'all': return scope.tag;
    case 'association': return scope.val;
    default: throw new HostError('invalid-argument');
  }
}

/** WIT u64 values (buffer sizes) are bigints; the table works in numbers. */
function toApiValue(value: unknown, witValue: string | undefined): unknown {
  if (witValue !== 'u64') return value;
  if (typeof value !== 'bigint') throw new HostError('invalid-argument');
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new HostError('invalid-argument');
  return Number(value);
}

function toWitValue(value: unknown, witValue: string | undefined): unknown {
  return witValue === 'u64' ? BigInt(value as number) : value;
}

export function installOptionMethods(proto: object, apiOf: (resource: object) => ApiSocket): void {
  for (const row of OPTION_TABLE) {
    const takesAssociation = row.assoc !== 'socket';
    const witValue = (row as { witValue?: string }).witValue;
    if (row.mode !== 'wo') {
      const get = takesAssociation
        ? function (this: object, association?: number) {
          return guarded(() => toWitValue(apiOf(this).getOption(row.name, association ?? 'future'), witValue));
        }
        : function (this: object) {
          return guarded(() => toWitValue(apiOf(this).getOption(row.name), witValue));
        };
      Object.defineProperty(proto, camelCase(row.getter), { value: get, writable: true, configurable: true });
    }
    if (row.setter !== undefined && row.mode !== 'ro') {
      const set = takesAssociation
        ? function (this: object, scope: wit.AssociationScope, value: unknown) {
          guarded(() => apiOf(this).setOption(row.name, toApiValue(value, witValue) as never, scopeFromWit(scope)));
        }
        : function (this: object, value: unknown) {
          guarded(() => apiOf(this).setOption(row.name, toApiValue(value, witValue) as never));
        };
      Object.defineProperty(proto, camelCase(row.setter), { value: set, writable: true, configurable: true });
    }
  }
}
