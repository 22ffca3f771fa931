// Logging a ctxc run to MLflow through its REST API (plain fetch, no SDK): the experiment (made if
// missing), one MLflow run per ctxc run — found again by its `ctxc.run_id` tag, so logging twice
// updates instead of duplicating — params from the run's config, step metrics from metrics.jsonl
// (only points MLflow does not have yet), tags, the status, and the run folder's files as
// artifacts through the tracking server's artifact proxy. Works with DagsHub (Basic auth).
// Credentials come from the environment only and never appear in params, tags or messages.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import type { RunJson, RunStatus } from "./store.ts";

export interface MlflowTarget {
  /** Tracking URI, e.g. http://127.0.0.1:5000 or https://dagshub.com/<user>/<repo>.mlflow */
  uri: string;
  /** Experiment name (default "ctxc"). */
  experiment?: string;
  env?: Record<string, string | undefined>;
}

export interface MlflowLogResult {
  experimentId: string;
  runId: string;
  /** False when the MLflow run already existed (this call updated it). */
  created: boolean;
  params: number;
  metrics: number;
  tags: number;
  artifacts: string[];
  /** Why artifacts were not uploaded (an artifact store the REST proxy does not serve). */
  artifactsSkipped?: string;
}

export class MlflowError extends Error {
  constructor(
    message: string,
    readonly hint: string,
    readonly status?: number,
    readonly code?: string,
  ) {
    super(message);
    this.name = "MlflowError";
  }
}

/** MLflow's limits per log-batch request. */
export const BATCH = { metrics: 1000, params: 100, tags: 100 };
export const RUN_ID_TAG = "ctxc.run_id";
const STATUS: Record<RunStatus, string> = { completed: "FINISHED", failed: "FAILED", interrupted: "KILLED", running: "RUNNING" };
/** Option names and values that must never leave the machine as params or tags. */
const SECRET_NAME = /(api[_-]?key|token|secret|password|passwd|credential|auth)/i;
const SECRET_VALUE = /\b(sk-[A-Za-z0-9_-]{8,}|tml-[A-Za-z0-9_-]{8,}|sk-ant-[A-Za-z0-9_-]{8,}|AIza[0-9A-Za-z_-]{20,}|gh[pousr]_[A-Za-z0-9]{20,})/;

export function authHeader(env: Record<string, string | undefined>): string | undefined {
  if (env.MLFLOW_TRACKING_TOKEN) return `Bearer ${env.MLFLOW_TRACKING_TOKEN}`;
  if (env.MLFLOW_TRACKING_USERNAME || env.MLFLOW_TRACKING_PASSWORD) {
    return `Basic ${Buffer.from(`${env.MLFLOW_TRACKING_USERNAME ?? ""}:${env.MLFLOW_TRACKING_PASSWORD ?? ""}`).toString("base64")}`;
  }
  return undefined;
}

class Client {
  readonly base: string;
  private readonly auth?: string;
  constructor(uri: string, env: Record<string, string | undefined>) {
    this.base = uri.replace(/\/+$/, "");
    this.auth = authHeader(env);
  }

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return { ...(this.auth ? { authorization: this.auth } : {}), ...extra };
  }

  async call<T = any>(method: "GET" | "POST", path: string, body?: unknown, query?: Record<string, string>): Promise<T> {
    const url = `${this.base}/api/2.0/mlflow/${path}${query ? `?${new URLSearchParams(query)}` : ""}`;
    const res = await this.fetch(url, { method, headers: this.headers(body === undefined ? {} : { "content-type": "application/json" }), body: body === undefined ? undefined : JSON.stringify(body) }, path);
    return (await res.json()) as T;
  }

  async upload(urlPath: string, file: string): Promise<void> {
    await this.fetch(`${this.base}/api/2.0/mlflow-artifacts/artifacts/${urlPath}`, { method: "PUT", headers: this.headers({ "content-type": "application/octet-stream" }), body: Bun.file(file) }, "artifacts");
  }

  private async fetch(url: string, init: RequestInit, what: string): Promise<Response> {
    let res: Response;
    try {
      res = await fetch(url, init);
    } catch (e) {
      throw new MlflowError(`cannot reach the MLflow server at ${this.base} (${(e as Error).message})`, "check the tracking URI and that the server is running (`mlflow server …`)");
    }
    if (res.ok) return res;
    const text = await res.text();
    let code: string | undefined;
    let message = text.slice(0, 300);
    try {
      const j = JSON.parse(text) as { error_code?: string; message?: string };
      code = j.error_code;
      message = j.message ?? message;
    } catch {
      /* not JSON: keep the text */
    }
    const hint =
      res.status === 401 || res.status === 403
        ? "set MLFLOW_TRACKING_USERNAME and MLFLOW_TRACKING_PASSWORD (DagsHub: your user name and a token), or MLFLOW_TRACKING_TOKEN"
        : res.status === 404 && !code
          ? `is ${this.base} an MLflow tracking server? (its REST API lives under /api/2.0/mlflow)`
          : "see the MLflow server's log";
    throw new MlflowError(`MLflow ${what}: HTTP ${res.status}${code ? ` ${code}` : ""}: ${message}`, hint, res.status, code);
  }
}

