// out/manifest.json: per stage, what ran (use, fingerprint, input and output hashes, counts,
// seconds, status). A re-run compares fingerprints against it to decide what to skip.
import { join } from "node:path";
import { readJsonIfExists, writeJsonAtomic } from "./atomic.ts";
import { canonicalJson, sha256 } from "./canonical.ts";
import type { PlannedStage } from "./plan.ts";

/** `running`: the stage's folder is being written (a run in progress, or one killed mid-stage). */
export type StageStatus = "done" | "running" | "interrupted" | "failed";

export interface StageEntry {
  label: string;
  use: string;
  plugin: string;
  version: string;
  fingerprint: string;
  inputHash: string;
  outputHash?: string;
  status: StageStatus;
  counts?: { in: number; out: number; rejected: Record<string, number> };
  /** Docs rejected for a reason worth retrying (a provider error): the stage re-runs next time. */
  retryable?: number;
  seconds: number;
  finished: string;
}

export interface Manifest {
  version: 1;
  pipeline: string;
  updated: string;
  stages: Record<string, StageEntry>;
}

export function manifestPath(out: string): string {
  return join(out, "manifest.json");
}

/** A ctxc manifest (and not some other tool's manifest.json). */
export function isManifest(m: unknown): m is Manifest {
  const x = m as Manifest | undefined;
  return typeof x === "object" && x !== null && x.version === 1 && typeof x.pipeline === "string" && typeof x.stages === "object" && x.stages !== null;
}

export async function readManifest(out: string, pipeline: string): Promise<Manifest> {
  const m = await readJsonIfExists<Manifest>(manifestPath(out));
  return isManifest(m) ? m : { version: 1, pipeline, updated: new Date().toISOString(), stages: {} };
}

/**
 * Does a record stage's saved output still hold what the manifest says it wrote? Its SHA-256 is
 * recomputed (the same digest JsonlWriter took while writing), so a truncated, edited or deleted
 * out.jsonl — a crash, a second process, a user — re-runs the stage instead of being trusted.
 */
export async function outputIntact(file: string, entry: StageEntry | undefined): Promise<boolean> {
  if (!entry?.outputHash) return false;
  const f = Bun.file(file);
  if (!(await f.exists())) return false;
  const hasher = new Bun.CryptoHasher("sha256");
  for await (const chunk of f.stream()) hasher.update(chunk);
  return hasher.digest("hex") === entry.outputHash;
}

export async function writeManifest(out: string, m: Manifest): Promise<void> {
  m.updated = new Date().toISOString();
  await writeJsonAtomic(manifestPath(out), m);
}

/** Plugin name + version + normalised options (+ user plugin source) + the input's fingerprint. */
export function stageFingerprint(stage: PlannedStage, inputHash: string, extra?: string): string {
  return sha256(
    canonicalJson({
      plugin: stage.plugin.name,
      version: stage.plugin.version,
      // Settings that change speed, not output, are left out: `concurrency` (calls in flight) and
      // a loader's `threads` (parser processes; its docs are identical for every value).
      options: { ...stage.options, concurrency: undefined, threads: undefined },
      code: stage.codeHash,
      input: inputHash,
      extra,
    }),
  );
}
