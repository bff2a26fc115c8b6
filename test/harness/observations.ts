// Reading what a data-model guest observed (the TypeScript guest and its C port report alike): one
// observation by its case, one item of a drain by its kind, and the all-false flag sets that
// notifications are compared against.
import * as assert from 'uvu/assert';
import type { Json } from './processes.js';

/** The observation `name`, checked to exist. */
export function get<T>(seen: Map<string, T>, name: string): T {
  const o = seen.get(name);
  assert.ok(o, `no observation ${name}; got ${[...seen.keys()].join(', ')}`);
  return o!;
}

/** The first item of `items` of this kind (and state), checked to exist. */
export function find<T extends Json = Json>(items: unknown, kind: string, state?: string): T {
  const list = items as T[];
  const found = list.find((i) => i.kind === kind && (state === undefined || i.state === state));
  assert.ok(found, `no ${kind}${state ? ` ${state}` : ''} in ${JSON.stringify(list)}`);
  return found!;
}

/** An assoc-change's features, none supported. */
export const noFeatures = { partialReliability: false, authentication: false, addressReconfiguration: false, multiBuffer: false,
  streamReconfiguration: false, interleaving: false };
/** The flags of a reconfiguration notification, none set. */
export const noFlags = { incoming: false, outgoing: false, denied: false, failed: false };
