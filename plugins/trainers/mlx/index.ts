// trainer/mlx: a LoRA (or DoRA) student trained with the real mlx-lm, through an embedded Python
// shim (shim.py) that calls mlx-lm's own training functions and prints JSON-lines events. The run
// lives in models/runs/mlx/<timestamp>/ (run.json, metrics.jsonl, train.log, config.yaml,
// adapter/, checkpoints/). A re-run after a kill resumes the unfinished run with the same resume
// key from its last checkpoint; a finished run is skipped by the runner's stage fingerprint.
import { appendFileSync, existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { defineTrainer } from "../../../src/sdk/index.ts";
import type { Dataset, RunRecord, StageContext } from "../../../src/sdk/types.ts";
import { findPython, PYTHON_SETUP_HINT } from "../../../src/python/find.ts";
import { runShim, type ShimEvent, type ShimResult } from "../../../src/python/shim.ts";
import { readRun, writeRun } from "../../../src/runs/run-file.ts";
import { findResumable, resumeKey } from "../../../src/runs/resume.ts";
import { createRunDir, METRICS_FILE, RUN_FORMAT, runsDirFor, toRunRecord, type RunJson } from "../../../src/runs/store.ts";
import { classify, type Outcome } from "./failures.ts";
import { DEFAULT_ITERS, mlxOptions, PLACE_OPTIONS, type MlxOptions } from "./options.ts";
import { TrainProgress } from "./progress.ts";
import shimSource from "./shim.py" with { type: "text" };

const NAME = "trainer/mlx";
const VERSION = "1.0.0";

/** A model option that names a local folder (relative to the pipeline file) rather than a Hugging Face id. */
export function localModelPath(model: string, root: string): string | undefined {
  if (/^(\.{1,2}\/|\/|~)/.test(model)) return resolve(root, model.replace(/^~(?=\/)/, process.env.HOME ?? "~"));
  const rel = resolve(root, model);
  return existsSync(rel) ? rel : undefined;
}

interface Checkpoint {
  iteration: number;
  adapter: string;
  optimizer: string;
}

async function latestCheckpoint(dir: string): Promise<Checkpoint | undefined> {
  const f = Bun.file(join(dir, "checkpoints", "latest.json"));
  if (!(await f.exists())) return undefined;
  try {
    const c = (await f.json()) as Checkpoint;
    return existsSync(c.adapter) && existsSync(c.optimizer) ? c : undefined;
  } catch {
    return undefined;
  }
}

/** A new run folder, or the unfinished one a previous (killed) run of the same stage left. */
async function openRun(dataset: Dataset, opts: MlxOptions, ctx: StageContext, model: string): Promise<{ run: RunJson; resume?: Checkpoint }> {
  const runsDir = runsDirFor(ctx.paths.root, opts.runs_dir);
  const fingerprint = resumeKey({ trainer: NAME, version: VERSION, options: opts, datasetFingerprint: dataset.fingerprint, ignore: PLACE_OPTIONS });
  const prev = await findResumable(runsDir, NAME, fingerprint);
  if (prev) {
    const resume = await latestCheckpoint(prev.dir);
    ctx.log.info(resume
      ? `resuming run ${prev.id} (left ${prev.status}) from its checkpoint at iteration ${resume.iteration}`
      : `restarting run ${prev.id} (left ${prev.status} before its first checkpoint)`);
    return { run: { ...prev, status: "running", error: undefined, resumes: Number(prev.resumes ?? 0) + 1 }, resume };
  }
  const { id, dir } = createRunDir(runsDir, NAME);
  const run: RunJson = {
    format: RUN_FORMAT, trainer: NAME, id, dir, status: "running", createdAt: new Date().toISOString(),
    baseModel: model, adapter: "adapter", datasetFingerprint: dataset.fingerprint, fingerprint,
    config: { ...opts }, dataset: { fingerprint: dataset.fingerprint, counts: dataset.counts },
    datasetDir: dataset.dir,
    prompt: { system: dataset.systemPrompt, user_prefix: dataset.userPrefix }, // what `ctxc compress` must send it
    backend: { name: "mlx", versions: {} }, metrics: {}, seconds: 0,
  };
  return { run };
}

async function train(dataset: Dataset, opts: MlxOptions, ctx: StageContext): Promise<RunRecord> {
  const model = localModelPath(opts.model, ctx.paths.root) ?? opts.model;
  const { run, resume } = await openRun(dataset, opts, ctx, model);
  const dir = run.dir;
  await writeRun(dir, run);
  ctx.log.info(`run folder ${dir}`);

  const python = findPython({ option: opts.python, root: ctx.paths.root });
  const job = {
    model, data: dataset.dir, adapter_dir: join(dir, "adapter"), checkpoint_dir: join(dir, "checkpoints"), config_yaml: join(dir, "config.yaml"),
    options: { ...opts, iters: opts.iters ?? (opts.epochs === undefined ? DEFAULT_ITERS : undefined), model: undefined, python: undefined, runs_dir: undefined },
    resume: resume ?? null,
  };
  await Bun.write(join(dir, "job.json"), JSON.stringify(job, null, 2) + "\n");

  // run.json is rewritten at checkpoints; one write at a time (each is temp file + rename).
  let writes = Promise.resolve();
  const save = () => (writes = writes.then(() => writeRun(dir, run)));
  const progress = new TrainProgress();
  let done: ShimEvent | undefined;
  const onEvent = (e: ShimEvent) => {
    appendFileSync(join(dir, METRICS_FILE), JSON.stringify(e) + "\n");
    const line = progress.update(e);
    if (line) ctx.log.info(line);
    if (e.event === "start") {
      run.backend = { name: `mlx-${String(e.device ?? "cpu")}`, versions: (e.versions ?? {}) as Record<string, string> };
      run.python = { path: python.python, source: python.source };
      run.rows = e.rows;
      void save();
    } else if (e.event === "checkpoint" && !e.final) {
      run.checkpoint = { iteration: e.step, adapter: e.path };
      void save();
    } else if (e.event === "log") {
      if (e.level === "warn") ctx.log.warn(String(e.message));
      else ctx.log.info(String(e.message));
    } else if (e.event === "done") done = e;
  };

  const t0 = performance.now();
  let outcome: Outcome;
  let result: ShimResult | undefined;
  try {
    result = await runShim({ python: python.python, script: { name: "mlx_train.py", source: shimSource }, args: [join(dir, "job.json")], dir, signal: ctx.signal, onEvent });
    outcome = classify(result, done !== undefined, opts);
  } catch (e) {
    outcome = { status: "failed", kind: "python_missing", message: `${(e as Error).message} (chosen by ${python.source})`, hint: PYTHON_SETUP_HINT };
  }
  await writes;

  run.status = outcome.status;
  run.finishedAt = new Date().toISOString();
  run.seconds = Number(run.seconds ?? 0) + (performance.now() - t0) / 1000;
  // Only finite numbers: a shim sends NaN/inf as null, and run.json's metrics are numbers.
  const final = Object.fromEntries(Object.entries((done?.metrics ?? {}) as Record<string, unknown>).filter(([, x]) => typeof x === "number" && Number.isFinite(x))) as Record<string, number>;
  const tps = progress.meanTokensPerSec();
  run.metrics = { ...run.metrics, ...final, ...(tps !== undefined ? { tokens_per_sec: tps } : {}) };
  if (outcome.status !== "completed") run.error = { message: outcome.message ?? "training failed", hint: outcome.hint, kind: outcome.kind };
  await writeRun(dir, run);

  if (outcome.status === "completed") {
    const m = run.metrics;
    const test = m.test_loss !== undefined ? ` · test loss ${m.test_loss.toFixed(3)} (ppl ${m.test_ppl?.toFixed(2)})` : "";
    ctx.log.success(`trained ${m.iterations ?? "?"} iterations${test} → ${join(dir, "adapter")}`);
  } else {
    ctx.log.error(`${outcome.message}${outcome.hint ? `\n  hint: ${outcome.hint}` : ""}`);
  }
  return toRunRecord(await readRun(dir));
}

export default defineTrainer({
  name: NAME,
  version: VERSION,
  description: "LoRA/DoRA student with the real mlx-lm (Apple Silicon Metal, or CPU via mlx[cpu]) through an embedded Python shim",
  options: mlxOptions,
  preflight(opts, env) {
    const problems: string[] = [];
    if (opts.iters !== undefined && opts.epochs !== undefined) problems.push("set `iters` or `epochs`, not both");
    const local = localModelPath(opts.model, env.root);
    if (local && !existsSync(local)) problems.push(`model folder ${local} does not exist (a local path; for a Hugging Face id write it as org/name, e.g. mlx-community/Qwen3-4B-Instruct-2507-4bit)`);
    if (opts.save_every % opts.grad_accumulation !== 0) problems.push(`save_every (${opts.save_every}) must be a multiple of grad_accumulation (${opts.grad_accumulation}): a checkpoint between two optimizer updates would lose the summed gradients`);
    return problems;
  },
  train,
});
