/**
 * The words of send information, each spelled once with its stack constant: the send flags (send-flags in the WIT,
 * snd_flags in C) and the partial-reliability policies (RFC 7496). The send path and the option codecs
 * (default-sndinfo, default-prinfo, the PR-SCTP counters) all read these tables.
 */
import { C, type NativeConstantName } from '../native.js';
import { flagBits } from '../options/fields.js';

export interface SendFlags {
  /** SCTP_UNORDERED: deliver as soon as it arrives, outside the stream's order. */
  unordered?: boolean;
  /** SCTP_ADDR_OVER: send to the message's destination instead of the primary path. */
  addrOver?: boolean;
  /** SCTP_ABORT: abort the association (the data, if any, is the abort reason). */
  abort?: boolean;
  /** SCTP_EOF: shut the association down gracefully after this message. */
  eof?: boolean;
  /** SCTP_SENDALL: one-to-many: send to every association. */
  sendall?: boolean;
  /** SCTP_SACK_IMMEDIATELY (RFC 7053). */
  sackImmediately?: boolean;
  /** SCTP_EOR: with explicit EOR on, ends a message written in several sends. */
  eor?: boolean;
}

export const SEND_FLAG_BITS: Readonly<Record<keyof Required<SendFlags>, NativeConstantName>> = {
  unordered: 'SCTP_UNORDERED', addrOver: 'SCTP_ADDR_OVER', abort: 'SCTP_ABORT', eof: 'SCTP_EOF',
  sendall: 'SCTP_SENDALL', sackImmediately: 'SCTP_SACK_IMMEDIATELY', eor: 'SCTP_EOR',
};

export const SEND_FLAG_NAMES = Object.keys(SEND_FLAG_BITS) as Array<keyof SendFlags>;

const SEND_FLAGS = flagBits(SEND_FLAG_BITS);

export function sendFlagBits(flags: SendFlags): number {
  return SEND_FLAGS.toBits(flags);
}

/** Every flag, true or false. */
export function sendFlagsOf(bits: number): Required<SendFlags> {
  return SEND_FLAGS.fromBits(bits);
}

/** 'none' is fully reliable; 'prio' is usrsctp's SCTP_PR_SCTP_BUF (the lowest priority goes first). */
export type PrPolicyKind = 'none' | 'ttl' | 'rtx' | 'prio';

export const PR_POLICIES: Readonly<Record<PrPolicyKind, NativeConstantName>> = {
  none: 'SCTP_PR_SCTP_NONE', ttl: 'SCTP_PR_SCTP_TTL', rtx: 'SCTP_PR_SCTP_RTX', prio: 'SCTP_PR_SCTP_BUF',
};

export const PR_POLICY_KINDS = Object.keys(PR_POLICIES) as PrPolicyKind[];

/** The stack's value of a policy; undefined for a name that is none. */
export function prPolicyCode(kind: unknown): number | undefined {
  return PR_POLICY_KINDS.includes(kind as PrPolicyKind) ? C[PR_POLICIES[kind as PrPolicyKind]] : undefined;
}

export function prPolicyKindOf(code: number): PrPolicyKind | undefined {
  return PR_POLICY_KINDS.find((k) => C[PR_POLICIES[k]] === code);
}

/** A message's partial reliability (RFC 7496): the policy and its value. */
export interface PrPolicy {
  kind: Exclude<PrPolicyKind, 'none'>;
  /** ms for 'ttl', retransmissions for 'rtx', priority for 'prio' (larger = dropped first). */
  value: number;
}
