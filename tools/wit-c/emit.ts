// Emits the C glue of a world: a header with the types (laid out as the Canonical ABI lays them out
// in memory, checked by _Static_assert), one C function per import, the prototypes of the exports a
// guest implements, and `<type>_free` for every type that owns memory; and a C file with the core
// imports and exports, the lowering and lifting between C values and core values, `cabi_realloc`
// and the post-return functions.
//
// Conventions (those of wit-bindgen's C output): scalars, enums, flags and handles go by value,
// everything else by pointer; a function returning result<T, E> returns bool (true: ok) and writes
// `T *ret` or `E *err`; option<T> returns bool (true: some) and writes `T *ret`; other compound
// results are written to `T *ret`. What an import returns is the caller's: lists and strings were
// allocated with cabi_realloc (malloc) and are released with `<type>_free`; handles with
// `<prefix>_<resource>_drop_own`. What the caller passes in stays the caller's.
import { alignment, casesOf, elemSize, flattenFunc, flattenType, ownsMemory, variantPayloadFlat, describe, type CoreType } from './abi.js';
import { dealias, interfaceId, type Case, type Func, type Interface, type Type, type TypeDef, type World } from './model.js';
import { member, Names, snake } from './names.js';

const CORE_C: Record<CoreType, string> = { i32: 'int32_t', i64: 'int64_t', f32: 'float', f64: 'double' };

/** How a C function hands back a WIT result. */
type ReturnShape =
  | { kind: 'void' }
  | { kind: 'value'; type: Type }
  | { kind: 'out'; type: Type }
  | { kind: 'result'; type: Type; ok?: Type; err?: Type }
  | { kind: 'option'; type: Type; inner: Type };

interface ApiParam { name: string; type: Type; byPointer: boolean }

interface Api {
  name: string;
  params: ApiParam[];
  ret: ReturnShape;
  /** Names of the out parameters (`ret`, `err`), unless a parameter has them. */
  retName: string;
  errName: string;
}

export interface Generated {
  header: string;
  source: string;
  /** Every core import the source declares: module, name and core signature. */
  imports: Array<{ module: string; name: string; params: CoreType[]; results: CoreType[] }>;
  exports: Array<{ name: string; params: CoreType[]; results: CoreType[] }>;
}

class Code {
  private n = 0;
  tmp(prefix = 'w'): string { return `_${prefix}${this.n++}`; }
}

export class Emitter {
  private readonly names: Names;
  private readonly types: string[] = [];
  private readonly asserts: string[] = [];
  private readonly freeDecls: string[] = [];
  private readonly freeDefs: string[] = [];
  private readonly doneDefs = new Set<TypeDef>();
  private readonly doneAnon = new Set<string>();
  private readonly generated: Generated = { header: '', source: '', imports: [], exports: [] };

  constructor(private readonly world: World, private readonly witDescription: string) {
    this.names = new Names(world);
  }

  private c(t: Type): string { return this.names.type(t); }

  // ---- types ----------------------------------------------------------------------------------

  private visit(t: Type): void {
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
    this.emitAnonymous(t);
  }

  private visitDef(def: TypeDef): void {
    if (this.doneDefs.has(def)) return;
    this.doneDefs.add(def);
    switch (def.kind) {
      case 'record': def.fields.forEach((f) => this.visit(f.type)); break;
      case 'variant': def.cases.forEach((c) => c.type && this.visit(c.type)); break;
      case 'alias': this.visit(def.target); break;
      default: break;
    }
    this.emitDef(def);
  }

  private layoutCheck(cType: string, t: Type): void {
    this.asserts.push(`_Static_assert(sizeof(${cType}) == ${elemSize(t)} && _Alignof(${cType}) == ${alignment(t)}, "${cType}: canonical ABI layout");`);
  }

  private tagType(cases: number): string {
    return cases <= 0x100 ? 'uint8_t' : cases <= 0x10000 ? 'uint16_t' : 'uint32_t';
  }

  private emitDef(def: TypeDef): void {
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
    if (ownsMemory(t)) this.emitFree(t);
  }

