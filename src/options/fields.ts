/**
 * The byte codecs options are built from: how one C field is read, written and checked, and the generic codecs of
 * whole structs (a record of fields, one scalar field, an enum, a flag set, a read-only struct). Layouts come from
 * the addon's sizes and offsets.
 */
import { forStack, putSockaddr, sockaddrAt, wildcardSockaddr, type Sockaddr } from '../addresses/sockaddr.js';
import { SctpError } from '../errors.js';
import { C, SIZES, offsetOf, type NativeConstantName, type NativeStructName } from '../native.js';
import type { Codec, CodecContext } from './schema.js';
import { endianness } from 'node:os';

const LE = endianness() === 'LE';

export function invalid(message: string): SctpError {
  return new SctpError('invalid-argument', message);
}

export function unsupported(message: string): SctpError {
  return new SctpError('not-supported', message);
}

export function checkInt(value: unknown, what: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(`${what} must be an integer ${min}..${max}`);
  }
  return value;
}

export function checkBool(value: unknown, what: string): boolean {
  if (typeof value !== 'boolean') throw invalid(`${what} must be a boolean`);
  return value;
}

export function checkObject(value: unknown, what = 'the value'): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw invalid(`${what} must be an object`);
  return value as Record<string, unknown>;
}

/**
 * A list of at most `max` items, as a plain array (the WIT's list<u8/u16/u32> arrive as typed arrays), checked
 * before anything is copied: a guest may pass megabytes.
 */
export function checkList(value: unknown, what: string, max: number): unknown[] {
  const list = Array.isArray(value) ? value : ArrayBuffer.isView(value) && !(value instanceof DataView) ? value as unknown as ArrayLike<unknown> : undefined;
  if (list === undefined) throw invalid(`${what} must be a list`);
  if (list.length > max) throw invalid(`${what} has ${list.length} items; at most ${max}`);
  return Array.isArray(list) ? list : Array.from(list);
}

/** How one C field is stored. Host-order integers unless noted; 'sockaddr' is a sockaddr_storage. */
export type FieldKind = 'u8' | 'u16' | 'u32' | 'i32' | 'u64' | 'bool32' | 'port' | 'be32' | 'sockaddr';

export interface FieldSpec<T> {
  /** The C field name (its offset is `offsets["struct.field"]`). */
  field: string;
  kind: FieldKind;
  /** Allowed range of the value (defaults: the C type's range, times `scale`). */
  min?: number;
  max?: number;
  /** The stack counts in units of `scale` API units: native = value / scale (e.g. 1000: ms here, seconds there). */
  scale?: number;
  /** Reported by the getter, ignored by the setter (may be omitted there). */
  readOnly?: boolean;
}

const RANGES: Record<string, [number, number]> = {
  u8: [0, 0xff],
  u16: [0, 0xffff],
  u32: [0, 0xffffffff],
  i32: [-0x80000000, 0x7fffffff],
  u64: [0, Number.MAX_SAFE_INTEGER],
  port: [0, 0xffff],
  be32: [0, 0xffffffff],
};

/** Reads a field; a 'sockaddr' field comes back in the caller's address form (`ctx`), undefined when unset. */
export function readField(buf: Buffer, offset: number, kind: FieldKind, ctx?: CodecContext): unknown {
  switch (kind) {
    case 'u8': return buf.readUInt8(offset);
    case 'u16': return LE ? buf.readUInt16LE(offset) : buf.readUInt16BE(offset);
    case 'u32': return LE ? buf.readUInt32LE(offset) : buf.readUInt32BE(offset);
    case 'i32': return LE ? buf.readInt32LE(offset) : buf.readInt32BE(offset);
    case 'u64': return Number(LE ? buf.readBigUInt64LE(offset) : buf.readBigUInt64BE(offset));
    case 'bool32': return (LE ? buf.readInt32LE(offset) : buf.readInt32BE(offset)) !== 0;
    case 'port': return buf.readUInt16BE(offset);  // network byte order
    case 'be32': return buf.readUInt32BE(offset);  // network byte order (PPIDs)
    case 'sockaddr': {
      const sa = sockaddrAt(buf, offset);
      return sa && ctx ? ctx.form.fromSockaddr(sa) : sa;
    }
  }
}

