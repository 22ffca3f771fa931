import { describe, expect, test } from "bun:test";
import { codeIdentifiers, factRecall, keptWords, ScoreTable, scorePair, wordAgreement } from "../../src/compress/metrics.ts";

describe("compression metrics", () => {
  const original = "The bridge, which opened in 1932, is not a toll road. It spans 503 metres.";

  test("keep rate and word F1 against the teacher's kept words", () => {
    const s = scorePair(original, "bridge opened 1932 not toll road", "nl", "bridge opened 1932 | not toll road | spans 503 m");
    expect(s.words).toBe(15);
    expect(s.kept).toBe(6);
    // teacher keeps 8 words (bridge opened 1932 not toll road spans 503); candidate 6 of them
    expect(s.tp).toBe(6);
    expect(s.fp).toBe(0);
    expect(s.fn).toBe(2);
    expect(s.f1).toBeCloseTo(12 / 14);
  });

  test("F1 is 1 when both keep nothing, 0 when they disagree completely", () => {
    expect(wordAgreement(new Uint8Array([0, 0]), new Uint8Array([0, 0])).f1).toBe(1);
    expect(wordAgreement(new Uint8Array([1, 0]), new Uint8Array([0, 1])).f1).toBe(0);
  });

  test("fact recall: numbers in rewritten forms, negation marks, code identifiers", () => {
    const nl = factRecall("It cost 1,000 dollars in 1999 and did not last.", "cost 1k $ @1999 | ¬last", "nl");
    expect(nl.numbers).toEqual({ total: 2, kept: 2 });
    expect(nl.negations).toEqual({ total: 1, kept: 1 });
    expect(nl.identifiers.total).toBe(0);
    const code = "def load_rows(path, max_rows=10):\n    return read_all(path)[:max_rows]\n";
    expect(codeIdentifiers(code).sort()).toEqual(["load_rows", "max_rows", "path", "read_all"]);
    const r = factRecall(code, "fn:load_rows(path, max_rows=10) -> read(path)[:max_rows]", "code");
    expect(r.identifiers).toEqual({ total: 4, kept: 3 });
    expect(r.numbers).toEqual({ total: 1, kept: 1 });
  });

  test("keptWords marks the original's words a compressed text carries", () => {
    expect([...keptWords("a b a c", "a c").kept]).toEqual([1, 0, 0, 1]);
  });

  test("the score table sums per domain and overall", () => {
    const t = new ScoreTable();
    t.add({ ...scorePair(original, original, "nl", original), tokensIn: 10, tokensOut: 10 });
    t.add({ ...scorePair("x = 1", "x", "code", "x = 1"), tokensIn: 4, tokensOut: 1 });
    expect(t.keys()).toEqual(["code", "nl", "all"]);
    expect(t.summary("nl").keep_rate).toBe(1);
    expect(t.summary("code").number_recall).toBe(0);
    expect(t.summary().docs).toBe(2);
    expect(t.summary().token_ratio).toBeCloseTo(11 / 14);
    expect(t.summary().keep_rate).toBeCloseTo(0.75);
  });
});
