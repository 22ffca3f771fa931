// The run store: one folder per training run, `<runs_dir>/<trainer>/<timestamp>/`, shared by every
// trainer (mlx, tinker, extractive) and read by `ctxc runs`, `ctxc compress`, evaluators and the
// report. A run folder holds run.json (this file's RunJson), metrics.jsonl (one event per line),
// train.log and the model files (adapter/, model.bin, …). run.json is rewritten atomically at
// every status change, so a crash leaves the last status ("running" for a killed run).
import { mkdirSync, readdirSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import type { RunRecord } from "../sdk/types.ts";

export const RUN_FILE = "run.json";
export const METRICS_FILE = "metrics.jsonl";
export const LOG_FILE = "train.log";
/** Bumped when run.json changes shape incompatibly; readers refuse newer formats by name. */
export const RUN_FORMAT = 1;

export type RunStatus = "running" | "completed" | "failed" | "interrupted";

/**
 * run.json: the RunRecord fields (what a trainer returns to the runner) plus what every run
 * records. A RunRecord's status never says "running"; run.json's does while training.
 */
export interface RunJson {
  trainer: string;
  /** The run folder (absolute when read back with readRun). */
  dir: string;
  baseModel: string;
  /** The adapter or model file/folder, relative to dir. */
  adapter?: string;
  datasetFingerprint: string;
  format: number;
  /** `<trainer>/<timestamp>`, unique within a runs_dir. */
  id: string;
  status: RunStatus;
  createdAt: string;
  finishedAt?: string;
  seconds?: number;
  /** The trainer's options as validated (no secrets: options never hold key values). */
  config: Record<string, unknown>;
  dataset: { fingerprint: string; counts: { train: number; valid: number; test: number } };
  /** Backend name and the package versions it ran with (e.g. {"mlx-lm": "0.32.2"}). */
  backend: { name: string; versions: Record<string, string> };
  /** Final metrics: train_loss, val_loss, test_loss, test_ppl, tokens_per_sec, … */
  metrics: Record<string, number>;
  /** USD spent by a paid backend (Tinker); absent for local ones. */
  costUsd?: number;
  /** The stage fingerprint that produced the run: lets a re-run find and resume it. */
  fingerprint?: string;
  error?: { message: string; hint?: string };
  [key: string]: unknown;
}

/** The RunRecord a trainer returns to the runner for a finished (or failed) run. */
export function toRunRecord(run: RunJson): RunRecord {
  const status = run.status === "running" ? "interrupted" : run.status;
  return { ...run, status, metrics: run.metrics };
}

/** Where runs live: `runs_dir` (relative to the pipeline's folder) or `<root>/models/runs`. */
export function runsDirFor(root: string, runsDir?: string): string {
  if (!runsDir) return join(root, "models", "runs");
  return isAbsolute(runsDir) ? runsDir : resolve(root, runsDir);
}

/** A sortable, filesystem-safe timestamp: 2026-12-01T16-05-09-123Z. */
export function runTimestamp(now = new Date()): string {
  return now.toISOString().replace(/:/g, "-").replace(".", "-");
}

/** Make a new run folder; never reuses an existing one. */
export function createRunDir(runsDir: string, trainer: string, now = new Date()): { id: string; dir: string } {
  const short = trainer.replace(/^trainer\//, "");
  for (let i = 0; ; i++) {
    const id = `${short}/${runTimestamp(now)}${i ? `-${i}` : ""}`;
    const dir = join(runsDir, id);
    try {
      mkdirSync(join(runsDir, short), { recursive: true });
      mkdirSync(dir); // throws EEXIST instead of sharing a folder with another run
      return { id, dir };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    }
  }
}

/** Every run folder under runsDir (those with a run.json), oldest first. */
export function listRunDirs(runsDir: string): string[] {
  const out: string[] = [];
  for (const trainer of safeList(runsDir)) {
    for (const stamp of safeList(join(runsDir, trainer))) {
      const dir = join(runsDir, trainer, stamp);
      if (isFile(join(dir, RUN_FILE))) out.push(dir);
    }
  }
  return out.sort((a, b) => a.slice(a.lastIndexOf("/")).localeCompare(b.slice(b.lastIndexOf("/"))));
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).filter((n) => !n.startsWith("."));
  } catch {
    return [];
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
