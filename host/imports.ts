// The module jco-transpiled guests import for `sctp:sockets/*`
// (jco transpile --map 'sctp:sockets/*=<this file>#*').
import type * as witSctp from '../types/generated/interfaces/sctp-sockets-sctp.js';
import type * as witCreate from '../types/generated/interfaces/sctp-sockets-sctp-create-socket.js';
import { SctpSocket, createSctpSocket } from './sctp-socket.js';
import { hostConfig } from './config.js';

export const sctp = {
  SctpSocket,
  udpEncapsulationPort(): number | undefined {
    const port = hostConfig.ensureStack();
    return port === 0 ? undefined : port;
  },
} satisfies typeof witSctp;

export const sctpCreateSocket = {
  createSctpSocket,
} satisfies typeof witCreate;