/** Writes a field; a 'sockaddr' value is in the byte form (checkField converts it). */
export function writeField(buf: Buffer, offset: number, kind: FieldKind, value: unknown): void {
  switch (kind) {
    case 'u8': buf.writeUInt8(value as number, offset); return;
    case 'u16': LE ? buf.writeUInt16LE(value as number, offset) : buf.writeUInt16BE(value as number, offset); return;
    case 'u32': LE ? buf.writeUInt32LE(value as number, offset) : buf.writeUInt32BE(value as number, offset); return;
    case 'i32': LE ? buf.writeInt32LE(value as number, offset) : buf.writeInt32BE(value as number, offset); return;
    case 'u64': {
      const v = BigInt(value as number);
      LE ? buf.writeBigUInt64LE(v, offset) : buf.writeBigUInt64BE(v, offset);
      return;
    }
    case 'bool32': LE ? buf.writeInt32LE(value ? 1 : 0, offset) : buf.writeInt32BE(value ? 1 : 0, offset); return;
    case 'port': buf.writeUInt16BE(value as number, offset); return;
    case 'be32': buf.writeUInt32BE(value as number, offset); return;
    case 'sockaddr': putSockaddr(buf, offset, value as Sockaddr); return;
  }
}

function checkField(value: unknown, spec: FieldSpec<unknown>, what: string, ctx: CodecContext): unknown {
  if (spec.kind === 'bool32') return checkBool(value, what);
  if (spec.kind === 'sockaddr') return checkPath(value, ctx);
  const [lo, hi] = RANGES[spec.kind];
  const scale = spec.scale ?? 1;
  const v = checkInt(value, what, spec.min ?? lo * scale, spec.max ?? hi * scale);
  if (v % scale !== 0) throw invalid(`${what} must be a multiple of ${scale} (the stack counts in units of ${scale})`);
  return v;
}

/**
 * An address an option names (a path: a peer address, or one of ours), of either family (peers of an IPv6 socket
 * may be IPv4 addresses: sockets are dual-stack), in the byte form.
 */
export function checkPath(value: unknown, ctx: CodecContext): Sockaddr {
  return forStack(ctx.form.toSockaddr(value), ctx.family, 'path');
}

export interface StructOptions {
  /** The struct's association-id field, filled from the call's scope. */
  assocField?: string;
  /**
   * An address field: the key argument `key` when given, else the wildcard address of the socket's family (which
   * means "the association" or "the endpoint" to the stack).
   */
  addressField?: { field: string; key?: string };
  /** Key arguments written into fields: key name -> [field, kind]. */
  keyFields?: Record<string, [string, FieldKind]>;
  /** Fields written with a fixed value on every call (e.g. a field the stack insists on). */
  fixed?: Record<string, [FieldKind, number]>;
  /** Cross-field validation of a checked value. */
  validate?: (value: Record<string, unknown>) => void;
}

export function fillCommon(struct: NativeStructName, opts: StructOptions, buf: Buffer, ctx: CodecContext): void {
  if (opts.assocField) writeField(buf, offsetOf(`${struct}.${opts.assocField}`), 'u32', ctx.assocId);
  if (opts.addressField) {
    const keyed = opts.addressField.key ? ctx.key[opts.addressField.key] as Sockaddr | undefined : undefined;
    putSockaddr(buf, offsetOf(`${struct}.${opts.addressField.field}`), keyed ?? wildcardSockaddr(ctx.family));
  }
  for (const [key, [field, kind]] of Object.entries(opts.keyFields ?? {})) {
    writeField(buf, offsetOf(`${struct}.${field}`), kind, ctx.key[key]);
  }
  for (const [field, [kind, value]] of Object.entries(opts.fixed ?? {})) {
    writeField(buf, offsetOf(`${struct}.${field}`), kind, value);
  }
}

