import { describe, expect, test } from "bun:test";
import { hash32, shingleHashes, shingleList, wordHashes } from "../../src/text/shingles.ts";
import { minhashSignature } from "../../src/text/minhash.ts";

/** The definition: FNV-1a of each lower-cased run of Unicode letters, digits and underscores. */
const byRegex = (text: string) => [...text.toLowerCase().matchAll(/[\p{L}\p{N}_]+/gu)].map((m) => hash32(m[0]));

const SAMPLES = [
  "", "   ", "def f_1(x):\n    return X_2 + 3", "Hello, World! HELLO world_42 ... __init__", "a-b/c.d e\tf\ng",
  "tail word", "x".repeat(300), "Über naïve café", "数据 模型 mixed ASCII", "emoji 🙂 then text", "İstanbul ǅ", "\u0085\u00a0x y",
];

describe("word shingles", () => {
  test("wordHashes (ASCII fast path and Unicode path) equals the regex definition", () => {
    for (const t of SAMPLES) expect({ t, h: wordHashes(t) }).toEqual({ t, h: byRegex(t) });
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let n = 0; n < 300; n++) {
      const t = Array.from({ length: 80 }, () => String.fromCharCode(32 + Math.floor(rnd() * 95))).join("");
      expect(wordHashes(t)).toEqual(byRegex(t));
    }
  });

  test("wordHashes equals the regex definition on random Unicode text (astral letters and digits, combining marks, lone surrogates, case rules)", () => {
    const pool = ["a", "Z", "_", "1", " ", ".", "é", "É", "ß", "İ", "Σ", "σ", "ς", "ǅ", "e\u0301", "数", "٣", "Ⅻ", "𝐀", "𝟙", "😀", "\ud800", "\udc00", "\u00a0", "—", "\n", "ﬃ", "Ω", "ǈ"];
    let seed = 11;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    for (let n = 0; n < 5_000; n++) {
      const t = Array.from({ length: 1 + Math.floor(rnd() * 30) }, () => pool[Math.floor(rnd() * pool.length)]).join("");
      const got = wordHashes(t);
      if (JSON.stringify(got) !== JSON.stringify(byRegex(t))) expect({ t, got }).toEqual({ t, got: byRegex(t) });
    }
  });

  test("shingleList holds the same hashes as shingleHashes, and gives the same MinHash signature", () => {
    for (const t of [...SAMPLES, "a b c a b c a b c d"]) {
      expect(new Set(Array.from(shingleList(t, 3), (x) => x >>> 0))).toEqual(shingleHashes(t, 3));
      expect(minhashSignature(shingleList(t, 3), 64)).toEqual(minhashSignature(shingleHashes(t, 3), 64));
    }
  });
});
