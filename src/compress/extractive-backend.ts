// The `extractive` backend for src/compress/open.ts: the embedded default model ("default") or a
// trainer/extractive run folder (its run.json's `adapter`, model.bin).
import { join } from "node:path";
import { countTokens } from "../text/tokens.ts";
import { loadDefaultModel, loadModelFile } from "./extractive/load.ts";
import type { ExtractiveModel } from "./extractive/compress.ts";
import { ModelFileError } from "./extractive/model-file.ts";
import type { OpenContext, OpenTarget } from "./open.ts";
import { CompressorError, type Compressor, type CompressOptions, type CompressResult } from "./types.ts";

export async function open(target: OpenTarget, _ctx: OpenContext): Promise<Compressor> {
  let model: ExtractiveModel;
  try {
    model = target.run ? await loadModelFile(join(target.run.dir, target.run.adapter ?? "model.bin")) : await loadDefaultModel();
  } catch (e) {
    if (e instanceof ModelFileError) throw new CompressorError(e.message, e.hint);
    throw e;
  }
  return extractiveCompressor(model, target.run ? `extractive:${target.run.dir}` : "extractive:default");
}

export function extractiveCompressor(model: ExtractiveModel, spec: string): Compressor {
  return {
    spec,
    kind: "extractive",
    async compress(text: string, opts: CompressOptions = {}): Promise<CompressResult> {
      const t0 = performance.now();
      if (opts.rate !== undefined && !(opts.rate > 0 && opts.rate <= 1)) throw new CompressorError(`rate ${opts.rate} is outside (0, 1]`, "pass the share of words to keep, e.g. 0.5");
      const compressed = text.trim() === "" ? "" : model.extract(text, { rate: opts.rate, domain: opts.domain }).text;
      const ms = performance.now() - t0;
      return lazyCounts(text, compressed, ms);
    },
  };
}

/**
 * Token counts computed on first read: loading the Qwen3 tokenizer costs ~1.4 s, ~1,000 times a
 * compression, and plain `ctxc compress` never reads them. Getters are enumerable own properties,
 * so JSON.stringify still includes the counts.
 */
function lazyCounts(text: string, compressed: string, ms: number): CompressResult {
  let tin: number | undefined;
  let tout: number | undefined;
  return {
    compressed,
    ms,
    get tokens_in() {
      return (tin ??= countTokens(text, "qwen3"));
    },
    get tokens_out() {
      return (tout ??= countTokens(compressed, "qwen3"));
    },
  };
}
