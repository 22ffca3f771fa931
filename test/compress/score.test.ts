import { expect, test } from "bun:test";
import { entityRecall, overallRecall, scoreOne } from "../../src/compress/score.ts";
import { makeDoc } from "../../src/sdk/doc.ts";

test("entity recall: prose names kept or lost, none counted for code", () => {
  const text = "The Golden Gate Bridge in San Francisco was designed by Joseph Strauss.";
  expect(entityRecall(text, "Golden Gate Bridge (SF) by Strauss", "nl").kept).toBeGreaterThan(0);
  const lost = entityRecall(text, "a span by an engineer", "nl");
  expect(lost.total).toBeGreaterThan(0);
  expect(lost.kept).toBe(0);
  expect(entityRecall("class FooBar:\n    pass", "x", "code")).toEqual({ total: 0, kept: 0 });
});

test("scoreOne: ratio, F1 vs the teacher, facts of all four kinds, flags, latency per 1k tokens", () => {
  const doc = makeDoc({ text: "The Tower opened in 1889 and is not painted red; it has 3 levels.", domain: "nl", source: { path: "t" }, compressed: "Tower opened 1889 | ¬painted red | 3 levels" });
  const same = scoreOne(doc, { compressed: doc.compressed!, tokens_in: 20, tokens_out: 10, ms: 2 });
  expect(same.ratio).toBe(0.5);
  expect(same.f1).toBe(1);
  expect(same.facts.numbers).toEqual({ total: 2, kept: 2 });
  expect(same.facts.negations).toEqual({ total: 1, kept: 1 });
  expect(same.facts.entities.kept).toBe(same.facts.entities.total);
  expect(same.recall).toBe(1);
  expect(same.ms_per_1k).toBe(100);
  expect(same.empty || same.expanded).toBe(false);
  const bad = scoreOne(doc, { compressed: " ", tokens_in: 20, tokens_out: 30, ms: NaN });
  expect(bad.empty && bad.expanded).toBe(true);
  expect(bad.f1).toBe(0);
  expect(bad.recall).toBe(0);
  expect(bad.ms_per_1k).toBeNull();
  const noTeacher = scoreOne({ ...doc, compressed: undefined }, { compressed: "x", tokens_in: 1, tokens_out: 1, ms: 1 });
  expect(noTeacher.f1).toBeNull();
  expect(overallRecall({ numbers: { total: 0, kept: 0 }, identifiers: { total: 0, kept: 0 }, negations: { total: 0, kept: 0 }, entities: { total: 0, kept: 0 } })).toBeNull();
});
