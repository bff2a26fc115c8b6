/**
 * getOption / setOption: one generic reader and writer driven by the option table (table.ts). They resolve the
 * association scope by the row's rule, check the key arguments, let the row's codec build the struct, call the
 * addon's getsockopt / setsockopt and map its errno (with the row's own exceptions).
 */
import { forStack, type AddressForm, type IpAddressFamily, type Sockaddr } from '../addresses/sockaddr.js';
import { SctpError, errorFromErrno } from '../errors.js';
import { C, SIZES, native } from '../native.js';
import { EVENT_KINDS, type EventKind } from '../socket/notifications.js';
import { prPolicyCode } from '../socket/send-flags.js';
import type { SocketType } from '../socket/state.js';
import { checkInt, checkObject, invalid, unsupported } from './fields.js';
import type { AssocScope, CodecContext, OptionRow } from './schema.js';
import { OPTIONS, type OptionKey, type OptionName, type OptionValue } from './table.js';

/** What the generic functions need from a socket. */
export interface OptionTarget<A> {
  readonly id: number;
  readonly family: IpAddressFamily;
  readonly type: SocketType;
  /** How the socket's caller holds addresses. */
  readonly addressForm: AddressForm<A>;
  /** Throws invalid-state on a closed socket. */
  assertOpen(operation: string): void;
}

type Row = OptionRow<unknown>;

function lookup(name: string): Row {
  if (!Object.prototype.hasOwnProperty.call(OPTIONS, name)) throw invalid(`unknown option ${name}`);
  return (OPTIONS as Record<string, Row>)[name];
}

function specialId(scope: 'future' | 'current' | 'all'): number {
  return scope === 'future' ? C.SCTP_FUTURE_ASSOC : scope === 'current' ? C.SCTP_CURRENT_ASSOC : C.SCTP_ALL_ASSOC;
}

function checkAssocNumber(n: unknown): number {
  const v = checkInt(n, 'association id', 0, 0xffffffff);
  if (v <= C.SCTP_ALL_ASSOC && v !== C.SCTP_FUTURE_ASSOC) {
    throw invalid(`association id ${v} is reserved: use 'current' or 'all'`);
  }
  return v;
}

function resolveAssoc(r: Row, target: OptionTarget<unknown>, scope: AssocScope | undefined,
  write: boolean, name: string): number {
  switch (r.assoc) {
    case 'socket':
      if (scope !== undefined) throw invalid(`${name} applies to the socket, not to an association`);
      return 0;
    case 'negotiated':
      if (write) {
        if (scope !== undefined && scope !== 'future') throw invalid(`${name} is set for future associations only`);
        return C.SCTP_FUTURE_ASSOC;
      }
      // falls through: reads take an association
    case 'future-current-all-or-id':
    case 'future-or-id':
      if (scope === undefined || scope === 'future') return C.SCTP_FUTURE_ASSOC;
      if (scope === 'current' || scope === 'all') {
        if (!write) throw invalid(`${name}: reads take an association id or 'future'`);
        if (r.assoc === 'future-or-id' && target.type === 'one-to-many') {
          throw invalid(`${name} applies to the defaults or to one association, not to '${scope}'`);
        }
        return specialId(scope);
      }
      return checkAssocNumber(scope);
    case 'id-only':
      if (scope === undefined) {
        if (target.type === 'one-to-one') return 0;
        throw invalid(`${name}: a one-to-many socket must name the association`);
      }
      if (typeof scope !== 'number') throw invalid(`${name} applies to one association id`);
      return checkAssocNumber(scope);
  }
}

/** The key arguments, checked, with addresses in the byte form. */
function checkKeys(r: Row, key: unknown, name: string, target: OptionTarget<unknown>): Record<string, unknown> {
  const path = (v: unknown) => forStack(target.addressForm.toSockaddr(v), target.family, 'path');
  const specs = r.keys ?? [];
  const given = key === undefined ? {} : checkObject(key, `the key of ${name}`);
  for (const k of Object.keys(given)) {
    if (!specs.some((s) => s.name === k)) throw invalid(`${name} takes no key ${k}`);
  }
  const out: Record<string, unknown> = {};
  for (const s of specs) {
    const v = given[s.name];
    switch (s.kind) {
      case 'address': out[s.name] = path(v); break;
      case 'optional-address': out[s.name] = v === undefined ? undefined : path(v); break;
      case 'stream': out[s.name] = checkInt(v, s.name, 0, 0xffff); break;
      case 'event-kind':
        if (!EVENT_KINDS.includes(v as EventKind)) throw invalid(`${s.name} must be one of ${EVENT_KINDS.join(', ')}`);
        out[s.name] = v;
        break;
      case 'optional-pr-policy':
        if (v !== undefined && prPolicyCode(v) === undefined) throw invalid(`${s.name} must be none, ttl, rtx or prio`);
        out[s.name] = v;
        break;
    }
  }
  return out;
}

