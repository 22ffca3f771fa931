// filter/equivalence: LLM judges decide whether a compressed text is task-equivalent to its
// original. Each judge returns a verdict, a score, a confidence and the facts the compression
// lost (method "direct"), or answers the same tasks from both texts and compares the answers
// (method "tasks", the original project's harness). The pair passes when the lowest score
// reaches `threshold`. A judge that cannot give a usable verdict (malformed twice, a refusal, a
// provider failure) rejects the pair as `judge_error` — never a silent score.
import { defineFilter, v } from "../../src/sdk/index.ts";
import type { Doc, StageContext } from "../../src/sdk/types.ts";
import { stageProblems, withConcurrency } from "../../src/llm/stage-options.ts";
import { decide, estimateJudges, judgeCallOptions, judgeDirect, judgeEntries, judgeTasks, JUDGE_INPUT, recordStats, type JudgeCallOptions } from "../../src/llm/judge/index.ts";

const DEFAULT_CONCURRENCY = 8;
/** The student's tokenizer, as filter/ratio's default, for the ratio buckets in stats.json. */
const RATIO_TOKENIZER = "qwen3";

const options = v.pipe(
  v.object(judgeEntries(DEFAULT_CONCURRENCY)),
  v.transform((o) => withConcurrency(o, DEFAULT_CONCURRENCY)),
);

type Options = v.InferOutput<typeof options>;

function callOptions(opts: Options): JudgeCallOptions {
  return judgeCallOptions(opts, DEFAULT_CONCURRENCY);
}

function tokenRatio(doc: Doc, compressed: string, ctx: StageContext): number {
  const known = doc.scores.token_ratio;
  if (typeof known === "number" && Number.isFinite(known)) return known;
  return ctx.countTokens(compressed, RATIO_TOKENIZER) / Math.max(1, ctx.countTokens(doc.text, RATIO_TOKENIZER));
}

export default defineFilter({
  name: "filter/equivalence",
  version: "1.0.0",
  description: "LLM judges score whether the compressed text keeps what the original says (min score across judges ≥ threshold)",
  options,
  concurrency: DEFAULT_CONCURRENCY,
  preflight(opts, where) {
    return stageProblems(opts.judges.map((name, i) => ({ role: `judges[${i}]`, name })), opts, where, JUDGE_INPUT);
  },
  estimate(docs, opts, ctx) {
    return estimateJudges(docs, opts, ctx);
  },
  async filter(doc, opts, ctx) {
    if (doc.compressed === undefined) return ctx.reject("no_compressed", "no compressed text: put filter/equivalence after a generator");
    const compressed = doc.compressed;
    if (!doc.text.trim() || !compressed.trim()) {
      return ctx.reject("empty", `${doc.text.trim() ? "the compressed" : "the original"} text is blank: nothing to judge (no judge was asked)`);
    }
    const call = callOptions(opts);
    const judgeOne = opts.method === "tasks" ? judgeTasks : judgeDirect;
    const outcomes = await Promise.all(opts.judges.map((judge) => judgeOne(ctx, judge, doc, compressed, call)));
    const d = decide(outcomes, opts.threshold, opts.method);
    const ratio = tokenRatio(doc, compressed, ctx);
    recordStats(ctx, outcomes, d, ratio);
    // Written on the doc itself, so a rejected pair's row in rejected.jsonl carries the verdicts too.
    doc.scores = { ...doc.scores, ...d.scores };
    doc.meta = { ...doc.meta, equivalence: { ...d.meta, ratio: Math.round(ratio * 1000) / 1000 } };
    if (d.status === "pass") return doc;
    return ctx.reject(d.status, d.detail, { retryable: d.retryable });
  },
});
