// A fake trained student for evaluator tests: a run folder whose trainer is "trainer/fake", opened
// by a "fake" compressor backend registered in src/compress/open.ts's BACKENDS. It keeps the first
// `keep` share of each text's words (deterministic), so its scores are predictable.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BACKENDS } from "../../src/compress/open.ts";
import type { Compressor } from "../../src/compress/types.ts";
import { writeRun } from "../../src/runs/run-file.ts";
import { RUN_FORMAT, toRunRecord, type RunJson } from "../../src/runs/store.ts";
import type { RunRecord } from "../../src/sdk/types.ts";
import { countTokens } from "../../src/text/tokens.ts";

export function keepWords(text: string, keep: number): string {
  const ws = text.split(/\s+/).filter(Boolean);
  return ws.slice(0, Math.ceil(ws.length * keep)).join(" ");
}

export function fakeCompressor(spec: string, keep: number): Compressor {
  return {
    spec,
    kind: "fake",
    async compress(text) {
      const compressed = keepWords(text, keep);
      return { compressed, tokens_in: countTokens(text, "qwen3"), tokens_out: countTokens(compressed, "qwen3"), ms: 1 };
    },
  };
}

/** Registers the "fake" backend (idempotent); a run's config.keep sets its share of words. */
export function registerFakeBackend(): void {
  BACKENDS.fake = async () => ({
    open: async (target) => fakeCompressor(target.spec, Number(target.run?.config.keep ?? 0.5)),
  });
}

/** A completed fake run folder, as a trainer would leave it, and its RunRecord. */
export async function fakeRun(keep = 0.5): Promise<RunRecord> {
  registerFakeBackend();
  const dir = mkdtempSync(join(tmpdir(), "ctxc-fake-run-"));
  const run: RunJson = {
    trainer: "trainer/fake", dir, baseModel: "none", datasetFingerprint: "fp", format: RUN_FORMAT, id: "fake/1", status: "completed",
    createdAt: new Date(0).toISOString(), config: { keep }, dataset: { fingerprint: "fp", counts: { train: 1, valid: 1, test: 1 } },
    backend: { name: "fake", versions: {} }, metrics: {},
  };
  await writeRun(dir, run);
  return toRunRecord(run);
}
