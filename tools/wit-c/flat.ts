// Lowering C values to core values and lifting core values to C values (CanonicalABI.md: lower_flat,
// lift_flat), as C statements and expressions. Variant payloads share core slots, so a payload's
// values are widened into the joined core types on the way down and narrowed back on the way up.
import { casesOf, describe, flattenType, variantPayloadFlat, type CoreType } from './abi.js';
import { dealias, type Case, type Type } from './model.js';
import { member, type Names } from './names.js';

export const CORE_C: Record<CoreType, string> = { i32: 'int32_t', i64: 'int64_t', f32: 'float', f64: 'double' };

/** The temporaries of one generated function: each name is new within it. */
export class Temps {
  private n = 0;
  tmp(prefix = 'w'): string { return `_${prefix}${this.n++}`; }
}

/** Core values taken in order while lifting. */
export interface CoreValues { list: string[]; pos: number }

const indent = (lines: string[]) => lines.map((l) => `  ${l}`);

/** The core values of the C value `expr` of type `t`, with the statements that compute them. */
export function lowerFlat(names: Names, t: Type, expr: string, temps: Temps): { stmts: string[]; values: string[] } {
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
      const parts = d.items.map((item, i) => lowerFlat(names, item, `(${expr}).f${i}`, temps));
      return { stmts: parts.flatMap((p) => p.stmts), values: parts.flatMap((p) => p.values) };
    }
    default: break;
  }
  if (d.kind === 'def' && d.def.kind === 'record') {
    const parts = d.def.fields.map((f) => lowerFlat(names, f.type, `(${expr}).${member(f.name)}`, temps));
    return { stmts: parts.flatMap((p) => p.stmts), values: parts.flatMap((p) => p.values) };
  }
  if (d.kind === 'def' && (d.def.kind === 'enum' || d.def.kind === 'flags')) return { stmts: [], values: [`(int32_t) (${expr})`] };
  const cases = casesOf(d)!;
  const joined = variantPayloadFlat(cases);
  const vars = [temps.tmp(), ...joined.map(() => temps.tmp())];
  const stmts = [`int32_t ${vars[0]};`, ...joined.map((ft, i) => `${CORE_C[ft]} ${vars[i + 1]} = 0;`)];
  const arm = (index: number, c: Case, payloadExpr: string): string[] => {
    const out = [`${vars[0]} = ${index};`];
    if (c.type) {
      const p = lowerFlat(names, c.type, payloadExpr, temps);
      out.push(...p.stmts);
      const flat = flattenType(c.type);
      p.values.forEach((v, i) => out.push(`${vars[i + 1]} = ${widen(v, flat[i], joined[i])};`));
    }
    return out;
  };
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
export function liftFlat(names: Names, t: Type, values: CoreValues, temps: Temps): { stmts: string[]; expr: string } {
  const take = () => {
    if (values.pos >= values.list.length) throw new Error(`internal: too few core values lifting ${describe(t)}`);
    return values.list[values.pos++];
  };
  const d = dealias(t);
  const cType = names.type(t);
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
      return { stmts: [], expr: `(${cType}) { (${names.type(d.elem)} *) (uintptr_t) (${p}), (size_t) (${l}) }` };
    }
    case 'own': case 'borrow': return { stmts: [], expr: `(${cType}) { ${take()} }` };
    case 'tuple': {
      const parts = d.items.map((item) => liftFlat(names, item, values, temps));
      return { stmts: parts.flatMap((p) => p.stmts), expr: `(${cType}) { ${parts.map((p) => p.expr).join(', ')} }` };
    }
    default: break;
  }
  if (d.kind === 'def' && d.def.kind === 'record') {
    const parts = d.def.fields.map((f) => liftFlat(names, f.type, values, temps));
    return { stmts: parts.flatMap((p) => p.stmts), expr: `(${cType}) { ${parts.map((p) => p.expr).join(', ')} }` };
  }
  if (d.kind === 'def' && (d.def.kind === 'enum' || d.def.kind === 'flags')) return { stmts: [], expr: `(${cType}) (${take()})` };
  const cases = casesOf(d)!;
  const joined = variantPayloadFlat(cases);
  const disc = take();
  const payload = joined.map(() => take());
  const v = temps.tmp();
  const stmts = [`${cType} ${v};`];
  const arm = (c: Case, target: string): string[] => {
    if (!c.type) return [];
    const flat = flattenType(c.type);
    const narrowed = { list: flat.map((ft, i) => narrow(payload[i], joined[i], ft)), pos: 0 };
    const p = liftFlat(names, c.type, narrowed, temps);
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