  private emitAnonymous(t: Type): void {
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
    if (ownsMemory(t)) this.emitFree(t);
  }

  /** `<stem>_free`: releases the memory a value owns (not the value itself, not handles). */
  private emitFree(t: Type): void {
    const cType = this.c(t);
    const fn = `${cType.replace(/_t$/, '')}_free`;
    this.freeDecls.push(`void ${fn}(${cType} *ptr);`);
    const body: string[] = [];
    const d = dealias(t);
    if (t.kind === 'def' && t.def.kind === 'alias') {
      body.push(`  ${this.freeOf(t.def.target)}((${this.c(t.def.target)} *) ptr);`);
    } else if (d.kind === 'list') {
      if (ownsMemory(d.elem)) body.push(`  for (size_t i = 0; i < ptr->len; i++) ${this.freeOf(d.elem)}(&ptr->ptr[i]);`);
      body.push('  if (ptr->len > 0) free(ptr->ptr);', '  ptr->ptr = NULL;', '  ptr->len = 0;');
    } else if (d.kind === 'tuple') {
      d.items.forEach((item, i) => { if (ownsMemory(item)) body.push(`  ${this.freeOf(item)}(&ptr->f${i});`); });
    } else if (d.kind === 'def' && d.def.kind === 'record') {
      for (const f of d.def.fields) if (ownsMemory(f.type)) body.push(`  ${this.freeOf(f.type)}(&ptr->${member(f.name)});`);
    } else if (d.kind === 'option') {
      body.push(`  if (ptr->is_some) ${this.freeOf(d.inner)}(&ptr->val);`);
    } else if (d.kind === 'result') {
      if (d.ok && ownsMemory(d.ok)) body.push(`  if (!ptr->is_err) ${this.freeOf(d.ok)}(&ptr->val.ok);`);
      if (d.err && ownsMemory(d.err)) body.push(`  if (ptr->is_err) ${this.freeOf(d.err)}(&ptr->val.err);`);
    } else if (d.kind === 'def' && d.def.kind === 'variant') {
      body.push('  switch (ptr->tag) {');
      d.def.cases.forEach((c, i) => {
        if (c.type && ownsMemory(c.type)) body.push(`    case ${i}: ${this.freeOf(c.type)}(&ptr->val.${member(c.name)}); break;`);
      });
      body.push('    default: break;', '  }');
    }
    this.freeDefs.push(`void ${fn}(${cType} *ptr) {\n${body.join('\n')}\n}`);
  }

  private freeOf(t: Type): string {
    if (t.kind === 'prim' && t.name === 'string') return `${this.names.world}_string_free`;
    return `${this.c(t).replace(/_t$/, '')}_free`;
  }

  // ---- lowering C values to core values, lifting core values to C values -------------------------

