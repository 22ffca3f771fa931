import { describe, expect, test } from "bun:test";
import { align, variationRate } from "../../../src/compress/extractive/align.ts";
import { IDENT, NUMBER, tokenize, WORD, wordNorms } from "../../../src/compress/extractive/tokenize.ts";

describe("tokenize", () => {
  test("identifiers and numbers are whole words, with offsets and lines", () => {
    const w = tokenize("def get_default_factory(self, maxItems):\n    return 1,000.5 + x2");
    expect(w.forms).toEqual(["def", "get_default_factory", "self", "maxItems", "return", "1,000.5", "x2"]);
    expect([...w.kind]).toEqual([WORD, IDENT, WORD, IDENT, WORD, NUMBER, WORD]);
    expect([...w.line]).toEqual([0, 0, 0, 0, 1, 1, 1]);
    for (let i = 0; i < w.forms.length; i++) expect(w.text.slice(w.start[i]!, w.end[i]!)).toBe(w.forms[i]!);
    expect(w.lineStart).toEqual([0, w.text.indexOf("\n") + 1]);
  });

  test("matching forms: case, plural s, possessive, thousands separators", () => {
    expect(wordNorms("Transformations Newton's 1,000 class")).toEqual(["transformation", "newton", "1000", "class"]);
  });
});

describe("align (LLMLingua-2 greedy in-order matching)", () => {
  const norms = (s: string) => wordNorms(s);
  test("repeated words match in order, not all to the first occurrence", () => {
    const a = align(norms("the cat saw the dog and the bird"), norms("cat the dog bird"));
    expect([...a.kept]).toEqual([0, 1, 0, 1, 1, 0, 0, 1]);
    expect(a.matched).toBe(4);
  });

  test("words missing from the original stay unmatched and raise the variation rate", () => {
    const a = align(norms("the bridge opened in 1932"), norms("bridge → opened @ 1932 ¬toll"));
    expect(a.matched).toBe(3);
    expect(a.compressedWords).toBe(4); // "toll" is a word; the symbols are not
    expect(variationRate(a)).toBeCloseTo(0.25);
  });

  test("a match must lie within the window of the previous one", () => {
    const orig = norms(`alpha ${"x ".repeat(20)}omega`);
    expect(align(orig, norms("alpha omega"), 5).matched).toBe(1);
    expect(align(orig, norms("alpha omega"), 50).matched).toBe(2);
  });

  test("backward matches are allowed within the window", () => {
    const a = align(norms("one two three four"), norms("four two"));
    expect([...a.kept]).toEqual([0, 1, 0, 1]);
  });
});
