// The header's C types: one typedef per named WIT type and per anonymous one a function uses, each
// declared after the types inside it, laid out as the Canonical ABI lays the value out in linear
// memory (a `_Static_assert` per type makes clang refuse a layout that differs), with the constants
// of cases and flags and the free function of every type that owns memory.
import { alignment, describe, elemSize, ownsMemory } from './abi.js';
import { freeFunction } from './free.js';
import { dealias, type Type, type TypeDef } from './model.js';
import { member, type Names } from './names.js';

export class TypeDeclarations {
  readonly types: string[] = [];
  readonly asserts: string[] = [];
  readonly freeDecls: string[] = [];
  readonly freeDefs: string[] = [];
  private readonly doneDefs = new Set<TypeDef>();
  private readonly doneAnon = new Set<string>();

  constructor(private readonly names: Names) {}

  private c(t: Type): string { return this.names.type(t); }

  /** Declares `t` and every type inside it, each once. */
  visit(t: Type): void {
    switch (t.kind) {
      case 'prim': return;
      case 'def': return this.visitDef(t.def);
      case 'own': case 'borrow': return this.visitDef(t.resource);
      case 'list': this.visit(t.elem); break;
      case 'option': this.visit(t.inner); break;
      case 'result': if (t.ok) this.visit(t.ok); if (t.err) this.visit(t.err); break;
      case 'tuple': t.items.forEach((i) => this.visit(i)); break;
    }
    const key = this.names.key(t);
    if (this.doneAnon.has(key)) return;
    this.doneAnon.add(key);
    this.declareAnonymous(t);
  }

  visitDef(def: TypeDef): void {
    if (this.doneDefs.has(def)) return;
    this.doneDefs.add(def);
    switch (def.kind) {
      case 'record': def.fields.forEach((f) => this.visit(f.type)); break;
      case 'variant': def.cases.forEach((c) => c.type && this.visit(c.type)); break;
      case 'alias': this.visit(def.target); break;
      default: break;
    }
    this.declareDef(def);
  }

  private layoutCheck(cType: string, t: Type): void {
    this.asserts.push(`_Static_assert(sizeof(${cType}) == ${elemSize(t)} && _Alignof(${cType}) == ${alignment(t)}, "${cType}: canonical ABI layout");`);
  }

  private tagType(cases: number): string {
    return cases <= 0x100 ? 'uint8_t' : cases <= 0x10000 ? 'uint16_t' : 'uint32_t';
  }

  private declareDef(def: TypeDef): void {
    const t: Type = { kind: 'def', def };
    const name = this.c(t);
    const stem = name.replace(/_t$/, '');
    const lines: string[] = [];
    switch (def.kind) {
      case 'record':
        lines.push(`typedef struct ${stem} {`, ...def.fields.map((f) => `  ${this.c(f.type)} ${member(f.name)};`), `} ${name};`);
        break;
      case 'variant': {
        const tag = this.tagType(def.cases.length);
        lines.push(`typedef struct ${stem} {`, `  ${tag} tag;`);
        const payloads = def.cases.filter((c) => c.type);
        if (payloads.length) lines.push('  union {', ...payloads.map((c) => `    ${this.c(c.type!)} ${member(c.name)};`), '  } val;');
        lines.push(`} ${name};`);
        def.cases.forEach((c, i) => lines.push(`#define ${this.names.constant(def, c.name)} ${i}`));
        break;
      }
      case 'enum':
        lines.push(`typedef ${this.tagType(def.cases.length)} ${name};`);
        def.cases.forEach((c, i) => lines.push(`#define ${this.names.constant(def, c)} ${i}`));
        break;
      case 'flags': {
        if (def.flags.length > 32) throw new Error(`flags ${def.name}: more than 32 flags`);
        const n = def.flags.length;
        lines.push(`typedef ${n <= 8 ? 'uint8_t' : n <= 16 ? 'uint16_t' : 'uint32_t'} ${name};`);
        def.flags.forEach((f, i) => lines.push(`#define ${this.names.constant(def, f)} (1u << ${i})`));
        break;
      }
      case 'resource':
        for (const kind of ['own', 'borrow'] as const) {
          const h = this.names.handle(def, kind);
          lines.push(`typedef struct ${h.replace(/_t$/, '')} { int32_t __handle; } ${h};`);
          this.layoutCheck(h, { kind, resource: def });
        }
        this.types.push(lines.join('\n'));
        return;
      case 'alias': {
        const target = def.target;
        const real = target.kind === 'def' ? resolveResource(target.def) : undefined;
        if (real) {
          // A `use`d resource: its handle types under this interface's names too.
          for (const kind of ['own', 'borrow'] as const) {
            lines.push(`typedef ${this.names.handle(real, kind)} ${this.names.handle(real, kind, def.name, def.owner)};`);
          }
          this.types.push(lines.join('\n'));
          return;
        }
        lines.push(`typedef ${this.c(target)} ${name};`);
        const d = dealias(target);
        if (d.kind === 'def' && (d.def.kind === 'enum' || d.def.kind === 'flags' || d.def.kind === 'variant')) {
          // The constants under this interface's name as well.
          const names = d.def.kind === 'enum' ? d.def.cases : d.def.kind === 'flags' ? d.def.flags : d.def.cases.map((c) => c.name);
          for (const n of names) lines.push(`#define ${this.names.constant(def, n)} ${this.names.constant(d.def, n)}`);
        }
        break;
      }
    }
    this.types.push(lines.join('\n'));
    if (def.kind !== 'alias') this.layoutCheck(name, t);
    if (ownsMemory(t)) this.declareFree(t);
  }

  private declareAnonymous(t: Type): void {
    const name = this.c(t);
    const stem = name.replace(/_t$/, '');
    const lines: string[] = [];
    switch (t.kind) {
      case 'list':
        lines.push(`typedef struct ${stem} { ${this.c(t.elem)} *ptr; size_t len; } ${name};`);
        break;
      case 'option':
        lines.push(`typedef struct ${stem} { bool is_some; ${this.c(t.inner)} val; } ${name};`);
        break;
      case 'result': {
        lines.push(`typedef struct ${stem} {`, '  bool is_err;');
        const members = [t.ok && `    ${this.c(t.ok)} ok;`, t.err && `    ${this.c(t.err)} err;`].filter(Boolean) as string[];
        if (members.length) lines.push('  union {', ...members, '  } val;');
        lines.push(`} ${name};`);
        break;
      }
      case 'tuple':
        lines.push(`typedef struct ${stem} {`, ...t.items.map((item, i) => `  ${this.c(item)} f${i};`), `} ${name};`);
        break;
      default:
        throw new Error(`not an anonymous type: ${describe(t)}`);
    }
    this.types.push(lines.join('\n'));
    this.layoutCheck(name, t);
    if (ownsMemory(t)) this.declareFree(t);
  }

  private declareFree(t: Type): void {
    const { decl, def } = freeFunction(this.names, t);
    this.freeDecls.push(decl);
    this.freeDefs.push(def);
  }
}

function resolveResource(def: TypeDef): TypeDef | undefined {
  let d = def;
  while (d.kind === 'alias' && d.target.kind === 'def') d = d.target.def;
  return d.kind === 'resource' ? d : undefined;
}