  private lowerFlat(t: Type, expr: string, code: Code): { stmts: string[]; values: string[] } {
    const d = dealias(t);
    switch (d.kind) {
      case 'prim':
        switch (d.name) {
          case 'string': return { stmts: [], values: [`(int32_t) (uintptr_t) (${expr}).ptr`, `(int32_t) (${expr}).len`] };
          case 'u64': case 's64': return { stmts: [], values: [`(int64_t) (${expr})`] };
          case 'f32': case 'f64': return { stmts: [], values: [`(${expr})`] };
          default: return { stmts: [], values: [`(int32_t) (${expr})`] };
        }
      case 'list': return { stmts: [], values: [`(int32_t) (uintptr_t) (${expr}).ptr`, `(int32_t) (${expr}).len`] };
      case 'own': case 'borrow': return { stmts: [], values: [`(${expr}).__handle`] };
      case 'tuple': {
        const parts = d.items.map((item, i) => this.lowerFlat(item, `(${expr}).f${i}`, code));
        return { stmts: parts.flatMap((p) => p.stmts), values: parts.flatMap((p) => p.values) };
      }
      default: break;
    }
    if (d.kind === 'def' && d.def.kind === 'record') {
      const parts = d.def.fields.map((f) => this.lowerFlat(f.type, `(${expr}).${member(f.name)}`, code));
      return { stmts: parts.flatMap((p) => p.stmts), values: parts.flatMap((p) => p.values) };
    }
    if (d.kind === 'def' && (d.def.kind === 'enum' || d.def.kind === 'flags')) return { stmts: [], values: [`(int32_t) (${expr})`] };
    const cases = casesOf(d)!;
    const joined = variantPayloadFlat(cases);
    const vars = [code.tmp(), ...joined.map(() => code.tmp())];
    const stmts = [`int32_t ${vars[0]};`, ...joined.map((ft, i) => `${CORE_C[ft]} ${vars[i + 1]} = 0;`)];
    const arm = (index: number, c: Case, payloadExpr: string): string[] => {
      const out = [`${vars[0]} = ${index};`];
      if (c.type) {
        const p = this.lowerFlat(c.type, payloadExpr, code);
        out.push(...p.stmts);
        const flat = flattenType(c.type);
        p.values.forEach((v, i) => out.push(`${vars[i + 1]} = ${widen(v, flat[i], joined[i])};`));
      }
      return out;
    };
    const indent = (lines: string[]) => lines.map((l) => `  ${l}`);
    if (d.kind === 'option') {
      stmts.push(`if ((${expr}).is_some) {`, ...indent(arm(1, cases[1], `(${expr}).val`)), '} else {', ...indent(arm(0, cases[0], '')), '}');
    } else if (d.kind === 'result') {
      stmts.push(`if ((${expr}).is_err) {`, ...indent(arm(1, cases[1], `(${expr}).val.err`)), '} else {', ...indent(arm(0, cases[0], `(${expr}).val.ok`)), '}');
    } else {
      stmts.push(`switch ((${expr}).tag) {`);
      cases.forEach((c, i) => stmts.push(`  case ${i}: {`, ...indent(indent(arm(i, c, `(${expr}).val.${member(c.name)}`))), '    break;', '  }'));
      stmts.push('  default: __builtin_trap();', '}');
    }
    return { stmts, values: vars };
  }

  /** A C value of `t` from core values (taken from `values` in order). */
  private liftFlat(t: Type, values: { list: string[]; pos: number }, code: Code): { stmts: string[]; expr: string } {
    const take = () => {
      if (values.pos >= values.list.length) throw new Error(`internal: too few core values lifting ${describe(t)}`);
      return values.list[values.pos++];
    };
    const d = dealias(t);
    const cType = this.c(t);
    switch (d.kind) {
      case 'prim':
        switch (d.name) {
          case 'bool': return { stmts: [], expr: `((${take()}) != 0)` };
          case 'string': case 'f32': case 'f64': break;
          default: return { stmts: [], expr: `(${cType}) (${take()})` };
        }
        if (d.name === 'string') {
          const p = take(); const l = take();
          return { stmts: [], expr: `(${cType}) { (uint8_t *) (uintptr_t) (${p}), (size_t) (${l}) }` };
        }
        return { stmts: [], expr: `(${take()})` };
      case 'list': {
        const p = take(); const l = take();
        return { stmts: [], expr: `(${cType}) { (${this.c(d.elem)} *) (uintptr_t) (${p}), (size_t) (${l}) }` };
      }
      case 'own': case 'borrow': return { stmts: [], expr: `(${cType}) { ${take()} }` };
      case 'tuple': {
        const parts = d.items.map((item) => this.liftFlat(item, values, code));
        return { stmts: parts.flatMap((p) => p.stmts), expr: `(${cType}) { ${parts.map((p) => p.expr).join(', ')} }` };
      }
      default: break;
    }
    if (d.kind === 'def' && d.def.kind === 'record') {
      const parts = d.def.fields.map((f) => this.liftFlat(f.type, values, code));
      return { stmts: parts.flatMap((p) => p.stmts), expr: `(${cType}) { ${parts.map((p) => p.expr).join(', ')} }` };
    }
    if (d.kind === 'def' && (d.def.kind === 'enum' || d.def.kind === 'flags')) return { stmts: [], expr: `(${cType}) (${take()})` };
    const cases = casesOf(d)!;
    const joined = variantPayloadFlat(cases);
    const disc = take();
    const payload = joined.map(() => take());
    const v = code.tmp();
    const stmts = [`${cType} ${v};`];
    const arm = (c: Case, target: string): string[] => {
      if (!c.type) return [];
      const flat = flattenType(c.type);
      const narrowed = { list: flat.map((ft, i) => narrow(payload[i], joined[i], ft)), pos: 0 };
      const p = this.liftFlat(c.type, narrowed, code);
      return [...p.stmts, `${target} = ${p.expr};`];
    };
    stmts.push(`switch (${disc}) {`);
    cases.forEach((c, i) => {
      const body = d.kind === 'option' ? [`${v}.is_some = ${i === 1};`, ...arm(c, `${v}.val`)]
        : d.kind === 'result' ? [`${v}.is_err = ${i === 1};`, ...arm(c, `${v}.val.${i === 0 ? 'ok' : 'err'}`)]
          : d.kind === 'def' && d.def.kind === 'variant' ? [`${v}.tag = ${i};`, ...arm(c, `${v}.val.${member(c.name)}`)]
            : [`${v} = ${i};`];
      stmts.push(`  case ${i}: {`, ...body.map((l) => `    ${l}`), '    break;', '  }');
    });
    stmts.push('  default: __builtin_trap();', '}');
    return { stmts, expr: v };
  }

