import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import heuristics from "../../../plugins/evaluators/heuristics.ts";
import { readRun } from "../../../src/runs/run-file.ts";
import { makeDoc } from "../../../src/sdk/doc.ts";
import type { Doc } from "../../../src/sdk/types.ts";
import { testContext } from "../../helpers/context.ts";
import { fakeRun } from "../../helpers/fake-compressor.ts";
import { sampleDocs, testEvaluatorConformance } from "../_conformance.ts";

testEvaluatorConformance(heuristics, {});
testEvaluatorConformance(heuristics, { compressors: ["rules", "teacher"] });

function docs(n: number): Doc[] {
  return Array.from({ length: n }, (_, i) =>
    i % 2
      ? makeDoc({ text: `def parse_item_${i}(raw_value, limit=${i}):\n    # strip it\n    cleaned = raw_value.strip()\n    return cleaned[:limit]\n`, domain: "code", source: { path: `f${i}.py` }, compressed: `parse_item_${i}(raw_value, limit=${i}) → raw_value.strip()[:limit]` })
      : makeDoc({ text: `In ${1900 + i} the Harbour Bridge of Sydney was not yet open; it carried ${i * 100} cars per day by ${1940 + i}, and the ferry never stopped.`, domain: "nl", source: { path: `p${i}.md` }, compressed: `${1900 + i}: Sydney Harbour Bridge ¬open | ${i * 100} cars/day by ${1940 + i} | ferry never stopped` }),
  );
}

const parse = (o: Record<string, unknown>) => v.parse(heuristics.options!, o);

describe("evaluator/heuristics", () => {
  test("student (a trained run), teacher and rules on the same rows; A/B against the student; written to run.json", async () => {
    const model = await fakeRun(0.3);
    const ctx = testContext({ name: heuristics.name });
    const report = await heuristics.evaluate(docs(40), model, parse({}), ctx);
    const e = report.evaluation as any;
    expect(e.rows).toBe(40);
    expect(e.compressors.map((c: any) => c.name)).toEqual(["student", "teacher", "rules"]);
    const [student, teacher, rules] = e.compressors;
    // The fake student keeps the first 30% of words: a low ratio, lost facts, measured latency.
    expect(student.token_ratio.mean).toBeLessThan(0.5);
    expect(student.token_ratio.lo).toBeLessThanOrEqual(student.token_ratio.mean);
    expect(student.fact_recall.mean).toBeLessThan(teacher.fact_recall.mean);
    expect(teacher.f1.mean).toBe(1);
    expect(teacher.latency_ms_per_1k).toBeNull();
    expect(student.latency_ms_per_1k.p50).toBeGreaterThan(0);
    expect(rules.empty_share).toBe(0);
    expect(report.metrics["student.token_ratio"]).toBe(student.token_ratio.mean);
    // Paired comparisons: student vs teacher and vs rules; teacher has no F1 comparison.
    const vsTeacher = e.comparisons.filter((c: any) => c.b === "teacher").map((c: any) => c.metric);
    expect(vsTeacher).toEqual(["token_ratio", "fact_recall"]);
    const recall = e.comparisons.find((c: any) => c.b === "teacher" && c.metric === "fact_recall");
    expect(recall.diff.significant).toBe(true);
    expect(recall.winner).toBe("teacher");
    expect(e.ratios.student).toHaveLength(40);
    expect(e.examples).toHaveLength(6);
    expect(Object.keys(e.examples[0].outputs).sort()).toEqual(["rules", "student", "teacher"]);
    const run = await readRun(model.dir);
    expect((run.evaluation as any).heuristics.comparisons).toEqual(JSON.parse(JSON.stringify(e.comparisons)));
  });

  test("deterministic: the same rows and seed give the same report (latency aside)", async () => {
    const strip = (r: any) => JSON.stringify(r.evaluation.compressors.map((c: any) => ({ ...c, latency_ms_per_1k: null })));
    const a = await heuristics.evaluate(docs(12), null, parse({ compressors: ["rules", "teacher"] }), testContext());
    const b = await heuristics.evaluate(docs(12), null, parse({ compressors: ["rules", "teacher"] }), testContext());
    expect(strip(a)).toBe(strip(b));
    expect(JSON.stringify((a.evaluation as any).comparisons)).toBe(JSON.stringify((b.evaluation as any).comparisons));
  });

  test("rows limits the test rows; without a trainer the default leaves the student out", async () => {
    const ctx = testContext();
    const infos: string[] = [];
    ctx.log = { ...ctx.log, info: (m: string) => void infos.push(m) };
    const r = await heuristics.evaluate(docs(10), null, parse({ rows: 4 }), ctx);
    expect((r.evaluation as any).rows).toBe(4);
    expect((r.evaluation as any).compressors.map((c: any) => c.name)).toEqual(["teacher", "rules"]);
    expect(infos.some((m) => m.includes("no trainer"))).toBe(true);
  });

  test("bad input: student listed without a trainer, an unknown compressor, a repeated one", async () => {
    await expect(heuristics.evaluate(sampleDocs(), null, parse({ compressors: ["student", "rules"] }), testContext())).rejects.toThrow(/no trained run/);
    await expect(heuristics.evaluate(sampleDocs(), null, parse({ compressors: ["rulez"] }), testContext())).rejects.toThrow(/unknown compressor "rulez"/);
    expect(() => parse({ compressors: ["rules", "rules"] })).toThrow(/twice/);
  });
});
