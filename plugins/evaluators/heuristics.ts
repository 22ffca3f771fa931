// evaluator/heuristics: offline measures of every compressor compared, on the test split — Qwen3-
// token ratio, word F1 against the teacher's compression, recall of numbers, code identifiers,
// negations and named entities, share of empty or expanded outputs, latency p50/p95 per 1,000
// tokens — and paired A/B differences of the first compressor against the others, with bootstrap
// 95% intervals. No key, no network: "teacher" is the compression already on each test doc.
import { defineEvaluator, v } from "../../src/sdk/index.ts";
import type { Doc, RunRecord, StageContext } from "../../src/sdk/types.ts";
import { closeAll, compressorNames, evaluationDocs, openCandidates } from "../../src/compress/candidates.ts";
import { scoreCandidates } from "../../src/compress/score.ts";
import { buildEvaluation, flatMetrics, type Evaluation } from "../../src/compress/summary.ts";
import { recordEvaluation } from "../../src/runs/evaluation.ts";

const options = v.object({
  compressors: v.optional(
    v.pipe(
      v.array(v.pipe(v.string(), v.minLength(1))),
      v.minLength(1, "list at least one compressor"),
      v.check((xs) => new Set(xs).size === xs.length, "a compressor is listed twice"),
      v.description('Compressors to compare, the first against each other one: "student" (the trained run), "teacher" (the test docs\' compression), "rules", "default", "run:PATH", provider:model. Default ["student", "teacher", "rules"] ("student" only with a trainer)'),
    ),
  ),
  rows: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.description("Evaluate only the first N test rows (all by default)"))),
  seed: v.optional(v.pipe(v.number(), v.integer(), v.description("Seed of the bootstrap resampling (same rows + seed → same intervals)")), 42),
  examples: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.description("Side-by-side examples kept for report.html")), 6),
});

type Options = v.InferOutput<typeof options>;

export async function runHeuristics(testDocs: Doc[], model: RunRecord | null, opts: Options, ctx: StageContext): Promise<Evaluation> {
  const names = compressorNames(opts, model, ctx.log);
  const docs = evaluationDocs(testDocs, opts.rows, names);
  const candidates = await openCandidates(names, { root: ctx.paths.root, signal: ctx.signal, studentDir: model?.dir, env: process.env });
  try {
    ctx.log.info(`comparing ${names.join(", ")} on ${docs.length} test rows`);
    const results = await scoreCandidates(docs, candidates, { signal: ctx.signal });
    return buildEvaluation(docs, candidates, results, { seed: opts.seed, examples: opts.examples });
  } finally {
    await closeAll(candidates);
  }
}

export default defineEvaluator({
  name: "evaluator/heuristics",
  version: "1.0.0",
  description: "Offline: token ratio, word F1 vs the teacher, fact recall, empty/expanded shares, latency; A/B with bootstrap 95% intervals",
  options,
  async evaluate(testDocs, model, opts, ctx) {
    const evaluation = await runHeuristics(testDocs, model, opts, ctx);
    for (const c of evaluation.compressors) {
      ctx.log.info(`${c.name}: ratio ${c.token_ratio.mean.toFixed(3)}${c.f1 ? `, F1 ${c.f1.mean.toFixed(3)}` : ""}${c.fact_recall ? `, fact recall ${c.fact_recall.mean.toFixed(3)}` : ""}`);
    }
    for (const cmp of evaluation.comparisons.filter((x) => x.winner)) ctx.log.info(`${cmp.b} − ${cmp.a} ${cmp.metric}: ${cmp.diff.mean.toFixed(3)} [${cmp.diff.lo.toFixed(3)}, ${cmp.diff.hi.toFixed(3)}] favours ${cmp.winner}`);
    if (model?.dir) await recordEvaluation(model.dir, "heuristics", evaluation);
    return { evaluator: "evaluator/heuristics", metrics: flatMetrics(evaluation), evaluation };
  },
});
