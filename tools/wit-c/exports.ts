// The core export of each function a guest implements: it lifts the core arguments (or takes them
// from the tuple the host put in memory), calls the guest's `exports_...` function, and lowers its
// result (or returns the address of a static return area, released after the host has read it by the
// `cabi_post_` export when it owns memory).
import { flattenFunc, ownsMemory, type CoreType } from './abi.js';
import { freeFunctionOf } from './free.js';
import { CORE_C, liftFlat, lowerFlat, Temps } from './flat.js';
import { type Func, type Interface, type Type, type World } from './model.js';
import { type Names } from './names.js';
import { apiOf, paramTuple, prototype } from './signatures.js';

export interface CoreExport { name: string; params: CoreType[]; results: CoreType[] }

export function exportFunc(names: Names, f: Func, owner: Interface | World, exportName: string): { decl: string; def: string; core: CoreExport[] } {
  const temps = new Temps();
  const c = (t: Type) => names.type(t);
  const api = apiOf(f, names.func(f, owner, true));
  const sig = flattenFunc(f, 'lift');
  const core: CoreExport[] = [{ name: exportName, params: sig.params, results: sig.results }];
  const coreArgs = sig.params.map((p, i) => ({ type: CORE_C[p], name: `arg${i}` }));
  const body: string[] = [];
  const locals: string[] = [];
  if (sig.paramsInMemory) {
    // The host allocated the parameter tuple with cabi_realloc: take the values, free the tuple.
    const tuple = temps.tmp('args');
    body.push(`${paramTuple(names, api)} *${tuple} = (void *) (uintptr_t) arg0;`);
    api.params.forEach((p, i) => {
      const local = temps.tmp('p');
      body.push(`${c(p.type)} ${local} = ${tuple}->f${i};`);
      locals.push(p.byPointer ? `&${local}` : local);
    });
    body.push(`free(${tuple});`);
  } else {
    const values = { list: coreArgs.map((a) => a.name), pos: 0 };
    for (const p of api.params) {
      const lifted = liftFlat(names, p.type, values, temps);
      body.push(...lifted.stmts);
      const local = temps.tmp('p');
      body.push(`${c(p.type)} ${local} = ${lifted.expr};`);
      locals.push(p.byPointer ? `&${local}` : local);
    }
  }
  const r = api.ret;
  let val: string | undefined;
  if (r.kind === 'void') {
    body.push(`${api.name}(${locals.join(', ')});`);
  } else {
    val = temps.tmp('result');
    const resultType = c(f.result!);
    if (r.kind === 'value') body.push(`${resultType} ${val} = ${api.name}(${locals.join(', ')});`);
    else if (r.kind === 'out') body.push(`${resultType} ${val};`, `${api.name}(${[...locals, `&${val}`].join(', ')});`);
    else if (r.kind === 'option') {
      body.push(`${resultType} ${val};`, `${val}.is_some = ${api.name}(${[...locals, `&${val}.val`].join(', ')});`);
    } else {
      const ok = temps.tmp('ok');
      const err = temps.tmp('err');
      if (r.ok) body.push(`${c(r.ok)} ${ok};`);
      if (r.err) body.push(`${c(r.err)} ${err};`);
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
      statics.push(`static ${c(f.result)} ${area};`);
      body.push(`${area} = ${val};`, `return (int32_t) (uintptr_t) &${area};`);
      returns = 'int32_t';
    } else {
      const lowered = lowerFlat(names, f.result, val, temps);
      body.push(...lowered.stmts, `return ${lowered.values[0]};`);
      returns = CORE_C[sig.results[0]];
    }
  }
  const glue = `__wasm_export_${api.name}`;
  let def = `${statics.length ? `${statics.join('\n')}\n\n` : ''}__attribute__((__export_name__(${JSON.stringify(exportName)})))\n`
    + `${returns} ${glue}(${coreArgs.length ? coreArgs.map((a) => `${a.type} ${a.name}`).join(', ') : 'void'}) {\n${body.map((l) => `  ${l}`).join('\n')}\n}`;
  if (f.result && sig.resultInMemory && ownsMemory(f.result)) {
    core.push({ name: `cabi_post_${exportName}`, params: ['i32'], results: [] });
    def += `\n\n__attribute__((__export_name__(${JSON.stringify(`cabi_post_${exportName}`)})))\n`
      + `void ${glue}_post_return(int32_t arg0) {\n  ${freeFunctionOf(names, f.result)}((${c(f.result)} *) (uintptr_t) arg0);\n}`;
  }
  return { decl: `${prototype(names, api)};`, def, core };
}
