// The function imports and exports of a core WebAssembly module with their core signatures, read
// from the binary (type, import, function and export sections): what a test compares when it asks
// whether two modules agree on an ABI. Node 20's WebAssembly.Module.imports gives no types.
export type ValType = 'i32' | 'i64' | 'f32' | 'f64' | 'v128' | 'funcref' | 'externref';

export interface FuncSig { params: ValType[]; results: ValType[] }
export interface CoreImport extends FuncSig { module: string; name: string }
export interface CoreExport extends FuncSig { name: string }

const VALTYPES: Record<number, ValType> = { 0x7f: 'i32', 0x7e: 'i64', 0x7d: 'f32', 0x7c: 'f64', 0x7b: 'v128', 0x70: 'funcref', 0x6f: 'externref' };

class Reader {
  pos: number;
  constructor(private readonly bytes: Uint8Array, start = 0, readonly end = bytes.length) { this.pos = start; }
  byte(): number {
    if (this.pos >= this.end) throw new Error('wasm: unexpected end');
    return this.bytes[this.pos++];
  }
  u32(): number {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if (!(b & 0x80)) return result;
      shift += 7;
    }
  }
  name(): string {
    const n = this.u32();
    const s = Buffer.from(this.bytes.subarray(this.pos, this.pos + n)).toString('utf8');
    this.pos += n;
    return s;
  }
  valtype(): ValType {
    const b = this.byte();
    const t = VALTYPES[b];
    if (!t) throw new Error(`wasm: unsupported value type 0x${b.toString(16)}`);
    return t;
  }
  limits(): void {
    const flags = this.byte();
    this.u32();
    if (flags & 1) this.u32();
  }
}

export function coreFunctions(bytes: Uint8Array): { imports: CoreImport[]; exports: CoreExport[] } {
  if (bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d || bytes[4] !== 1) throw new Error('not a core wasm module');
  const r = new Reader(bytes, 8);
  const types: FuncSig[] = [];
  const funcTypes: number[] = []; // type index of every function, imported ones first
  const imports: CoreImport[] = [];
  const exportIndices: Array<{ name: string; index: number }> = [];
  while (r.pos < bytes.length) {
    const id = r.byte();
    const size = r.u32();
    const s = new Reader(bytes, r.pos, r.pos + size);
    r.pos += size;
    if (id === 1) {
      for (let n = s.u32(); n > 0; n--) {
        if (s.byte() !== 0x60) throw new Error('wasm: only function types are supported');
        const params = Array.from({ length: s.u32() }, () => s.valtype());
        const results = Array.from({ length: s.u32() }, () => s.valtype());
        types.push({ params, results });
      }
    } else if (id === 2) {
      for (let n = s.u32(); n > 0; n--) {
        const module = s.name();
        const name = s.name();
        const kind = s.byte();
        if (kind === 0) {
          const t = s.u32();
          funcTypes.push(t);
          imports.push({ module, name, ...types[t] });
        } else if (kind === 1) { s.byte(); s.limits(); } else if (kind === 2) { s.limits(); } else if (kind === 3) { s.valtype(); s.byte(); } else {
          throw new Error(`wasm: unknown import kind ${kind}`);
        }
      }
    } else if (id === 3) {
      for (let n = s.u32(); n > 0; n--) funcTypes.push(s.u32());
    } else if (id === 7) {
      for (let n = s.u32(); n > 0; n--) {
        const name = s.name();
        const kind = s.byte();
        const index = s.u32();
        if (kind === 0) exportIndices.push({ name, index });
      }
    }
  }
  return { imports, exports: exportIndices.map(({ name, index }) => ({ name, ...types[funcTypes[index]] })) };
}

/**
 * The standard core names of the Component Model's build targets (BuildTargets.md: `cm32p2|ns:pkg/i@0.2`,
 * `r_drop`, `cm32p2_realloc`, ...) as the legacy names wit-bindgen and tools/wit-c use
 * (`ns:pkg/i@0.2.12`, `[resource-drop]r`, `cabi_realloc`, ...). `versions` maps each canonicalized
 * interface name back to the full one.
 */
export function legacyName(module: string, name: string, versions: Map<string, string>): { module: string; name: string } {
  const full = (canonical: string) => versions.get(canonical) ?? canonical;
  if (module.startsWith('cm32p2|')) {
    const iface = full(module.slice('cm32p2|'.length));
    const drop = name.match(/^(.*)_drop$/);
    return { module: iface, name: drop ? `[resource-drop]${drop[1]}` : name };
  }
  if (module === 'cm32p2') return { module: '$root', name };
  return { module, name };
}

export function legacyExport(name: string, versions: Map<string, string>): string {
  if (name === 'cm32p2_realloc') return 'cabi_realloc';
  if (name === 'cm32p2_initialize') return '_initialize';
  if (name === 'cm32p2_memory') return 'memory';
  const m = name.match(/^cm32p2\|([^|]*)\|(.*)$/);
  if (!m) return name;
  const iface = m[1] ? versions.get(m[1]) ?? m[1] : '';
  const post = m[2].endsWith('_post');
  const fn = post ? m[2].slice(0, -'_post'.length) : m[2];
  const base = iface ? `${iface}#${fn}` : fn;
  return post ? `cabi_post_${base}` : base;
}

/** BuildTargets.md's interface name canonicalization: `a:b/c@0.2.12` -> `a:b/c@0.2`. */
export function canonicalInterfaceName(name: string): string {
  const at = name.lastIndexOf('@');
  if (at < 0) return name;
  const m = name.slice(at + 1).match(/^(\d+)\.(\d+)\.(\d+)(-[^+]*)?/);
  if (!m) return name;
  const [, major, minor, patch, pre] = m;
  const version = pre ? `${major}.${minor}.${patch}${pre}` : major === '0' && minor === '0' ? `0.0.${patch}` : major === '0' ? `0.${minor}` : major;
  return `${name.slice(0, at)}@${version}`;
}
