// Loading a model file with errors that name it: missing, unreadable, truncated, altered, or
// written by a newer ctxc. The embedded default is a file inside the binary.
// Stored gzipped (1.5 MB instead of 4.2 MB: most of the hashed weight table is near zero).
import defaultModelPath from "./default-model.bin.gz" with { type: "file" };
import { ExtractiveModel } from "./compress.ts";
import { ModelFileError } from "./model-file.ts";

export async function loadModelFile(path: string): Promise<ExtractiveModel> {
  const f = Bun.file(path);
  if (!(await f.exists())) throw new ModelFileError(`${path}: model file not found`, "the run may have failed before writing it (see its train.log and run.json), or the file was moved; train again");
  let bytes: Uint8Array;
  try {
    bytes = await f.bytes();
  } catch (e) {
    throw new ModelFileError(`${path}: cannot read the model file (${(e as Error).message})`, "check the file's permissions");
  }
  return ExtractiveModel.fromBytes(bytes, path);
}

let embedded: ExtractiveModel | undefined;

/** The model trained on data/compression-layer-v1 and embedded in the binary. */
export async function loadDefaultModel(): Promise<ExtractiveModel> {
  embedded ??= ExtractiveModel.fromBytes(Bun.gunzipSync(await Bun.file(defaultModelPath).bytes()), "the embedded default model");
  return embedded;
}
