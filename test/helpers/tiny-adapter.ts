// A LoRA adapter for the tiny Qwen3 model (test/fixtures/python/make_tiny_adapter.py: mlx-lm's
// linear_to_lora_layers + a save, as its trainer writes one), and run folders that point at it.
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { writeRun } from "../../src/runs/run-file.ts";
import { RUN_FORMAT, type RunJson } from "../../src/runs/store.ts";
import { testPython } from "./python.ts";
import { tinyQwen3 } from "./tiny-model.ts";

const SCRIPT = join(import.meta.dir, "..", "fixtures", "python", "make_tiny_adapter.py");
let made: string | undefined;

/** The adapter folder (adapter_config.json + adapters.safetensors); made once per process. */
export function tinyAdapter(): string {
  if (made) return made;
  const python = testPython();
  if (!python) throw new Error("no Python venv for the tiny adapter (npm run setup:python)");
  const dir = join(mkdtempSync(join(tmpdir(), "ctxc-tiny-adapter-")), "adapter");
  const p = Bun.spawnSync([python, SCRIPT, tinyQwen3(), dir, "0"], { stdout: "pipe", stderr: "pipe" });
  if (p.exitCode !== 0) throw new Error(`make_tiny_adapter.py failed (${p.exitCode}):\n${p.stderr.toString()}`);
  made = dir;
  return dir;
}

/** A completed run folder of `trainer` (default trainer/mlx); `fields` override run.json. */
export async function fakeRun(fields: Partial<RunJson> = {}, trainer = "trainer/mlx"): Promise<string> {
  const dir = join(mkdtempSync(join(tmpdir(), "ctxc-run-")), "run");
  mkdirSync(dir, { recursive: true });
  const run: RunJson = {
    trainer,
    dir,
    baseModel: "",
    datasetFingerprint: "test",
    format: RUN_FORMAT,
    id: `${trainer.replace("trainer/", "")}/test`,
    status: "completed",
    createdAt: new Date(0).toISOString(),
    config: {},
    dataset: { fingerprint: "test", counts: { train: 1, valid: 1, test: 1 } },
    backend: { name: trainer.replace("trainer/", ""), versions: {} },
    metrics: {},
    ...fields,
  };
  await writeRun(dir, run);
  return dir;
}
