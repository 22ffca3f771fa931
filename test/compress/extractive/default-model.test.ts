import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { trainDefaultModel } from "../../../src/compress/extractive/default-recipe.ts";
import { loadDefaultModel } from "../../../src/compress/extractive/load.ts";
import { openCompressor } from "../../../src/compress/open.ts";
import { REPO } from "../../helpers/cli.ts";

describe("the embedded default model", () => {
  test("is exactly what training on data/compression-layer-v1 gives (rebuild: bun build/default-model.ts)", async () => {
    const committed = Bun.gunzipSync(readFileSync(join(REPO, "src/compress/extractive/default-model.bin.gz")));
    const trained = await trainDefaultModel(join(REPO, "data/compression-layer-v1"));
    expect(trained.length).toBe(committed.length);
    expect(Buffer.from(trained).equals(Buffer.from(committed))).toBe(true);
  }, 180_000);

  test("is small, records its provenance, and keeps about the teacher's share of words", async () => {
    const m = await loadDefaultModel();
    expect(readFileSync(join(REPO, "src/compress/extractive/default-model.bin.gz")).length).toBeLessThan(4e6);
    expect(String(m.header.trained.data)).toContain("compression-layer-v1");
    expect(m.header.force).toEqual(["numbers", "negations", "identifiers"]);
    // Thresholds were calibrated on valid so the mean kept share there equals the teacher's.
    const labels = (m.header.trained.labels as Record<string, { teacher_keep_rate: number }>);
    for (const d of ["code", "nl"] as const) {
      expect(typeof m.header.thresholds[d]).toBe("number");
      expect(Math.abs(m.header.rates[d] - labels[d]!.teacher_keep_rate)).toBeLessThan(1e-9);
    }
    expect(m.header.trained.valid_word_f1).toBeGreaterThan(0.75);
  });

  test('"default" opens it; empty text gives empty output', async () => {
    const c = await openCompressor("default", { root: REPO });
    expect(c.spec).toBe("extractive:default");
    expect((await c.compress("")).compressed).toBe("");
    expect((await c.compress("   \n ")).compressed).toBe("");
    const r = await c.compress("def area(width, height):\n    # the area\n    return width * height * 1000\n", { domain: "code", rate: 0.3 });
    for (const fact of ["area", "width", "height", "1000"]) expect(r.compressed).toContain(fact);
    expect(r.compressed).not.toContain("# the area");
    await expect(c.compress("text", { rate: 0 })).rejects.toThrow(/outside \(0, 1\]/);
  });
});
