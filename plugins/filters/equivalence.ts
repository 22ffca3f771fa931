// filter/equivalence: LLM judges decide whether a compressed text is task-equivalent to its
// original. Each judge returns a verdict, a score, a confidence and the facts the compression
// lost (method "direct"), or answers the same tasks from both texts and compares the answers
// (method "tasks", the original project's harness). The pair passes when the lowest score
// reaches `threshold`. A judge that cannot give a usable verdict (malformed twice, a refusal, a
// provider failure) rejects the pair as `judge_error` — never a silent score.
import { defineFilter, v } from "../../src/sdk/index.ts";
import type { Doc, StageContext } from "../../src/sdk/types.ts";
import { batchEntries, callSettings, concurrencyEntry, connectionEntries, stageProblems, withConcurrency } from "../../src/llm/stage-options.ts";
import { decide, estimateJudges, judgeDirect, judgeTasks, JUDGE_INPUT, recordStats, type JudgeCallOptions } from "../../src/llm/judge/index.ts";

const DEFAULT_CONCURRENCY = 8;
/** The student's tokenizer, as filter/ratio's default, for the ratio buckets in stats.json. */
const RATIO_TOKENIZER = "qwen3";

const options = v.pipe(
  v.object({
    judges: v.pipe(
      v.array(v.pipe(v.string(), v.minLength(3))),
      v.minLength(1, "list at least one judge"),
      v.check((js) => new Set(js).size === js.length, "a judge is listed twice"),
      v.description("Judge models, provider:model (e.g. [\"anthropic:claude-sonnet-4-6\", \"openai:gpt-5.4-mini\"]); the lowest score decides"),
    ),
    threshold: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1), v.description("A pair passes when every judge's score is at least this")), 0.8),
    method: v.optional(
      v.pipe(
        v.picklist(["direct", "tasks"]),
        v.description("direct: each judge compares the two texts; tasks: each judge answers task prompts from both texts, then compares its answers"),
      ),
      "direct",
    ),
    concurrency: concurrencyEntry("Docs judged at once", DEFAULT_CONCURRENCY),
    ...batchEntries,
    prompts: v.optional(
      v.object({
        code: v.optional(v.pipe(v.string(), v.description("Judge prompt file for code pairs, relative to the pipeline file; must contain {input} (where both texts go)"))),
        nl: v.optional(v.pipe(v.string(), v.description("Judge prompt file for prose and mixed pairs; must contain {input}"))),
        compare: v.optional(v.pipe(v.string(), v.description("Prompt file comparing task answers (method tasks); must contain {input}"))),
      }),
      {},
    ),
    temperature: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(2), v.description("Sampling temperature of every judge call")), 0),
    max_output_tokens: v.optional(v.pipe(v.number(), v.integer(), v.minValue(64), v.description("Output cap of a verdict (task answers get at least this, up to 1.5 × the original's tokens)")), 1024),
    ...connectionEntries,
  }),
  v.transform((o) => withConcurrency(o, DEFAULT_CONCURRENCY)),
);

type Options = v.InferOutput<typeof options>;

function callOptions(opts: Options): JudgeCallOptions {
  return { ...opts, ...callSettings(opts, DEFAULT_CONCURRENCY) };
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
