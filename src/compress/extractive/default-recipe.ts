// How the embedded default model is made from data/compression-layer-v1: first train on train and
// pick each domain's rate on valid, then train again on train + valid with those rates. Run by
// `bun build/default-model.ts` (which writes default-model.bin) and by the test proving the
// committed file is exactly what this recipe gives.
import { join } from "node:path";
import { encodeModel } from "./model-file.ts";
import { readPairs } from "./pairs.ts";
import { DEFAULT_STUDENT, trainStudent } from "./train.ts";

export async function trainDefaultModel(dataDir: string): Promise<Uint8Array> {
  const train = (await readPairs(join(dataDir, "train.jsonl"), "auto")).pairs;
  const valid = (await readPairs(join(dataDir, "valid.jsonl"), "auto")).pairs;
  const picked = trainStudent(train, valid, DEFAULT_STUDENT);
  const round = (x: number | undefined) => (x === undefined ? null : Math.round(x * 10000) / 10000);
  const all = trainStudent([...train, ...valid], [], DEFAULT_STUDENT, {
    rates: picked.model.header.rates,
    provenance: { data: "data/compression-layer-v1 train + valid (MIT, Sudhendra/compression-layer)", rates_picked_on: "valid, by a model trained on train only", valid_word_f1: round(picked.metrics.valid_word_f1) },
  });
  return encodeModel(all.model.header, all.model.weights);
}
