// evaluator/equivalence: the LLM judges of filter/equivalence score each compressor's output for
// the same test rows ("student", "teacher", "rules", any spec): mean equivalence (the lowest judge
// score), pass rate at the threshold, per domain and per ratio bucket, and paired differences
// against the first compressor with bootstrap 95% intervals. What the judging will cost is
// estimated (cache hits excluded) and logged before any call; every call goes through the cache
// and the cost ledger like the filter's. The run stops starting new judgements once the budget
// is reached.
import { defineEvaluator, v } from "../../src/sdk/index.ts";
import type { Doc, StageContext } from "../../src/sdk/types.ts";
import { decide, estimateJudges, judgeCallOptions, judgeDirect, judgeEntries, judgeTasks, JUDGE_INPUT, ratioBucket } from "../../src/llm/judge/index.ts";
import { stageProblems, withConcurrency } from "../../src/llm/stage-options.ts";
import { closeAll, compressorNames, evaluationDocs, openCandidates } from "../../src/compress/candidates.ts";
import { summarizeEquivalence, type EquivalenceSummary, type JudgedRow } from "../../src/compress/equivalence.ts";
import { scoreCandidates } from "../../src/compress/score.ts";
import { recordEvaluation } from "../../src/runs/evaluation.ts";


const DEFAULT_CONCURRENCY = 8;

const options = v.pipe(
  v.object({
    ...judgeEntries(DEFAULT_CONCURRENCY),
    compressors: v.optional(
      v.pipe(
        v.array(v.pipe(v.string(), v.minLength(1))),
        v.minLength(1, "list at least one compressor"),
        v.check((xs) => new Set(xs).size === xs.length, "a compressor is listed twice"),
        v.description('Compressors whose outputs are judged, the first compared with the others: "student", "teacher", "rules", "default", "run:PATH", provider:model. Default ["student", "teacher", "rules"] ("student" only with a trainer)'),
      ),
    ),
    rows: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.description("Judge only the first N test rows (judges cost money: calls = rows × compressors × judges)")), 100),
    seed: v.optional(v.pipe(v.number(), v.integer(), v.description("Seed of the bootstrap resampling")), 42),
  }),
  v.transform((o) => withConcurrency(o, DEFAULT_CONCURRENCY)),
);

type Options = v.InferOutput<typeof options>;

const usd = (x: number | null) => (x === null ? "unknown price" : `$${x.toFixed(2)}`);

/** Judge `items` with at most `limit` in flight; stops starting new ones when the run stops. */
async function pool<T, R>(items: T[], limit: number, signal: AbortSignal, work: (x: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      signal.throwIfAborted();
      const i = next++;
      out[i] = await work(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

async function judgeRow(doc: Doc, compressed: string, ratio: number, opts: Options, ctx: StageContext): Promise<JudgedRow> {
  if (!compressed.trim()) return { domain: doc.domain, ratio, score: 0, passed: false, status: "empty" };
  const call = judgeCallOptions(opts, DEFAULT_CONCURRENCY);
  const judgeOne = opts.method === "tasks" ? judgeTasks : judgeDirect;
  const outcomes = await Promise.all(opts.judges.map((j) => judgeOne(ctx, j, doc, compressed, call)));
  const d = decide(outcomes, opts.threshold, opts.method);
  ctx.stat(d.status);
  return { domain: doc.domain, ratio, score: d.status === "judge_error" ? null : d.min!, passed: d.status === "pass", status: d.status };
}

export default defineEvaluator({
  name: "evaluator/equivalence",
  version: "1.0.0",
  description: "LLM judges score student, teacher and baseline outputs of the same test rows: mean equivalence, pass rate, per domain and ratio bucket, A/B with 95% intervals",
  options,
  preflight(opts, where) {
    return stageProblems(opts.judges.map((name, i) => ({ role: `judges[${i}]`, name })), opts, where, JUDGE_INPUT);
  },
  async evaluate(testDocs, model, opts, ctx) {
    const names = compressorNames(opts, model, ctx.log);
    const docs = evaluationDocs(testDocs.filter((d) => d.text.trim()), opts.rows, names);
    const candidates = await openCandidates(names, { root: ctx.paths.root, signal: ctx.signal, studentDir: model?.dir, env: process.env });
    let summary: EquivalenceSummary;
    let estimate;
    try {
      const outputs = await scoreCandidates(docs, candidates, { signal: ctx.signal });
      // The cost before any call: every (row, compressor) pair as the judges will see it.
      const pairs = outputs.flatMap((rows) => rows.map((r, i) => ({ ...docs[i]!, compressed: r.compressed })));
      estimate = await estimateJudges(pairs, opts, ctx);
      const calls = estimate.reduce((s, e) => s + e.calls, 0);
      const total = estimate.some((e) => e.usd === null) ? null : estimate.reduce((s, e) => s + (e.usd ?? 0), 0);
      ctx.log.info(`judging ${names.join(", ")} on ${docs.length} rows: ${calls} calls (${estimate.reduce((s, e) => s + e.cached, 0)} cached), ≤ ${usd(total)}`);
      const judged: JudgedRow[][] = [];
      for (const rows of outputs) {
        judged.push(await pool(rows.map((r, i) => ({ r, doc: docs[i]! })), opts.concurrency, ctx.signal, ({ r, doc }) => {
          if (ctx.costs.overBudget()) throw new Error("the budget is reached: judging stopped (raise [budget] max_usd and run again; finished judgements are cached)");
          return judgeRow(doc, r.compressed, r.ratio, opts, ctx);
        }));
      }
      summary = summarizeEquivalence(candidates, judged, { threshold: opts.threshold, seed: opts.seed, bucket: ratioBucket });
    } finally {
      await closeAll(candidates);
    }
    for (const c of summary.compressors) ctx.log.info(`${c.name}: mean equivalence ${c.mean?.toFixed(3) ?? "—"}, pass rate ${c.pass_rate === null ? "—" : `${(c.pass_rate * 100).toFixed(1)}%`}${c.judge_errors ? `, ${c.judge_errors} judge errors` : ""}`);
    const metrics: Record<string, number> = { rows: summary.rows };
    for (const c of summary.compressors) {
      if (c.mean !== null) metrics[`${c.name}.equivalence`] = c.mean;
      if (c.pass_rate !== null) metrics[`${c.name}.pass_rate`] = c.pass_rate;
      metrics[`${c.name}.judge_errors`] = c.judge_errors;
    }
    if (model?.dir) await recordEvaluation(model.dir, "equivalence", summary);
    return { evaluator: "evaluator/equivalence", metrics, equivalence: summary, estimate, spentUsd: ctx.costs.spent() };
  },
});
