// Every failure trainer/mlx turns into a hint, each provoked for real where this machine can
// (missing/invalid model folder, no chat template, too few rows, NaN loss, mlx-lm missing or too
// old, no Python) and through a stand-in process where it cannot (a Metal out-of-memory abort).
import { describe, expect, test } from "bun:test";
import { cpSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import plugin from "../../../plugins/trainers/mlx/index.ts";
import type { RunRecord } from "../../../src/sdk/types.ts";
import { tempDir } from "../../helpers/cli.ts";
import { testContext } from "../../helpers/context.ts";
import { hasPython, testPython } from "../../helpers/python.ts";
import { tinyQwen3 } from "../../helpers/tiny-model.ts";
import { datasetOf, FAST, fakePython, pythonWithMlxLm } from "./_mlx.ts";

const T = 180_000; // a CPU shared with other jobs: generous, never asserted

async function trainWith(options: Record<string, unknown>, counts = { train: 12, valid: 4, test: 4 }): Promise<RunRecord & { error?: { message: string; hint?: string; kind?: string } }> {
  const root = tempDir("ctxc-mlx-fail-");
  const ctx = testContext({ root, name: "trainer/mlx" });
  const opts = v.parse(plugin.options as any, { runs_dir: join(root, "runs"), python: testPython(), ...options });
  return (await plugin.train(datasetOf(counts), opts, ctx)) as any;
}

describe.skipIf(!hasPython)("trainer/mlx failures become hints", () => {
  test("a model folder that does not exist: preflight names it, and so does a run", async () => {
    const problems = plugin.preflight!(v.parse(plugin.options as any, { model: "./no-such-model" }), { root: "/tmp", env: {} });
    expect(problems!.join("\n")).toContain("/tmp/no-such-model does not exist");
    const run = await trainWith({ model: "/nonexistent/ctxc-model" });
    expect(run.status).toBe("failed");
    expect(run.error?.kind).toBe("model_missing");
    expect(run.error?.message).toContain("/nonexistent/ctxc-model does not exist");
  }, T);

  test("a folder that is not a model", async () => {
    const dir = tempDir("ctxc-not-a-model-");
    writeFileSync(join(dir, "README.md"), "hello\n");
    const run = await trainWith({ model: dir });
    expect(run.error?.kind).toBe("not_a_model");
    expect(run.error?.hint).toContain("config.json");
  }, T);

  test("a model without a chat template → use an instruct model", async () => {
    const model = join(tempDir("ctxc-base-model-"), "model");
    cpSync(tinyQwen3(), model, { recursive: true });
    const cfgPath = join(model, "tokenizer_config.json");
    const cfg = JSON.parse(readFileSync(cfgPath, "utf8"));
    delete cfg.chat_template;
    writeFileSync(cfgPath, JSON.stringify(cfg));
    const run = await trainWith({ ...FAST, model, iters: 2 });
    expect(run.error?.kind).toBe("no_chat_template");
    expect(run.error?.hint).toContain("instruct");
  }, T);

  test("fewer training rows than batch_size", async () => {
    const run = await trainWith({ ...FAST, model: tinyQwen3(), iters: 2, batch_size: 16 }, { train: 6, valid: 2, test: 2 });
    expect(run.error?.kind).toBe("too_few_rows");
    expect(run.error?.message).toContain("6 usable rows, fewer than batch_size = 16");
    expect(run.error?.hint).toContain("lower batch_size to 6");
  }, T);

  test("a NaN/inf loss stops training early with a lower-learning-rate hint", async () => {
    // One valid row (< batch_size): no validation pass, so the first update's blow-up is seen at
    // iteration 2's report. Adam moves every weight by about the learning rate: 1e30 overflows.
    const run = await trainWith({ ...FAST, model: tinyQwen3(), iters: 6, save_every: 100, learning_rate: 1e30, lr_schedule: "constant" }, { train: 8, valid: 1, test: 2 });
    expect(run.error?.kind).toBe("nan_loss");
    expect(run.error?.hint).toContain("lower learning_rate");
    const events = readFileSync(join(run.dir, "metrics.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    // Stopped before the last iteration, and the bad value went out as JSON null, not NaN.
    expect(events.some((e) => e.event === "done")).toBe(false);
    expect(Math.max(...events.filter((e) => e.split === "train").map((e) => e.step))).toBeLessThan(6);
  }, T);

  test("mlx-lm missing → the install command", async () => {
    const python = fakePython(`exec "${testPython()}" -S "$@"`); // -S: no site-packages
    const run = await trainWith({ model: "/tmp", python });
    expect(run.error?.kind).toBe("missing_package");
    expect(run.error?.hint).toContain("pip install");
    expect(run.error?.hint).toContain("npm run setup:python");
  }, T);

  test("mlx-lm older than supported → the install command", async () => {
    const run = await trainWith({ model: "/tmp", python: pythonWithMlxLm(testPython()!, "0.20.0") });
    expect(run.error?.kind).toBe("old_package");
    expect(run.error?.message).toContain("mlx-lm 0.20.0 is older than 0.30.0");
    expect(run.error?.hint).toContain("pip install -U");
  }, T);

  test("a Metal out-of-memory abort (exit status + stderr) → which options to lower", async () => {
    const python = fakePython(`echo "[METAL] Command buffer execution failed: Insufficient Memory (00000008:kIOGPUCommandBufferCallbackErrorOutOfMemory)" >&2\nkill -ABRT $$`);
    const run = await trainWith({ model: "/tmp", python, batch_size: 8, max_seq_length: 4096 });
    expect(run.status).toBe("failed");
    expect(run.error?.kind).toBe("oom");
    for (const s of ["batch_size (now 8", "max_seq_length (now 4096)", "grad_checkpoint = true", "grad_accumulation"]) expect(run.error?.hint).toContain(s);
    expect(readFileSync(join(run.dir, "train.log"), "utf8")).toContain("Insufficient Memory");
  }, T);

  test("no Python at the given path → how to get one", async () => {
    const run = await trainWith({ model: "/tmp", python: "/nonexistent/bin/python3" });
    expect(run.error?.kind).toBe("python_missing");
    expect(run.error?.message).toContain("chosen by option");
    expect(run.error?.hint).toContain("setup:python");
  }, T);

  test("iters and epochs together, and save_every between optimizer updates, are preflight problems", () => {
    const problems = plugin.preflight!(v.parse(plugin.options as any, { model: "org/model", iters: 5, epochs: 1, save_every: 3, grad_accumulation: 2 }), { root: "/tmp", env: {} })!;
    expect(problems.join("\n")).toContain("set `iters` or `epochs`, not both");
    expect(problems.join("\n")).toContain("save_every (3) must be a multiple of grad_accumulation (2)");
  });
});

