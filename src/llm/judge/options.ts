// The options every judging stage shares (filter/equivalence, evaluator/equivalence): judges,
// threshold, method, prompts, sampling, batch and connection settings — one definition, so
// `ctxc plugins` documents them alike and a pipeline can copy its judges from one to the other.
import * as v from "valibot";
import { batchEntries, callSettings, concurrencyEntry, connectionEntries } from "../stage-options.ts";
import type { JudgeCallOptions } from "./ask.ts";

export function judgeEntries(defaultConcurrency: number) {
  return {
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
    concurrency: concurrencyEntry("Docs judged at once", defaultConcurrency),
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
  };
}

type JudgeStageOptions = Omit<JudgeCallOptions, "client" | "batchOptions"> & Parameters<typeof callSettings>[0];

/** The request and client settings of a judging stage's calls. */
export function judgeCallOptions(opts: JudgeStageOptions, defaultConcurrency: number): JudgeCallOptions {
  return { ...opts, ...callSettings(opts, defaultConcurrency) };
}
