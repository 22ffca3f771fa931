// Shared by the trainer/mlx tests: real pairs from the v1 dataset as a chat-JSONL Dataset folder
// (the shape the runner's dataset step hands a trainer), the options that keep a CPU run of the
// tiny model short, and fake "pythons" (shell scripts) for the failures a real run cannot show here.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Dataset } from "../../../src/sdk/types.ts";
import { REPO, tempDir } from "../../helpers/cli.ts";

/** The repo's copy of the v1 pairs (the same bytes as ../shared's; a clean clone has only this one). */
export const PAIRS = join(REPO, "data", "compression-layer-v1", "valid.jsonl");

/** The first `n` rows of the v1 valid split (chat format: system, user "Compress:\n…", assistant). */
export function realPairs(n: number): string[] {
  return readFileSync(PAIRS, "utf8").split("\n").filter((l) => l.trim()).slice(0, n);
}

/** A dataset folder with `counts` rows per split, taken in order from the real pairs. */
export function datasetOf(counts: { train: number; valid: number; test: number }, system = "Compress."): Dataset {
  const dir = tempDir("ctxc-mlx-data-");
  const rows = realPairs(counts.train + counts.valid + counts.test).map((l) => {
    const { messages } = JSON.parse(l) as { messages: Array<{ role: string; content: string }> };
    return JSON.stringify({ messages: [{ role: "system", content: system }, ...messages.filter((m) => m.role !== "system")] });
  });
  let at = 0;
  for (const split of ["train", "valid", "test"] as const) {
    writeFileSync(join(dir, `${split}.jsonl`), rows.slice(at, at + counts[split]).join("\n") + "\n");
    at += counts[split];
  }
  return { dir, train: join(dir, "train.jsonl"), valid: join(dir, "valid.jsonl"), test: join(dir, "test.jsonl"), counts, fingerprint: `test-${counts.train}-${counts.valid}-${counts.test}`, systemPrompt: system, userPrefix: "" };
}

/** Options for a short CPU run: 2-row batches of 48 tokens, every layer adapted. */
export const FAST = {
  batch_size: 2,
  num_layers: -1,
  max_seq_length: 48,
  mask_prompt: false,
  steps_per_report: 1,
  steps_per_eval: 1000,
  val_batches: 1,
  test_batches: 1,
  learning_rate: 1e-2,
};

/** An executable shell script standing in for Python. */
export function fakePython(body: string): string {
  const dir = tempDir("ctxc-fake-python-");
  const path = join(dir, "python");
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** A Python whose `import mlx_lm` finds a stub package of the given version first. */
export function pythonWithMlxLm(realPython: string, version: string): string {
  const stub = tempDir("ctxc-stub-mlx-lm-");
  mkdirSync(join(stub, "mlx_lm"));
  writeFileSync(join(stub, "mlx_lm", "__init__.py"), `__version__ = "${version}"\n`);
  return fakePython(`PYTHONPATH="${stub}:$PYTHONPATH" exec "${realPython}" "$@"`);
}
