// trainer/mlx end to end with the real mlx-lm on CPU: a pipeline (loader/jsonl on 200 real pairs →
// dataset → trainer/mlx on the tiny Qwen3) trains, is killed with SIGKILL after its first
// checkpoint, resumes from it when run again and is stopped by Ctrl-C after the next, resumes
// again and finishes (loss falls, adapter loads in mlx-lm, test loss in run.json); then a run
// skips the trainer by its stage fingerprint.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ctxc, MAIN, tempDir } from "../../helpers/cli.ts";
import { hasPython, testPython } from "../../helpers/python.ts";
import { tinyQwen3 } from "../../helpers/tiny-model.ts";
import { FAST, realPairs } from "./_mlx.ts";
import { alive } from "../../helpers/processes.ts";

const T = 600_000; // a CPU shared with other jobs: generous, never asserted

interface Event {
  event: string;
  step?: number;
  split?: string;
  loss?: number;
  [k: string]: unknown;
}

function events(dir: string): Event[] {
  const f = join(dir, "metrics.jsonl");
  if (!existsSync(f)) return [];
  return readFileSync(f, "utf8").split("\n").filter((l) => l.trim()).map((l) => JSON.parse(l) as Event);
}

function runDirs(root: string): string[] {
  const base = join(root, "models", "runs", "mlx");
  return existsSync(base) ? readdirSync(base).map((n) => join(base, n)) : [];
}


/** Wait for a condition on files the run writes (polling; nothing here depends on how long it takes). */
async function until<T>(what: string, probe: () => T | undefined, proc: { exitCode: number | null }): Promise<T> {
  for (;;) {
    const v = probe();
    if (v !== undefined) return v;
    if (proc.exitCode !== null) throw new Error(`the run exited (${proc.exitCode}) before ${what}`);
    await Bun.sleep(200);
  }
}

