// Judge answers as models really write them -> a verdict, or a precise reason it is not one.
import { expect, test } from "bun:test";
import { decide } from "../../../src/llm/judge/decide.ts";
import { ratioBucket } from "../../../src/llm/judge/stats.ts";
import { isRefusal, jsonObjects, parseVerdict } from "../../../src/llm/judge/verdict.ts";

const good = { verdict: "equivalent" as const, score: 0.9, confidence: 0.8, missing_facts: [], rationale: "fine" };

test("plain JSON, a fenced block, prose around it, a <think> block before it", () => {
  const json = JSON.stringify(good);
  for (const answer of [json as string, "```json\n" + json + "\n```", `Here you go:\n\n${json}\n\nHope that helps!`, `<think>maybe {"score": 0.1}</think>${json}`, "```\n" + json + "\n```"]) {
    expect(parseVerdict(answer)).toEqual({ ok: true, verdict: good });
  }
});

test("lenient where meaning is clear: verdict spelling, numeric strings, missing optional fields", () => {
  const r = parseVerdict(JSON.stringify({ verdict: "Not Equivalent", score: "0.4", confidence: 1, missing_facts: ["x", 3] }));
  expect(r).toEqual({ ok: true, verdict: { verdict: "not_equivalent", score: 0.4, confidence: 1, missing_facts: ["x", "3"], rationale: "" } });
  expect(parseVerdict(JSON.stringify({ verdict: "not-equivalent", score: 0, confidence: 0 })).ok).toBe(true);
  expect(parseVerdict(JSON.stringify({ ...good, missing_facts: null, rationale: null }))).toMatchObject({ ok: true, verdict: { missing_facts: [], rationale: "" } });
});

test("strict where a guess would be a silent score: ranges, required fields, unknown verdicts", () => {
  const bad = (o: object) => parseVerdict(JSON.stringify(o));
  expect(bad({ ...good, score: 1.4 })).toEqual({ ok: false, refusal: false, error: expect.stringContaining("score: score must be between 0 and 1") });
  expect(bad({ ...good, score: "high" })).toMatchObject({ ok: false, error: expect.stringContaining("score must be a number") });
  expect(bad({ verdict: "equivalent", score: 0.9 })).toMatchObject({ ok: false, error: expect.stringContaining("confidence") });
  expect(bad({ ...good, verdict: "mostly" })).toMatchObject({ ok: false, error: expect.stringContaining("verdict must be one of") });
  expect(parseVerdict("{verdict: equivalent, score: 0.9}")).toMatchObject({ ok: false, refusal: false, error: expect.stringContaining("no JSON object found") });
  expect(parseVerdict("")).toMatchObject({ ok: false, error: expect.stringContaining("(empty)") });
});

test("the first object that validates wins; braces inside strings do not confuse the scan", () => {
  const text = `Schema: {"verdict": "?"}\nAnswer: {"verdict": "partial", "score": 0.6, "confidence": 0.5, "missing_facts": ["the } brace case"], "rationale": "a {curly} one"}`;
  expect(jsonObjects(text)).toHaveLength(2);
  expect(parseVerdict(text)).toMatchObject({ ok: true, verdict: { verdict: "partial", missing_facts: ["the } brace case"] } });
});

test("refusals are recognised only when no JSON came with them", () => {
  expect(parseVerdict("I'm sorry, but I can't help with that request.")).toMatchObject({ ok: false, refusal: true });
  expect(parseVerdict("I cannot evaluate this content.")).toMatchObject({ ok: false, refusal: true });
  expect(parseVerdict(`I'm sorry for the delay. ${JSON.stringify(good)}`).ok).toBe(true);
  expect(isRefusal("The function returns None when the list is empty.")).toBe(false);
});

test("decide: the minimum decides, disagreement is max − min, errors are never scored", () => {
  const v = (judge: string, score: number, missing: string[] = []) => ({ ok: true as const, judge, repaired: false, verdict: { ...good, score, missing_facts: missing } });
  const pass = decide([v("a", 0.95), v("b", 0.8)], 0.8, "direct");
  expect(pass).toMatchObject({ status: "pass", min: 0.8, disagree: false, scores: { equivalence: 0.8, "equivalence.a": 0.95, "equivalence.b": 0.8, judge_disagreement: 0.15 } });
  const fail = decide([v("a", 0.95), v("b", 0.5, ["x", " x ", ""]), v("c", 0.2, ["y"])], 0.8, "direct");
  expect(fail).toMatchObject({ status: "not_equivalent", disagree: true, meta: { missing_facts: ["x", "y"], passed: false } });
  expect(fail.detail).toBe("min score 0.2 < 0.8 (a 0.95 equivalent, b 0.5 equivalent, c 0.2 equivalent); missing: x; y");
  const err = decide([v("a", 0.95), { ok: false, judge: "b", kind: "refusal", error: "the judge refused" }], 0.8, "direct");
  expect(err).toMatchObject({ status: "judge_error", scores: { "equivalence.a": 0.95 } });
  expect(err.scores.equivalence).toBeUndefined();
  expect(err.detail).toBe("b refusal: the judge refused; other judges: a 0.95");
});

test("decide: a judge_error is retryable only when a provider failed (refusals and malformed verdicts are cached answers)", () => {
  const v = { ok: true as const, judge: "a", repaired: false, verdict: good };
  expect(decide([v, { ok: false, judge: "b", kind: "provider", error: "HTTP 503" }], 0.8, "direct")).toMatchObject({ status: "judge_error", retryable: true });
  expect(decide([v, { ok: false, judge: "b", kind: "refusal", error: "no" }], 0.8, "direct").retryable).toBe(false);
  expect(decide([v, { ok: false, judge: "b", kind: "malformed", error: "not JSON" }], 0.8, "direct").retryable).toBe(false);
  expect(decide([v], 0.8, "direct").retryable).toBeUndefined();
});

test("ratio buckets: <0.3, 0.3–0.5, 0.5–0.7, ≥0.7", () => {
  expect([0, 0.29, 0.3, 0.49, 0.5, 0.69, 0.7, 1.2].map(ratioBucket)).toEqual(["<0.3", "<0.3", "<0.5", "<0.5", "<0.7", "<0.7", ">=0.7", ">=0.7"]);
});
