// `ctxc runs convert` / `ctxc runs log` as a user runs them: exit codes, messages, help.
// (The conversion's numbers are checked in test/runs/convert.test.ts, MLflow in test/runs/mlflow.test.ts.)
import { describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ctxc, tempDir } from "../helpers/cli.ts";
import { hasPython, testPython } from "../helpers/python.ts";
import { tinyQwen3 } from "../helpers/tiny-model.ts";

const CHECK = join(import.meta.dir, "..", "fixtures", "python", "peft_lora_check.py");

describe("ctxc runs", () => {
  test("a mistyped sub-command is exit 2; --help of convert and log shows their options", async () => {
    const bad = await ctxc(["runs", "conver"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("conver");
    const help = await ctxc(["runs", "log", "--help"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("--experiment");
    expect(help.stdout).toContain("MLFLOW_TRACKING_USERNAME");
    const conv = await ctxc(["runs", "convert", "--help"]);
    expect(conv.stdout).toContain("--to");
    expect(conv.stdout).toContain("adapters.safetensors");
  });

  test("convert: a folder that is not a run, and a target that does not exist, are exit 2 with a hint", async () => {
    const notRun = await ctxc(["runs", "convert", tempDir(), "--to", "mlx", "--runs-dir", tempDir()]);
    expect(notRun.code).toBe(2);
    expect(notRun.stderr).toMatch(/no training runs in .*\n {2}hint: /);
    const target = await ctxc(["runs", "convert", tempDir(), "--to", "gguf"]);
    expect(target.code).toBe(2);
    expect(target.stderr).toContain("--to gguf is not a target format");
  });

  test("log: no URI, or one that is not http(s), is exit 2 with a hint", async () => {
    const none = await ctxc(["runs", "log", tempDir()], { env: { MLFLOW_TRACKING_URI: "" } });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("hint: pass --mlflow http://host:5000 or set MLFLOW_TRACKING_URI");
    const file = await ctxc(["runs", "log", tempDir(), "--mlflow", "file:///tmp/mlruns"]);
    expect(file.code).toBe(2);
    expect(file.stderr).toContain("is not an http(s) URL");
  });

  test.skipIf(!hasPython)("convert by run id: the mlx-lm folder is written and recorded; a refused adapter is exit 2 with the reason", async () => {
    const runs = tempDir();
    const dir = join(runs, "tinker", "2026-12-01T10-00-00-000Z");
    mkdirSync(dir, { recursive: true });
    Bun.spawnSync([testPython()!, CHECK, "make", tinyQwen3(), join(dir, "adapter"), "5", "plain", ""]);
    writeFileSync(join(dir, "run.json"), JSON.stringify({ trainer: "trainer/tinker", id: "tinker/2026-12-01T10-00-00-000Z", format: 1, baseModel: tinyQwen3(), status: "completed", adapter: "adapter" }));
    const ok = await ctxc(["runs", "convert", "tinker/2026-12-01T10-00-00-000Z", "--runs-dir", runs, "--to", "mlx", "--python", testPython()!, "--json"]);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ out: join(dir, "adapter-mlx"), numLayers: 2, rank: 4 });
    expect((await Bun.file(join(dir, "run.json")).json()).converted).toEqual({ mlx: "adapter-mlx" });

    Bun.spawnSync([testPython()!, CHECK, "make", tinyQwen3(), join(dir, "adapter"), "5", "plain", "unembed"]);
    const refused = await ctxc(["runs", "convert", dir, "--to", "mlx", "--python", testPython()!]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("LoRA on the embedding / LM head");
    expect(refused.stderr).toContain("hint: train with train_unembed = false");
  }, 120_000);
});
