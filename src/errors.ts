/**
 * THE one place that maps native errno values to the `error-code` enum of wasi:sockets@0.2 (network.wit), which the
 * SCTP WIT package reuses. Everything in `src/` that fails throws an `SctpError` carrying one of these codes.
 */
import { constants } from 'node:os';

export type ErrorCode =
  | 'unknown'
  | 'access-denied'
  | 'not-supported'
  | 'invalid-argument'
  | 'out-of-memory'
  | 'timeout'
  | 'concurrency-conflict'
  | 'not-in-progress'
  | 'would-block'
  | 'invalid-state'
  | 'new-socket-limit'
  | 'address-not-bindable'
  | 'address-in-use'
  | 'remote-unreachable'
  | 'connection-refused'
  | 'connection-reset'
  | 'connection-aborted'
  | 'datagram-too-large'
  | 'name-unresolvable'
  | 'temporary-resolver-failure'
  | 'permanent-resolver-failure';

export const ERROR_CODES: readonly ErrorCode[] = [
  'unknown', 'access-denied', 'not-supported', 'invalid-argument', 'out-of-memory', 'timeout',
  'concurrency-conflict', 'not-in-progress', 'would-block', 'invalid-state', 'new-socket-limit',
  'address-not-bindable', 'address-in-use', 'remote-unreachable', 'connection-refused', 'connection-reset',
  'connection-aborted', 'datagram-too-large', 'name-unresolvable', 'temporary-resolver-failure',
  'permanent-resolver-failure',
];

export class SctpError extends Error {
  /** The WIT error code. */
  readonly code: ErrorCode;
  /** The errno name (e.g. 'ECONNREFUSED') when the error came from usrsctp. */
  readonly errno?: string;

  constructor(code: ErrorCode, message?: string, errno?: string) {
    super(message ?? code);
    this.name = 'SctpError';
    this.code = code;
    if (errno !== undefined) this.errno = errno;
  }
}

const E = constants.errno;

/**
 * errno -> error-code. Numbers come from `os.constants.errno` (usrsctp uses the platform's errno values).
 * Decisions that are not obvious:
 * - EINPROGRESS / EALREADY: a pending operation. EINPROGRESS only appears where it means "still pending", so
 *   would-block; EALREADY means "another connect is already running", which the WIT calls concurrency-conflict
 *   (the state machine in socket/state.ts normally reports it before usrsctp sees the call).
 * - EPIPE: usrsctp returns it when the socket may no longer send: after our own shutdown, or while the association is
 *   in a SHUTDOWN-* state (possibly started by the peer). Those are graceful states of a socket still in use, not a
 *   dead association, so invalid-state. An association that died is reported as ECONNRESET / ECONNABORTED (usrsctp
 *   uses ECONNRESET when the peer aborted), which map to connection-reset / connection-aborted.
 * - ENOENT: "no such association". On a one-to-many socket (or an option call naming an association) the caller
 *   named an association that does not exist: invalid-argument (as the WIT documents). A one-to-one socket names
 *   no association, so there it means its association has ended (shut down or freed): invalid-state. Pass
 *   `{ oneToOne: true }` for calls on one-to-one sockets.
 * - EINVAL is usrsctp's (and Linux's) answer when an option of one association finds none. On a one-to-one socket
 *   that names none, that is the socket's state (not connected yet, or its association ended): invalid-state, as
 *   ENOENT there. The caller checks that the socket has no association and passes `{ withoutAssociation: true }`:
 *   with an association, EINVAL is a wrong argument.
 * - ENOTCONN / EISCONN: wrong state for the call (invalid-state).
 * - EADDRNOTAVAIL: the address is not local (bind) or not usable: address-not-bindable.
 * - EAFNOSUPPORT / EPROTONOSUPPORT: not-supported.
 * - ENFILE / EMFILE: new-socket-limit.
 */
const TABLE = new Map<number, ErrorCode>([
  [E.EAGAIN, 'would-block'],
  [E.EWOULDBLOCK, 'would-block'],
  [E.EINPROGRESS, 'would-block'],
  [E.EALREADY, 'concurrency-conflict'],
  [E.ECONNREFUSED, 'connection-refused'],
  [E.ETIMEDOUT, 'timeout'],
  [E.ECONNRESET, 'connection-reset'],
  [E.ECONNABORTED, 'connection-aborted'],
  [E.EADDRINUSE, 'address-in-use'],
  [E.EADDRNOTAVAIL, 'address-not-bindable'],
  [E.EACCES, 'access-denied'],
  [E.EPERM, 'access-denied'],
  [E.EINVAL, 'invalid-argument'],
  [E.EMSGSIZE, 'datagram-too-large'],
  [E.ENOTCONN, 'invalid-state'],
  [E.EISCONN, 'invalid-state'],
  [E.EPIPE, 'invalid-state'],
  [E.ENOENT, 'invalid-argument'],
  [E.ENOMEM, 'out-of-memory'],
  [E.ENOBUFS, 'out-of-memory'],
  [E.EOPNOTSUPP, 'not-supported'],
  [E.ENOPROTOOPT, 'not-supported'],
  [E.EAFNOSUPPORT, 'not-supported'],
  [E.EPROTONOSUPPORT, 'not-supported'],
  [E.EHOSTUNREACH, 'remote-unreachable'],
  [E.ENETUNREACH, 'remote-unreachable'],
  [E.ENFILE, 'new-socket-limit'],
  [E.EMFILE, 'new-socket-limit'],
]);

const NAMES = new Map<number, string>();
for (const [name, value] of Object.entries(E)) if (!NAMES.has(value)) NAMES.set(value, name);

/** The errno name for a positive or negative errno value ('E123' when unknown). */
export function errnoName(errno: number): string {
  const v = Math.abs(errno);
  return NAMES.get(v) ?? `E${v}`;
}

/** What the mapping needs to know about the call that failed. */
export interface ErrnoContext {
  /** The call was made on a one-to-one socket. */
  oneToOne?: boolean;
  /** The call needs the association of a one-to-one socket, which has none. */
  withoutAssociation?: boolean;
}

/** The WIT error code for a positive or negative errno value. */
export function errnoToCode(errno: number, context: ErrnoContext = {}): ErrorCode {
  const v = Math.abs(errno);
  if (v === E.ENOENT && context.oneToOne) return 'invalid-state';
  if (v === E.EINVAL && context.withoutAssociation) return 'invalid-state';
  return TABLE.get(v) ?? 'unknown';
}

/** An SctpError for a positive or negative errno value; `operation` names the call in the message. */
export function errorFromErrno(errno: number, operation?: string, context?: ErrnoContext): SctpError {
  const name = errnoName(errno);
  const code = errnoToCode(errno, context);
  return new SctpError(code, `${operation ? operation + ': ' : ''}${code} (${name})`, name);
}

/** Passes a native result through, or throws the SctpError for a negative errno. */
export function check(result: number, operation: string, context?: ErrnoContext): number {
  if (result < 0) throw errorFromErrno(result, operation, context);
  return result;
}

/** True if `e` is an SctpError with that code. */
export function isErrorCode(e: unknown, code: ErrorCode): e is SctpError {
  return e instanceof SctpError && e.code === code;
}
