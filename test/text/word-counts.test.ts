import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { asciiBytes } from "../../src/text/qwen3-split.ts";
import { WordCounts } from "../../src/text/word-counts.ts";
import { qwen3 } from "../../src/text/qwen3.ts";
import { mulberry32 } from "../../src/text/random.ts";

/** Looks `word` up; on a miss keeps `count` for it. */
function lookupOrAdd(table: WordCounts, word: string, count: number): number {
  const bytes = asciiBytes(word)!;
  const found = table.lookup(bytes, 0, word.length);
  if (found < 0) table.add(bytes, 0, count);
  return found;
}

describe("WordCounts", () => {
  test("keeps short (inline) and long (arena) words apart by their bytes, not their hash", () => {
    const t = new WordCounts();
    const words = ["ab", "ba", "abcd", "abcdefgh", "abcdefgi", "abcdefghi", "abcdefghj", "x".repeat(64), "x".repeat(63) + "y", "\u0000a", "a\u0000"];
    words.forEach((w, i) => expect(lookupOrAdd(t, w, i + 2)).toBe(-1));
    words.forEach((w, i) => expect(lookupOrAdd(t, w, 99)).toBe(i + 2));
  });

  test("a word longer than the limit is never kept, and counts up to 2^23 round-trip", () => {
    const t = new WordCounts();
    const long = "z".repeat(65);
    lookupOrAdd(t, long, 5);
    expect(lookupOrAdd(t, long, 5)).toBe(-1);
    lookupOrAdd(t, "big", 8_000_000);
    expect(lookupOrAdd(t, "big", 0)).toBe(8_000_000);
  });

  test("finds words at an offset in a longer buffer", () => {
    const t = new WordCounts();
    const bytes = asciiBytes("xx hello yy hello")!;
    expect(t.lookup(bytes, 3, 8)).toBe(-1);
    t.add(bytes, 3, 7);
    expect(t.lookup(bytes, 12, 17)).toBe(7);
  });

  test("filling the table clears it and keeps answering correctly (200,000 distinct words)", () => {
    const t = new WordCounts();
    for (let i = 0; i < 200_000; i++) {
      const w = `w${i.toString(36)}${i % 3 ? "" : "-long-enough-for-the-arena"}`;
      expect(lookupOrAdd(t, w, i % 1000)).toBe(-1);
      expect(lookupOrAdd(t, w, -5)).toBe(i % 1000);
    }
  });
});

describe("qwen3 count", () => {
  test("equals encode().length on varied text (ASCII code and prose, long words, non-ASCII, added tokens)", () => {
    const tok = qwen3();
    const r = mulberry32(7);
    const pool = ["def", " f", "(x)", ":\n", "    ", "return", " x", "_1", "0x1F", "'s", "'ll", " the", "über", "数据", "🙂", "<|im_end|>", "\t", "\r\n", "  ", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "supercalifragilistic", "==", "->", "42"];
    for (let i = 0; i < 3_000; i++) {
      const text = Array.from({ length: 1 + Math.floor(r() * 40) }, () => pool[Math.floor(r() * pool.length)]).join("");
      // The words repeat across texts, so most counts come from the word table.
      const count = tok.count(text);
      if (count !== tok.encode(text).length) expect({ text, count }).toEqual({ text, count: tok.encode(text).length });
    }
  });

  test("equals encode().length on real pairs (prose, code, notation symbols → ≈ |)", () => {
    const tok = qwen3();
    const file = join(import.meta.dir, "../../data/compression-layer-v1/train.jsonl");
    const rows = readFileSync(file, "utf8").trim().split("\n").slice(0, 400).map((l) => JSON.parse(l));
    let nonAscii = 0;
    for (const row of rows) {
      for (const { content: text } of row.messages as Array<{ content: string }>) {
        if (/[^\x00-\x7f]/.test(text)) nonAscii++;
        const count = tok.countOnce(text);
        if (count !== tok.encode(text).length) expect({ text, count }).toEqual({ text, count: tok.encode(text).length });
      }
    }
    expect(nonAscii).toBeGreaterThan(100);
  });

  test("lone surrogates, astral characters and combining marks (NFC) count as encode() does", () => {
    const tok = qwen3();
    for (const text of ["a\ud800b", "\udc00x", "𝐀𝐁 𝟘𝟙 😀😀", "e\u0301 cafe\u0301", "→→ ≈ 数据数据", "x\ud83d", "'s 'S \u00a0 \u3000 end"]) {
      expect({ text, n: tok.countOnce(text) }).toEqual({ text, n: tok.encode(text).length });
      expect({ text, n: tok.count(text) }).toEqual({ text, n: tok.encode(text).length });
    }
  });
});
