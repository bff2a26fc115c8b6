// A recursive-descent parser for WIT (component-model design/mvp/WIT.md), for the constructs WASI
// 0.2 and sctp:sockets use; anything else (async, futures, streams in signatures, `include ... with`)
// parses but is refused later where it matters, never silently skipped.
import type { FuncDecl, Gate, InterfaceDecl, Param, PackageName, ResourceFunc, TypeDecl, TypeExpr, UseDecl, UsePath, WitFile, WorldDecl, WorldItem } from './ast.js';
import { tokenize, WitSyntaxError, type Token } from './lexer.js';

class Parser {
  private pos = 0;
  constructor(private readonly tokens: Token[], private readonly file: string) {}

  private peek(offset = 0): Token { return this.tokens[Math.min(this.pos + offset, this.tokens.length - 1)]; }
  private next(): Token { return this.tokens[this.pos++]; }

  private fail(message: string, token = this.peek()): never {
    throw new WitSyntaxError(this.file, token.line, token.column, message);
  }

  private isPunct(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'punct' && t.text === text;
  }

  /** A keyword is an unescaped identifier with that text. */
  private isKeyword(text: string, offset = 0): boolean {
    const t = this.peek(offset);
    return t.kind === 'id' && !t.escaped && t.text === text;
  }

  private expectPunct(text: string): void {
    if (!this.isPunct(text)) this.fail(`expected '${text}', found '${this.peek().text || 'end of file'}'`);
    this.pos++;
  }

  private eatPunct(text: string): boolean {
    if (!this.isPunct(text)) return false;
    this.pos++;
    return true;
  }

  private expectKeyword(text: string): void {
    if (!this.isKeyword(text)) this.fail(`expected '${text}', found '${this.peek().text || 'end of file'}'`);
    this.pos++;
  }

  private id(): string {
    const t = this.peek();
    if (t.kind !== 'id') this.fail(`expected an identifier, found '${t.text || 'end of file'}'`);
    this.pos++;
    return t.text;
  }

  private version(): string {
    const t = this.peek();
    if (t.kind !== 'version') this.fail(`expected a version, found '${t.text}'`);
    this.pos++;
    return t.text;
  }

  private gate(): Gate {
    const gate: Gate = {};
    while (this.isPunct('@')) {
      this.pos++;
      const kind = this.id();
      this.expectPunct('(');
      const key = this.id();
      this.expectPunct('=');
      const value = key === 'feature' ? this.id() : this.version();
      this.expectPunct(')');
      if (kind === 'unstable') gate.unstable = value;
      else if (kind !== 'since' && kind !== 'deprecated') this.fail(`unknown gate @${kind}`);
    }
    return gate;
  }

  parseFile(): WitFile {
    const file: WitFile = { file: this.file, interfaces: [], worlds: [], nested: [] };
    if (this.isKeyword('package') && !this.packageHasBody()) {
      this.pos++;
      file.package = this.packageName();
      this.expectPunct(';');
    }
    this.items(file, () => this.peek().kind === 'eof');
    return file;
  }

  /** `package a:b;` declares the file's package; `package a:b { ... }` nests one. */
  private packageHasBody(): boolean {
    for (let i = this.pos; i < this.tokens.length; i++) {
      const t = this.tokens[i];
      if (t.kind === 'punct' && t.text === ';') return false;
      if (t.kind === 'punct' && t.text === '{') return true;
    }
    return false;
  }

  private items(file: WitFile, atEnd: () => boolean): void {
    while (!atEnd()) {
      if (this.isKeyword('package')) {
        this.pos++;
        const nested: WitFile = { file: this.file, package: this.packageName(), interfaces: [], worlds: [], nested: [] };
        this.expectPunct('{');
        this.items(nested, () => this.isPunct('}'));
        this.expectPunct('}');
        file.nested.push(nested);
        continue;
      }
      const gate = this.gate();
      if (this.isKeyword('interface')) {
        this.pos++;
        file.interfaces.push(this.interfaceBody(gate, this.id()));
      } else if (this.isKeyword('world')) {
        this.pos++;
        file.worlds.push(this.world(gate));
      } else if (this.isKeyword('use')) {
        this.fail('top-level `use` is not supported');
      } else {
        this.fail(`expected 'interface', 'world' or 'package', found '${this.peek().text || 'end of file'}'`);
      }
    }
  }

