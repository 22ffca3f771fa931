/**
 * `bun build/default-model.ts` — retrain the extractive model embedded in the binary from
 * data/compression-layer-v1 and write src/compress/extractive/default-model.bin.gz (gzipped). Deterministic:
 * test/compress/extractive/default-model.test.ts fails when the committed file differs from what
 * this gives (after a change to features, training or the data, run this and commit the file).
 */
import { join } from "node:path";
import { trainDefaultModel } from "../src/compress/extractive/default-recipe.ts";
import { REPO_ROOT } from "./targets.ts";

const out = join(REPO_ROOT, "src/compress/extractive/default-model.bin.gz");
const t0 = performance.now();
const bytes = await trainDefaultModel(join(REPO_ROOT, "data/compression-layer-v1"));
const gz = Bun.gzipSync(bytes as Uint8Array<ArrayBuffer>, { level: 9 });
await Bun.write(out, gz);
console.log(`${out}: ${bytes.length} bytes (${gz.length} gzipped) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