  // ---- functions ------------------------------------------------------------------------------

  private byValue(t: Type): boolean {
    const d = dealias(t);
    if (d.kind === 'prim') return d.name !== 'string';
    if (d.kind === 'own' || d.kind === 'borrow') return true;
    return d.kind === 'def' && (d.def.kind === 'enum' || d.def.kind === 'flags');
  }

  private api(f: Func, name: string): Api {
    const params = f.params.map((p) => ({ name: member(p.name), type: p.type, byPointer: !this.byValue(p.type) }));
    const used = new Set(params.map((p) => p.name));
    const free = (n: string) => { while (used.has(n)) n = `${n}_`; return n; };
    let ret: ReturnShape = { kind: 'void' };
    if (f.result) {
      const d = dealias(f.result);
      if (d.kind === 'result') ret = { kind: 'result', type: f.result, ok: d.ok, err: d.err };
      else if (d.kind === 'option') ret = { kind: 'option', type: f.result, inner: d.inner };
      else if (this.byValue(f.result)) ret = { kind: 'value', type: f.result };
      else ret = { kind: 'out', type: f.result };
    }
    return { name, params, ret, retName: free('ret'), errName: free('err') };
  }

  private prototype(api: Api): string {
    const args = api.params.map((p) => `${this.c(p.type)} ${p.byPointer ? '*' : ''}${p.name}`);
    const r = api.ret;
    let returns = 'void';
    if (r.kind === 'value') returns = this.c(r.type);
    if (r.kind === 'result' || r.kind === 'option') returns = 'bool';
    if (r.kind === 'out') args.push(`${this.c(r.type)} *${api.retName}`);
    if (r.kind === 'option') args.push(`${this.c(r.inner)} *${api.retName}`);
    if (r.kind === 'result') {
      if (r.ok) args.push(`${this.c(r.ok)} *${api.retName}`);
      if (r.err) args.push(`${this.c(r.err)} *${api.errName}`);
    }
    return `${returns} ${api.name}(${args.length ? args.join(', ') : 'void'})`;
  }

  /** Statements that hand the C value `val` of the function's result back through the API shape. */
  private deliver(api: Api, val: string): string[] {
    const r = api.ret;
    switch (r.kind) {
      case 'void': return [];
      case 'value': return [`return ${val};`];
      case 'out': return [`*${api.retName} = ${val};`];
      case 'option': return [`if (!(${val}).is_some) return false;`, `*${api.retName} = (${val}).val;`, 'return true;'];
      case 'result': return [
        `if ((${val}).is_err) {`, ...(r.err ? [`  *${api.errName} = (${val}).val.err;`] : []), '  return false;', '}',
        ...(r.ok ? [`*${api.retName} = (${val}).val.ok;`] : []), 'return true;',
      ];
    }
  }

