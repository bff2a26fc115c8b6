/**
 * wasm-sctp: SCTP sockets for Node (usrsctp underneath), with an API shaped like the WIT package sctp:sockets.
 *
 * ```ts
 * import { SctpSocket } from 'wasm-sctp';
 * const server = SctpSocket.create('ipv4', 'one-to-one');
 * server.bind({ family: 'ipv4', address: '127.0.0.1', port: 0 });
 * server.listen();
 * ```
 */
export {
  SctpSocket,
  initStack,
  drainStack,
  stackPort,
  EVENT_READ,
  EVENT_WRITE,
  EVENT_ERROR,
  EVENT_ANY,
  WAIT_POLL,
  type Incoming,
  type ReceivedMessage,
  type Notification,
  type OutgoingMessage,
  type SendFlags,
  type PrPolicy,
  type StackOptions,
  type SocketState,
  type SocketType,
} from './socket.js';
export { SctpError, ERROR_CODES, errnoToCode, errorFromErrno, isErrorCode, type ErrorCode } from './errors.js';
export {
  OPTIONS,
  OPTION_TABLE,
  getOption,
  setOption,
  type OptionName,
  type OptionValue,
  type OptionRow,
  type OptionMode,
  type AssocRule,
  type AssocScope,
  type InitMsg,
  type RtoInfo,
  type AssociationStatus,
  type AssociationState,
} from './options.js';
export { validateAddress, wildcard, type SocketAddress, type IpAddressFamily } from './addresses.js';
export { SocketStateMachine } from './state.js';
export { whenReady, POLL_MS, type ReadyOptions } from './readiness.js';
export { native, type NativeAddon, type NativeNotification } from './native.js';
