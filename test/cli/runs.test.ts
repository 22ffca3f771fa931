// `ctxc runs list|show|compare`: run folders written the way trainers write them (run.json via
// the run store), read back through the CLI — tables, JSON, run selection and clear errors.
import { beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { writeRun } from "../../src/runs/run-file.ts";
import { createRunDir, RUN_FORMAT, type RunJson } from "../../src/runs/store.ts";
import { ctxc, tempDir } from "../helpers/cli.ts";

let root = "";
const ids: string[] = [];

async function makeRun(trainer: string, at: string, patch: Partial<RunJson>): Promise<string> {
  const runsDir = join(root, "models", "runs");
  const { id, dir } = createRunDir(runsDir, trainer, new Date(at));
  await writeRun(dir, {
    format: RUN_FORMAT, trainer, id, dir, status: "completed", createdAt: at, baseModel: "mlx-community/Qwen3-4B-Instruct-2507-4bit",
    datasetFingerprint: "f".repeat(64), config: { rank: 8, learning_rate: 1e-5 }, dataset: { fingerprint: "f".repeat(64), counts: { train: 160, valid: 20, test: 20 } },
    backend: { name: "mlx-cpu", versions: { mlx: "0.32.4", "mlx-lm": "0.32.2" } }, metrics: {}, seconds: 95, ...patch,
  });
  ids.push(id);
  return dir;
}

beforeAll(async () => {
  root = tempDir("ctxc-runs-cli-");
  await makeRun("trainer/mlx", "2026-12-01T10:00:00.000Z", { metrics: { train_loss: 1.5, val_loss: 1.75, test_loss: 1.8, test_ppl: 6.05, tokens_per_sec: 1234.4 } });
  await makeRun("trainer/mlx", "2026-12-01T11:00:00.000Z", { status: "failed", config: { rank: 16, learning_rate: 1e-5 }, error: { message: "the training loss became nan at iteration 40", hint: "lower learning_rate" } });
  await makeRun("trainer/tinker", "2026-12-01T12:00:00.000Z", { baseModel: "Qwen/Qwen3-8B", costUsd: 1.234, metrics: { train_loss: 1.2 } });
  mkdirSync(join(root, "models", "runs", "mlx", "not-a-run")); // no run.json: not listed
  mkdirSync(join(root, "models", "runs", "mlx", "torn"));
  writeFileSync(join(root, "models", "runs", "mlx", "torn", "run.json"), "{\"trainer\": \"trainer/ml");
});

describe("ctxc runs", () => {
  test("list: one row per run, oldest first; a torn run.json is left out with a warning", async () => {
    const r = await ctxc(["runs", "list"], { cwd: root });
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^run\s+when\s+status\s+base model\s+rows t\/v\/t\s+train\s+val\s+test\s+tok\/s\s+time\s+cost$/);
    expect(lines).toHaveLength(4);
    expect(lines[1]).toContain(ids[0]!);
    expect(lines[1]).toMatch(/completed .*160\/20\/20\s+1\.500\s+1\.750\s+1\.800\s+1,234\s+95s\s+-$/);
    expect(lines[2]).toContain("failed");
    expect(lines[3]).toMatch(/Qwen\/Qwen3-8B .*\$1\.23$/);
    expect(r.stderr).toContain("torn");
  });

  test("list --json gives the same facts as data", async () => {
    const r = await ctxc(["runs", "list", "--json"], { cwd: root });
    const runs = JSON.parse(r.stdout);
    expect(runs.map((x: { id: string }) => x.id)).toEqual(ids);
    expect(runs[0]).toMatchObject({ trainer: "trainer/mlx", status: "completed", train_loss: 1.5, test_ppl: 6.05, rows: { train: 160, valid: 20, test: 20 } });
    expect(runs[2].costUsd).toBe(1.234);
  });

  test("show: by full id, by a unique part, by `last`; the error and its hint of a failed run", async () => {
    const full = await ctxc(["runs", "show", ids[1]!], { cwd: root });
    expect(full.code).toBe(0);
    expect(full.stdout).toContain("status           failed");
    expect(full.stdout).toContain("error            the training loss became nan at iteration 40");
    expect(full.stdout).toContain("hint             lower learning_rate");
    expect(full.stdout).toContain("mlx-cpu (mlx 0.32.4, mlx-lm 0.32.2)");
    const part = await ctxc(["runs", "show", "T12-00", "--json"], { cwd: root });
    expect(JSON.parse(part.stdout).trainer).toBe("trainer/tinker");
    const last = await ctxc(["runs", "show", "last", "--json"], { cwd: root });
    expect(JSON.parse(last.stdout).id).toBe(ids[2]!);
  });

  test("show: an ambiguous or unknown run is a clear error (exit 2) with a hint", async () => {
    const amb = await ctxc(["runs", "show", "mlx/"], { cwd: root });
    expect(amb.code).toBe(2);
    expect(amb.stderr).toContain("matches 3 runs");
    const none = await ctxc(["runs", "show", "nope"], { cwd: root });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("no run `nope`");
    expect(none.stderr).toContain("ctxc runs list");
    const empty = await ctxc(["runs", "list", "--runs-dir", "elsewhere"], { cwd: root });
    expect(empty.stdout).toContain("no training runs in");
  });

  test("compare: side by side, with the options that differ", async () => {
    const r = await ctxc(["runs", "compare", ids[0]!, ids[1]!], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/status\s+completed\s+failed/);
    expect(r.stdout).toMatch(/test loss\s+1\.800\s+-/);
    expect(r.stdout).toMatch(/ {2}rank\s+8\s+16/);
    expect(r.stdout).not.toContain("learning_rate"); // the same in both
    const json = JSON.parse((await ctxc(["runs", "compare", ids[0]!, ids[1]!, "--json"], { cwd: root })).stdout);
    expect(json.differing).toEqual(["rank"]);
    const one = await ctxc(["runs", "compare", ids[0]!], { cwd: root });
    expect(one.code).toBe(2);
    expect(one.stderr).toContain("at least two runs");
  });
});
