import { describe, expect, test } from "bun:test";
import { factRecall, identifiersIn, overallRecall, wordF1, words } from "../../src/compress/metrics.ts";

describe("wordF1", () => {
  test("identical texts score 1, disjoint 0, empty against empty 1", () => {
    expect(wordF1("the bridge opened", "The bridge opened")).toBe(1);
    expect(wordF1("alpha beta", "gamma delta")).toBe(0);
    expect(wordF1("", "")).toBe(1);
    expect(wordF1("", "something")).toBe(0);
  });
  test("bag-of-words precision and recall, counting repeats once each", () => {
    // candidate: a a b (3 words), reference: a b c d (4); overlap a, b = 2 → P 2/3, R 1/2
    const p = 2 / 3, r = 1 / 2;
    expect(wordF1("a a b", "a b c d")).toBeCloseTo((2 * p * r) / (p + r), 10);
  });
  test("words are lower-cased letters, digits and underscores", () => {
    expect(words("Foo_bar(x, 42) → Ünï")).toEqual(["foo_bar", "x", "42", "ünï"]);
  });
});

describe("factRecall", () => {
  test("prose: numbers, negations and entities, with rewritten forms kept", () => {
    const original = "The Golden Gate Bridge opened in 1932 and is not a toll road. It never closed; it spans 1,280 metres.";
    const r = factRecall(original, "Golden Gate Bridge: opened 1932 | ¬toll road | spans 1280 m", "nl");
    expect(r.numbers).toEqual({ total: 2, kept: 2 });
    expect(r.negations).toEqual({ total: 2, kept: 1 }); // "not" → ¬ kept, "never" lost
    expect(r.entities.total).toBeGreaterThan(0);
    expect(r.entities.kept).toBe(r.entities.total);
    expect(r.identifiers.total).toBe(0); // prose has no identifiers to keep
  });
  test("code: signature names and compound identifiers must survive verbatim", () => {
    const code = "def load_config(path, max_items=10):\n    parsedValue = read_file(path)\n    return parsedValue[:max_items]\n";
    expect(identifiersIn(code).sort()).toEqual(["load_config", "max_items", "parsedValue", "path", "read_file"].sort());
    const r = factRecall(code, "load_config(path, max_items=10) → read_file(path)[:max_items]", "code");
    expect(r.identifiers).toEqual({ total: 5, kept: 4 }); // parsedValue dropped
    expect(r.numbers).toEqual({ total: 1, kept: 1 });
    expect(r.entities.total).toBe(0);
  });
  test("overallRecall pools kinds, null when the original has no facts", () => {
    expect(overallRecall(factRecall("just some words here", "words", "nl"))).toBeNull();
    expect(overallRecall(factRecall("It costs 42 and 17 dollars.", "costs 42", "nl"))).toBeCloseTo(0.5, 10);
  });
});
