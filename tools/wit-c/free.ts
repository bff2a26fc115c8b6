// `<stem>_free`: what releases the memory a value owns (its lists and strings, the host allocated
// them with cabi_realloc), never the value itself and never its handles (those are dropped).
import { ownsMemory } from './abi.js';
import { dealias, type Type } from './model.js';
import { member, type Names } from './names.js';

/** The function that frees a value of `t`; strings share the world's one. */
export function freeFunctionOf(names: Names, t: Type): string {
  if (t.kind === 'prim' && t.name === 'string') return `${names.world}_string_free`;
  return `${names.stem(t)}_free`;
}

/** The prototype and the definition of the free function of a type that owns memory. */
export function freeFunction(names: Names, t: Type): { decl: string; def: string } {
  const cType = names.type(t);
  const fn = freeFunctionOf(names, t);
  const body: string[] = [];
  const d = dealias(t);
  if (t.kind === 'def' && t.def.kind === 'alias') {
    body.push(`  ${freeFunctionOf(names, t.def.target)}((${names.type(t.def.target)} *) ptr);`);
  } else if (d.kind === 'list') {
    if (ownsMemory(d.elem)) body.push(`  for (size_t i = 0; i < ptr->len; i++) ${freeFunctionOf(names, d.elem)}(&ptr->ptr[i]);`);
    body.push('  if (ptr->len > 0) free(ptr->ptr);', '  ptr->ptr = NULL;', '  ptr->len = 0;');
  } else if (d.kind === 'tuple') {
    d.items.forEach((item, i) => { if (ownsMemory(item)) body.push(`  ${freeFunctionOf(names, item)}(&ptr->f${i});`); });
  } else if (d.kind === 'def' && d.def.kind === 'record') {
    for (const f of d.def.fields) if (ownsMemory(f.type)) body.push(`  ${freeFunctionOf(names, f.type)}(&ptr->${member(f.name)});`);
  } else if (d.kind === 'option') {
    body.push(`  if (ptr->is_some) ${freeFunctionOf(names, d.inner)}(&ptr->val);`);
  } else if (d.kind === 'result') {
    if (d.ok && ownsMemory(d.ok)) body.push(`  if (!ptr->is_err) ${freeFunctionOf(names, d.ok)}(&ptr->val.ok);`);
    if (d.err && ownsMemory(d.err)) body.push(`  if (ptr->is_err) ${freeFunctionOf(names, d.err)}(&ptr->val.err);`);
  } else if (d.kind === 'def' && d.def.kind === 'variant') {
    body.push('  switch (ptr->tag) {');
    d.def.cases.forEach((c, i) => {
      if (c.type && ownsMemory(c.type)) body.push(`    case ${i}: ${freeFunctionOf(names, c.type)}(&ptr->val.${member(c.name)}); break;`);
    });
    body.push('    default: break;', '  }');
  }
  return { decl: `void ${fn}(${cType} *ptr);`, def: `void ${fn}(${cType} *ptr) {\n${body.join('\n')}\n}` };
}
