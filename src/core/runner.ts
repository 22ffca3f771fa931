// Runs a checked plan. Record stages stream doc batches to each other (backpressure through async
// iteration); each writes NN-name/{out,rejected}.jsonl and stats.json. A stage whose fingerprint
// matches the manifest, that had no retryable failures, and whose output still hashes to what the
// manifest recorded is skipped; from the first stage that must run, the rest of the record stages
// run as one streaming segment. Then the dataset step, the trainer and the evaluators, each
// skipped when unchanged. The whole run holds the workspace lock (src/core/lock.ts); `estimate`
// runs in a temporary folder and writes nothing to the workspace.
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Dataset, Doc, RunRecord, Report, StageContext, StageEstimate } from "../sdk/types.ts";
import { readJsonl } from "../text/jsonl.ts";
import { readJsonIfExists, writeJsonAtomic } from "./atomic.ts";
import { createStageContext } from "./context.ts";
import { datasetAt, datasetFingerprint, datasetIntact, loadSystemPrompt, writeDataset, type DatasetStats } from "./dataset.ts";
import { CtxcError, EXIT } from "./errors.ts";
import { log } from "./log.ts";
import { BATCH } from "./ordered.ts";
import { outputIntact, stageFingerprint, writeManifest, type Manifest, type StageEntry } from "./manifest.ts";
import type { Plan, PlannedStage } from "./plan.ts";
import { Progress } from "./progress.ts";
import { selectStage } from "./select.ts";
import { StageRun } from "./stage-run.ts";
import { guard } from "./stall.ts";
import { STORE_FILE, Store } from "./store.ts";
import { claimStageDir, openWorkspace, type OpenWorkspace } from "./workspace.ts";

export interface RunOptions {
  only?: string;
  from?: string;
  force?: boolean;
  failFast?: boolean;
  /** Aborting it (Ctrl-C) stops the run cleanly: in-flight work finishes, outputs flush. */
  signal?: AbortSignal;
  progress?: boolean;
  /** Run only the free stages before the first that spends money, then report what the paid
   *  stages would cost (their `estimate` hooks) instead of running them. */
  estimate?: boolean;
  /** When another process holds the workspace: wait for it instead of failing (exit 2). */
  wait?: boolean;
  /** Use a non-empty `out` folder that has no ctxc manifest (nothing of it is ever deleted). */
  forceOut?: boolean;
}

export type StageOutcome = "ran" | "skipped" | "interrupted" | "failed";

export interface StageSummary {
  label: string;
  use: string;
  outcome: StageOutcome;
  in?: number;
  out?: number;
  rejected?: Record<string, number>;
  seconds: number;
  /** A trainer stage's run folder (models/runs/<trainer>/<timestamp>). */
  run?: string;
}

export interface RunSummary {
  pipeline: string;
  out: string;
  status: "completed" | "interrupted" | "budget" | "failed";
  stages: StageSummary[];
  dataset?: { outcome: StageOutcome; counts?: DatasetStats["counts"] };
  /** With `estimate`: per paid stage, what it would send and cost. */
  estimates?: Array<StageEstimate & { stage: string }>;
  spentUsd: number;
  seconds: number;
}

const DATASET = "dataset";

export async function runPipeline(plan: Plan, opts: RunOptions = {}): Promise<RunSummary> {
  if (opts.estimate) return estimateRun(plan, opts);
  const ws = await openWorkspace(plan.config.out, plan.config.name, { wait: opts.wait, forceOut: opts.forceOut });
  try {
    return await runLocked(plan, opts, ws, new Store(join(plan.config.out, STORE_FILE)));
  } finally {
    ws.lock.release();
  }
}

/**
 * `--estimate` writes nothing in the workspace: the free stages run in a temporary folder, and the
 * workspace's call cache (to count cached requests as free) is opened read-only.
 */
