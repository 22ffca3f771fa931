// `ctxc runs convert --to mlx` checked numerically with the REAL mlx-lm on the tiny Qwen3 model:
// a PEFT adapter with known random tensors, converted and loaded by mlx-lm's own adapter loader,
// gives the logits of the base model with W + scale·B·A applied by hand in numpy. And what mlx-lm
// cannot express is refused with a reason.
import { describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { convertToMlx } from "../../src/runs/convert.ts";
import { readRun } from "../../src/runs/run-file.ts";
import { hasPython, testPython } from "../helpers/python.ts";
import { tinyQwen3 } from "../helpers/tiny-model.ts";

const CHECK = join(import.meta.dir, "..", "fixtures", "python", "peft_lora_check.py");

function py(args: string[]): string {
  const p = Bun.spawnSync([testPython()!, CHECK, ...args], { stdout: "pipe", stderr: "pipe" });
  if (p.exitCode !== 0) throw new Error(`peft_lora_check.py ${args[0]} failed:\n${p.stderr.toString()}`);
  return p.stdout.toString();
}

/** A Tinker-like run folder whose adapter/ holds a PEFT adapter for the tiny model. */
function peftRun(seed: number, opts: { rslora?: boolean; variant?: string } = {}): string {
  const dir = join(mkdtempSync(join(tmpdir(), "ctxc-convert-")), "tinker", "2026-12-01T00-00-00-000Z");
  mkdirSync(dir, { recursive: true });
  py(["make", tinyQwen3(), join(dir, "adapter"), String(seed), opts.rslora ? "rslora" : "plain", opts.variant ?? ""]);
  writeFileSync(join(dir, "run.json"), JSON.stringify({ trainer: "trainer/tinker", id: "tinker/x", format: 1, dir, baseModel: "Qwen/Qwen3-8B", adapter: "adapter", status: "completed", datasetFingerprint: "f", createdAt: "", config: {}, dataset: { fingerprint: "f", counts: { train: 0, valid: 0, test: 0 } }, backend: { name: "tinker", versions: {} }, metrics: {} }));
  return dir;
}

describe.skipIf(!hasPython)("runs convert --to mlx (real mlx-lm, tiny Qwen3)", () => {
  for (const rslora of [false, true]) {
    test(`converted adapter = base + scale·B·A by hand (${rslora ? "rslora: alpha/sqrt(r)" : "alpha/r"}), relative error < 1e-4`, async () => {
      const dir = peftRun(rslora ? 2 : 1, { rslora });
      const r = await convertToMlx({ run: dir, model: tinyQwen3(), python: testPython() });
      expect(r).toMatchObject({ numLayers: 2, keys: ["mlp.down_proj", "self_attn.q_proj", "self_attn.v_proj"], rank: 4, tensors: 12 });
      expect(r.scale).toBeCloseTo(rslora ? 8 / 2 : 8 / 4, 12);
      const cfg = JSON.parse(readFileSync(join(dir, "adapter-mlx", "adapter_config.json"), "utf8"));
      expect(cfg).toMatchObject({ fine_tune_type: "lora", num_layers: 2, lora_parameters: { rank: 4, dropout: 0 } });
      expect((await readRun(dir)).converted).toEqual({ mlx: "adapter-mlx" });
      const check = JSON.parse(py(["check", tinyQwen3(), join(dir, "adapter"), join(dir, "adapter-mlx")]));
      expect(check.effect).toBeGreaterThan(1e-2); // the adapter really changes the logits…
      expect(check.rel_err).toBeLessThan(1e-4); // …exactly as the hand-computed update does
    }, 180_000);
  }

  const refusals: Array<[string, RegExp]> = [
    ["unembed", /LoRA on the embedding \/ LM head.*lm_head/],
    ["first_layer_only", /layers 0…0 of 2 .*last N layers/],
    ["rank_pattern", /rank_pattern/],
    ["modules_to_save", /modules_to_save/],
  ];
  for (const [variant, message] of refusals) {
    test(`refuses an adapter mlx-lm cannot express: ${variant}`, async () => {
      const dir = peftRun(3, { variant });
      const err = await convertToMlx({ run: dir, model: tinyQwen3(), python: testPython() }).catch((e) => e);
      expect(err).toBeInstanceOf(Error);
      expect(err.message).toMatch(message);
      expect(err.message).toStartWith(`cannot convert ${join(dir, "adapter")}`);
    }, 120_000);
  }

  test("refuses a base model the adapter does not fit, naming the layer and shapes", async () => {
    const dir = peftRun(4);
    // The tiny model with a different hidden size: the A/B shapes no longer fit.
    const other = mkdtempSync(join(tmpdir(), "ctxc-other-model-"));
    const cfg = JSON.parse(readFileSync(join(tinyQwen3(), "config.json"), "utf8"));
    writeFileSync(join(other, "config.json"), JSON.stringify({ ...cfg, hidden_size: 32 }));
    const err = await convertToMlx({ run: dir, model: other, python: testPython() }).catch((e) => e);
    expect(err.message).toMatch(/model\.layers\.0\.mlp\.down_proj: lora_A \(4, 128\) \/ lora_B \(64, 4\) do not fit a \[32, 128\] layer/);
    expect(err.hint).toBe("convert against the adapter's own base model");
  }, 120_000);

  test("a folder that is not a run is a clear error", async () => {
    const err = await convertToMlx({ run: tmpdir() + "/nope-" + Date.now() }).catch((e) => e);
    expect(err.message).toContain("is not a training run");
  });
});
