import { describe, expect, test } from "bun:test";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { openCompressor } from "../../../src/compress/open.ts";
import { readRun } from "../../../src/runs/run-file.ts";
import trainer, { MODEL_FILE } from "../../../plugins/trainers/extractive.ts";
import { REPO, tempDir } from "../../helpers/cli.ts";
import { testContext } from "../../helpers/context.ts";
import { testTrainerConformance, writeChatDataset, type ChatPair } from "../_conformance.ts";

/** Real v1 pairs: the first rows of each shipped split (the test split borrows valid's tail). */
function v1(split: "train" | "valid", from: number, n: number): ChatPair[] {
  const lines = readFileSync(join(REPO, "data/compression-layer-v1", `${split}.jsonl`), "utf8").trim().split("\n").slice(from, from + n);
  return lines.map((l) => {
    const m = JSON.parse(l).messages;
    return { original: m[1].content.replace(/^Compress:\n/, ""), compressed: m[2].content };
  });
}

const SMALL = { bits: 16, epochs: 2 };

async function fixture(extraTrain: ChatPair[] = []) {
  const root = tempDir("ctxc-extractive-");
  const dataset = await writeChatDataset(join(root, "dataset"), { train: [...v1("train", 0, 120), ...extraTrain], valid: v1("valid", 0, 30), test: v1("valid", 30, 30) }, "Compress:\n");
  return { root, dataset };
}

testTrainerConformance(trainer, SMALL, () => fixture());

describe("trainer/extractive", () => {
  test("same data and seed → the same model file; its run folder opens as a compressor", async () => {
    const a = await fixture();
    const b = await fixture();
    const ra = await trainer.train(a.dataset, { ...defaults(), ...SMALL }, testContext({ root: a.root }));
    const rb = await trainer.train(b.dataset, { ...defaults(), ...SMALL }, testContext({ root: b.root }));
    const bytesA = readFileSync(join(ra.dir, MODEL_FILE));
    expect(bytesA.equals(readFileSync(join(rb.dir, MODEL_FILE)))).toBe(true);
    expect(ra.dir).toContain(join(a.root, "models/runs/extractive/"));
    const run = await readRun(ra.dir);
    expect(run.metrics.test_word_f1).toBeGreaterThan(0.5);
    expect(run.metrics.test_number_recall).toBeGreaterThan(0.9);
    expect((run.labels as any).train.all.used).toBeGreaterThan(100);

    const c = await openCompressor(ra.dir, { root: a.root });
    expect(c.kind).toBe("extractive");
    const text = "The bridge, which opened in 1932, is not a toll road. It spans 503 metres across the river.";
    const r = await c.compress(text, { rate: 0.3 });
    for (const fact of ["1932", "not", "503"]) expect(r.compressed).toContain(fact);
    expect(r.tokens_out).toBeLessThan(r.tokens_in);
  }, 120_000);

  test("pairs sharing no word with their original are counted and skipped", async () => {
    const junk = [{ original: "The quick brown fox jumps over the lazy dog.", compressed: "∅ → ⊥" }, { original: "Another plain sentence here.", compressed: "zzz qqq" }];
    const { root, dataset } = await fixture(junk);
    const ctx = testContext({ root });
    ctx.log = { ...ctx.log, warn: () => {} };
    const rec = await trainer.train(dataset, { ...defaults(), ...SMALL }, ctx);
    expect(rec.status).toBe("completed");
    expect(ctx.counters["skipped:no_shared_words"]).toBe(2);
    expect(((await readRun(rec.dir)).labels as any).train.all.no_shared_words).toBe(2);
  }, 120_000);

  test("a run's model file missing, truncated or from a newer format: a clear error naming it", async () => {
    const { root, dataset } = await fixture();
    const rec = await trainer.train(dataset, { ...defaults(), ...SMALL }, testContext({ root }));
    const file = join(rec.dir, MODEL_FILE);
    const good = readFileSync(file);
    writeFileSync(file, good.subarray(0, good.length - 100));
    await expect(openCompressor(rec.dir, { root })).rejects.toThrow(new RegExp(`${file}: truncated`));
    const newer = Buffer.from(good);
    newer.writeUInt32LE(99, 8);
    writeFileSync(file, newer);
    await expect(openCompressor(rec.dir, { root })).rejects.toThrow(/model format 99 is newer than this ctxc reads/);
    const flipped = Buffer.from(good);
    flipped[flipped.length - 10] = flipped[flipped.length - 10]! ^ 0xff;
    writeFileSync(file, flipped);
    await expect(openCompressor(rec.dir, { root })).rejects.toThrow(/checksum mismatch/);
    writeFileSync(file, "");
    await expect(openCompressor(rec.dir, { root })).rejects.toThrow(/model file is empty/);
    await Bun.file(file).delete();
    await expect(openCompressor(rec.dir, { root })).rejects.toThrow(new RegExp(`${file}: model file not found`));
  }, 120_000);
});

function defaults(): any {
  const v = require("valibot");
  return v.parse(trainer.options, {});
}