function level(r: Row): number {
  return r.level === 'SOL_SOCKET' ? C.SOL_SOCKET : C.IPPROTO_SCTP;
}

function prologue(r: Row, target: OptionTarget<unknown>, name: string, op: string): void {
  target.assertOpen(`${op} ${name}`);
  if (r.style !== undefined && target.type !== r.style) {
    throw new SctpError('invalid-state', `${name} applies to ${r.style} sockets only`);
  }
}

/** Whether a one-to-one socket has its association (SCTP_STATUS finds one). */
function hasAssociation(target: OptionTarget<unknown>): boolean {
  return native.getsockopt(target.id, C.IPPROTO_SCTP, C.SCTP_STATUS, Buffer.alloc(SIZES.sctp_status)) >= 0;
}

function nativeCheck(r: Row, target: OptionTarget<unknown>, result: number, operation: string): number {
  if (result >= 0) return result;
  const oneToOne = target.type === 'one-to-one';
  // An option of one association reads a one-to-one socket's own: when there is none, it is the socket's state.
  const withoutAssociation = oneToOne && r.assoc === 'id-only' && !hasAssociation(target);
  const e = errorFromErrno(result, operation, { oneToOne, withoutAssociation });
  const override = e.errno !== undefined ? r.errors?.[e.errno] : undefined;
  if (override !== undefined) throw new SctpError(override, `${operation}: ${override} (${e.errno})`, e.errno);
  throw e;
}

function context(r: Row, target: OptionTarget<unknown>, name: string, scope: AssocScope | undefined, key: unknown,
  write: boolean): CodecContext {
  return {
    assocId: resolveAssoc(r, target, scope, write, name), family: target.family, type: target.type,
    form: target.addressForm, key: checkKeys(r, key, name, target),
  };
}

/** Reads an option (`association`: see the row's association rule; `key`: the row's key arguments). */
export function getOption<N extends OptionName, A>(target: OptionTarget<A>, name: N, association?: AssocScope,
  key?: OptionKey<N, A>): OptionValue<N, A> {
  const r = lookup(name);
  prologue(r, target, name, 'get');
  if (r.mode === 'wo') throw unsupported(`${name} is write-only`);
  const ctx = context(r, target, name, association, key, false);
  if (r.level === 'none') return r.codec.decode(Buffer.alloc(0), 0, ctx) as OptionValue<N, A>;
  const buf = Buffer.alloc(r.codec.size(ctx));
  r.codec.prepare(buf, ctx);
  const length = nativeCheck(r, target, native.getsockopt(target.id, level(r), C[r.constant!], buf), `get ${name}`);
  return r.codec.decode(buf, length, ctx) as OptionValue<N, A>;
}

/** Writes an option; invalid values throw invalid-argument (or not-supported) before usrsctp is called. */
export function setOption<N extends OptionName, A>(target: OptionTarget<A>, name: N, value: OptionValue<N, A>,
  scope?: AssocScope, key?: OptionKey<N, A>): void {
  const r = lookup(name);
  prologue(r, target, name, 'set');
  if (r.mode === 'ro') throw unsupported(`${name} is read-only`);
  const ctx = context(r, target, name, scope, key, true);
  const normalised = r.codec.check(value, ctx);
  if (r.level === 'none') return;
  const write = (c: CodecContext) => {
    const buf = Buffer.alloc(r.codec.size(c, normalised));
    r.codec.encode(normalised, buf, c);
    nativeCheck(r, target, native.setsockopt(target.id, level(r), C[r.constant!], buf), `set ${name}`);
  };
  write(ctx);
  if (r.perPath && ctx.assocId !== C.SCTP_FUTURE_ASSOC) {
    for (const assocId of associationsOf(target, ctx.assocId)) {
      for (const path of peerAddresses(target, assocId)) write({ ...ctx, assocId, key: { path } });
    }
  }
}

/** The associations a scope names: the id itself, or every association for current/all. */
function associationsOf(target: OptionTarget<unknown>, assocId: number): number[] {
  if (assocId !== C.SCTP_CURRENT_ASSOC && assocId !== C.SCTP_ALL_ASSOC) return [assocId];
  if (target.type === 'one-to-one') return [0];
  return getOption(target, 'assoc-id-list');
}

/** The peer addresses (paths) of an association (sctp_getpaddrs); none when it is gone. */
function peerAddresses(target: OptionTarget<unknown>, assocId: number): Sockaddr[] {
  const r = native.peerAddresses(target.id, target.type === 'one-to-one' ? 0 : assocId);
  return typeof r === 'number' ? [] : r;
}
