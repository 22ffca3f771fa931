import { describe, expect, test } from "bun:test";
import { normalise } from "../../src/core/dataset-groups.ts";
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