function toNative(value: unknown, spec: FieldSpec<unknown>): unknown {
  return spec.scale ? (value as number) / spec.scale : value;
}

function fromNative(value: unknown, spec: FieldSpec<unknown>): unknown {
  return spec.scale ? (value as number) * spec.scale : value;
}

/** A struct whose value is a record of named fields. */
export function record<T extends object>(
  struct: NativeStructName,
  fields: { [K in keyof T]: FieldSpec<T[K]> },
  opts: StructOptions = {},
): Codec<T> {
  const entries = Object.entries(fields) as Array<[string, FieldSpec<unknown>]>;
  return {
    shape: `{ ${entries.map(([k, f]) => `${k}: ${f.kind}`).join(', ')} }`,
    size: () => SIZES[struct],
    check(value, ctx) {
      const v = checkObject(value);
      const out: Record<string, unknown> = {};
      for (const [k, f] of entries) out[k] = f.readOnly && v[k] === undefined ? 0 : checkField(v[k], f, k, ctx);
      for (const k of Object.keys(v)) if (!(k in fields)) throw invalid(`unknown field ${k}`);
      opts.validate?.(out);
      return out as T;
    },
    prepare: (buf, ctx) => fillCommon(struct, opts, buf, ctx),
    encode(value, buf, ctx) {
      fillCommon(struct, opts, buf, ctx);
      const v = value as Record<string, unknown>;
      for (const [k, f] of entries) {
        if (!f.readOnly) writeField(buf, offsetOf(`${struct}.${f.field}`), f.kind, toNative(v[k], f));
      }
    },
    decode(buf, _length, ctx) {
      const out: Record<string, unknown> = {};
      for (const [k, f] of entries) out[k] = fromNative(readField(buf, offsetOf(`${struct}.${f.field}`), f.kind, ctx), f);
      return out as T;
    },
  };
}

/** A struct (or a bare int when struct is 'int') whose value is one field. */
export function scalar<T>(struct: NativeStructName, spec: FieldSpec<T> | FieldKind, opts: StructOptions = {}): Codec<T> {
  const f: FieldSpec<T> = typeof spec === 'string' ? { field: '', kind: spec } : spec;
  const offset = () => (struct === 'int' ? 0 : offsetOf(`${struct}.${f.field}`));
  return {
    shape: f.kind === 'bool32' ? 'bool' : f.kind,
    size: () => SIZES[struct],
    check: (value, ctx) => checkField(value, f as FieldSpec<unknown>, 'value', ctx) as T,
    prepare: (buf, ctx) => fillCommon(struct, opts, buf, ctx),
    encode(value, buf, ctx) {
      fillCommon(struct, opts, buf, ctx);
      writeField(buf, offset(), f.kind, toNative(value, f as FieldSpec<unknown>));
    },
    decode: (buf, _length, ctx) => fromNative(readField(buf, offset(), f.kind, ctx), f as FieldSpec<unknown>) as T,
  };
}

/** A codec whose setter accepts only some values: the others are not-supported, with the reason. */
export function only<T>(codec: Codec<T>, allowed: (value: T) => boolean, reason: string): Codec<T> {
  return {
    ...codec,
    check(value, ctx) {
      const v = codec.check(value, ctx);
      if (!allowed(v)) throw unsupported(reason);
      return v;
    },
  };
}

