// Spec → Compressor. One table of backends, each a lazy import (bundled by `bun build --compile`,
// loaded only when used). Specs:
//   rules                 the deterministic baseline
//   default               the extractive model embedded in the binary
//   PATH | run:PATH       a training run folder; its run.json's trainer picks the backend
//   mlx-lm:MODEL#ADAPTER  mlx_lm.server started by ctxc with a base model and adapter folder
//   provider:model        a teacher LLM as a reference compressor, with generator/compress's prompts
// A backend module exports `open(target, ctx)`; extend BACKENDS, not the callers.
import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { readRun } from "../runs/run-file.ts";
import type { RunJson } from "../runs/store.ts";
import { CompressorError, type Compressor } from "./types.ts";

export interface OpenContext {
  /** Relative run paths resolve against this folder (the pipeline's or the working folder). */
  root: string;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
}

/** What a backend is asked to open: a run (for trained students) or a raw spec. */
export interface OpenTarget {
  spec: string;
  run?: RunJson;
}

type BackendModule = Promise<{ open(target: OpenTarget, ctx: OpenContext): Promise<Compressor> }>;

/** Backend name → module. Trainers map to backends by `trainer/<name>` → `<name>`. */
export const BACKENDS: Record<string, () => BackendModule> = {
  rules: () => import("./rules-backend.ts"),
  extractive: () => import("./extractive-backend.ts"),
  mlx: () => import("./mlx-backend.ts"),
  tinker: () => import("./tinker-backend.ts"),
  llm: () => import("./llm-backend.ts"),
};

export async function openCompressor(spec: string | undefined, ctx: OpenContext): Promise<Compressor> {
  const s = (spec ?? "default").trim();
  if (s === "rules") return load("rules", { spec: s }, ctx);
  if (s === "default") return load("extractive", { spec: s }, ctx);
  if (s.startsWith("mlx-lm:")) return load("mlx", { spec: s }, ctx);
  const path = s.startsWith("run:") ? s.slice(4) : s;
  const abs = resolve(ctx.root, path);
  if (s.startsWith("run:") || looksLikePath(path, abs)) {
    const run = await readRun(abs).catch((e: Error & { hint?: string }) => {
      throw new CompressorError(e.message, e.hint);
    });
    if (run.status !== "completed") throw new CompressorError(`${abs}: the run's status is ${run.status}, not completed`, "train it to the end (re-run the pipeline resumes it) or pick another run with `ctxc runs list`");
    return load(run.trainer.replace(/^trainer\//, ""), { spec: `run:${abs}`, run }, ctx);
  }
  const colon = s.indexOf(":");
  if (colon > 0) return load("llm", { spec: s }, ctx);
  const known = ["rules", "default", "run:PATH", "a run folder", "provider:model", ...Object.keys(BACKENDS)];
  throw new CompressorError(`unknown compressor "${s}"`, `use one of: ${[...new Set(known)].join(", ")}`);
}

async function load(backend: string, target: OpenTarget, ctx: OpenContext): Promise<Compressor> {
  const mod = BACKENDS[backend];
  if (!mod) throw new CompressorError(`no compressor backend "${backend}" for ${target.spec}`, `this ctxc has: ${Object.keys(BACKENDS).join(", ")}`);
  return (await mod()).open(target, ctx);
}

function looksLikePath(raw: string, abs: string): boolean {
  if (raw.startsWith(".") || raw.startsWith("/") || raw.includes("/")) return true;
  try {
    return existsSync(abs) && statSync(abs).isDirectory();
  } catch {
    return false;
  }
}