describe.skipIf(!hasPython)("trainer/mlx on the real mlx-lm (CPU, tiny Qwen3, 200 real pairs)", () => {
  let root = "";
  let runDir = "";

  beforeAll(() => {
    root = tempDir("ctxc-mlx-pipeline-");
    writeFileSync(join(root, "pairs.jsonl"), realPairs(200).join("\n") + "\n");
    writeFileSync(join(root, "sys.txt"), "Compress.\n"); // a short system prompt: 48 tokens reach the texts
    const opts = { ...FAST, iters: 6, save_every: 2, python: testPython() };
    const trainer = Object.entries(opts).map(([k, v]) => `${k} = ${JSON.stringify(v)}`).join("\n");
    writeFileSync(join(root, "pipeline.toml"), `out = "out"\n[dataset]\nsystem_prompt = "sys.txt"\n\n[[stages]]\nuse = "loader/jsonl"\npaths = ["pairs.jsonl"]\n\n[[stages]]\nuse = "trainer/mlx"\nmodel = ${JSON.stringify(tinyQwen3())}\n${trainer}\n`);
  }, T);

  afterAll(() => {
    for (const dir of runDirs(root)) {
      const pid = events(dir).find((e) => e.event === "start")?.pid;
      if (typeof pid === "number" && alive(pid)) process.kill(pid, "SIGKILL"); // only our own shim
    }
  });

  test("a run killed with SIGKILL after its first checkpoint is left 'running' with that checkpoint", async () => {
    const proc = Bun.spawn([process.execPath, MAIN, "run", "pipeline.toml"], { cwd: root, env: { ...process.env, NO_COLOR: "1" }, stdout: "ignore", stderr: "pipe" });
    const dir = await until("a run folder", () => runDirs(root)[0], proc);
    await until("the first checkpoint", () => events(dir).find((e) => e.event === "checkpoint"), proc);
    const shimPid = events(dir).find((e) => e.event === "start")!.pid as number;
    // `run` is a supervisor plus a child that holds the workspace lock (src/cli/supervise.ts):
    // the whole job dies at once, as on a power cut or the OOM killer.
    const workerPid = JSON.parse(readFileSync(join(root, "out", "ctxc.lock.json"), "utf8")).pid as number;
    for (const pid of [workerPid, proc.pid, shimPid]) process.kill(pid, "SIGKILL");
    await proc.exited;
    while (alive(workerPid)) await Bun.sleep(100);
    while (alive(shimPid)) await Bun.sleep(100);
    runDir = dir;
    const run = JSON.parse(readFileSync(join(dir, "run.json"), "utf8"));
    expect(run.status).toBe("running");
    const latest = JSON.parse(readFileSync(join(dir, "checkpoints", "latest.json"), "utf8"));
    expect(latest.iteration).toBe(2);
    expect(existsSync(join(dir, "adapter", "0000002_adapters.safetensors"))).toBe(true);
    expect(existsSync(join(dir, "config.yaml"))).toBe(true);
  }, T);

  test("running it again resumes from that checkpoint; Ctrl-C then stops it cleanly (exit 130, 'interrupted')", async () => {
    expect(runDir).not.toBe("");
    const proc = Bun.spawn([process.execPath, MAIN, "run", "pipeline.toml"], { cwd: root, env: { ...process.env, NO_COLOR: "1" }, stdout: "pipe", stderr: "pipe" });
    const stderr = new Response(proc.stderr).text();
    await until("the resumed run's checkpoint at 4", () => events(runDir).find((e) => e.event === "checkpoint" && e.step === 4), proc);
    proc.kill("SIGINT");
    expect(await proc.exited).toBe(130);
    expect(await stderr).toContain("from its checkpoint at iteration 2");
    expect(runDirs(root)).toEqual([runDir]); // the same folder, no second run
    const run = JSON.parse(readFileSync(join(runDir, "run.json"), "utf8"));
    expect(run.status).toBe("interrupted");
    expect(run.resumes).toBe(1);
  }, T);

  test("and again: it resumes from the newest checkpoint and finishes", async () => {
    const r = await ctxc(["run", "pipeline.toml"], { cwd: root });
    expect(r.code).toBe(0);
    expect(r.stderr + r.stdout).toContain("from its checkpoint at iteration 4");
    expect(runDirs(root)).toEqual([runDir]);
    const manifest = JSON.parse(readFileSync(join(root, "out", "manifest.json"), "utf8"));
    const entry = Object.values(manifest.stages as Record<string, { use: string; status: string; run?: string }>).find((s) => s.use === "trainer/mlx")!;
    expect(entry.status).toBe("done");
    expect(entry.run).toBe(runDir);

    const run = JSON.parse(readFileSync(join(runDir, "run.json"), "utf8"));
    expect(run.status).toBe("completed");
    expect(run.resumes).toBe(2);
    expect(run.backend.versions["mlx-lm"]).toBe("0.32.2");
    expect(run.dataset.counts.train + run.dataset.counts.valid + run.dataset.counts.test).toBe(200);
    expect(run.metrics.test_loss).toBeGreaterThan(0);
    expect(run.metrics.test_ppl).toBeCloseTo(Math.exp(run.metrics.test_loss), 0);

    const ev = events(runDir);
    const starts = ev.filter((e) => e.event === "start");
    expect(starts.map((e) => e.resumed_from)).toEqual([0, 2, 4]);
    // After each resume, training went on after the checkpoint (not at 1) and ended at 6.
    const trainSteps = (from: Event) => ev.slice(ev.indexOf(from)).filter((e) => e.split === "train").map((e) => e.step);
    expect(trainSteps(starts[1]!)[0]).toBe(3);
    const afterResume = trainSteps(starts[2]!);
    expect(afterResume[0]).toBe(5);
    expect(afterResume.at(-1)).toBe(6);
    // Loss falls: the validation loss (same seeded batch each time) at the end is below the start's.
    const val = ev.filter((e) => e.split === "valid").map((e) => e.loss!);
    expect(val.at(-1)!).toBeLessThan(val[0]!);

    // The adapter folder is what mlx-lm loads (its own strict adapter validation included).
    const check = Bun.spawnSync([testPython()!, "-c", "import sys; from mlx_lm.utils import load; load(sys.argv[1], adapter_path=sys.argv[2]); print('ok')", tinyQwen3(), join(runDir, "adapter")], { stdout: "pipe", stderr: "pipe" });
    expect(check.stderr.toString()).not.toContain("Error");
    expect(check.stdout.toString().trim()).toBe("ok");
  }, T);

  test("a third run skips the finished trainer by its stage fingerprint and names the run folder", async () => {
    const r = await ctxc(["run", "pipeline.toml", "--json"], { cwd: root });
    expect(r.code).toBe(0);
    const stage = JSON.parse(r.stdout).stages.find((s: { use: string }) => s.use === "trainer/mlx");
    expect(stage.outcome).toBe("skipped");
    expect(stage.run).toBe(runDir);
  }, T);

  test("ctxc runs list / show see the run", async () => {
    const list = await ctxc(["runs", "list", "--json"], { cwd: root });
    expect(list.code).toBe(0);
    const runs = JSON.parse(list.stdout);
    expect(runs).toHaveLength(1);
    expect(runs[0].status).toBe("completed");
    expect(runs[0].test_loss).toBeGreaterThan(0);
    const show = await ctxc(["runs", "show", "last"], { cwd: root });
    expect(show.stdout).toContain("mlx-cpu (mlx 0.32.4, mlx-lm 0.32.2)");
  }, T);
});
