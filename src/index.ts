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
  OPTION_DOC_EXTRAS,
  EVENT_KINDS,
  KEY_WIT_SHAPES,
  type OptionName,
  type OptionValue,
  type OptionKey,
  type OptionRow,
  type OptionMode,
  type OptionCompat,
  type AssocRule,
  type AssocScope,
  type KeySpec,
  type KeyKind,
  type WitShape,
  type InitMsg,
  type RtoInfo,
  type AssocParams,
  type PeerAddrParams,
  type PeerAddrInfo,
  type PathState,
  type AssociationStatus,
  type AssociationState,
  type SackInfo,
  type FragmentInterleaveLevel,
  type HmacAlgorithm,
  type AuthKey,
  type SendFlagSet,
  type SndInfo,
  type PrPolicyKind,
  type PrInfo,
  type PrStatus,
  type ReconfigRequests,
  type ResetStreamsRequest,
  type AddStreamsRequest,
  type StreamScheduler,
  type PeerAddrThresholds,
  type TimeoutCounts,
  type EventKind,
} from './options.js';
export { validateAddress, validateAddressList, wildcard, type SocketAddress, type IpAddressFamily } from './addresses.js';
export { SocketStateMachine } from './state.js';
export { whenReady, POLL_MS, type ReadyOptions } from './readiness.js';
export { native, type NativeAddon, type NativeNotification } from './native.js';