async function experimentId(c: Client, name: string): Promise<string> {
  try {
    return (await c.call("GET", "experiments/get-by-name", undefined, { experiment_name: name })).experiment.experiment_id;
  } catch (e) {
    if (!(e instanceof MlflowError) || e.code !== "RESOURCE_DOES_NOT_EXIST") throw e;
  }
  try {
    return (await c.call("POST", "experiments/create", { name })).experiment_id;
  } catch (e) {
    // Made by someone else in between: read it back.
    if (e instanceof MlflowError && e.code === "RESOURCE_ALREADY_EXISTS") return (await c.call("GET", "experiments/get-by-name", undefined, { experiment_name: name })).experiment.experiment_id;
    throw e;
  }
}

/** Flatten the run's config and facts into MLflow params; secrets by name or by look are left out. */
export function runParams(run: RunJson): Array<{ key: string; value: string }> {
  const out: Array<{ key: string; value: string }> = [];
  const add = (key: string, value: unknown) => {
    if (value === undefined || value === null) return;
    if (typeof value === "object" && !Array.isArray(value)) {
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) add(`${key}.${k}`, v);
      return;
    }
    const text = typeof value === "string" ? value : JSON.stringify(value);
    if (SECRET_NAME.test(key) || SECRET_VALUE.test(text)) return;
    out.push({ key, value: text.slice(0, 6000) });
  };
  add("trainer", run.trainer);
  add("base_model", run.baseModel);
  add("dataset.fingerprint", run.datasetFingerprint);
  add("dataset.rows", run.dataset?.counts);
  for (const [k, v] of Object.entries(run.config ?? {})) add(k, v);
  return out;
}

export function runTags(run: RunJson): Array<{ key: string; value: string }> {
  const tags: Record<string, unknown> = {
    [RUN_ID_TAG]: run.id, "ctxc.trainer": run.trainer, "ctxc.status": run.status, "ctxc.base_model": run.baseModel,
    "ctxc.backend": run.backend?.name, "ctxc.dir": run.dir, "mlflow.runName": run.id, "mlflow.source.name": "ctxc", "mlflow.source.type": "LOCAL",
    "ctxc.sampler_path": run.samplerPath, "ctxc.cost_usd": run.costUsd, "ctxc.error": run.error?.message,
  };
  for (const [pkg, version] of Object.entries(run.backend?.versions ?? {})) tags[`ctxc.version.${pkg}`] = version;
  return Object.entries(tags)
    .filter(([, v]) => v !== undefined && v !== null && !SECRET_VALUE.test(String(v)))
    .map(([key, v]) => ({ key, value: String(v).slice(0, 5000) }));
}

export interface MetricPoint {
  key: string;
  value: number;
  timestamp: number;
  step: number;
}

/** Step metrics from metrics.jsonl (`<split>/<name>`) and the final metrics (`final/<name>`). */
export function runMetrics(run: RunJson): MetricPoint[] {
  const out: MetricPoint[] = [];
  let text = "";
  try {
    text = readFileSync(join(run.dir, "metrics.jsonl"), "utf8");
  } catch {
    /* a run without metrics */
  }
  let lastTime = Date.parse(run.finishedAt ?? run.createdAt) || Date.now();
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    let e: Record<string, unknown>;
    try {
      e = JSON.parse(line);
    } catch {
      continue; // a line cut off by a kill
    }
    if (e.event !== "metric") continue;
    const step = Number(e.step ?? 0);
    const timestamp = typeof e.t === "number" ? Math.round(e.t * 1000) : lastTime;
    lastTime = timestamp;
    for (const [name, value] of Object.entries(e)) {
      if (["event", "t", "step", "split", "total"].includes(name) || typeof value !== "number" || !Number.isFinite(value)) continue;
      out.push({ key: `${e.split ?? "train"}/${name}`, value, timestamp, step });
    }
  }
  // Final metrics at step 0 stamped with the run's end: logging the same run again adds nothing.
  const end = Date.parse(run.finishedAt ?? run.createdAt) || lastTime;
  for (const [name, value] of Object.entries(run.metrics ?? {})) {
    if (typeof value === "number" && Number.isFinite(value)) out.push({ key: `final/${name}`, value, timestamp: end, step: 0 });
  }
  return out;
}

