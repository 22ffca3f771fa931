// Token counts of a compression, computed on first read. Loading the Qwen3 tokenizer costs
// 0.2–1.4 s — 100 to 1,000 times a compression — and plain `ctxc compress` never reads them.
// Getters are enumerable own properties, so JSON.stringify still includes the counts.
import type { CompressResult } from "./types.ts";

export function lazyCounts(text: string, compressed: string, ms: number): CompressResult {
  let tin: number | undefined;
  let tout: number | undefined;
  // Required on first read, not imported: tokens.ts pulls in valibot, which start-up never needs.
  const count = (t: string) => (require("../text/tokens.ts") as typeof import("../text/tokens.ts")).countTokens(t, "qwen3");
  return {
    compressed,
    ms,
    get tokens_in() {
      return (tin ??= count(text));
    },
    get tokens_out() {
      return (tout ??= count(compressed));
    },
  };
}
