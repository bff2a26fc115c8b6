// Tokens of the WIT text format (component-model design/mvp/WIT.md). Comments are dropped, doc
// comments (`///`, `/** */`) too: the generated C carries no documentation of its own.
export type TokenKind = 'id' | 'version' | 'punct' | 'eof';

export interface Token {
  kind: TokenKind;
  /** The identifier without its `%` escape, the version text, or the punctuation. */
  text: string;
  /** `%name`: an identifier that may not be read as a keyword. */
  escaped: boolean;
  line: number;
  column: number;
}

const PUNCT = ['->', '{', '}', '(', ')', '<', '>', ',', ':', ';', '.', '=', '/', '@', '*', '_'];

export class WitSyntaxError extends Error {
  constructor(file: string, line: number, column: number, message: string) {
    super(`${file}:${line}:${column}: ${message}`);
  }
}

export function tokenize(source: string, file: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const fail = (message: string): never => { throw new WitSyntaxError(file, line, i - lineStart + 1, message); };
  while (i < source.length) {
    const c = source[i];
    if (c === '\n') { line++; i++; lineStart = i; continue; }
    if (/\s/.test(c)) { i++; continue; }
    if (source.startsWith('//', i)) {
      while (i < source.length && source[i] !== '\n') i++;
      continue;
    }
    if (source.startsWith('/*', i)) {
      // Block comments nest in WIT.
      let depth = 0;
      do {
        if (source.startsWith('/*', i)) { depth++; i += 2; } else if (source.startsWith('*/', i)) { depth--; i += 2; } else {
          if (source[i] === '\n') { line++; lineStart = i + 1; }
          i++;
        }
        if (i >= source.length && depth > 0) fail('unterminated block comment');
      } while (depth > 0);
      continue;
    }
    const column = i - lineStart + 1;
    // A version follows '@' (package and use paths) or '=' (gates: `@since(version = 0.2.0)`) and
    // starts with a digit; a plain number is a fixed list length. Both are read as one token.
    if (/[0-9]/.test(c)) {
      const start = i;
      while (i < source.length && /[0-9A-Za-z.+-]/.test(source[i])) i++;
      // `use a:b/c@1.2.3.{x}`: the dot before the brace is not part of the version.
      while (source[i - 1] === '.') i--;
      tokens.push({ kind: 'version', text: source.slice(start, i), escaped: false, line, column });
      continue;
    }
    if (c === '%' || /[A-Za-z]/.test(c)) {
      const escaped = c === '%';
      const start = escaped ? i + 1 : i;
      i = start;
      while (i < source.length && /[A-Za-z0-9-]/.test(source[i])) i++;
      const text = source.slice(start, i);
      if (!/^[A-Za-z][A-Za-z0-9]*(-[A-Za-z][A-Za-z0-9]*|-[0-9]+)*$/.test(text)) fail(`bad identifier '${text}'`);
      tokens.push({ kind: 'id', text, escaped, line, column });
      continue;
    }
    const punct = PUNCT.find((p) => source.startsWith(p, i));
    if (!punct) fail(`unexpected character '${c}'`);
    tokens.push({ kind: 'punct', text: punct!, escaped: false, line, column });
    i += punct!.length;
  }
  tokens.push({ kind: 'eof', text: '', escaped: false, line, column: i - lineStart + 1 });
  return tokens;
}