async function estimateRun(plan: Plan, opts: RunOptions): Promise<RunSummary> {
  const tmp = await mkdtemp(join(tmpdir(), "ctxc-estimate-"));
  try {
    const moved: Plan = { ...plan, config: { ...plan.config, out: tmp } };
    const at = (s: PlannedStage) => ({ ...s, dir: join(tmp, s.label) });
    moved.stages = plan.stages.map(at);
    moved.recordStages = moved.stages.filter((s) => plan.recordStages.some((r) => r.label === s.label));
    moved.trainer = plan.trainer && at(plan.trainer);
    moved.evaluators = plan.evaluators.map(at);
    const ws = await openWorkspace(tmp, plan.config.name);
    try {
      const summary = await runLocked(moved, opts, ws, Store.forEstimate(join(plan.config.out, STORE_FILE), join(tmp, STORE_FILE)));
      return { ...summary, out: plan.config.out };
    } finally {
      ws.lock.release();
    }
  } finally {
    await rm(tmp, { recursive: true, force: true });
  }
}

async function runLocked(plan: Plan, opts: RunOptions, ws: OpenWorkspace, store: Store): Promise<RunSummary> {
  const started = performance.now();
  const { config } = plan;
  const stop = new AbortController();
  let stopReason: "interrupted" | "budget" | undefined;
  const onAbort = () => {
    stopReason ??= "interrupted";
    stop.abort();
  };
  opts.signal?.addEventListener("abort", onAbort, { once: true });
  if (opts.signal?.aborted) onAbort();
  const budgetHit = () => {
    if (stop.signal.aborted) return;
    stopReason = "budget";
    log.warn(`budget reached: $${store.spent().toFixed(2)} spent of [budget] max_usd = ${config.budget.max_usd}; finishing calls in flight`);
    stop.abort();
  };
  const stopped = () => stop.signal.aborted;
  const { manifest } = ws;
  const summary: RunSummary = { pipeline: config.name, out: config.out, status: "completed", stages: [], spentUsd: 0, seconds: 0 };
  const selection = resolveSelection(plan, opts);
  const makeCtx = (stage: PlannedStage, counters: Record<string, number>): StageContext =>
    createStageContext({
      stage: { index: stage.index, name: stage.plugin.name, use: stage.use, label: stage.label },
      paths: { root: config.root, out: config.out, stage: stage.dir },
      store,
      pipeline: config.name,
      signal: stop.signal,
      counters,
      maxUsd: config.budget.max_usd,
      onBudget: budgetHit,
    });
  // A record stage's ctx is made once: the loader fingerprint hook and the run share it.
  const recordContexts = new Map<PlannedStage, { ctx: StageContext; counters: Record<string, number> }>();
  const contextOf = (stage: PlannedStage) => {
    let c = recordContexts.get(stage);
    if (!c) {
      const counters: Record<string, number> = {};
      c = { ctx: makeCtx(stage, counters), counters };
      recordContexts.set(stage, c);
    }
    return c;
  };
  // A loader's fingerprint hook is asked once, before the loader runs: the value saved in the
  // manifest must describe the inputs as they were read, not as they are after a long load.
  const loaderExtras = new Map<PlannedStage, string | undefined>();
  const extraOf = async (stage: PlannedStage): Promise<string | undefined> => {
    if (!loaderExtras.has(stage)) {
      const p = stage.plugin;
      loaderExtras.set(stage, p.kind === "loader" && p.fingerprint ? await guard(`${stage.label} (${p.name}) fingerprint`, Promise.resolve(p.fingerprint(stage.options, contextOf(stage).ctx))) : undefined);
    }
    return loaderExtras.get(stage);
  };

  try {
    await pruneStaleStageDirs(plan, manifest);
    await writeManifest(config.out, manifest);
    if (config.budget.max_usd !== undefined && store.spent() >= config.budget.max_usd) budgetHit();

    // --- record stages ---
    const rec = plan.recordStages;
    const paidFrom = opts.estimate ? rec.findIndex((s) => hasEstimate(s)) : -1;
    const freeStages = paidFrom >= 0 ? rec.slice(0, paidFrom) : rec;
    let inputHash = "";
    let i = 0;
    while (i < freeStages.length && !stopped()) {
      const stage = rec[i]!;
      const prev = manifest.stages[stage.label];
      const fp = stageFingerprint(stage, inputHash, await extraOf(stage));
      const forced = selection.forced(stage);
      const volatileLoader = stage.plugin.kind === "loader" && !stage.plugin.fingerprint;
      const unchanged = prev?.status === "done" && prev.fingerprint === fp && !prev.retryable && !forced && !volatileLoader;
      if (!selection.runs(stage) || unchanged) {
        // Trust the manifest only as far as the file still holds what it recorded.
        if (prev?.status === "done" && (await outputIntact(join(stage.dir, "out.jsonl"), prev))) {
          summary.stages.push({ label: stage.label, use: stage.use, outcome: "skipped", ...prev.counts, seconds: 0 });
          inputHash = prev.outputHash!;
          i++;
          continue;
        }
        if (!selection.runs(stage)) {
          throw new CtxcError(`${stage.label} has no finished output to start from${prev?.status === "done" ? " (its out.jsonl is missing or no longer what the manifest recorded)" : ""}`, { hint: "run the earlier stages first (drop --only/--from), or run the whole pipeline once", exitCode: EXIT.failed });
        }
        log.warn(`${stage.label}: its saved output is missing or no longer matches the manifest (changed or damaged since it was written); running it again`);
      } else if (prev?.retryable && prev.fingerprint === fp) {
        log.info(`${stage.label}: ${prev.retryable} docs failed last time with errors worth retrying; running it again (answers already received come from the cache and cost nothing)`);
      }
      // Run a segment: just this stage when it is a loader without a fingerprint hook (so the
      // stages after it can still be skipped when its output is unchanged), or when --only
      // asked for one stage; else every remaining record stage.
      const end = volatileLoader || opts.only ? i + 1 : freeStages.length;
      const segment = rec.slice(i, end);
      const inputFile = i > 0 ? join(rec[i - 1]!.dir, "out.jsonl") : undefined;
      const total = i > 0 ? manifest.stages[rec[i - 1]!.label]?.counts?.out : undefined;
      const hashes = await runSegment(segment, inputFile, inputHash, { contextOf, extraOf, stopped, failFast: !!opts.failFast, progress: opts.progress !== false, total, store, manifest, summary });
      inputHash = hashes.at(-1) ?? inputHash;
      i = end;
      if (opts.only) break;
    }

    // With paid record stages the dataset does not exist yet: estimate those and stop there.
    // Without them the (free) dataset step runs and a paid trainer estimates on it below.
    if (opts.estimate && paidFrom >= 0) {
      summary.estimates = paidFrom > 0 && !stopped() ? await estimatePaidStages(rec.slice(paidFrom), join(rec[paidFrom - 1]!.dir, "out.jsonl"), (st) => makeCtx(st, {})) : [];
      return summary;
    }

    // --- dataset ---
    const last = rec.at(-1);
    let datasetFp: string | undefined;
    let dataset: Dataset | undefined;
    const lastEntry = last ? manifest.stages[last.label] : undefined;
    if (last && !stopped() && lastEntry?.status === "done" && lastEntry.outputHash) {
      const systemPrompt = await loadSystemPrompt(config.dataset, config.root);
      datasetFp = datasetFingerprint(config.dataset, systemPrompt, lastEntry.outputHash);
      const dir = join(config.out, DATASET);
      const prev = manifest.stages[DATASET];
      const upToDate = prev?.status === "done" && prev.fingerprint === datasetFp && (await datasetIntact(dir));
      if (!selection.runsDataset() || (!selection.forcedDataset() && upToDate)) {
        const stats = await readJsonIfExists<DatasetStats>(join(dir, "stats.json"));
        if (stats) {
          summary.dataset = { outcome: "skipped", counts: stats.counts };
          dataset = datasetAt(dir, stats.counts, prev?.fingerprint ?? datasetFp, systemPrompt, config.dataset.user_prefix);
          datasetFp = dataset.fingerprint;
        }
      } else {
        const t0 = performance.now();
        await claimStageDir(config.out, manifest, { label: DATASET, use: DATASET, plugin: DATASET, version: "1", fingerprint: datasetFp, inputHash: lastEntry.outputHash, status: "running", seconds: 0, finished: new Date().toISOString() }, dir);
        const res = await writeDataset({ input: join(last.dir, "out.jsonl"), outDir: dir, cfg: config.dataset, systemPrompt, fingerprint: datasetFp, onIssue: (m) => log.warn(m), onDebug: (m) => log.debug(m) });
        dataset = res.dataset;
        const seconds = (performance.now() - t0) / 1000;
        manifest.stages[DATASET] = { label: DATASET, use: DATASET, plugin: DATASET, version: "1", fingerprint: datasetFp, inputHash: lastEntry.outputHash, status: "done", seconds, finished: new Date().toISOString() };
        await writeManifest(config.out, manifest);
        summary.dataset = { outcome: "ran", counts: res.stats.counts };
        const c = res.stats.counts;
        log.info(`dataset: ${c.train} train, ${c.valid} valid, ${c.test} test rows → ${dir}`);
        if (res.stats.skipped.no_compressed) log.warn(`dataset: ${res.stats.skipped.no_compressed} docs have no compressed text and were left out (add a generator stage)`);
        const t = res.stats.tokens;
        log.info(`dataset tokens (${config.dataset.tokenizer}) p50/p90/max: train ${t.train.p50}/${t.train.p90}/${t.train.max}, valid ${t.valid.p50}/${t.valid.p90}/${t.valid.max}, test ${t.test.p50}/${t.test.p90}/${t.test.max}`);
        const over = t.train.overMaxSeqLength + t.valid.overMaxSeqLength + t.test.overMaxSeqLength;
        if (over > 0) log.warn(`dataset: ${over} rows are longer than max_seq_length = ${config.dataset.max_seq_length} tokens; the trainer will truncate them (raise [dataset] max_seq_length and the trainer's, or filter long docs with filter/length)`);
      }
    }

    // --- trainer and evaluators ---
    let model: RunRecord | null = null;
    let trainerFp = "";
    const t = plan.trainer;
    if (opts.estimate) {
      summary.estimates = [];
      if (t && t.plugin.kind === "trainer" && t.plugin.estimate && dataset && !stopped()) {
        for (const e of await t.plugin.estimate(dataset, t.options, makeCtx(t, {}))) summary.estimates.push({ stage: t.label, ...e });
      }
      return summary;
    }
    if (t && t.plugin.kind === "trainer" && dataset && datasetFp && !stopped()) {
      trainerFp = stageFingerprint(t, datasetFp);
      const prev = manifest.stages[t.label];
      const runFile = join(t.dir, "run.json");
      const upToDate = prev?.status === "done" && prev.fingerprint === trainerFp && (await exists(runFile));
      if (!selection.runs(t) || (!selection.forced(t) && upToDate)) {
        model = (await readJsonIfExists<RunRecord>(runFile)) ?? null;
        if (prev) trainerFp = prev.fingerprint;
        summary.stages.push({ label: t.label, use: t.use, outcome: "skipped", seconds: 0, run: model?.dir });
      } else {
        const t0 = performance.now();
        await claimStageDir(config.out, manifest, entry(t, trainerFp, datasetFp, "running", 0), t.dir);
        model = await guard(`${t.label} (${t.plugin.name}) training`, t.plugin.train(dataset, t.options, makeCtx(t, {})));
        await writeJsonAtomic(runFile, model);
        if (config.tracking.mlflow) await trackRun(model, config.tracking);
        const ok = model.status === "completed";
        const seconds = (performance.now() - t0) / 1000;
        manifest.stages[t.label] = { ...entry(t, trainerFp, datasetFp, ok ? "done" : model.status === "interrupted" ? "interrupted" : "failed", seconds), run: model.dir };
        await writeManifest(config.out, manifest);
        const outcome: StageOutcome = ok ? "ran" : model.status === "interrupted" ? "interrupted" : "failed";
        summary.stages.push({ label: t.label, use: t.use, outcome, seconds, run: model.dir });
        // Ctrl-C / the budget stopped it: the run's status says so (exit 130 / 3), not an error.
        if (!ok && !(model.status === "interrupted" && stopped())) {
          // A trainer's failed run carries what went wrong and how to fix it (run.json "error").
          const why = (model.error ?? {}) as { message?: string; hint?: string };
          throw new CtxcError(`${t.label} (${t.plugin.name}) ended with status ${model.status}${why.message ? `: ${why.message}` : ""}`, { hint: why.hint ? `${why.hint} (log: ${join(model.dir, "train.log")})` : `see ${join(model.dir, "train.log")}` });
        }
      }
    }
    if (plan.evaluators.length > 0 && dataset && datasetFp && !stopped()) {
      const reports: Report[] = [];
      for (const ev of plan.evaluators) {
        if (ev.plugin.kind !== "evaluator" || stopped()) continue;
        const fp = stageFingerprint(ev, datasetFp, trainerFp);
        const prev = manifest.stages[ev.label];
        const reportFile = join(ev.dir, "report.json");
        const upToDate = prev?.status === "done" && prev.fingerprint === fp && (await exists(reportFile));
        if (!selection.runs(ev) || (!selection.forced(ev) && upToDate)) {
          const r = await readJsonIfExists<Report>(reportFile);
          if (r) reports.push(r);
          summary.stages.push({ label: ev.label, use: ev.use, outcome: "skipped", seconds: 0 });
          continue;
        }
        const t0 = performance.now();
        await claimStageDir(config.out, manifest, entry(ev, fp, datasetFp, "running", 0), ev.dir);
        const testDocs: Doc[] = [];
        for await (const { value } of readJsonl<Doc>(join(dataset.dir, "test.docs.jsonl"))) testDocs.push(value);
        let report: Report | undefined;
        try {
          report = await guard(`${ev.label} (${ev.plugin.name}) evaluating`, ev.plugin.evaluate(testDocs, model, ev.options, makeCtx(ev, {})));
        } catch (e) {
          if (!stopped()) throw e; // Ctrl-C / the budget aborted its calls: exit 130 / 3, not an error
        }
        const seconds = (performance.now() - t0) / 1000;
        if (stopped()) {
          // A report cut short is not a report: the next run evaluates again.
          manifest.stages[ev.label] = entry(ev, fp, datasetFp, "interrupted", seconds);
          await writeManifest(config.out, manifest);
          summary.stages.push({ label: ev.label, use: ev.use, outcome: "interrupted", seconds });
          break;
        }
        await writeJsonAtomic(reportFile, report);
        reports.push(report!);
        manifest.stages[ev.label] = entry(ev, fp, datasetFp, "done", seconds);
        await writeManifest(config.out, manifest);
        summary.stages.push({ label: ev.label, use: ev.use, outcome: "ran", seconds });
      }
      if (!stopped()) await writeJsonAtomic(join(config.out, "report.json"), { pipeline: config.name, model, reports });
    }
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    summary.spentUsd = store.spent();
    store.close();
    summary.seconds = (performance.now() - started) / 1000;
  }
  if (stopReason) summary.status = stopReason;
  return summary;
}

