import { describe, expect, test } from "bun:test";
import { groupKey, Grouper, normalise } from "../../src/core/dataset-groups.ts";
import { mulberry32 } from "../../src/text/random.ts";

describe("normalise", () => {
  test("is trim() and every whitespace run made one space (20,000 random texts of every JS whitespace)", () => {
    const r = mulberry32(9);
    const pool = ["a", "b", " ", "  ", "\t", "\n", "\r\n", "\v", "\f", "\u00a0", "\u1680", "\u2000", "\u200a", "\u2028", "\u2029", "\u202f", "\u205f", "\u3000", "\ufeff", "\u0085", "é", "x y"];
    for (let i = 0; i < 20_000; i++) {
      const text = Array.from({ length: Math.floor(r() * 12) }, () => pool[Math.floor(r() * pool.length)]).join("");
      const expected = text.trim().replace(/\s+/g, " ");
      if (normalise(text) !== expected) expect({ text, got: normalise(text) }).toEqual({ text, got: expected });
    }
  });
});

describe("Grouper", () => {
  const cfg = { split: [0.5, 0.25, 0.25] as [number, number, number], seed: 3, near_duplicate: 1, user_prefix: "", max_seq_length: 100, tokenizer: "qwen3" };
  const noSignature = () => {
    throw new Error("exact grouping asks for no signature");
  };

  test("two originals whose 32-bit keys collide stay apart; each one's duplicates still find it", () => {
    const g = new Grouper(cfg);
    g.add("alpha text", "nl", 7, noSignature); // row 0
    g.add("beta text", "nl", 7, noSignature); // row 1: same key, other text
    g.add("  alpha   text ", "nl", 7, noSignature); // row 2: alpha again (whitespace)
    g.add("beta\ntext", "nl", 7, noSignature); // row 3: beta again
    g.add("gamma", "nl", groupKey("gamma", cfg.seed), noSignature); // row 4
    const splits = g.splits();
    expect(splits[2]).toBe(splits[0]);
    expect(splits[3]).toBe(splits[1]);
    // Four rows in three groups: alpha (0, 2), beta (1, 3), gamma (4).
    expect(g["groups"].length).toBe(3);
    expect(g["groupOf"]).toEqual([0, 1, 0, 1, 2]);
  });
});