  private importFunc(f: Func, owner: Interface | World, module: string): { decl: string; def: string } {
    const code = new Code();
    const api = this.api(f, this.names.func(f, owner, false));
    const sig = flattenFunc(f, 'lower');
    const importName = `__wasm_import_${api.name}`;
    this.generated.imports.push({ module, name: f.coreName, params: sig.params, results: sig.results });
    const coreParams = sig.params.map((p) => CORE_C[p]);
    const extern = `__attribute__((__import_module__(${JSON.stringify(module)}), __import_name__(${JSON.stringify(f.coreName)})))\n`
      + `extern ${sig.results.length ? CORE_C[sig.results[0]] : 'void'} ${importName}(${coreParams.length ? coreParams.join(', ') : 'void'});`;
    const body: string[] = [];
    let args: string[];
    const valueOf = (p: ApiParam) => (p.byPointer ? `(*${p.name})` : p.name);
    if (sig.paramsInMemory) {
      // Too many core values: the parameters go as one tuple in memory, laid out as a C struct is.
      const tuple = code.tmp('args');
      body.push(`struct { ${api.params.map((p, i) => `${this.c(p.type)} f${i};`).join(' ')} } ${tuple};`);
      api.params.forEach((p, i) => body.push(`${tuple}.f${i} = ${valueOf(p)};`));
      args = [`(int32_t) (uintptr_t) &${tuple}`];
    } else {
      args = [];
      for (const p of api.params) {
        const lowered = this.lowerFlat(p.type, valueOf(p), code);
        body.push(...lowered.stmts);
        args.push(...lowered.values);
      }
    }
    if (f.result && sig.resultInMemory) {
      const area = code.tmp('ret_area');
      body.push(`${this.c(f.result)} ${area};`);
      body.push(`${importName}(${[...args, `(int32_t) (uintptr_t) &${area}`].join(', ')});`);
      body.push(...this.deliver(api, area));
    } else if (f.result) {
      const raw = code.tmp('ret');
      body.push(`${CORE_C[sig.results[0]]} ${raw} = ${importName}(${args.join(', ')});`);
      const lifted = this.liftFlat(f.result, { list: [raw], pos: 0 }, code);
      body.push(...lifted.stmts);
      const val = code.tmp('val');
      body.push(`${this.c(f.result)} ${val} = ${lifted.expr};`);
      body.push(...this.deliver(api, val));
    } else {
      body.push(`${importName}(${args.join(', ')});`);
    }
    return { decl: `${this.prototype(api)};`, def: `${extern}\n\n${this.prototype(api)} {\n${body.map((l) => `  ${l}`).join('\n')}\n}` };
  }

