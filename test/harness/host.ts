// Helpers for tests that call the host's WIT-level objects directly from Node, as jco's generated
// code would: WIT values in, WIT values out, and every failure a HostError carrying an error-code.
import * as assert from 'uvu/assert';
import type { IpSocketAddress, Network } from '../../types/generated/interfaces/wasi-sockets-network.js';
import { ERROR_CODES, TEXT_FORM, type ErrorCode, type SocketAddress } from '../../src/index.js';
import { HostError } from '../../host/errors.js';
import { toWit } from '../../host/addresses.js';

/** Any object stands for the `network` resource (the host only checks that one is given). */
export const network = {} as Network;

export function ipv4(address: string, port: number): IpSocketAddress {
  const [a, b, c, d] = address.split('.').map(Number);
  return { tag: 'ipv4', val: { address: [a, b, c, d], port } };
}

export function wit(address: SocketAddress): IpSocketAddress {
  return toWit(TEXT_FORM.toSockaddr(address));
}

export function portOf(address: IpSocketAddress): number {
  return address.val.port;
}

/** The error-code a host call failed with, 'ok' when it returned; anything but a HostError fails the test. */
export function codeOf(f: () => unknown): ErrorCode | 'ok' {
  try {
    f();
    return 'ok';
  } catch (e) {
    if (!(e instanceof HostError)) assert.unreachable(`not a HostError: ${e instanceof Error ? e.stack : String(e)}`);
    const code = (e as HostError).payload;
    assert.ok(ERROR_CODES.includes(code), `not a WIT error-code: ${String(code)}`);
    return code;
  }
}

export function isHostError(e: unknown): e is HostError {
  return e instanceof HostError && ERROR_CODES.includes(e.payload);
}

export const bytes = (s: string): Uint8Array => new TextEncoder().encode(s);
export const text = (b: Uint8Array): string => new TextDecoder().decode(b);

/** A send-info with the defaults filled in. */
export function info(extra: Record<string, unknown> = {}): never {
  return { stream: 0, ppid: 0, flags: {}, context: 0, ...extra } as never;
}
