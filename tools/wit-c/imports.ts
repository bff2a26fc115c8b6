// The C function of each import: it lowers the C arguments to core values (or to a tuple in memory),
// calls the core import and lifts what comes back into the API's result shape (a result that comes
// back in memory is read in place). Resources add their `[resource-drop]` import.
import { flattenFunc, type CoreType } from './abi.js';
import { CORE_C, liftFlat, lowerFlat, Temps } from './flat.js';
import { type Func, type Interface, type TypeDef, type World } from './model.js';
import { snake, type Names } from './names.js';
import { apiOf, paramTuple, prototype, type Api, type ApiParam } from './signatures.js';

export interface CoreImport { module: string; name: string; params: CoreType[]; results: CoreType[] }

export interface ImportGlue { decl: string; def: string; core: CoreImport }

/** Statements that hand the C value `val` of the function's result back through the API shape. */
function deliver(api: Api, val: string): string[] {
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

export function importFunc(names: Names, f: Func, owner: Interface | World, module: string): ImportGlue {
  const temps = new Temps();
  const api = apiOf(f, names.func(f, owner, false));
  const sig = flattenFunc(f, 'lower');
  const importName = `__wasm_import_${api.name}`;
  const coreParams = sig.params.map((p) => CORE_C[p]);
  const extern = `__attribute__((__import_module__(${JSON.stringify(module)}), __import_name__(${JSON.stringify(f.coreName)})))\n`
    + `extern ${sig.results.length ? CORE_C[sig.results[0]] : 'void'} ${importName}(${coreParams.length ? coreParams.join(', ') : 'void'});`;
  const body: string[] = [];
  let args: string[];
  const valueOf = (p: ApiParam) => (p.byPointer ? `(*${p.name})` : p.name);
  if (sig.paramsInMemory) {
    const tuple = temps.tmp('args');
    body.push(`${paramTuple(names, api)} ${tuple};`);
    api.params.forEach((p, i) => body.push(`${tuple}.f${i} = ${valueOf(p)};`));
    args = [`(int32_t) (uintptr_t) &${tuple}`];
  } else {
    args = [];
    for (const p of api.params) {
      const lowered = lowerFlat(names, p.type, valueOf(p), temps);
      body.push(...lowered.stmts);
      args.push(...lowered.values);
    }
  }
  if (f.result && sig.resultInMemory) {
    const area = temps.tmp('ret_area');
    body.push(`${names.type(f.result)} ${area};`);
    body.push(`${importName}(${[...args, `(int32_t) (uintptr_t) &${area}`].join(', ')});`);
    body.push(...deliver(api, area));
  } else if (f.result) {
    const raw = temps.tmp('ret');
    body.push(`${CORE_C[sig.results[0]]} ${raw} = ${importName}(${args.join(', ')});`);
    const lifted = liftFlat(names, f.result, { list: [raw], pos: 0 }, temps);
    body.push(...lifted.stmts);
    const val = temps.tmp('val');
    body.push(`${names.type(f.result)} ${val} = ${lifted.expr};`);
    body.push(...deliver(api, val));
  } else {
    body.push(`${importName}(${args.join(', ')});`);
  }
  return {
    decl: `${prototype(names, api)};`,
    def: `${extern}\n\n${prototype(names, api)} {\n${body.map((l) => `  ${l}`).join('\n')}\n}`,
    core: { module, name: f.coreName, params: sig.params, results: sig.results },
  };
}

/** `<prefix>_<resource>_drop_own` over the `[resource-drop]` import, and `<prefix>_borrow_<resource>`. */
export function resourceFuncs(names: Names, r: TypeDef, owner: Interface, module: string): { decls: string[]; def: string; core: CoreImport } {
  const own = names.handle(r, 'own');
  const borrow = names.handle(r, 'borrow');
  const p = names.prefix(owner);
  const coreName = `[resource-drop]${r.name}`;
  return {
    decls: [`void ${p}_${snake(r.name)}_drop_own(${own} handle);`, `${borrow} ${p}_borrow_${snake(r.name)}(${own} handle);`],
    def: `__attribute__((__import_module__(${JSON.stringify(module)}), __import_name__(${JSON.stringify(coreName)})))\n`
      + `extern void __wasm_import_${p}_${snake(r.name)}_drop(int32_t);\n\n`
      + `void ${p}_${snake(r.name)}_drop_own(${own} handle) {\n  __wasm_import_${p}_${snake(r.name)}_drop(handle.__handle);\n}\n\n`
      + `${borrow} ${p}_borrow_${snake(r.name)}(${own} handle) {\n  return (${borrow}) { handle.__handle };\n}`,
    core: { module, name: coreName, params: ['i32'], results: [] },
  };
}
