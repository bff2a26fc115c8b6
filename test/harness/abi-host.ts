// The host side of test/c-abi.test.ts, imported by the transpiled C guest (world `abi` of
// test/guests/c/abi/wit): every function returns what it was given, so that what comes back from the
// guest shows what the glue's lowering and lifting did to it.
type Shape = { tag: string; val?: unknown };
type Result = { tag: 'ok' | 'err'; val: unknown };

/** What the guest passed to `note`, and how many counters were dropped. */
export const seen = { notes: [] as string[], dropped: 0 };

class Counter {
  value: number;
  constructor(start: number) {
    this.value = start;
  }
  add(n: number): number {
    this.value += n;
    return this.value;
  }
  static total(a: Counter, b: Counter): bigint {
    return BigInt(a.value) + BigInt(b.value);
  }
  [Symbol.dispose](): void {
    seen.dropped++;
  }
}

export const types = { Counter };

const same = <T>(x: T): T => x;

export const host = {
  echoPoint: same,
  echoShape: same<Shape>,
  echoShapes: same<Shape[]>,
  echoMany: same,
  echoScalars: (...args: unknown[]) => args,
  echoOption: same,
  // A host function returns a result's error by throwing it.
  echoResult: (r: Result) => {
    if (r.tag === 'err') throw r.val;
    return r.val;
  },
  echoNested: same,
  sumMany: (m: Record<string, unknown>, extra: number): bigint => {
    let sum = BigInt(extra);
    for (const key of ['a', 'b', 'c', 'd', 'e', 'f', 'i', 'j', 'k'] as const) {
      const v = m[key];
      sum += typeof v === 'string' ? BigInt(v.codePointAt(0)!) : BigInt(Math.trunc(Number(v)));
    }
    return sum + (m.g as bigint) + (m.h as bigint);
  },
  makeCounter: (start: number) => new Counter(start),
};

export function note(text: string): void {
  seen.notes.push(text);
}
