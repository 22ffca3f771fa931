// The `extractive` backend for src/compress/open.ts: the embedded default model ("default") or a
// trainer/extractive run folder (its run.json's `adapter`, model.bin).
import { join } from "node:path";
import { loadDefaultModel, loadModelFile } from "./extractive/load.ts";
import type { ExtractiveModel } from "./extractive/compress.ts";
import { ModelFileError } from "./extractive/model-file.ts";
import type { OpenContext, OpenTarget } from "./open.ts";
import { lazyCounts } from "./counts.ts";
import { CompressorError, type Compressor, type CompressOptions, type CompressResult } from "./types.ts";

export async function open(target: OpenTarget, _ctx: OpenContext): Promise<Compressor> {
  let model: ExtractiveModel;
  try {
    model = target.run ? await loadModelFile(await modelPath(target.run.dir, target.run.adapter ?? "model.bin")) : await loadDefaultModel();
  } catch (e) {
    if (e instanceof ModelFileError) throw new CompressorError(e.message, e.hint);
    throw e;
  }
  return extractiveCompressor(model, target.run ? `extractive:${target.run.dir}` : "extractive:default");
}

/**
 * The model file of a run folder — or of the run a pipeline's trainer stage folder
 * (out/NN-trainer-extractive) points to: its run.json records the run folder in `dir`.
 */
async function modelPath(dir: string, adapter: string): Promise<string> {
  const here = join(dir, adapter);
  if (await Bun.file(here).exists()) return here;
  const recorded = (await Bun.file(join(dir, "run.json")).json().catch(() => undefined)) as { dir?: unknown } | undefined;
  if (typeof recorded?.dir === "string" && recorded.dir !== dir && (await Bun.file(join(recorded.dir, adapter)).exists())) return join(recorded.dir, adapter);
  return here; // loadModelFile reports it missing, by this name
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