/** `[tracking]`: log the trainer's run to MLflow. A tracking failure is a warning, never a lost model. */
async function trackRun(model: RunRecord, tracking: { mlflow?: string; experiment?: string }): Promise<void> {
  try {
    const [{ readRun }, { logRunToMlflow }] = await Promise.all([import("../runs/run-file.ts"), import("../runs/mlflow.ts")]); // only pipelines with [tracking] load them
    const run = await readRun(model.dir);
    const r = await logRunToMlflow(run, { uri: tracking.mlflow!, experiment: tracking.experiment });
    log.info(`tracking: ${r.created ? "logged" : "updated"} MLflow run ${r.runId} (${r.metrics} metric points, ${r.artifacts.length} files) at ${tracking.mlflow}`);
    if (r.artifactsSkipped) log.warn(`tracking: files not uploaded: ${r.artifactsSkipped}`);
  } catch (e) {
    const hint = (e as { hint?: string }).hint;
    log.warn(`tracking: could not log ${model.dir} to MLflow: ${(e as Error).message}${hint ? ` (${hint})` : ""}; retry with \`ctxc runs log ${model.dir} --mlflow ${tracking.mlflow}\``);
  }
}

function hasEstimate(stage: PlannedStage): boolean {
  return (stage.plugin.kind === "generator" || stage.plugin.kind === "filter") && typeof stage.plugin.estimate === "function";
}

