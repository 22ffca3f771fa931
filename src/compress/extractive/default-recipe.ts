// How the embedded default model is made from data/compression-layer-v1: trained on its train
// split, thresholds calibrated on its valid split (the same recipe as trainer/extractive). Run by
// `bun build/default-model.ts` (which writes default-model.bin.gz) and by the test proving the
// committed file is exactly what this recipe gives.
import { join } from "node:path";
import { encodeModel } from "./model-file.ts";
import { readPairs } from "./pairs.ts";
import { DEFAULT_STUDENT, trainStudent } from "./train.ts";

export async function trainDefaultModel(dataDir: string): Promise<Uint8Array> {
  const train = (await readPairs(join(dataDir, "train.jsonl"), "auto")).pairs;
  const valid = (await readPairs(join(dataDir, "valid.jsonl"), "auto")).pairs;
  const round = (x: number | undefined) => (x === undefined ? null : Math.round(x * 10000) / 10000);
  const r = trainStudent(train, valid, DEFAULT_STUDENT, { provenance: { data: "data/compression-layer-v1: train (fit) + valid (thresholds), MIT, Sudhendra/compression-layer" } });
  r.model.header.trained.valid_word_f1 = round(r.metrics.valid_word_f1);
  return encodeModel(r.model.header, r.model.weights);
}
