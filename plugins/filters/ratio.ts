// Compression ratio = compressed size / original size, in tokens of a chosen tokenizer (default
// the student's, Qwen3: what the student pays) and in characters. Expansions (token ratio ≥ 1)
// teach the student nothing useful and are rejected by default; the other bounds are opt-in
// except a floor that catches truncated or gutted answers.
// A blank answer is filter/sanitize's business (reason `empty`), so it passes here untouched.
import { boundProblems } from "../../src/sdk/bounds.ts";
import { defineFilter, v } from "../../src/sdk/index.ts";
import { tokenizerOption } from "../../src/text/tokens.ts";

const ratio = (description: string) => v.optional(v.pipe(v.number(), v.minValue(0), v.description(description)));

const options = v.object({
  tokenizer: tokenizerOption("Tokenizer for token ratios: qwen3 (the student's), o200k_base, cl100k_base or claude."),
  reject_expansion: v.optional(v.pipe(v.boolean(), v.description("Reject when the compressed text has at least as many tokens as the original (reason expansion).")), true),
  max_token_ratio: ratio("Reject when compressed/original tokens is above this (reason token_ratio_high); unset means no bound besides reject_expansion."),
  min_token_ratio: v.optional(
    v.pipe(v.number(), v.minValue(0), v.description("Reject when compressed/original tokens is below this (reason token_ratio_low): truncated or gutted answers.")),
    0.05,
  ),
  max_char_ratio: ratio("Reject when compressed/original characters is above this (reason char_ratio_high); unset means no bound."),
});

const round = (x: number) => Math.round(x * 1000) / 1000;

export default defineFilter({
  name: "filter/ratio",
  version: "1",
  description: "Reject expansions and out-of-bounds compression ratios (tokens of the student's tokenizer, and characters).",
  options,
  preflight(o) {
    return boundProblems(o, [["min_token_ratio", "max_token_ratio"]], "every doc would be rejected");
  },
  filter(doc, o, ctx) {
    if (doc.compressed === undefined) return ctx.reject("no_compressed", "no compressed text: put filter/ratio after a generator");
    if (!doc.compressed.trim()) {
      ctx.stat("skipped:blank");
      return doc;
    }
    const original = ctx.countTokens(doc.text, o.tokenizer);
    const compressed = ctx.countTokens(doc.compressed, o.tokenizer);
    const tokenRatio = compressed / Math.max(1, original);
    const charRatio = doc.compressed.length / Math.max(1, doc.text.length);
    const scores = { ...doc.scores, token_ratio: round(tokenRatio), char_ratio: round(charRatio), tokens_original: original, tokens_compressed: compressed };
    const detail = `${o.tokenizer} tokens ${original} → ${compressed} (ratio ${round(tokenRatio)}), chars ratio ${round(charRatio)}`;
    if (o.reject_expansion && compressed >= original) return ctx.reject("expansion", detail);
    if (o.max_token_ratio !== undefined && tokenRatio > o.max_token_ratio) return ctx.reject("token_ratio_high", `${detail} > ${o.max_token_ratio}`);
    if (tokenRatio < o.min_token_ratio) return ctx.reject("token_ratio_low", `${detail} < ${o.min_token_ratio}`);
    if (o.max_char_ratio !== undefined && charRatio > o.max_char_ratio) return ctx.reject("char_ratio_high", `${detail} > ${o.max_char_ratio}`);
    return { ...doc, scores };
  },
});
