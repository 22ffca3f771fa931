// generator/compress: a teacher LLM compresses each doc with the prompt for its domain (code, or
// prose; `mixed` uses the prose prompt, which keeps code verbatim). Every call goes through the
// cache and the cost ledger (src/llm); a teacher failure after the SDK's retries tries the
// fallback teacher, then rejects the doc as `teacher_error` — it never stops the run.
import { defineGenerator, v } from "../../src/sdk/index.ts";
import type { Doc, StageContext } from "../../src/sdk/types.ts";
import { complete, compressRequest, estimateStage, isLlmError, isTruncated, truncatedError, type Completion } from "../../src/llm/index.ts";
import { batchEntries, callSettings, concurrencyEntry, connectionEntries, stageProblems, withConcurrency } from "../../src/llm/stage-options.ts";

const DEFAULT_CONCURRENCY = 16;

const options = v.pipe(
  v.object({
    teacher: v.pipe(v.string(), v.minLength(3), v.description("Teacher model, provider:model (e.g. anthropic:claude-sonnet-4-6, openai:gpt-5.4-mini, ollama:qwen3:8b)")),
    fallback: v.optional(v.pipe(v.string(), v.description("Second teacher, used for a doc when the first fails after its retries"))),
    temperature: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(2), v.description("Sampling temperature")), 0),
    max_output_ratio: v.optional(v.pipe(v.number(), v.minValue(0.05), v.maxValue(4), v.description("Cap on output tokens, relative to the doc's input tokens (at least 32)")), 1),
    concurrency: concurrencyEntry("Docs in flight at once", DEFAULT_CONCURRENCY),
    ...batchEntries,
    prompts: v.optional(
      v.object({
        code: v.optional(v.pipe(v.string(), v.description("Prompt file for code docs, relative to the pipeline file; must contain {input}"))),
        nl: v.optional(v.pipe(v.string(), v.description("Prompt file for prose and mixed docs; must contain {input}"))),
      }),
      {},
    ),
    ...connectionEntries,
  }),
  v.transform((o) => withConcurrency(o, DEFAULT_CONCURRENCY)),
);

type Options = v.InferOutput<typeof options>;

function ask(model: string, doc: Doc, opts: Options, ctx: StageContext): Promise<Completion> {
  return complete(ctx, { ...compressRequest(model, doc, opts, ctx), ...callSettings(opts, DEFAULT_CONCURRENCY) });
}

export default defineGenerator({
  name: "generator/compress",
  version: "1.0.0",
  description: "A teacher LLM compresses each doc (cached, costed, batch-capable)",
  options,
  concurrency: DEFAULT_CONCURRENCY,
  preflight(opts, where) {
    const models = [{ role: "teacher", name: opts.teacher }];
    if (opts.fallback) models.push({ role: "fallback", name: opts.fallback });
    return stageProblems(models, opts, where, "the text to compress");
  },
  // `ctxc run --estimate`: the teacher calls these docs need (cache misses), tokens and USD.
  async estimate(docs, opts, ctx) {
    return [await estimateStage(opts, docs, ctx)];
  },
  async generate(doc, opts, ctx) {
    let answer: Completion;
    try {
      answer = await ask(opts.teacher, doc, opts, ctx);
    } catch (e) {
      if (!opts.fallback || !isLlmError(e) || e.reason !== "teacher_error") throw e;
      ctx.log.debug(`${doc.id}: ${e.message}; trying the fallback ${opts.fallback}`);
      ctx.stat("fallback_used");
      answer = await ask(opts.fallback, doc, opts, ctx);
    }
    ctx.stat(answer.cached ? "cache_hits" : "teacher_calls");
    if (isTruncated(answer.stopReason)) throw truncatedError(answer.teacher, `max_output_ratio ${opts.max_output_ratio}`);
    return {
      ...doc,
      compressed: answer.text.trim(),
      meta: {
        ...doc.meta,
        teacher: answer.teacher,
        usage: { tokens_in: answer.tokensIn, tokens_out: answer.tokensOut },
        usd: answer.usd,
        latency_ms: answer.latencyMs,
        ...(answer.batch ? { batch: true } : {}),
      },
    };
  },
});