  private exportFunc(f: Func, owner: Interface | World, exportName: string): { decl: string; def: string } {
    const code = new Code();
    const api = this.api(f, this.names.func(f, owner, true));
    const sig = flattenFunc(f, 'lift');
    this.generated.exports.push({ name: exportName, params: sig.params, results: sig.results });
    const coreArgs = sig.params.map((p, i) => ({ type: CORE_C[p], name: `arg${i}` }));
    const body: string[] = [];
    const locals: string[] = [];
    if (sig.paramsInMemory) {
      // The host allocated the parameter tuple with cabi_realloc: take the values, free the tuple.
      const tuple = code.tmp('args');
      body.push(`struct { ${api.params.map((p, i) => `${this.c(p.type)} f${i};`).join(' ')} } *${tuple} = (void *) (uintptr_t) arg0;`);
      api.params.forEach((p, i) => {
        const local = code.tmp('p');
        body.push(`${this.c(p.type)} ${local} = ${tuple}->f${i};`);
        locals.push(p.byPointer ? `&${local}` : local);
      });
      body.push(`free(${tuple});`);
    } else {
      const values = { list: coreArgs.map((a) => a.name), pos: 0 };
      for (const p of api.params) {
        const lifted = this.liftFlat(p.type, values, code);
        body.push(...lifted.stmts);
        const local = code.tmp('p');
        body.push(`${this.c(p.type)} ${local} = ${lifted.expr};`);
        locals.push(p.byPointer ? `&${local}` : local);
      }
    }
    const r = api.ret;
    let val: string | undefined;
    if (r.kind === 'void') {
      body.push(`${api.name}(${locals.join(', ')});`);
    } else {
      val = code.tmp('result');
      const resultType = this.c(f.result!);
      if (r.kind === 'value') body.push(`${resultType} ${val} = ${api.name}(${locals.join(', ')});`);
      else if (r.kind === 'out') body.push(`${resultType} ${val};`, `${api.name}(${[...locals, `&${val}`].join(', ')});`);
      else if (r.kind === 'option') {
        body.push(`${resultType} ${val};`, `${val}.is_some = ${api.name}(${[...locals, `&${val}.val`].join(', ')});`);
      } else {
        const ok = code.tmp('ok');
        const err = code.tmp('err');
        if (r.ok) body.push(`${this.c(r.ok)} ${ok};`);
        if (r.err) body.push(`${this.c(r.err)} ${err};`);
        const outs = [...(r.ok ? [`&${ok}`] : []), ...(r.err ? [`&${err}`] : [])];
        body.push(`${resultType} ${val};`, `${val}.is_err = !${api.name}(${[...locals, ...outs].join(', ')});`);
        if (r.ok) body.push(`if (!${val}.is_err) ${val}.val.ok = ${ok};`);
        if (r.err) body.push(`if (${val}.is_err) ${val}.val.err = ${err};`);
      }
    }
    let returns = 'void';
    const statics: string[] = [];
    if (f.result && val) {
      if (sig.resultInMemory) {
        // The return area lives until the post-return call (or the next export call).
        const area = `__ret_area_${api.name}`;
        statics.push(`static ${this.c(f.result)} ${area};`);
        body.push(`${area} = ${val};`, `return (int32_t) (uintptr_t) &${area};`);
        returns = 'int32_t';
      } else {
        const lowered = this.lowerFlat(f.result, val, code);
        body.push(...lowered.stmts, `return ${lowered.values[0]};`);
        returns = CORE_C[sig.results[0]];
      }
    }
    const glue = `__wasm_export_${api.name}`;
    let def = `${statics.length ? `${statics.join('\n')}\n\n` : ''}__attribute__((__export_name__(${JSON.stringify(exportName)})))\n`
      + `${returns} ${glue}(${coreArgs.length ? coreArgs.map((a) => `${a.type} ${a.name}`).join(', ') : 'void'}) {\n${body.map((l) => `  ${l}`).join('\n')}\n}`;
    if (f.result && sig.resultInMemory && ownsMemory(f.result)) {
      this.generated.exports.push({ name: `cabi_post_${exportName}`, params: ['i32'], results: [] });
      def += `\n\n__attribute__((__export_name__(${JSON.stringify(`cabi_post_${exportName}`)})))\n`
        + `void ${glue}_post_return(int32_t arg0) {\n  ${this.freeOf(f.result)}((${this.c(f.result)} *) (uintptr_t) arg0);\n}`;
    }
    return { decl: `${this.prototype(api)};`, def };
  }

  // ---- the whole world ----------------------------------------------------------------------------

