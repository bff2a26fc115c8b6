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
export { SctpSocket } from './socket/socket.js';
export { initStack, drainStack, endOnSignals, stackPort, parseUdpPort, type StackOptions } from './socket/stack.js';
export { SocketStateMachine, type SocketState, type SocketType } from './socket/state.js';
export type { Incoming, ReceivedMessage, NextInfo, OutgoingMessage } from './socket/types.js';
export { EVENT_KINDS, type EventKind, type Notification } from './socket/notifications.js';
export { MAX_RECEIVE } from './socket/receive.js';
export type { SendFlags, PrPolicy, PrPolicyKind } from './socket/send-flags.js';
export { SctpError, ERROR_CODES, errnoToCode, errorFromErrno, isErrorCode, type ErrorCode } from './errors.js';
export { OPTIONS, OPTION_TABLE, type OptionName, type OptionValue, type OptionKey, type OptionFunctionName } from './options/table.js';
export { getOption, setOption, type OptionTarget } from './options/engine.js';
export type {
  OptionRow, OptionMode, OptionCompat, AssocRule, AssocScope, KeySpec, KeyKind, WitShape, ScreenRule,
} from './options/schema.js';
export type {
  InitMsg, RtoInfo, AssocParams, PeerAddrParams, PeerAddrInfo, PathState, AssociationStatus, AssociationState,
  SackInfo, FragmentInterleaveLevel, HmacAlgorithm, AuthKey, SndInfo, PrInfo, PrStatus, ReconfigRequests,
  ResetStreamsRequest, AddStreamsRequest, StreamScheduler, PeerAddrThresholds, TimeoutCounts,
} from './options/values.js';
export {
  TEXT_FORM, wildcard, validateAddress, validateAddressList, ipFromText, ipToText, type SocketAddress, type InForm,
} from './addresses/text.js';
export {
  SOCKADDR_FORM, sockaddrV4, sockaddrV6, familyOf, portOf, ipOf, scopeIdOf, flowInfoOf, wildcardSockaddr,
  isIpv4Mapped, listForStack, forStack, MAX_ADDRESS_LIST, type Sockaddr, type AddressForm, type AddressRole, type IpAddressFamily,
} from './addresses/sockaddr.js';
export { EVENT_READ, EVENT_WRITE, EVENT_ERROR, EVENT_ANY, EVENT_INTEREST, WAIT_POLL, WAIT_RECHECK, POLL_MS } from './readiness/mask.js';
export { whenReady, type ReadyOptions } from './readiness/wait.js';
export { isReady, blockUntilReady, publishInterest, publishedInterest } from './readiness/level.js';
