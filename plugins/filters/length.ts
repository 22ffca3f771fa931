// Bounds the size of the original, in characters and/or tokens: drop fragments too small to be
// worth compressing and units too large for the student's context before paying a teacher.
import { boundProblems } from "../../src/sdk/bounds.ts";
import { defineFilter, v } from "../../src/sdk/index.ts";
import { tokenizerOption } from "../../src/text/tokens.ts";

const bound = (description: string) => v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.description(description)));

const options = v.object({
  min_chars: bound("Reject originals shorter than this many characters (reason too_short)."),
  max_chars: bound("Reject originals longer than this many characters (reason too_long)."),
  min_tokens: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(0), v.description("Reject originals with fewer tokens than this (reason too_short): headings and sentence fragments.")),
    8,
  ),
  max_tokens: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1), v.description("Reject originals with more tokens than this (reason too_long); keep it under the trainer's max_seq_length.")),
    4096,
  ),
  tokenizer: tokenizerOption("Tokenizer for the token bounds: qwen3 (the student's), o200k_base, cl100k_base or claude."),
});

export default defineFilter({
  name: "filter/length",
  version: "1",
  description: "Keep originals within character and token bounds (use before generation).",
  options,
  preflight(o) {
    return boundProblems(o, [["min_chars", "max_chars"], ["min_tokens", "max_tokens"]], "every doc would be rejected");
  },
  filter(doc, o, ctx) {
    const chars = doc.text.length;
    if (o.min_chars !== undefined && chars < o.min_chars) return ctx.reject("too_short", `${chars} characters < ${o.min_chars}`);
    if (o.max_chars !== undefined && chars > o.max_chars) return ctx.reject("too_long", `${chars} characters > ${o.max_chars}`);
    const tokens = ctx.countTokens(doc.text, o.tokenizer);
    if (tokens < o.min_tokens) return ctx.reject("too_short", `${tokens} ${o.tokenizer} tokens < ${o.min_tokens}`);
    if (tokens > o.max_tokens) return ctx.reject("too_long", `${tokens} ${o.tokenizer} tokens > ${o.max_tokens}`);
    return { ...doc, scores: { ...doc.scores, tokens_original: tokens } };
  },
});
