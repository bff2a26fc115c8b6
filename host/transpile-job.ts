// Transpiles one component with jco in a process of its own (transpile.ts starts it): jco's
// bindgen is itself a component running on preview2-shim, and its seconds of work and hundreds
// of MB stay out of the host's process and its shim.
//   transpile-job <component.wasm> <out dir> <map as JSON>
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { transpile } from '@bytecodealliance/jco-transpile';

const [wasmPath, outDir, mapJson] = process.argv.slice(2);
try {
  const { files, imports, exports } = await transpile(wasmPath, {
    name: 'component',
    map: JSON.parse(mapJson) as Record<string, string>,
    // As the jco CLI does: a trap or an `err` of an export is a ComponentError carrying the payload.
    noComponentErrorWrapping: false,
    emitTypescriptDeclarations: false,
  });
  for (const [name, data] of Object.entries(files)) {
    mkdirSync(dirname(join(outDir, name)), { recursive: true });
    writeFileSync(join(outDir, name), data);
  }
  writeFileSync(join(outDir, 'interfaces.json'), JSON.stringify({ imports, exports: exports.map(([name]) => name) }));
} catch (e) {
  // One line for the host to show: jco's errors carry the parser's reason in their message.
  console.error(String((e as Error)?.message ?? e).split('\n').find((line) => line.trim()) ?? 'transpile failed');
  process.exit(1);
}