/** Every file of the run folder, relative paths, except partial downloads. */
export function runFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => !f.endsWith(".part") && !f.split("/").includes("__pycache__") && statSync(join(dir, f)).isFile())
    .sort();
}

async function findRun(c: Client, experiment: string, ctxcId: string): Promise<{ run_id: string; artifact_uri: string } | undefined> {
  const filter = `tags.\`${RUN_ID_TAG}\` = '${ctxcId.replace(/'/g, "\\'")}'`;
  const r = await c.call("POST", "runs/search", { experiment_ids: [experiment], filter, max_results: 1, run_view_type: "ALL" });
  return r.runs?.[0]?.info;
}

async function existingPoints(c: Client, runId: string, keys: string[]): Promise<Set<string>> {
  const seen = new Set<string>();
  for (const key of keys) {
    let token: string | undefined;
    do {
      const r = await c.call("GET", "metrics/get-history", undefined, { run_id: runId, metric_key: key, max_results: "25000", ...(token ? { page_token: token } : {}) });
      for (const m of r.metrics ?? []) seen.add(`${m.key}|${m.step ?? 0}|${m.timestamp}|${m.value}`);
      token = r.next_page_token || undefined;
    } while (token);
  }
  return seen;
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

export async function logRunToMlflow(run: RunJson, target: MlflowTarget): Promise<MlflowLogResult> {
  const c = new Client(target.uri, target.env ?? process.env);
  const expId = await experimentId(c, target.experiment ?? "ctxc");
  let info = await findRun(c, expId, run.id);
  const created = !info;
  if (!info) {
    const start = Date.parse(run.createdAt) || Date.now();
    info = (await c.call("POST", "runs/create", { experiment_id: expId, run_name: run.id, start_time: start, tags: [{ key: RUN_ID_TAG, value: run.id }] })).run.info as { run_id: string; artifact_uri: string };
  }
  const runId = info.run_id;

  // Params are immutable in MLflow: send only the ones it does not have yet.
  let params = runParams(run);
  if (!created) {
    const have = new Set(((await c.call("GET", "runs/get", undefined, { run_id: runId })).run.data.params ?? []).map((p: { key: string }) => p.key));
    params = params.filter((p) => !have.has(p.key));
  }
  const tags = runTags(run);
  for (const batch of chunks(params, BATCH.params)) await c.call("POST", "runs/log-batch", { run_id: runId, params: batch });
  for (const batch of chunks(tags, BATCH.tags)) await c.call("POST", "runs/log-batch", { run_id: runId, tags: batch });

  let metrics = runMetrics(run);
  if (!created) {
    const seen = await existingPoints(c, runId, [...new Set(metrics.map((m) => m.key))]);
    metrics = metrics.filter((m) => !seen.has(`${m.key}|${m.step}|${m.timestamp}|${m.value}`));
  }
  for (const batch of chunks(metrics, BATCH.metrics)) await c.call("POST", "runs/log-batch", { run_id: runId, metrics: batch });

  const artifacts: string[] = [];
  let artifactsSkipped: string | undefined;
  const proxied = /^mlflow-artifacts:(\/\/[^/]*)?\/(.*)$/.exec(info.artifact_uri ?? "");
  if (proxied) {
    for (const f of runFiles(run.dir)) {
      await c.upload(`${proxied[2]!.replace(/\/+$/, "")}/${f.split("/").map(encodeURIComponent).join("/")}`, join(run.dir, f));
      artifacts.push(f);
    }
  } else {
    artifactsSkipped = `the run's artifact store is ${info.artifact_uri}, which the tracking server does not proxy; start the server with --artifacts-destination (or --serve-artifacts) to upload files`;
  }

  const status = STATUS[run.status] ?? "FINISHED";
  const end = run.finishedAt ? Date.parse(run.finishedAt) : status === "RUNNING" ? undefined : Date.now();
  await c.call("POST", "runs/update", { run_id: runId, status, ...(end ? { end_time: end } : {}) });
  return { experimentId: expId, runId, created, params: params.length, metrics: metrics.length, tags: tags.length, artifacts, artifactsSkipped };
}
