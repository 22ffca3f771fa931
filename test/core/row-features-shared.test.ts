import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import type { Doc } from "../../src/sdk/types.ts";
import { CHUNK, inlineFeatures, type FeatureSpec } from "../../src/core/row-features.ts";
import { SharedFeatures } from "../../src/core/row-features-shared.ts";
import { mulberry32 } from "../../src/text/random.ts";

const spec: FeatureSpec = { perms: 64, shingle: 3, seed: 42, tokenizer: "qwen3", userPrefix: "Compress:\n" };

/** Rows enough for many chunks: code, prose, non-ASCII (two- to four-byte UTF-8), empty originals. */
function docs(n: number): Doc[] {
  const r = mulberry32(3);
  const words = ["def", "f(x):", "return", "über", "数据", "🙂", "the", "value_1", "\n    ", "naïve", "Ωmega", "42"];
  const line = (k: number) => Array.from({ length: k }, () => words[Math.floor(r() * words.length)]).join(" ");
  return Array.from({ length: n }, (_, i) => ({ id: `d${i}`, domain: "nl", text: i % 97 === 0 ? "" : line(5 + Math.floor(r() * 60)), compressed: line(1 + Math.floor(r() * 10)), source: { path: "x" }, scores: {}, meta: {} }) as Doc);
}

/** Every row's features, asked as the dataset step asks: keys and signatures in order, then counts. */
function collect(f: { key: Function; signature: Function; tokens: Function }, rows: Doc[]) {
  const keys = rows.map((d, i) => f.key(i, d) as number);
  const sigs = rows.map((d, i) => Array.from(f.signature(i, d) as Uint32Array));
  const tokens = rows.map((d, i) => f.tokens(i, d) as number);
  return { keys, sigs, tokens };
}

function shared(rows: Doc[], opts: { killWorker?: boolean } = {}): SharedFeatures {
  const f = new SharedFeatures(spec, 4 * 1024 * 1024);
  if (opts.killWorker) f.close();
  for (const d of rows) expect(f.add(d)).toBe(true);
  f.finish();
  return f;
}

describe("row features on two threads", () => {
  const rows = docs(20 * CHUNK + 17);
  const expected = collect(inlineFeatures(spec), rows);

  test("equal what one thread computes, row for row", () => {
    const f = shared(rows);
    try {
      expect(collect(f, rows)).toEqual(expected);
    } finally {
      f.close();
    }
  });

  test("this thread computes everything when the worker is gone", () => {
    const f = shared(rows, { killWorker: true });
    expect(collect(f, rows)).toEqual(expected);
  });

  test("a long last row fits when its UTF-8 does (the buffer is bounded by the input's size, not by 3 bytes a char)", () => {
    const f = new SharedFeatures(spec, 10_000);
    expect(f.add({ ...rows[0]!, text: "a".repeat(9_000), compressed: "b" })).toBe(true);
    expect(f.add({ ...rows[0]!, text: "c".repeat(2_000), compressed: "d" })).toBe(false); // more than the input held
    f.close();
  });

  test("a lone UTF-16 surrogate (which UTF-8 cannot carry) stops sharing instead of changing results", () => {
    const f = new SharedFeatures(spec, 1 << 20);
    expect(f.add(rows[1]!)).toBe(true);
    expect(f.add({ ...rows[2]!, text: "broken \ud800 pair" })).toBe(false);
    f.close();
  });

  test("the worker thread alone computes every chunk, the same values (nothing asked meanwhile)", async () => {
    const f = shared(rows);
    try {
      for (let waited = 0; f.workShare().workerChunks < f.workShare().chunks; waited += 20) {
        if (waited > 30_000) throw new Error(`the worker did ${JSON.stringify(f.workShare())} in 30 s`);
        await Bun.sleep(20);
      }
      expect(f.workShare().started).toBe(true);
      expect(collect(f, rows)).toEqual(expected);
    } finally {
      f.close();
    }
  });
});
