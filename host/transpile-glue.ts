// jco 1.35's generated glue calls `_debugLog` a few times on every host call, and each call reads
// `globalThis.process.env.JCO_DEBUG`: on Node a read of process.env is a getenv() through a property
// interceptor, the largest single cost of a host call from a guest whose own side is cheap (a C
// guest pays 6-9 us per call with it, 2-3 us without). No transpile option turns it off (jco
// 1.35's GenerateOptions have `tracing`, which adds logging, and nothing that removes it), so the
// generated module is rewritten: JCO_DEBUG is read once, when the module loads, and `_debugLog` is
// an empty function unless it was set. test/transpile-glue.test.ts fails when a jco upgrade changes
// the definition this looks for, so that the rewrite cannot silently stop applying.
import { readFileSync, writeFileSync } from 'node:fs';

/** jco's definition, whitespace-tolerant. */
export const DEBUG_LOG_DEFINITION =
  /const _debugLog = \(\.\.\.args\) => \{\s*if \(!globalThis\?\.process\?\.env\?\.JCO_DEBUG\) \{ return; \}\s*console\.debug\(\.\.\.args\);\s*\};/g;

export const DEBUG_LOG_REPLACEMENT = [
  '// wasm-sctp (host/transpile-glue.ts): JCO_DEBUG is read once, at load, not on every host call.',
  'const _debugLogEnabled = Boolean(globalThis?.process?.env?.JCO_DEBUG);',
  'const _debugLog = _debugLogEnabled ? (...args) => { console.debug(...args); } : () => {};',
].join('\n');

export interface GlueRewrite {
  source: string;
  /** How many definitions were replaced: 1 for jco 1.35's output, 0 when the pattern is gone. */
  replaced: number;
}

export function rewriteGlue(source: string): GlueRewrite {
  let replaced = 0;
  const out = source.replace(DEBUG_LOG_DEFINITION, () => { replaced++; return DEBUG_LOG_REPLACEMENT; });
  return { source: out, replaced };
}

/**
 * Rewrites a transpiled component.js in place. Output without the pattern (another jco) is left
 * as it is: it still works, only slower, and the test says so.
 */
export function rewriteGlueFile(path: string): number {
  const { source, replaced } = rewriteGlue(readFileSync(path, 'utf8'));
  if (replaced > 0) writeFileSync(path, source);
  return replaced;
}