/** Ask every stage that can spend money what it would cost on the docs that reach the first one. */
async function estimatePaidStages(stages: PlannedStage[], inputFile: string, ctxOf: (s: PlannedStage) => StageContext) {
  const out: Array<StageEstimate & { stage: string }> = [];
  for (const stage of stages) {
    const p = stage.plugin;
    if ((p.kind !== "generator" && p.kind !== "filter") || !p.estimate) continue;
    async function* docs() {
      for await (const batch of fileSource(inputFile, () => false)) yield* batch;
    }
    for (const e of await guard(`${stage.label} (${p.name}) estimate`, Promise.resolve(p.estimate(docs(), stage.options, ctxOf(stage))))) out.push({ stage: stage.label, ...e });
  }
  return out;
}

interface SegmentEnv {
  contextOf: (stage: PlannedStage) => { ctx: StageContext; counters: Record<string, number> };
  /** A loader's fingerprint-hook value, asked before it runs (undefined for other stages). */
  extraOf: (stage: PlannedStage) => Promise<string | undefined>;
  stopped: () => boolean;
  failFast: boolean;
  progress: boolean;
  total?: number;
  store: Store;
  manifest: Manifest;
  summary: RunSummary;
}

/** Stream docs through consecutive record stages; returns each stage's output hash. */
async function runSegment(segment: PlannedStage[], inputFile: string | undefined, inputHash: string, env: SegmentEnv): Promise<string[]> {
  const extras: Array<string | undefined> = [];
  for (const s of segment) extras.push(await env.extraOf(s));
  const runs = segment.map((s) => {
    const { ctx, counters } = env.contextOf(s);
    return new StageRun(s, ctx, counters, env.failFast);
  });
  // Each folder is recorded as `running` before it is emptied: a crash leaves no false `done`.
  for (const [k, r] of runs.entries()) {
    await claimStageDir(env.summary.out, env.manifest, entry(r.stage, stageFingerprint(r.stage, "", extras[k]), "", "running", 0), r.stage.dir);
    r.open();
  }
  const progress = new Progress(runs, { enabled: env.progress, total: env.total, spent: () => env.store.spent() });
  let stream: AsyncIterable<Doc[]> | undefined = inputFile ? fileSource(inputFile, env.stopped) : undefined;
  for (const r of runs) stream = r.iterate(stream, env.stopped);
  progress.begin();
  let failure: unknown;
  try {
    for await (const _ of stream!) {
      // Drain: each stage writes its own outputs as batches pass through.
    }
  } catch (e) {
    failure = e;
  } finally {
    progress.end();
  }
  const interrupted = env.stopped();
  if (!failure && !interrupted) failure = everyDocFailed(runs);
  const hashes: string[] = [];
  let upstream = inputHash;
  for (const [k, r] of runs.entries()) {
    const status = failure ? "failed" : interrupted ? "interrupted" : "done";
    if (status === "done") {
      r.outputHash = await r.out.commit();
      await r.rejected.commit();
    } else {
      await r.out.abandon();
      await r.rejected.abandon();
    }
    const seconds = r.seconds();
    const e = entry(r.stage, stageFingerprint(r.stage, upstream, extras[k]), upstream, status, seconds, r);
    env.manifest.stages[r.stage.label] = e;
    await writeJsonAtomic(join(r.stage.dir, "stats.json"), {
      stage: r.stage.label, use: r.stage.use, plugin: r.stage.plugin.name, version: r.stage.plugin.version, status,
      in: r.counts.in, out: r.counts.out, rejected: r.counts.rejected, ...(r.retryable ? { retryable: r.retryable } : {}), stats: r.counters, seconds,
      docsPerSecond: seconds > 0 ? Math.round(Math.max(r.counts.in, r.counts.out) / seconds) : null,
    });
    env.summary.stages.push({ label: r.stage.label, use: r.stage.use, outcome: status === "done" ? "ran" : status, in: r.counts.in, out: r.counts.out, rejected: r.counts.rejected, seconds });
    if (status === "done") {
      log.info(`${r.stage.label}: ${r.counts.in} in → ${r.counts.out} out${rejectedText(r.counts.rejected)} in ${seconds.toFixed(1)}s`);
      if (r.retryable > 0) log.warn(`${r.stage.label}: ${r.retryable} docs failed with errors worth retrying (first: ${r.firstRetryable!.reason}${r.firstRetryable!.detail ? `: ${r.firstRetryable!.detail}` : ""}); the next run asks for them again`);
      hashes.push(r.outputHash!);
      upstream = r.outputHash!;
    }
  }
  await writeManifest(env.summary.out, env.manifest);
  // Each stage names itself in its errors (StageRun.iterate), and so does the input file.
  if (failure) throw failure;
  return hashes;
}

