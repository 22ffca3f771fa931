import { describe, expect, test } from "bun:test";
import { isCurrent } from "../../build/generated.ts";
import { buildMinhashWasm, WASM_FILE } from "../../build/minhash-wasm.ts";
import { estimateJaccard, MinHashIndex, minhashSignature, minhashSignatureJs } from "../../src/text/minhash.ts";
import { simdMinhash } from "../../src/text/minhash-simd.ts";
import { mulberry32 } from "../../src/text/random.ts";
import { mix32 } from "../../src/text/shingles.ts";

/** The definition: slot i is the unsigned minimum of (x ^ seed_i) * mul_i over the shingles. */
function reference(shingles: number[], perms: number): number[] {
  return Array.from({ length: perms }, (_, i) => {
    const mul = mix32(2 * i + 1) | 1, seed = mix32(2 * i + 2);
    let min = 0xffffffff;
    for (const x of shingles) min = Math.min(min, Math.imul(x ^ seed, mul) >>> 0);
    return min;
  });
}

describe("minhashSignature", () => {
  test("equals the definition for any number of permutations (the loop takes four at a time)", () => {
    const r = mulberry32(11);
    for (let perms = 1; perms <= 13; perms++) {
      for (let k = 0; k < 20; k++) {
        const shingles = Array.from({ length: 1 + Math.floor(r() * 50) }, () => (r() * 2 ** 32) | 0);
        expect(Array.from(minhashSignature(shingles, perms))).toEqual(reference(shingles, perms));
      }
    }
    expect(Array.from(minhashSignature([], 4))).toEqual([0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff]);
  });
});

describe("minhashSignature through WebAssembly SIMD", () => {
  const seeds = Int32Array.from({ length: 256 }, (_, i) => mix32(2 * i + 2));
  const muls = Int32Array.from({ length: 256 }, (_, i) => mix32(2 * i + 1) | 1);

  test("is available here and equals the JavaScript loop (16–256 permutations, 0–40,000 shingles)", () => {
    const simd = simdMinhash(seeds, muls);
    expect(simd).toBeDefined();
    const r = mulberry32(21);
    for (const perms of [16, 32, 64, 128, 256]) {
      for (const length of [0, 1, 3, 4, 5, 17, 200, 1000, 16_000, 40_000]) {
        const list = Int32Array.from({ length }, () => (r() * 2 ** 32) | 0);
        expect(Array.from(simd!(list, perms)!)).toEqual(Array.from(minhashSignatureJs(list, perms)));
      }
    }
  });

  test("leaves other permutation counts to the JavaScript loop (minhashSignature still answers them)", () => {
    const simd = simdMinhash(seeds, muls)!;
    const list = Int32Array.from([1, 2, 3]);
    for (const perms of [4, 8, 20, 272]) expect(simd(list, perms)).toBeUndefined();
    expect(Array.from(minhashSignature(list, 20))).toEqual(reference([1, 2, 3], 20));
  });

  test("src/text/minhash-simd.wasm is what the .wat compiles to (run `bun build/minhash-wasm.ts` if not)", async () => {
    expect(isCurrent(WASM_FILE, await buildMinhashWasm())).toBe(true);
  });
});

describe("MinHashIndex", () => {
  test("finds the most similar stored item at or above the threshold, and nothing below it", () => {
    const r = mulberry32(5);
    const base = Array.from({ length: 200 }, () => (r() * 2 ** 32) | 0);
    const index = new MinHashIndex<string>(64, 16);
    const near = minhashSignature(base.map((x, i) => (i < 10 ? x + 1 : x)), 64); // ~90% shared
    const far = minhashSignature(base.map((x, i) => (i < 150 ? x + 1 : x)), 64);
    index.add(far, "far");
    index.add(near, "near");
    const sig = minhashSignature(base, 64);
    const match = index.query(sig, 0.7);
    expect(match?.item).toBe("near");
    expect(match?.similarity).toBe(estimateJaccard(sig, near));
    expect(index.query(minhashSignature([1, 2, 3], 64), 0.5)).toBeUndefined();
  });
});
