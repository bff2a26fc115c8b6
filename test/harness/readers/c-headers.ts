// The identifiers a C header defines or declares, comments stripped: enough to ask "does this header
// know SCTP_EXPLICIT_EOR?" when checking the platform columns of POSIX-COMPAT.md.
import { existsSync, readFileSync } from 'node:fs';

export interface Header {
  path: string;
  identifiers: Set<string>;
}

/** The header's identifiers, or undefined when it is not installed. */
export function readHeader(path: string): Header | undefined {
  if (!existsSync(path)) return undefined;
  const code = readFileSync(path, 'utf8').replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, ' ');
  return { path, identifiers: new Set(code.match(/\b[A-Za-z_][A-Za-z0-9_]*\b/g) ?? []) };
}

/** Debian's linux-libc-dev (the kernel's UAPI header) and libusrsctp-dev. */
export const LINUX_SCTP_H = '/usr/include/linux/sctp.h';
export const USRSCTP_H = '/usr/include/usrsctp.h';
