// The contract between trainer/tinker's shim and the REAL installed `tinker` SDK (the venv's, not
// the fake): every class, method, keyword and response field the shim uses (declared once in
// tinker_surface.py, which the shim must go through) exists with a compatible signature and is not
// deprecated; the shim's source uses nothing undeclared. The Tinker service itself cannot be
// reached here — this is how an SDK upgrade that would break a user's run breaks a test instead.
import { describe, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hasPython, testPython } from "../../helpers/python.ts";

const ROOT = join(import.meta.dir, "..", "..", "..");
const PLUGIN = join(ROOT, "plugins", "trainers", "tinker");
const SCRIPT = join(ROOT, "test", "fixtures", "python", "tinker_contract.py");

interface Report {
  tinker: string;
  file: string;
  checked: number;
  problems: string[];
}

function check(surface?: string, pythonPath?: string): Report {
  const env = { ...process.env };
  delete env.PYTHONPATH; // the real SDK, never the fake (unless asked for)
  if (pythonPath) env.PYTHONPATH = pythonPath;
  const p = Bun.spawnSync([testPython()!, SCRIPT, PLUGIN, ...(surface ? [surface] : [])], { cwd: tmpdir(), env, stdout: "pipe", stderr: "pipe" });
  if (p.exitCode !== 0) throw new Error(`tinker_contract.py failed (${p.exitCode}):\n${p.stderr.toString()}`);
  return JSON.parse(p.stdout.toString()) as Report;
}

describe.skipIf(!hasPython)("trainer/tinker contract with the installed tinker SDK", () => {
  test("every SDK name the shim uses exists in the installed SDK with a compatible signature", () => {
    const r = check();
    expect(r.file).not.toContain("fake_tinker");
    expect(r.tinker).toBe(readFileSync(join(ROOT, "python", "requirements.txt"), "utf8").match(/^tinker==(\S+)/m)![1]!);
    expect(r.checked).toBeGreaterThanOrEqual(25);
    expect(r.problems).toEqual([]);
  }, 60_000);

  test("the fake SDK the behaviour tests use passes the same contract (it cannot accept what the real one refuses)", () => {
    const r = check(undefined, join(ROOT, "test", "fixtures", "python", "fake_tinker"));
    expect(r.file).toContain("fake_tinker");
    expect(r.problems).toEqual([]);
  }, 60_000);

  test("the check finds what would break: an unknown keyword, a missing method, a deprecated call, a property, a missing field, a required argument", () => {
    const dir = mkdtempSync(join(tmpdir(), "ctxc-surface-"));
    const bad = join(dir, "bad_surface.py");
    writeFileSync(bad, [
      "CALLS = {",
      '  "ServiceClient.create_lora_training_client": ["base_model", "lora_rank"],',
      '  "ServiceClient.get_server_capabilities": [],',
      '  "TrainingClient.train_step": ["data"],',
      '  "ModelInput.length": [],',
      '  "TrainingClient.save_state": [],',
      "}",
      'FIELDS = ["SaveWeightsResponse.checkpoint_url"]',
    ].join("\n"));
    const p = check(bad).problems.join("\n");
    expect(p).toContain("create_lora_training_client: the installed SDK has no keyword parameter 'lora_rank'");
    expect(p).toContain("ServiceClient.get_server_capabilities: deprecated");
    expect(p).toContain("TrainingClient.train_step: TrainingClient has no attribute train_step");
    expect(p).toContain("ModelInput.length: is a property");
    expect(p).toContain("TrainingClient.save_state: the installed SDK requires 'name'");
    expect(p).toContain("SaveWeightsResponse.checkpoint_url: SaveWeightsResponse has no field checkpoint_url");
  }, 60_000);
});
