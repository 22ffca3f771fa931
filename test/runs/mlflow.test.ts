// ctxc runs → MLflow, against a REAL `mlflow server` (SQLite backend, local artifact store) started
// on loopback; everything is read back through MLflow's REST API.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { appendFileSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { authHeader, BATCH, logRunToMlflow, MlflowError, RUN_ID_TAG } from "../../src/runs/mlflow.ts";
import { readRun } from "../../src/runs/run-file.ts";
import type { RunJson } from "../../src/runs/store.ts";
import { ctxc } from "../helpers/cli.ts";
import { startMlflow, type MlflowServer } from "../helpers/mlflow-server.ts";
import { hasPython, testPython } from "../helpers/python.ts";
import { fakeTinkerEnv, PAIRS, TEST_KEY } from "../plugins/trainers/_tinker-fake.ts";

const STEPS = 1100; // > BATCH.metrics points per key
const OPTIONS = 130; // > BATCH.params params
/** Shaped like a Tinker key (built at run time so no key-shaped literal sits in the source). */
const FAKE_TINKER_KEY = ["tml", "abcdefghijklmnop1234"].join("-");

/** A finished run folder as a trainer leaves it, with many steps and many options. */
function makeRun(id = `tinker/2026-12-01T10-00-00-${Math.floor(Math.random() * 1e6)}Z`): string {
  const dir = join(mkdtempSync(join(tmpdir(), "ctxc-mlflow-run-")), id);
  mkdirSync(join(dir, "adapter"), { recursive: true });
  const config: Record<string, unknown> = { model: "Qwen/Qwen3-8B", rank: 32, adam: { beta1: 0.9, beta2: 0.95 }, hf_token: "hf_should_not_leave", note: "key " + FAKE_TINKER_KEY + " pasted" };
  for (let i = 0; i < OPTIONS; i++) config[`opt_${String(i).padStart(3, "0")}`] = i;
  const run: RunJson = {
    trainer: "trainer/tinker", dir, id, format: 1, baseModel: "Qwen/Qwen3-8B", datasetFingerprint: "abc123", status: "completed",
    createdAt: "2026-12-01T10:00:00.000Z", finishedAt: "2026-12-01T11:00:00.000Z", config, dataset: { fingerprint: "abc123", counts: { train: 800, valid: 100, test: 100 } },
    backend: { name: "tinker", versions: { tinker: "0.38.0" } }, metrics: { train_loss: 0.5, val_loss: 0.75 }, costUsd: 1.25, samplerPath: "tinker://run-1/sampler_weights/final", adapter: "adapter",
  };
  writeFileSync(join(dir, "run.json"), JSON.stringify(run));
  const lines: string[] = [];
  for (let s = 1; s <= STEPS; s++) {
    lines.push(JSON.stringify({ event: "metric", step: s, split: "train", loss: 3 / (1 + s / 100), learning_rate: 1e-4 * (1 - s / STEPS), tokens: 1000 + s, total: STEPS, t: 1764583200 + s }));
    if (s % 100 === 0) lines.push(JSON.stringify({ event: "metric", step: s, split: "valid", loss: 3.2 / (1 + s / 100), t: 1764583200 + s }));
  }
  lines.push(JSON.stringify({ event: "metric", step: 5, split: "train", loss: null, t: 1764583300 })); // a NaN loss as the shim writes it
  writeFileSync(join(dir, "metrics.jsonl"), lines.join("\n") + "\n");
  writeFileSync(join(dir, "train.log"), "training…\n");
  writeFileSync(join(dir, "adapter", "adapter_model.safetensors"), new Uint8Array(Array.from({ length: 4096 }, (_, i) => i % 251)));
  writeFileSync(join(dir, "adapter", "adapter_config.json"), JSON.stringify({ r: 32 }));
  return dir;
}

let server: MlflowServer;

async function rest(path: string, query: Record<string, string> = {}, body?: unknown): Promise<any> {
  const res = await fetch(`${server.uri}/api/2.0/mlflow/${path}?${new URLSearchParams(query)}`, body ? { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) } : {});
  if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

async function runsTagged(experimentId: string, ctxcId: string): Promise<any[]> {
  return (await rest("runs/search", {}, { experiment_ids: [experimentId], filter: `tags.\`${RUN_ID_TAG}\` = '${ctxcId}'`, max_results: 10 })).runs ?? [];
}

async function history(runId: string, key: string): Promise<any[]> {
  return (await rest("metrics/get-history", { run_id: runId, metric_key: key, max_results: "25000" })).metrics ?? [];
}