/** A u32 field holding one of several constants, presented as a string enum. */
export function enumField<E extends string>(struct: NativeStructName, field: string,
  names: ReadonlyArray<readonly [E, NativeConstantName | undefined]>, opts: StructOptions = {},
  unsupportedReason?: (name: E) => string): Codec<E> {
  const inner = scalar<number>(struct, { field, kind: 'u32' }, opts);
  return {
    shape: names.map(([n]) => `'${n}'`).join(' | '),
    size: (ctx) => inner.size(ctx),
    check(value) {
      const hit = names.find(([n]) => n === value);
      if (!hit) throw invalid(`the value must be one of ${names.map(([n]) => n).join(', ')}`);
      if (hit[1] === undefined) throw unsupported(unsupportedReason?.(hit[0]) ?? `${hit[0]} is not supported`);
      return hit[0];
    },
    prepare: inner.prepare,
    encode(value, buf, ctx) {
      inner.encode(C[names.find(([n]) => n === value)![1]!], buf, ctx);
    },
    decode(buf, length, ctx) {
      const code = inner.decode(buf, length, ctx);
      const hit = names.find(([, c]) => c !== undefined && C[c] === code);
      if (!hit) throw new SctpError('unknown', `the stack reported an unknown value ${code}`);
      return hit[0];
    },
  };
}

/** A bit set in a u32/u16 field, presented as an object of booleans (a WIT `flags`). */
export function flagsField<F extends string>(struct: NativeStructName, field: string, kind: 'u16' | 'u32',
  bits: Readonly<Record<F, NativeConstantName>>, opts: StructOptions = {}): Codec<Partial<Record<F, boolean>>> {
  const inner = scalar<number>(struct, { field, kind }, opts);
  const names = Object.keys(bits) as F[];
  const set = flagBits(bits);
  return {
    shape: `{ ${names.map((n) => `${n}?: bool`).join(', ')} }`,
    size: (ctx) => inner.size(ctx),
    check: (value) => checkFlags(value, names),
    prepare: inner.prepare,
    encode(value, buf, ctx) {
      inner.encode(set.toBits(value), buf, ctx);
    },
    decode: (buf, length, ctx) => set.fromBits(inner.decode(buf, length, ctx)),
  };
}

export function checkFlags<F extends string>(value: unknown, names: readonly F[], what = 'the flags'): Partial<Record<F, boolean>> {
  const v = checkObject(value, what);
  const out: Partial<Record<F, boolean>> = {};
  for (const [k, b] of Object.entries(v)) {
    if (!names.includes(k as F)) throw invalid(`unknown flag ${k}`);
    if (b !== undefined) out[k as F] = checkBool(b, k);
  }
  return out;
}

/**
 * A flag set's conversions to and from the stack's bits, the constants looked up once: the send path converts a
 * message's flags with one.
 */
export function flagBits<F extends string>(bits: Readonly<Record<F, NativeConstantName>>): {
  toBits(value: Partial<Record<F, boolean>>): number;
  fromBits(n: number): Record<F, boolean>;
} {
  const pairs = (Object.keys(bits) as F[]).map((name) => [name, C[bits[name]]] as const);
  return {
    toBits(value) {
      let n = 0;
      for (const [name, bit] of pairs) if (value[name]) n |= bit;
      return n;
    },
    fromBits(n) {
      const out = {} as Record<F, boolean>;
      for (const [name, bit] of pairs) out[name] = (n & bit) !== 0;
      return out;
    },
  };
}

/** A struct that is only read: setting it is not-supported. */
export function readOnlyCodec<T>(struct: NativeStructName, prepare: (buf: Buffer, ctx: CodecContext) => void,
  decode: (buf: Buffer, length: number, ctx: CodecContext) => T, shape: string,
  size: (ctx: CodecContext) => number = () => SIZES[struct]): Codec<T> {
  const refuse = (): never => {
    throw unsupported('the option is read-only');
  };
  return { shape, size, check: refuse, prepare, encode: refuse, decode };
}

/** A struct sctp_assoc_value: the association id and one u32 value. */
export const u32Value = (): Codec<number> => scalar<number>('sctp_assoc_value', { field: 'assoc_value', kind: 'u32' }, { assocField: 'assoc_id' });
export const boolValue = (): Codec<boolean> => scalar<boolean>('sctp_assoc_value', { field: 'assoc_value', kind: 'bool32' }, { assocField: 'assoc_id' });