/**
 * A paid stage (one with an `estimate` hook: a teacher, a judge) whose every doc failed for a
 * retryable reason did nothing but fail: the run fails with the provider's reason instead of
 * reporting success over an empty dataset.
 */
function everyDocFailed(runs: StageRun[]): CtxcError | undefined {
  const r = runs.find((x) => hasEstimate(x.stage) && x.counts.in > 0 && x.retryable === x.counts.in);
  if (!r) return undefined;
  const first = r.firstRetryable!;
  return new CtxcError(`${r.stage.label} (${r.stage.plugin.name}): all ${r.counts.in} docs failed — ${first.reason}${first.detail ? `: ${first.detail}` : ""}`, {
    hint: "fix the cause above (server down, key, model name, quota) and run again: failures are never cached, answers already received are, and earlier stages are reused",
  });
}

/** The saved output of the stage before a segment, as doc batches. */
async function* fileSource(path: string, stopped: () => boolean): AsyncGenerator<Doc[]> {
  let batch: Doc[] = [];
  try {
    for await (const { value } of readJsonl<Doc>(path, (i) => log.warn(`${i.path}:${i.line}: ${i.message}`))) {
      batch.push(value);
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
        if (stopped()) return;
      }
    }
  } catch (e) {
    throw new CtxcError(`reading ${path} failed: ${(e as Error).message}`, { cause: e, hint: "it is the saved output of an earlier stage; re-run that stage with --from" });
  }
  if (batch.length > 0) yield batch;
}