  private packageName(): PackageName {
    const namespace = this.id();
    this.expectPunct(':');
    const name = this.id();
    if (this.isPunct(':') || this.isPunct('/')) this.fail('nested package namespaces are not supported');
    const version = this.eatPunct('@') ? this.version() : undefined;
    return { namespace, name, version };
  }

  private usePath(): UsePath {
    const first = this.id();
    if (!this.isPunct(':')) return { name: first };
    this.pos++;
    const pkg = this.id();
    this.expectPunct('/');
    const name = this.id();
    const version = this.eatPunct('@') ? this.version() : undefined;
    return { namespace: first, package: pkg, name, version };
  }

  private interfaceBody(gate: Gate, name: string): InterfaceDecl {
    const iface: InterfaceDecl = { gate, name, uses: [], types: [], funcs: [] };
    this.expectPunct('{');
    while (!this.eatPunct('}')) {
      const itemGate = this.gate();
      if (this.isKeyword('use')) iface.uses.push(this.use(itemGate));
      else {
        const type = this.typeDecl(itemGate);
        if (type) iface.types.push(type);
        else iface.funcs.push(this.func(itemGate));
      }
    }
    return iface;
  }

  private use(gate: Gate): UseDecl {
    this.expectKeyword('use');
    const from = this.usePath();
    this.expectPunct('.');
    this.expectPunct('{');
    const names: UseDecl['names'] = [];
    while (!this.eatPunct('}')) {
      const name = this.id();
      const as = this.isKeyword('as') ? (this.pos++, this.id()) : undefined;
      names.push({ name, as });
      if (!this.isPunct('}')) this.expectPunct(',');
    }
    this.expectPunct(';');
    return { gate, from, names };
  }

  /** A type definition, or undefined when the item is a function. */
  private typeDecl(gate: Gate): TypeDecl | undefined {
    const t = this.peek();
    if (t.kind !== 'id' || t.escaped) return undefined;
    // `name: func(...)`: a function whose name happens to be a keyword is escaped, so a keyword
    // followed by ':' cannot occur here.
    switch (t.text) {
      case 'record': {
        this.pos++;
        const name = this.id();
        return { gate, name, kind: 'record', fields: this.fieldList() };
      }
      case 'variant': {
        this.pos++;
        const name = this.id();
        const cases: Array<{ name: string; type?: TypeExpr }> = [];
        this.expectPunct('{');
        while (!this.eatPunct('}')) {
          const caseName = this.id();
          let type: TypeExpr | undefined;
          if (this.eatPunct('(')) { type = this.type(); this.expectPunct(')'); }
          cases.push({ name: caseName, type });
          if (!this.isPunct('}')) this.expectPunct(',');
        }
        return { gate, name, kind: 'variant', cases };
      }
      case 'enum':
      case 'flags': {
        this.pos++;
        const name = this.id();
        const names: string[] = [];
        this.expectPunct('{');
        while (!this.eatPunct('}')) {
          names.push(this.id());
          if (!this.isPunct('}')) this.expectPunct(',');
        }
        return t.text === 'enum' ? { gate, name, kind: 'enum', cases: names } : { gate, name, kind: 'flags', flags: names };
      }
      case 'type': {
        this.pos++;
        const name = this.id();
        this.expectPunct('=');
        const target = this.type();
        this.expectPunct(';');
        return { gate, name, kind: 'alias', target };
      }
      case 'resource': {
        this.pos++;
        const name = this.id();
        const funcs: ResourceFunc[] = [];
        if (!this.eatPunct(';')) {
          this.expectPunct('{');
          while (!this.eatPunct('}')) funcs.push(this.resourceFunc(this.gate()));
        }
        return { gate, name, kind: 'resource', funcs };
      }
      default:
        return undefined;
    }
  }

  private resourceFunc(gate: Gate): ResourceFunc {
    if (this.isKeyword('constructor')) {
      this.pos++;
      const params = this.paramList();
      const result = this.eatPunct('->') ? this.type() : undefined;
      this.expectPunct(';');
      return { gate, kind: 'constructor', name: 'constructor', params, result, async: false };
    }
    const name = this.id();
    this.expectPunct(':');
    const isStatic = this.isKeyword('static');
    if (isStatic) this.pos++;
    const f = this.funcType(gate, name);
    this.expectPunct(';');
    return { ...f, kind: isStatic ? 'static' : 'method' };
  }

  private func(gate: Gate): FuncDecl {
    const name = this.id();
    this.expectPunct(':');
    const f = this.funcType(gate, name);
    this.expectPunct(';');
    return f;
  }