describe.skipIf(!hasPython)("MLflow tracking against a real mlflow server", () => {
  beforeAll(async () => {
    server = await startMlflow();
  }, 300_000);
  afterAll(async () => {
    await server?.stop();
  }, 30_000);

  test("params, step metrics, tags, status and files; logging twice updates the same run; new steps are added once", async () => {
    const dir = makeRun();
    const run = await readRun(dir);
    const first = await logRunToMlflow(run, { uri: server.uri, experiment: "ctxc-test" });
    expect(first.created).toBe(true);
    expect(first.params).toBeGreaterThan(BATCH.params);
    expect(first.metrics).toBeGreaterThan(BATCH.metrics);

    const exp = (await rest("experiments/get-by-name", { experiment_name: "ctxc-test" })).experiment;
    expect(exp.experiment_id).toBe(first.experimentId);
    const got = (await rest("runs/get", { run_id: first.runId })).run;
    expect(got.info.status).toBe("FINISHED");
    expect(got.info.run_name).toBe(run.id);
    const params = Object.fromEntries(got.data.params.map((p: any) => [p.key, p.value]));
    expect(params).toMatchObject({ model: "Qwen/Qwen3-8B", rank: "32", "adam.beta2": "0.95", base_model: "Qwen/Qwen3-8B", "dataset.rows.train": "800", opt_129: "129" });
    expect(Object.keys(params)).toHaveLength(first.params);
    // Secrets never leave: an option named like a token, a value that looks like a key.
    expect(params.hf_token).toBeUndefined();
    expect(params.note).toBeUndefined();
    expect(JSON.stringify(got)).not.toContain(FAKE_TINKER_KEY);
    const tags = Object.fromEntries(got.data.tags.map((t: any) => [t.key, t.value]));
    expect(tags).toMatchObject({ [RUN_ID_TAG]: run.id, "ctxc.trainer": "trainer/tinker", "ctxc.status": "completed", "ctxc.sampler_path": "tinker://run-1/sampler_weights/final", "ctxc.version.tinker": "0.38.0" });

    const loss = await history(first.runId, "train/loss");
    expect(loss).toHaveLength(STEPS); // the null (NaN) point is left out
    expect(loss.map((m) => Number(m.step)).sort((a, b) => a - b).slice(0, 3)).toEqual([1, 2, 3]);
    const m100 = loss.find((m) => Number(m.step) === 100)!;
    expect(m100.value).toBeCloseTo(1.5, 12);
    expect(Number(m100.timestamp)).toBe((1764583200 + 100) * 1000);
    expect(await history(first.runId, "valid/loss")).toHaveLength(11);
    expect((await history(first.runId, "final/val_loss"))[0].value).toBe(0.75);

    // Files, through the artifact proxy, byte for byte.
    const listed = await rest("artifacts/list", { run_id: first.runId, path: "adapter" });
    expect(listed.files.map((f: any) => f.path).sort()).toEqual(["adapter/adapter_config.json", "adapter/adapter_model.safetensors"]);
    const uri = String(got.info.artifact_uri).replace(/^mlflow-artifacts:/, "");
    const bytes = new Uint8Array(await (await fetch(`${server.uri}/api/2.0/mlflow-artifacts/artifacts${uri}/adapter/adapter_model.safetensors`)).arrayBuffer());
    expect(bytes.length).toBe(4096);
    expect(bytes[300]).toBe(300 % 251);
    expect(first.artifacts).toEqual(["adapter/adapter_config.json", "adapter/adapter_model.safetensors", "metrics.jsonl", "run.json", "train.log"]);

    // Again, unchanged: the same MLflow run, nothing new.
    const second = await logRunToMlflow(run, { uri: server.uri, experiment: "ctxc-test" });
    expect(second).toMatchObject({ created: false, runId: first.runId, params: 0, metrics: 0 });
    expect(await runsTagged(first.experimentId, run.id)).toHaveLength(1);
    expect(await history(first.runId, "train/loss")).toHaveLength(STEPS);

    // The run went on (a resume) and then failed: one new point, the new status.
    appendFileSync(join(dir, "metrics.jsonl"), JSON.stringify({ event: "metric", step: STEPS + 1, split: "train", loss: 0.4, t: 1764590000 }) + "\n");
    const third = await logRunToMlflow({ ...run, status: "failed", error: { message: "connection lost" } }, { uri: server.uri, experiment: "ctxc-test" });
    expect(third).toMatchObject({ created: false, runId: first.runId, metrics: 1 });
    expect(await history(first.runId, "train/loss")).toHaveLength(STEPS + 1);
    const after = (await rest("runs/get", { run_id: first.runId })).run;
    expect(after.info.status).toBe("FAILED");
    expect(after.data.tags.find((t: any) => t.key === "ctxc.error").value).toBe("connection lost");
  }, 240_000);

  test("`ctxc runs log` by run id under --runs-dir, --json result; a second call updates", async () => {
    const dir = makeRun("mlx/2026-12-01T12-00-00-000Z");
    const runsDir = join(dir, "..", "..");
    const a = await ctxc(["runs", "log", "mlx/2026-12-01T12-00-00-000Z", "--runs-dir", runsDir, "--mlflow", server.uri, "--experiment", "cli", "--json"]);
    expect(a.stderr).toBe("");
    expect(a.code).toBe(0);
    const r = JSON.parse(a.stdout);
    expect(r.created).toBe(true);
    const b = await ctxc(["runs", "log", dir, "--mlflow", server.uri, "--experiment", "cli"]);
    expect(b.code).toBe(0);
    expect(b.stdout + b.stderr).toContain(`updated MLflow run ${r.runId}`);
    expect(await runsTagged(r.experimentId, "mlx/2026-12-01T12-00-00-000Z")).toHaveLength(1);
  }, 120_000);

  test("a pipeline with [tracking] logs its trainer's run when the stage ends (trainer/tinker on the fake SDK)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ctxc-track-"));
    writeFileSync(join(dir, "pipeline.toml"), `name = "tracked"
out = "work"

[tracking]
mlflow = "${server.uri}"
experiment = "pipelines"

[[stages]]
use = "loader/jsonl"
paths = ["${PAIRS}"]

[[stages]]
use = "trainer/tinker"
model = "Qwen/Qwen3-8B"
batch_size = 32
eval_every = 0
python = "${testPython()}"
`);
    const env = fakeTinkerEnv(dir);
    const r = await ctxc(["run", "pipeline.toml"], { cwd: dir, env });
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/tracking: logged MLflow run [0-9a-f]+/);
    const record = await Bun.file(join(dir, "work", "02-trainer-tinker", "run.json")).json();
    const exp = (await rest("experiments/get-by-name", { experiment_name: "pipelines" })).experiment;
    const runs = await runsTagged(exp.experiment_id, record.id);
    expect(runs).toHaveLength(1);
    expect(runs[0].info.status).toBe("FINISHED");
    const tags = Object.fromEntries(runs[0].data.tags.map((t: any) => [t.key, t.value]));
    expect(tags["ctxc.sampler_path"]).toBe(record.samplerPath);
    expect(await history(runs[0].info.run_id, "train/loss")).toHaveLength(record.metrics.steps);
    const files = (await rest("artifacts/list", { run_id: runs[0].info.run_id, path: "adapter" })).files.map((f: any) => f.path);
    expect(files).toContain("adapter/adapter_model.safetensors");
    // Nothing secret reached MLflow.
    expect(JSON.stringify(runs[0])).not.toContain(TEST_KEY);
  }, 240_000);
});