  generate(): Generated {
    const w = this.world;
    const worldId = `${w.package.namespace}:${w.package.name}/${w.name}${w.package.version ? `@${w.package.version}` : ''}`;
    const guard = `__WIT_C_${snake(w.name).toUpperCase()}_H`;
    for (const t of w.types) this.visitDef(t);
    const all = [...w.imports, ...w.exports];
    for (const i of all) for (const t of i.types) this.visitDef(t);
    for (const f of [...all.flatMap((i) => i.funcs), ...w.importFuncs, ...w.exportFuncs]) {
      for (const p of f.params) this.visit(p.type);
      if (f.result) this.visit(f.result);
    }

    const headerFuncs: string[] = [];
    const sourceFuncs: string[] = [];
    const section = (title: string) => { headerFuncs.push(`\n// ---- ${title}`); sourceFuncs.push(`\n// ---- ${title}`); };
    for (const i of w.imports) {
      const module = interfaceId(i);
      section(`import ${module}`);
      for (const f of i.funcs) {
        const { decl, def } = this.importFunc(f, i, module);
        headerFuncs.push(decl);
        sourceFuncs.push(def);
      }
      for (const r of i.resources) {
        const own = this.names.handle(r, 'own');
        const borrow = this.names.handle(r, 'borrow');
        const p = this.names.prefix(i);
        const coreName = `[resource-drop]${r.name}`;
        this.generated.imports.push({ module, name: coreName, params: ['i32'], results: [] });
        headerFuncs.push(`void ${p}_${snake(r.name)}_drop_own(${own} handle);`);
        headerFuncs.push(`${borrow} ${p}_borrow_${snake(r.name)}(${own} handle);`);
        sourceFuncs.push(`__attribute__((__import_module__(${JSON.stringify(module)}), __import_name__(${JSON.stringify(coreName)})))\n`
          + `extern void __wasm_import_${p}_${snake(r.name)}_drop(int32_t);\n\n`
          + `void ${p}_${snake(r.name)}_drop_own(${own} handle) {\n  __wasm_import_${p}_${snake(r.name)}_drop(handle.__handle);\n}\n\n`
          + `${borrow} ${p}_borrow_${snake(r.name)}(${own} handle) {\n  return (${borrow}) { handle.__handle };\n}`);
      }
    }
    if (w.importFuncs.length) {
      section('world imports');
      for (const f of w.importFuncs) {
        const { decl, def } = this.importFunc(f, w, '$root');
        headerFuncs.push(decl);
        sourceFuncs.push(def);
      }
    }
    for (const i of w.exports) {
      if (i.resources.length) throw new Error(`export ${interfaceId(i)}: exported resources are not supported`);
      section(`export ${interfaceId(i)} (implemented by the guest)`);
      for (const f of i.funcs) {
        const { decl, def } = this.exportFunc(f, i, `${interfaceId(i)}#${f.coreName}`);
        headerFuncs.push(decl);
        sourceFuncs.push(def);
      }
    }
    if (w.exportFuncs.length) {
      section('world exports (implemented by the guest)');
      for (const f of w.exportFuncs) {
        const { decl, def } = this.exportFunc(f, w, f.coreName);
        headerFuncs.push(decl);
        sourceFuncs.push(def);
      }
    }

    const S = this.names.stringType();
    const W = this.names.world;
    this.generated.header = [
      `// Generated by tools/wit-c from ${this.witDescription}: world ${worldId}. Do not edit.`,
      `#ifndef ${guard}`,
      `#define ${guard}`,
      '',
      '#include <stdbool.h>',
      '#include <stddef.h>',
      '#include <stdint.h>',
      '',
      '#ifdef __cplusplus',
      'extern "C" {',
      '#endif',
      '',
      `typedef struct ${S.replace(/_t$/, '')} { uint8_t *ptr; size_t len; } ${S};`,
      '',
      this.types.join('\n\n'),
      '',
      '// Layouts as the Canonical ABI lays the values out in linear memory.',
      `_Static_assert(sizeof(${S}) == 8 && _Alignof(${S}) == 4, "${S}: canonical ABI layout");`,
      ...this.asserts,
      '',
      `// Strings: ${W}_string_set points at a C string (no copy); ${W}_string_dup copies it (release with ${W}_string_free).`,
      `void ${W}_string_set(${S} *ret, const char *s);`,
      `void ${W}_string_dup(${S} *ret, const char *s);`,
      `void ${W}_string_free(${S} *ret);`,
      '',
      '// Releases the memory a value owns (its lists and strings), not the value itself, not its handles.',
      ...this.freeDecls,
      ...headerFuncs,
      '',
      '#ifdef __cplusplus',
      '}',
      '#endif',
      '#endif',
      '',
    ].join('\n');
    this.generated.source = [
      `// Generated by tools/wit-c from ${this.witDescription}: world ${worldId}. Do not edit.`,
      `#include "${W}.h"`,
      '#include <stdlib.h>',
      '#include <string.h>',
      '',
      '// The host allocates what it returns (lists, strings) through this export.',
      '__attribute__((__weak__, __export_name__("cabi_realloc")))',
      'void *cabi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size) {',
      '  (void) old_size;',
      '  if (new_size == 0) return (void *) align;',
      '  void *ret = realloc(ptr, new_size);',
      '  if (!ret) abort();',
      '  return ret;',
      '}',
      '',
      '// Variant payloads share core values: the bits of a float travel in an integer.',
      'static inline __attribute__((unused)) int32_t __wit_f32_to_i32(float f) { int32_t i; memcpy(&i, &f, 4); return i; }',
      'static inline __attribute__((unused)) float __wit_i32_to_f32(int32_t i) { float f; memcpy(&f, &i, 4); return f; }',
      'static inline __attribute__((unused)) int64_t __wit_f64_to_i64(double f) { int64_t i; memcpy(&i, &f, 8); return i; }',
      'static inline __attribute__((unused)) double __wit_i64_to_f64(int64_t i) { double f; memcpy(&f, &i, 8); return f; }',
      '',
      `void ${W}_string_set(${S} *ret, const char *s) {`,
      '  ret->ptr = (uint8_t *) s;',
      '  ret->len = strlen(s);',
      '}',
      '',
      `void ${W}_string_dup(${S} *ret, const char *s) {`,
      '  ret->len = strlen(s);',
      '  ret->ptr = (uint8_t *) malloc(ret->len > 0 ? ret->len : 1);',
      '  if (!ret->ptr) abort();',
      '  memcpy(ret->ptr, s, ret->len);',
      '}',
      '',
      `void ${W}_string_free(${S} *ret) {`,
      '  if (ret->len > 0) free(ret->ptr);',
      '  ret->ptr = NULL;',
      '  ret->len = 0;',
      '}',
      '',
      this.freeDefs.join('\n\n'),
      sourceFuncs.join('\n\n'),
      '',
    ].join('\n');
    return this.generated;
  }
}

