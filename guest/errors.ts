// How a guest tells a WIT error-code from any other exception.
import { exit } from 'wasi:cli/exit@0.2.12';

/** The error-code a failed WIT call threw (componentize-js wraps it in an object with `payload`); rethrows anything else. */
export function errorCode(e: unknown): string {
  if (typeof e === 'string') return e;
  if (e && typeof e === 'object' && 'payload' in e) return String((e as { payload: unknown }).payload);
  throw e;
}

/** Runs `f` and returns its error-code, or 'ok'. */
export function codeOf(f: () => unknown): string {
  try { f(); return 'ok'; } catch (e) { return errorCode(e); }
}

/** Runs a command's main function; an uncaught error-code or exception is printed and fails the command. */
export function runMain(main: () => void): void {
  try {
    main();
  } catch (e) {
    let what: string;
    try { what = errorCode(e); } catch { what = e instanceof Error ? `${e.message}\n${e.stack ?? ''}` : String(e); }
    console.error(`error: ${what}`);
    exit({ tag: 'err', val: undefined });
  }
}