function entry(stage: PlannedStage, fingerprint: string, inputHash: string, status: StageEntry["status"], seconds: number, run?: StageRun): StageEntry {
  return {
    label: stage.label, use: stage.use, plugin: stage.plugin.name, version: stage.plugin.version, fingerprint, inputHash,
    outputHash: run?.outputHash, status, counts: run ? { ...run.counts } : undefined, ...(run?.retryable ? { retryable: run.retryable } : {}), seconds, finished: new Date().toISOString(),
  };
}

function rejectedText(r: Record<string, number>): string {
  const parts = Object.entries(r).map(([k, v]) => `${v} ${k}`);
  return parts.length ? ` (rejected: ${parts.join(", ")})` : "";
}

async function exists(path: string): Promise<boolean> {
  return Bun.file(path).exists();
}

/**
 * Stage folders (NN-name) left from an older version of the pipeline are removed — only those the
 * manifest lists, i.e. that ctxc wrote: a folder of the user's that merely looks like one stays.
 */
async function pruneStaleStageDirs(plan: Plan, manifest: Manifest): Promise<void> {
  const labels = new Set(plan.stages.map((s) => s.label));
  for (const name of await readdir(plan.config.out)) {
    if (/^\d{2}-/.test(name) && !labels.has(name) && manifest.stages[name]) {
      await rm(join(plan.config.out, name), { recursive: true, force: true });
      delete manifest.stages[name];
      log.info(`removed ${name}/ (no longer a stage of this pipeline)`);
    }
  }
}

function resolveSelection(plan: Plan, opts: RunOptions) {
  const only = opts.only ? selectStage(plan, opts.only) : undefined;
  const from = opts.from ? selectStage(plan, opts.from) : undefined;
  const order = (s: PlannedStage | "dataset") => (s === "dataset" ? (plan.recordStages.at(-1)?.index ?? 0) + 0.5 : s.index);
  // --only runs one stage; --from reuses the outputs before STAGE and forces STAGE and after.
  return {
    runs: (s: PlannedStage) => (only ? only === s : from ? order(s) >= order(from) : true),
    runsDataset: () => (only ? only === "dataset" : from ? order("dataset") >= order(from) : true),
    forced: (s: PlannedStage) => !!opts.force || only === s || (from !== undefined && order(s) >= order(from)),
    forcedDataset: () => !!opts.force || only === "dataset" || (from !== undefined && order("dataset") >= order(from)),
  };
}