function resolveResource(def: TypeDef): TypeDef | undefined {
  let d = def;
  while (d.kind === 'alias' && d.target.kind === 'def') d = d.target.def;
  return d.kind === 'resource' ? d : undefined;
}

/** A payload's core value in the variant's joined core type (CanonicalABI.md: lower_flat_variant). */
function widen(value: string, from: CoreType, to: CoreType): string {
  if (from === to) return value;
  if (from === 'i32' && to === 'i64') return `(int64_t) (uint32_t) (${value})`;
  if (from === 'f32' && to === 'i32') return `__wit_f32_to_i32(${value})`;
  if (from === 'f32' && to === 'i64') return `(int64_t) (uint32_t) __wit_f32_to_i32(${value})`;
  if (from === 'f64' && to === 'i64') return `__wit_f64_to_i64(${value})`;
  throw new Error(`internal: no widening from ${from} to ${to}`);
}

/** The inverse: a payload's core value back from the joined type (lift_flat_variant). */
function narrow(value: string, from: CoreType, to: CoreType): string {
  if (from === to) return value;
  if (from === 'i64' && to === 'i32') return `(int32_t) (${value})`;
  if (from === 'i32' && to === 'f32') return `__wit_i32_to_f32(${value})`;
  if (from === 'i64' && to === 'f32') return `__wit_i32_to_f32((int32_t) (${value}))`;
  if (from === 'i64' && to === 'f64') return `__wit_i64_to_f64(${value})`;
  throw new Error(`internal: no narrowing from ${from} to ${to}`);
}
