// trainer/tinker inside a pipeline, through the CLI as a user runs it (the fake SDK stands in for
// the service): `run --estimate` prices the training before anything is spent, a run trains and
// records the run folder, [budget] max_usd stops it at a checkpoint with exit 3, and the next
// `run` resumes and finishes.
import { describe, expect, test } from "bun:test";
import { readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { existsSync } from "node:fs";
import { ctxc, tempDir } from "../../helpers/cli.ts";
import { hasPython, testPython } from "../../helpers/python.ts";
import { fakeCalls, fakeTinkerEnv, PAIRS, TEST_KEY } from "./_tinker-fake.ts";

function project(extra = ""): { dir: string; env: Record<string, string> } {
  const dir = tempDir("ctxc-tinker-pipe-");
  writeFileSync(join(dir, "pipeline.toml"), `name = "tinker-e2e"
out = "work"
${extra}
[[stages]]
use = "loader/jsonl"
paths = ["${PAIRS}"]

[[stages]]
use = "trainer/tinker"
model = "Qwen/Qwen3-8B"
batch_size = 16
eval_every = 4
save_every = 4
python = "${testPython()}"
price_per_mtok = { train = 40, prefill = 13 }
`);
  const env = fakeTinkerEnv(dir, { FAKE_TINKER_EXPECT_KEY: TEST_KEY, FAKE_TINKER_STEP_SLEEP: "0.3" }); // 11 steps: a budget stop lands long before the last
  return { dir, env };
}

describe.skipIf(!hasPython)("trainer/tinker in a pipeline (fake SDK)", () => {
  test("--estimate prices the training and spends nothing; a run trains; [budget] stops at a checkpoint (exit 3) and the next run resumes", async () => {
    const { dir, env } = project("[budget]\nmax_usd = 0.5\n");
    const est = await ctxc(["run", "pipeline.toml", "--estimate"], { cwd: dir, env });
    expect(est.code).toBe(0);
    expect(est.stdout).toMatch(/02-trainer-tinker {2}tinker:Qwen\/Qwen3-8B: \d+ calls \(0 cached\), [\d,]+ tokens in, ≤ 0 out, ≤ \$\d+\.\d\d/);
    expect(est.stdout).toContain("Nothing was spent.");
    expect(fakeCalls({ fakeDir: env.FAKE_TINKER_DIR } as never)).toEqual([]);

    const first = await ctxc(["run", "pipeline.toml", "--json"], { cwd: dir, env });
    expect(first.code).toBe(3);
    const s1 = JSON.parse(first.stdout);
    expect(s1.status).toBe("budget");
    expect(s1.stages.find((s: any) => s.use === "trainer/tinker").outcome).toBe("interrupted");
    const runs = readdirSync(join(dir, "models", "runs", "tinker"));
    expect(runs).toHaveLength(1);
    const run1 = await Bun.file(join(dir, "models", "runs", "tinker", runs[0]!, "run.json")).json();
    expect(run1.status).toBe("interrupted");
    expect(run1.checkpoints.length).toBeGreaterThan(0);

    // More budget: the same run folder continues from its checkpoint.
    writeFileSync(join(dir, "pipeline.toml"), (await Bun.file(join(dir, "pipeline.toml")).text()).replace("max_usd = 0.5", "max_usd = 100"));
    const second = await ctxc(["run", "pipeline.toml"], { cwd: dir, env });
    expect(second.stdout + second.stderr).toContain(`resuming tinker/${runs[0]} from its checkpoint at step ${run1.checkpoints.at(-1).step}`);
    expect(second.code).toBe(0);
    expect(readdirSync(join(dir, "models", "runs", "tinker"))).toEqual(runs);
    const run2 = await Bun.file(join(dir, "models", "runs", "tinker", runs[0]!, "run.json")).json();
    expect(run2.status).toBe("completed");
    expect(run2.samplerPath).toMatch(/^tinker:\/\/.*\/sampler_weights\/final$/);
    const stageRecord = await Bun.file(join(dir, "work", "02-trainer-tinker", "run.json")).json();
    expect(stageRecord.dir).toBe(join(dir, "models", "runs", "tinker", runs[0]!));
    const costs = await ctxc(["costs", "pipeline.toml", "--by", "model", "--json"], { cwd: dir, env });
    const ledger = JSON.parse(costs.stdout);
    expect(ledger[0].key).toBe("tinker:Qwen/Qwen3-8B");
    expect(ledger[0].usd).toBeCloseTo(run2.costUsd, 6);

    // Finished: a third run skips the stage.
    const third = await ctxc(["run", "pipeline.toml", "--json"], { cwd: dir, env });
    expect(JSON.parse(third.stdout).stages.find((s: any) => s.use === "trainer/tinker").outcome).toBe("skipped");
  }, 300_000);

  test("[tracking] pointing at a server that is down: the run still completes, with a warning naming the retry command", async () => {
    const { dir, env } = project('[tracking]\nmlflow = "http://127.0.0.1:9"\n');
    const r = await ctxc(["run", "pipeline.toml"], { cwd: dir, env: { ...env, FAKE_TINKER_STEP_SLEEP: "0" } });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/tracking: could not log .* cannot reach the MLflow server at http:\/\/127\.0\.0\.1:9.*retry with `ctxc runs log /s);
  }, 120_000);

  test("without TINKER_API_KEY the pipeline is refused before anything runs", async () => {
    const { dir, env } = project();
    const r = await ctxc(["run", "pipeline.toml"], { cwd: dir, env: { ...env, TINKER_API_KEY: "" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("TINKER_API_KEY is not set");
  }, 60_000);
});
