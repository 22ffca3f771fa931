// The rules baseline as a Compressor: generator/rules' deterministic rules with their defaults.
// It cannot aim at a rate; `rate` is ignored.
import { classifyDomain } from "../text/classify.ts";
import { compressRules } from "../text/rules/document.ts";
import { lazyCounts } from "./counts.ts";
import type { Compressor, CompressOptions, CompressResult } from "./types.ts";

const DEFAULTS = { strip_comments: true, strip_docstrings: true, drop_articles: false, indent: "keep", code_blocks: "compress" } as const;

export function rulesCompressor(): Compressor {
  return {
    spec: "rules",
    kind: "rules",
    async compress(text: string, opts: CompressOptions = {}): Promise<CompressResult> {
      const t0 = performance.now();
      const domain = !opts.domain || opts.domain === "auto" ? classifyDomain(text) : opts.domain;
      const compressed = text.length === 0 ? "" : compressRules({ text, domain }, DEFAULTS);
      const ms = performance.now() - t0;
      return lazyCounts(text, compressed, ms);
    },
  };
}
