// The student's prompt format, from run.json or from the dataset the run was trained on (written
// here by the real dataset step), else the defaults.
import { expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import builtinSystemPrompt from "../../prompts/system.txt" with { type: "text" };
import { studentPrompt } from "../../src/compress/student-prompt.ts";
import { writeDataset } from "../../src/core/dataset.ts";
import type { RunJson } from "../../src/runs/store.ts";
import { makeDoc } from "../../src/sdk/doc.ts";

const run = (fields: Partial<RunJson>) => ({ trainer: "trainer/mlx", dir: "/r", ...fields }) as RunJson;

async function dataset(system: string, prefix: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "ctxc-prompt-"));
  const input = join(dir, "in.jsonl");
  const docs = Array.from({ length: 30 }, (_, i) => makeDoc({ text: `Fact number ${i}: the queue drains every ${i + 1} seconds, never on Sundays ${"x".repeat(i)}.`, domain: "nl", source: { path: `d${i}.md` }, compressed: `q drains /${i + 1}s` }));
  await Bun.write(input, docs.map((d) => JSON.stringify(d)).join("\n") + "\n");
  const cfg = { split: [0.6, 0.2, 0.2] as [number, number, number], seed: 1, user_prefix: prefix, max_seq_length: 2048, near_duplicate: 1, tokenizer: "qwen3" };
  await writeDataset({ input, outDir: join(dir, "dataset"), cfg, systemPrompt: system, fingerprint: "f" });
  return join(dir, "dataset");
}

test("run.json's prompt wins", () => {
  expect(studentPrompt(run({ prompt: { system: "S", user_prefix: "P:\n" } }))).toEqual({ system: "S", userPrefix: "P:\n" });
});

test("else the run's dataset: system message and user prefix exactly as trained", async () => {
  const dir = await dataset("Be brief.", "Compress this:\n");
  expect(studentPrompt(run({ datasetDir: dir }))).toEqual({ system: "Be brief.", userPrefix: "Compress this:\n" });
  const plain = await dataset("Other.", "");
  expect(studentPrompt(run({ datasetDir: plain }))).toEqual({ system: "Other.", userPrefix: "" });
});

test("else (or with a dataset folder that is gone) the dataset step's defaults", () => {
  const defaults = { system: builtinSystemPrompt.trim(), userPrefix: "" };
  expect(studentPrompt(undefined)).toEqual(defaults);
  expect(studentPrompt(run({}))).toEqual(defaults);
  expect(studentPrompt(run({ datasetDir: "/no/such/dataset" }))).toEqual(defaults);
});
