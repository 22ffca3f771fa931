// trainer/tinker against the fake `tinker` package: the shim's real code path (SDK calls through
// tinker_surface.py, chat rendering with the real Qwen3 tokenizer, futures, checkpoints, the
// adapter download) with the service replaced. The contract with the real SDK is checked in
// tinker-contract.test.ts.
import { afterEach, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import plugin from "../../../plugins/trainers/tinker/index.ts";
import { estimateRun } from "../../../plugins/trainers/tinker/cost.ts";
import type { TinkerOptions } from "../../../plugins/trainers/tinker/options.ts";
import { readRun } from "../../../src/runs/run-file.ts";
import { hasPython, testPython } from "../../helpers/python.ts";
import { testContext } from "../../helpers/context.ts";
import { fakeCalls, fakeProject, TEST_KEY, useFake, type FakeProject } from "./_tinker-fake.ts";

const PRICE = { train: 2000, prefill: 500 }; // USD per million tokens: large, so budgets bite in a few steps

function opts(extra: Record<string, unknown> = {}): TinkerOptions {
  return v.parse(plugin.options!, { model: "Qwen/Qwen3-8B", batch_size: 4, eval_every: 2, val_batches: 1, save_every: 2, price_per_mtok: PRICE, python: testPython(), ...extra }) as TinkerOptions;
}

async function train(p: FakeProject, o: TinkerOptions, ctx = testContext({ root: p.root })) {
  const record = await plugin.train(p.dataset, o, ctx);
  return { record, ctx, run: await readRun(record.dir) };
}

function metrics(dir: string): Array<Record<string, any>> {
  return readFileSync(join(dir, "metrics.jsonl"), "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true }).map((f) => join(dir, String(f))).filter((f) => statSync(f).isFile());
}

let restore: (() => void) | undefined;
afterEach(() => restore?.());

describe.skipIf(!hasPython)("trainer/tinker with the fake SDK", () => {
  test("trains: live model check, LoRA client, loss on the assistant only, back-to-back steps, schedule, checkpoints, sampler path, adapter, ledger", async () => {
    const p = fakeProject(24, 8);
    restore = useFake(p);
    const o = opts({ warmup_steps: 2 });
    const { record, ctx, run } = await train(p, o);
    expect(record.status).toBe("completed");
    expect(run.samplerPath).toMatch(/^tinker:\/\/run-[0-9a-f]+\/sampler_weights\/final$/);
    // The prompt format the student was trained on, for the tinker compressor backend.
    expect(run.prompt).toEqual({ system: p.dataset.systemPrompt, user_prefix: p.dataset.userPrefix });
    expect(existsSync(join(record.dir, "adapter", "adapter_model.safetensors"))).toBe(true);
    expect(JSON.parse(readFileSync(join(record.dir, "adapter", "adapter_config.json"), "utf8")).peft_type).toBe("LORA");
    expect(run.backend.versions.tinker).toBe("0.38.0");

    const calls = fakeCalls(p);
    const names = calls.map((c) => c.method);
    expect(names.indexOf("get_server_capabilities")).toBeLessThan(names.indexOf("create_lora_training_client"));
    const create = calls.find((c) => c.method === "create_lora_training_client")!;
    expect(create).toMatchObject({ base_model: "Qwen/Qwen3-8B", rank: 32, seed: 0, train_unembed: false });
    // 24 rows / batch 4 = 6 steps; each forward_backward directly followed by its optim_step.
    const steps = calls.filter((c) => c.method === "forward_backward" || c.method === "optim_step");
    expect(steps.map((c) => c.method)).toEqual(Array.from({ length: 12 }, (_, i) => (i % 2 ? "optim_step" : "forward_backward")));
    // Linear warmup over 2 steps, then linear decay to 0 over the remaining 4.
    const lrs = steps.filter((c) => c.method === "optim_step").map((c) => c.learning_rate as number);
    const base = o.learning_rate;
    [base / 2, base, base, base * 0.75, base * 0.5, base * 0.25].forEach((want, i) => expect(lrs[i]!).toBeCloseTo(want, 12));
    // Loss weights: zero on the system + user prompt, on from the assistant's answer.
    for (const fb of steps.filter((c) => c.method === "forward_backward")) {
      const tokens = fb.tokens as number[], weights = fb.weights as number[], first = fb.first_weight_at as number[];
      tokens.forEach((n, i) => {
        expect(first[i]!).toBeGreaterThan(20); // the system prompt alone is longer than this
        expect(weights[i]!).toBeGreaterThan(0);
        expect(weights[i]!).toBe(n - 1 - first[i]!); // every token after the prompt counts, none before
      });
    }
    // Periodic eval, checkpoints every 2 steps, the final state, the sampler weights, the export deleted.
    expect(calls.filter((c) => c.method === "save_state").map((c) => c.name)).toEqual(["step-000002", "step-000004", "final"]);
    expect(names).toContain("save_weights_for_sampler");
    expect(names.indexOf("delete_checkpoint_from_tinker_path")).toBeGreaterThan(names.indexOf("get_external_weights_urls"));
    expect(calls.at(-1)).toMatchObject({ method: "close", status: "success" });

    const m = metrics(record.dir);
    const trainLoss = m.filter((e) => e.event === "metric" && e.split === "train").map((e) => e.loss as number);
    expect(trainLoss).toHaveLength(6);
    expect(trainLoss.at(-1)!).toBeLessThan(trainLoss[0]!);
    expect(m.filter((e) => e.event === "metric" && e.split === "valid").map((e) => e.step)).toEqual([2, 4, 6]);
    expect(run.metrics.val_loss).toBeGreaterThan(0);
    expect((run.checkpoints as Array<{ step: number }>).map((c) => c.step)).toEqual([2, 4, 6]);

    // Spend: every token through forward_backward at the train price, through forward at prefill.
    const tokens = (split: string) => m.filter((e) => e.event === "metric" && e.split === split).reduce((a, e) => a + (e.tokens as number), 0);
    const want = (tokens("train") * PRICE.train + tokens("valid") * PRICE.prefill) / 1e6;
    expect(ctx.costs.spent()).toBeCloseTo(want, 9);
    expect(run.costUsd as number).toBeCloseTo(want, 9);
    // The key never reaches a file.
    for (const f of filesUnder(record.dir)) expect(readFileSync(f, "latin1").includes(TEST_KEY)).toBe(false);
  }, 120_000);

  test("a failed run resumes from its last save_state checkpoint, with the optimizer state, in the same folder", async () => {
    const p = fakeProject(24, 8);
    restore = useFake(p, { FAKE_TINKER_FAIL: "forward_backward:5" });
    const o = opts();
    const first = await train(p, o);
    expect(first.record.status).toBe("failed");
    expect(first.run.error?.message).toContain("APIConnectionError");
    expect(first.run.error?.hint).toContain("resume");
    expect((first.run.checkpoints as Array<{ step: number }>).map((c) => c.step)).toEqual([2, 4]);
    restore();
    restore = useFake(p);
    const second = await train(p, o);
    expect(second.record.status).toBe("completed");
    expect(second.record.dir).toBe(first.record.dir);
    const calls = fakeCalls(p);
    const resumed = calls.filter((c) => c.method === "create_training_client_from_state_with_optimizer");
    expect(resumed).toHaveLength(1);
    expect(resumed[0]!.path).toBe((first.run.checkpoints as Array<{ path: string }>)[1]!.path);
    // The resumed process trains steps 5 and 6 only, its optimizer already 4 steps in.
    const pid = resumed[0]!.pid;
    expect(calls.filter((c) => c.pid === pid && c.method === "forward_backward").map((c) => c.step)).toEqual([4, 5]);
  }, 120_000);

  test("[budget] max_usd stops training cleanly at a checkpoint; the next run continues from it", async () => {
    const p = fakeProject(24, 8);
    // 12 steps of 0.3 s: the budget is hit after step 1; the stop lands long before the last step.
    restore = useFake(p, { FAKE_TINKER_STEP_SLEEP: "0.3" });
    const o = opts({ eval_every: 0, save_every: 0, batch_size: 2 });
    const ctx = testContext({ root: p.root, maxUsd: 0.5 });
    const first = await train(p, o, ctx);
    expect(first.record.status).toBe("interrupted");
    expect(ctx.costs.overBudget()).toBe(true);
    const stopAt = (first.run.checkpoints as Array<{ step: number; path: string }>).at(-1)!;
    expect(stopAt.step).toBeGreaterThan(0);
    expect(stopAt.step).toBeLessThan(12);
    expect(fakeCalls(p).at(-1)).toMatchObject({ method: "close", status: "interrupted" });
    const second = await train(p, o, testContext({ root: p.root }));
    expect(second.record.status).toBe("completed");
    expect(fakeCalls(p).find((c) => c.method === "create_training_client_from_state_with_optimizer")!.path).toBe(stopAt.path);
  }, 120_000);

  test("conversations cut so short that no answer token is left are dropped with a warning", async () => {
    const p = fakeProject(8, 0);
    restore = useFake(p);
    const warnings: string[] = [];
    const ctx = testContext({ root: p.root });
    ctx.log.warn = (m: string) => void warnings.push(m);
    const { record, run } = await train(p, opts({ max_seq_length: 16, batch_size: 1 }), ctx);
    expect(record.status).toBe("failed");
    expect(run.error?.message).toBe("0 usable training rows, fewer than batch_size = 1");
    expect(warnings.some((w) => w.startsWith("train: 8 of 8 conversations have no answer tokens within max_seq_length = 16"))).toBe(true);
  }, 60_000);

  test("a model the service does not offer fails before any training, naming the nearest one", async () => {
    const p = fakeProject(8, 0);
    restore = useFake(p, { FAKE_TINKER_MODELS: "Qwen/Qwen3-8B,Qwen/Qwen3.5-4B,meta-llama/Llama-3.1-8B" });
    const { record, run } = await train(p, opts({ model: "Qwen/Qwen3-4B-Instruct-2507" }));
    expect(record.status).toBe("failed");
    expect(run.error?.message).toBe("Tinker does not offer Qwen/Qwen3-4B-Instruct-2507 for training");
    expect(run.error?.hint).toStartWith("did you mean Qwen/Qwen3.5-4B?");
    expect(fakeCalls(p).map((c) => c.method)).not.toContain("create_lora_training_client");
  }, 60_000);

  test("a missing TINKER_API_KEY is a preflight problem, and the shim refuses to start without it", async () => {
    expect(plugin.preflight!(opts(), { root: "/", env: {} })![0]).toContain("TINKER_API_KEY is not set");
    expect(plugin.preflight!(opts(), { root: "/", env: { TINKER_API_KEY: "x" } })).toEqual([]);
    const p = fakeProject(8, 0);
    restore = useFake(p, { TINKER_API_KEY: undefined });
    const { record, run } = await train(p, opts());
    expect(record.status).toBe("failed");
    expect(run.error).toEqual({ message: "TINKER_API_KEY is not set", hint: "export TINKER_API_KEY=tml-… (from the Tinker console)" });
    expect(fakeCalls(p)).toEqual([]);
  }, 60_000);

  test("a wrong key is the service's AuthenticationError, with a hint about the key and no key in it", async () => {
    const p = fakeProject(8, 0);
    restore = useFake(p, { TINKER_API_KEY: "tml-wrong-key-999" });
    const { run } = await train(p, opts());
    expect(run.status).toBe("failed");
    expect(run.error?.message).toContain("AuthenticationError");
    expect(run.error?.hint).toContain("TINKER_API_KEY");
    expect(JSON.stringify(run)).not.toContain("tml-wrong-key-999");
  }, 60_000);
});

describe("trainer/tinker estimate", () => {
  test("steps from rows, epochs and batch size; USD from the price table or the override; unknown model → null", () => {
    const p = fakeProject(24, 8);
    const e = estimateRun(p.dataset, opts({ epochs: 2, eval_every: 4 }));
    expect(e.steps).toBe(12);
    expect(e.calls).toBe(12);
    expect(e.trainTokens).toBeGreaterThan(24 * 2 * 30);
    expect(e.tokensIn).toBe(e.trainTokens + e.evalTokens);
    expect(e.usd!).toBeCloseTo((e.trainTokens * PRICE.train + e.evalTokens * PRICE.prefill) / 1e6, 9);
    expect(estimateRun(p.dataset, opts({ price_per_mtok: undefined })).usd).not.toBeNull(); // Qwen/Qwen3-8B is in the table
    expect(estimateRun(p.dataset, opts({ model: "Some/Unknown-Model", price_per_mtok: undefined })).usd).toBeNull();
  });
});
