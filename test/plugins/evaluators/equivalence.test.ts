// evaluator/equivalence against the local fake OpenAI server (scripted judges): a judge that
// scores by whether the compressed text keeps the original's numbers, so the fake student (first
// 30% of words) scores lower than the teacher and rules on the same rows.
import { afterAll, describe, expect, test } from "bun:test";
import * as v from "valibot";
import plugin from "../../../plugins/evaluators/equivalence.ts";
import { readRun } from "../../../src/runs/run-file.ts";
import { makeDoc } from "../../../src/sdk/doc.ts";
import type { Doc } from "../../../src/sdk/types.ts";
import { testContext } from "../../helpers/context.ts";
import { startFakeJudge, verdictJson } from "../../helpers/fake-judge.ts";
import { fakeRun } from "../../helpers/fake-compressor.ts";
import { testEvaluatorConformance } from "../_conformance.ts";

const KEY = "sk-eval-equivalence-SECRET-5d1e";
process.env.OPENAI_API_KEY = KEY;
const JUDGE = "openai:gpt-4.1-mini";

const section = (user: string, tag: string) => user.match(new RegExp(`<${tag}>\\n([\\s\\S]*?)\\n</${tag}>`))?.[1] ?? "";
const nums = (s: string) => [...new Set(s.match(/\d+/g) ?? [])];
function script(user: string): string {
  if (user.includes("case:refuse")) return "I'm sorry, but I can't help with that.";
  const original = section(user, "original");
  const compressed = section(user, "compressed");
  const lost = nums(original).filter((n) => !compressed.includes(n));
  return lost.length ? verdictJson(0.4, { missing: lost }) : verdictJson(0.9);
}
const judge = startFakeJudge("openai", script, { expectKey: KEY });
afterAll(() => judge.stop());

const base = { judges: [JUDGE], base_urls: { openai: judge.url }, max_retries: 0, timeout_seconds: 5 };
const parse = (o: Record<string, unknown> = {}) => v.parse(plugin.options!, { ...base, ...o });

function docs(n: number, tag: string): Doc[] {
  return Array.from({ length: n }, (_, i) =>
    makeDoc({
      text: `Words first here (${tag}) and then the bridge opened in ${1900 + i} with ${i * 7 + 3} lanes and ${i + 40} lights.`,
      domain: i % 3 ? "nl" : "mixed",
      source: { path: `${tag}${i}.md` },
      compressed: `bridge (${tag}) opened ${1900 + i} | ${i * 7 + 3} lanes | ${i + 40} lights`,
    }),
  );
}

testEvaluatorConformance(plugin, { ...base, compressors: ["teacher", "rules"] });

describe("evaluator/equivalence", () => {
  test("student, teacher and rules judged on the same rows: means, pass rates, domains, buckets, A/B; cost estimated first and in the ledger", async () => {
    const model = await fakeRun(0.3);
    const ctx = testContext({ name: plugin.name });
    const infos: string[] = [];
    const before = judge.fake.completions;
    let completionsAtEstimate = -1;
    ctx.log = { ...ctx.log, info: (m: string) => {
      if (m.startsWith("judging")) completionsAtEstimate = judge.fake.completions - before;
      infos.push(m);
    } };
    const report = await plugin.evaluate(docs(12, "main"), model, parse({ rows: 10 }), ctx);
    const q = report.equivalence as any;
    expect(q.rows).toBe(10);
    expect(q.compressors.map((c: any) => c.name)).toEqual(["student", "teacher", "rules"]);
    const [student, teacher, rules] = q.compressors;
    expect(student.mean).toBeCloseTo(0.4, 10); // lost the numbers on every row
    expect(student.pass_rate).toBe(0);
    expect(teacher.mean).toBeCloseTo(0.9, 10);
    expect(teacher.pass_rate).toBe(1);
    expect(rules.pass_rate).toBe(1);
    expect(Object.keys(teacher.by_domain).sort()).toEqual(["mixed", "nl"]);
    expect(teacher.by_domain.mixed.n + teacher.by_domain.nl.n).toBe(10);
    expect(Object.values(student.by_bucket).reduce((s: number, g: any) => s + g.n, 0)).toBe(10);
    expect(Object.keys(student.by_bucket).every((b) => ["<0.3", "<0.5", "<0.7", ">=0.7"].includes(b))).toBe(true);
    const vsTeacher = q.comparisons.find((c: any) => c.b === "teacher");
    expect(vsTeacher.diff.mean).toBeCloseTo(0.5, 10);
    expect(vsTeacher.diff.significant).toBe(true);
    expect(vsTeacher.winner).toBe("teacher");
    // The estimate was logged before the first judge call, and it counted every pair.
    expect(completionsAtEstimate).toBe(0);
    expect((report.estimate as any)[0]).toMatchObject({ model: JUDGE, calls: 30, cached: 0 });
    expect(judge.fake.completions - before).toBe(30);
    // Every call is in the ledger under the stage; the spend is reported.
    const ledger = ctx.store.ledger();
    expect(ledger.length).toBe(30);
    expect(ledger.every((r: any) => r.model === JUDGE && r.stage === ctx.stage.label)).toBe(true);
    expect(report.spentUsd).toBeGreaterThan(0);
    expect(report.metrics["student.pass_rate"]).toBe(0);
    expect(((await readRun(model.dir)).evaluation as any).equivalence.compressors).toHaveLength(3);
    // A re-run is answered from the cache: nothing new is sent.
    const again = await plugin.evaluate(docs(12, "main"), model, parse({ rows: 10 }), ctx);
    expect(judge.fake.completions - before).toBe(30);
    expect((again.estimate as any)[0]).toMatchObject({ calls: 0, cached: 30 });
  });

  test("a judge that refuses is a judge error, not a score; empty outputs score 0 without a call", async () => {
    const rows = [...docs(3, "ok"), makeDoc({ text: "The reply case:refuse 12", domain: "nl", source: { path: "r.md" }, compressed: "case:refuse 12" })];
    const ctx = testContext({ name: plugin.name });
    const report = await plugin.evaluate(rows, null, parse({ compressors: ["teacher"] }), ctx);
    const t = (report.equivalence as any).compressors[0];
    expect(t.judge_errors).toBe(1);
    expect(t.judged).toBe(3);
    expect(t.mean).toBeCloseTo(0.9, 10);
    const empty = makeDoc({ text: "Something with 42 in it.", domain: "nl", source: { path: "e.md" }, compressed: "   " });
    const before = judge.fake.completions;
    const r2 = await plugin.evaluate([empty], null, parse({ compressors: ["teacher"] }), testContext({ name: plugin.name }));
    expect(judge.fake.completions).toBe(before);
    expect((r2.equivalence as any).compressors[0]).toMatchObject({ judged: 1, mean: 0, pass_rate: 0 });
  });

  test("preflight names a judge without its API key; options reject a repeated compressor", () => {
    const problems = plugin.preflight!(parse({ judges: ["anthropic:claude-haiku-4-5"] }), { root: process.cwd(), env: {} });
    expect(problems?.join("\n")).toMatch(/ANTHROPIC_API_KEY/);
    expect(problems?.join("\n")).not.toContain(KEY);
    expect(() => parse({ compressors: ["rules", "rules"] })).toThrow(/twice/);
  });
});