describe("MLflow client without a server", () => {
  test("auth: Basic from MLFLOW_TRACKING_USERNAME/PASSWORD (DagsHub), Bearer from MLFLOW_TRACKING_TOKEN, none otherwise", () => {
    expect(authHeader({ MLFLOW_TRACKING_USERNAME: "me", MLFLOW_TRACKING_PASSWORD: "tok" })).toBe(`Basic ${btoa("me:tok")}`);
    expect(authHeader({ MLFLOW_TRACKING_TOKEN: "abc" })).toBe("Bearer abc");
    expect(authHeader({})).toBeUndefined();
  });

  test("the credentials are sent; a 401 becomes a hint about them, without them in the message", async () => {
    const seen: string[] = [];
    const http = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: (req) => (seen.push(req.headers.get("authorization") ?? ""), Response.json({ error_code: "UNAUTHENTICATED", message: "bad credentials" }, { status: 401 })) });
    try {
      const err = await logRunToMlflow(await readRun(makeRun()), { uri: `http://127.0.0.1:${http.port}`, env: { MLFLOW_TRACKING_USERNAME: "me", MLFLOW_TRACKING_PASSWORD: "s3cret-pw" } }).catch((e) => e);
      expect(err).toBeInstanceOf(MlflowError);
      expect(err.message).toContain("HTTP 401 UNAUTHENTICATED: bad credentials");
      expect(err.hint).toContain("MLFLOW_TRACKING_USERNAME");
      expect(`${err.message} ${err.hint}`).not.toContain("s3cret-pw");
      expect(seen[0]).toBe(`Basic ${btoa("me:s3cret-pw")}`);
    } finally {
      http.stop(true);
    }
  });

  test("an unreachable server is named with a hint", async () => {
    const port = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response() });
    const url = `http://127.0.0.1:${port.port}`;
    port.stop(true);
    const err = await logRunToMlflow(await readRun(makeRun()), { uri: url, env: {} }).catch((e) => e);
    expect(err.message).toContain(`cannot reach the MLflow server at ${url}`);
    expect(err.hint).toContain("server is running");
  });
});