  private funcType(gate: Gate, name: string): FuncDecl {
    const isAsync = this.isKeyword('async');
    if (isAsync) this.pos++;
    this.expectKeyword('func');
    const params = this.paramList();
    const result = this.eatPunct('->') ? this.type() : undefined;
    return { gate, name, params, result, async: isAsync };
  }

  /** `(a: t, b: u)`: a function's parameters. */
  private paramList(): Param[] {
    return this.namedTypes('(', ')');
  }

  /** `{ a: t, b: u }`: a record's fields. */
  private fieldList(): Param[] {
    return this.namedTypes('{', '}');
  }

  private namedTypes(open: string, close: string): Param[] {
    this.expectPunct(open);
    const items: Param[] = [];
    while (!this.eatPunct(close)) {
      const name = this.id();
      this.expectPunct(':');
      items.push({ name, type: this.type() });
      if (!this.isPunct(close)) this.expectPunct(',');
    }
    return items;
  }

  private type(): TypeExpr {
    const t = this.peek();
    if (t.kind !== 'id') this.fail(`expected a type, found '${t.text}'`);
    this.pos++;
    if (t.escaped) return { kind: 'name', name: t.text };
    const angle = () => this.isPunct('<');
    switch (t.text) {
      case 'list': {
        this.expectPunct('<');
        const elem = this.type();
        let length: number | undefined;
        if (this.eatPunct(',')) length = Number(this.version());
        this.expectPunct('>');
        return { kind: 'list', elem, length };
      }
      case 'option': {
        this.expectPunct('<');
        const inner = this.type();
        this.expectPunct('>');
        return { kind: 'option', inner };
      }
      case 'result': {
        if (!angle()) return { kind: 'result' };
        this.pos++;
        const ok = this.eatPunct('_') ? undefined : this.type();
        const err = this.eatPunct(',') ? this.type() : undefined;
        this.expectPunct('>');
        return { kind: 'result', ok, err };
      }
      case 'tuple': {
        this.expectPunct('<');
        const items: TypeExpr[] = [];
        while (!this.eatPunct('>')) {
          items.push(this.type());
          if (!this.isPunct('>')) this.expectPunct(',');
        }
        return { kind: 'tuple', items };
      }
      case 'own':
      case 'borrow': {
        this.expectPunct('<');
        const name = this.id();
        this.expectPunct('>');
        return { kind: t.text, name };
      }
      case 'future':
      case 'stream': {
        if (!angle()) return { kind: t.text };
        this.pos++;
        const inner = this.type();
        this.expectPunct('>');
        return { kind: t.text, inner };
      }
      default:
        return { kind: 'name', name: t.text };
    }
  }

  private world(gate: Gate): WorldDecl {
    const world: WorldDecl = { gate, name: this.id(), items: [] };
    this.expectPunct('{');
    while (!this.eatPunct('}')) {
      const itemGate = this.gate();
      if (this.isKeyword('import') || this.isKeyword('export')) {
        const kind = this.next().text as 'import' | 'export';
        // `import name: func(...)` / `import name: interface { ... }`, or `import path;`.
        if (this.peek().kind === 'id' && this.isPunct(':', 1) && (this.isKeyword('func', 2) || this.isKeyword('async', 2) || this.isKeyword('interface', 2))) {
          const name = this.id();
          this.expectPunct(':');
          if (this.isKeyword('interface')) {
            this.pos++;
            world.items.push({ kind, gate: itemGate, name, iface: this.interfaceBody(itemGate, name) });
          } else {
            const func = this.funcType(itemGate, name);
            this.expectPunct(';');
            world.items.push({ kind, gate: itemGate, name, func });
          }
        } else {
          const path = this.usePath();
          this.expectPunct(';');
          world.items.push({ kind, gate: itemGate, path });
        }
      } else if (this.isKeyword('include')) {
        this.pos++;
        const path = this.usePath();
        if (this.isKeyword('with')) this.fail('`include ... with` is not supported');
        this.expectPunct(';');
        world.items.push({ kind: 'include', gate: itemGate, path });
      } else if (this.isKeyword('use')) {
        world.items.push({ kind: 'use', use: this.use(itemGate) });
      } else {
        const type = this.typeDecl(itemGate);
        if (!type) this.fail(`expected a world item, found '${this.peek().text}'`);
        world.items.push({ kind: 'type', type: type! });
      }
    }
    return world;
  }
}

export function parseWit(source: string, file: string): WitFile {
  return new Parser(tokenize(source, file), file).parseFile();
}

export type { WorldItem };
