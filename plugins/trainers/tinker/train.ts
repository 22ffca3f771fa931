// Runs one Tinker training: finds the run to resume (same fingerprint, not completed, with a
// state checkpoint) or makes a new run folder, writes the shim and its config there, runs it with
// the chosen Python, and turns its events into metrics.jsonl, run.json, ledger entries and log
// lines. The API key reaches the shim only through the inherited environment (TINKER_API_KEY).
import { appendFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { Dataset, RunRecord, StageContext } from "../../../src/sdk/types.ts";
import { findPython, PYTHON_SETUP_HINT } from "../../../src/python/find.ts";
import { runShim, type ShimEvent } from "../../../src/python/shim.ts";
import { findResumable, lastCheckpoint, resumeKey, type RunCheckpoint } from "../../../src/runs/resume.ts";
import { writeRun } from "../../../src/runs/run-file.ts";
import { createRunDir, METRICS_FILE, runsDirFor, toRunRecord, RUN_FORMAT, type RunJson } from "../../../src/runs/store.ts";
import shimPy from "./shim.py" with { type: "text" };
import surfacePy from "./tinker_surface.py" with { type: "text" };
import { ledgerModel, priceOf, usdFor } from "./cost.ts";
import type { TinkerOptions } from "./options.ts";

export const NAME = "trainer/tinker";
export const VERSION = "1.0.0";
/** Saving a state checkpoint on Tinker takes a while: SIGKILL only after this long. */
const STOP_GRACE_MS = 180_000;

/** What decides whether a run can be resumed: never `python`, `runs_dir` or prices (where/how, not what). */
export function runFingerprint(dataset: Dataset, opts: TinkerOptions): string {
  return resumeKey({ trainer: NAME, version: VERSION, options: opts, datasetFingerprint: dataset.fingerprint, ignore: ["python", "runs_dir", "price_per_mtok"] });
}

export async function trainTinker(dataset: Dataset, opts: TinkerOptions, ctx: StageContext): Promise<RunRecord> {
  const runsDir = runsDirFor(ctx.paths.root, opts.runs_dir);
  const fingerprint = runFingerprint(dataset, opts);
  // A failed Tinker run (a dropped connection, a billing stop) continues from its last checkpoint too.
  const previous = await findResumable(runsDir, NAME, fingerprint, ["running", "interrupted", "failed"]);
  const resumeFrom = previous && lastCheckpoint(previous, "state");
  let run: RunJson;
  if (previous && resumeFrom) {
    run = { ...previous, status: "running", error: undefined };
    ctx.log.info(`resuming ${run.id} from its checkpoint at step ${resumeFrom.step} (${resumeFrom.path})`);
  } else {
    const { id, dir } = createRunDir(runsDir, NAME);
    const { python: _p, ...config } = opts;
    run = {
      trainer: NAME, dir, id, format: RUN_FORMAT, baseModel: opts.model, datasetFingerprint: dataset.fingerprint, status: "running",
      createdAt: new Date().toISOString(), config, dataset: { fingerprint: dataset.fingerprint, counts: dataset.counts },
      datasetDir: dataset.dir, prompt: { system: dataset.systemPrompt, user_prefix: dataset.userPrefix }, // what the student is sent at inference
      backend: { name: "tinker", versions: {} }, metrics: {}, fingerprint, checkpoints: [], costUsd: 0,
    };
  }
  const started = Date.now();
  if (dataset.counts.train === 0) {
    // Nothing to train on: say so before a session is opened (or paid for).
    Object.assign(run, { status: "failed", error: { message: `no rows to train on: ${dataset.train} is empty`, hint: "check the stages before the trainer kept some pairs (`ctxc inspect`), or the [dataset] split" } });
    await writeRun(run.dir, run);
    return toRunRecord(run);
  }
  await writeRun(run.dir, run);

  const price = priceOf(opts);
  if (!price) ctx.log.warn(`no Tinker price known for ${opts.model}: spend is recorded as unknown and [budget] max_usd cannot stop this stage (set price_per_mtok)`);
  writeFileSync(join(run.dir, "tinker_surface.py"), surfacePy);
  writeFileSync(join(run.dir, "tinker_config.json"), JSON.stringify(shimConfig(run, dataset, opts, resumeFrom), null, 2) + "\n");
  const { python } = findPython({ option: opts.python, root: ctx.paths.root });

  // run.json is rewritten at every checkpoint (so a SIGKILL leaves the last one recorded); writes
  // are chained so they land in order.
  let writes = Promise.resolve();
  const save = () => (writes = writes.then(() => writeRun(run.dir, run)));
  let stopped = false;
  let done: ShimEvent | undefined;
  let total = 0;
  const onEvent = (e: ShimEvent) => {
    if (e.event !== "log") appendFileSync(join(run.dir, METRICS_FILE), JSON.stringify(e) + "\n");
    switch (e.event) {
      case "start":
        run.backend = { name: "tinker", versions: (e.versions as Record<string, string>) ?? {} };
        break;
      case "plan":
        total = Number(e.steps);
        ctx.log.info(`${opts.model}: ${e.train_rows} train / ${e.valid_rows} valid conversations, ${total} steps${Number(e.start) ? ` (from step ${e.start})` : ""}`);
        break;
      case "metric": {
        const tokens = Number(e.tokens ?? 0);
        const usd = usdFor(tokens, e.split === "train" ? price?.train : price?.prefill);
        run.costUsd = usd === null ? run.costUsd : (run.costUsd ?? 0) + usd;
        if (tokens > 0) ctx.costs.record({ model: ledgerModel(opts.model), tokensIn: tokens, tokensOut: 0, usd });
        if (e.split === "valid") ctx.log.info(`step ${e.step}/${total}: valid loss ${fmt(e.loss)}`);
        else if (Number(e.step) % Math.max(1, Math.ceil(total / 20)) === 0) ctx.log.info(`step ${e.step}/${total}: train loss ${fmt(e.loss)}, lr ${Number(e.learning_rate).toExponential(2)}`);
        break;
      }
      case "checkpoint":
        (run.checkpoints as RunCheckpoint[]).push({ step: Number(e.step), path: String(e.path), kind: String(e.kind ?? "state") });
        save();
        break;
      case "stopped":
        stopped = true;
        break;
      case "log":
        if (e.level === "warn") ctx.log.warn(String(e.message));
        else ctx.log.info(String(e.message));
        break;
      case "done":
        done = e;
        break;
    }
  };
  let result;
  try {
    result = await runShim({ python, script: { name: "tinker_train.py", source: shimPy }, args: ["tinker_config.json"], dir: run.dir, signal: ctx.signal, onEvent, graceMs: STOP_GRACE_MS });
  } catch (e) {
    result = { exitCode: null, signalCode: null, stderrTail: [], aborted: false, error: { event: "error", kind: "no_python", message: (e as Error).message, hint: PYTHON_SETUP_HINT } };
  }
  await writes;

  run.seconds = (run.seconds ?? 0) + (Date.now() - started) / 1000;
  if (done && result.exitCode === 0) {
    run.status = "completed";
    run.finishedAt = new Date().toISOString();
    run.metrics = { ...(done.metrics as Record<string, number>), steps: Number(done.steps) };
    run.samplerPath = String(done.sampler_path);
    run.adapter = "adapter";
  } else if (stopped || result.aborted) {
    run.status = "interrupted";
    ctx.log.warn(`stopped at a checkpoint; run the pipeline again to resume ${run.id}`);
  } else {
    run.status = "failed";
    run.error = failure(result.error, result);
  }
  await writeRun(run.dir, run);
  return toRunRecord(run);
}

function shimConfig(run: RunJson, dataset: Dataset, o: TinkerOptions, resume: RunCheckpoint | undefined) {
  return {
    run_id: run.id, model: o.model, rank: o.rank, seed: o.seed, train_mlp: o.train_mlp, train_attn: o.train_attn, train_unembed: o.train_unembed,
    learning_rate: o.learning_rate, lr_schedule: o.lr_schedule, warmup_steps: o.warmup_steps, epochs: o.epochs, steps: o.steps ?? null,
    batch_size: o.batch_size, max_seq_length: o.max_seq_length, eval_every: o.eval_every, val_batches: o.val_batches, save_every: o.save_every,
    adam: { beta1: o.beta1, beta2: o.beta2, eps: o.eps, weight_decay: o.weight_decay, grad_clip_norm: o.grad_clip_norm },
    data: { train: dataset.train, valid: dataset.counts.valid > 0 ? dataset.valid : null },
    adapter_dir: join(run.dir, "adapter"),
    resume: resume ? { state_path: resume.path, step: resume.step } : null,
  };
}

const HINTS: Record<string, string> = {
  missing_package: PYTHON_SETUP_HINT,
  auth: "check TINKER_API_KEY (a key from the Tinker console, tml-…)",
  billing: "the Tinker account needs billing set up or more credit",
  connection: "Tinker could not be reached; run the pipeline again to resume from the last checkpoint",
  rate_limit: "Tinker is rate limiting this account; run again later to resume",
};

function failure(e: ShimEvent | undefined, r: { exitCode: number | null; signalCode: string | null; stderrTail: string[] }): { message: string; hint?: string } {
  if (e) {
    const kind = String(e.kind ?? "");
    return { message: String(e.message), hint: (e.hint as string | undefined) ?? HINTS[kind] ?? "see train.log in the run folder" };
  }
  const last = r.stderrTail.filter((l) => l.trim()).slice(-3).join(" | ");
  const how = r.signalCode ? `was killed by ${r.signalCode}` : `exited with code ${r.exitCode}`;
  return { message: `the Tinker shim ${how}${last ? `: ${last}` : ""}`, hint: /No module named/.test(last) ? PYTHON_SETUP_HINT : "see train.log in the run folder" };
}

const fmt = (x: unknown) => (typeof x === "number" ? x.toFixed(4) : "n/a");
