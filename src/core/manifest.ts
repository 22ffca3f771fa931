// out/manifest.json: per stage, what ran (use, fingerprint, input and output hashes, counts,
// seconds, status). A re-run compares fingerprints against it to decide what to skip.
import { join } from "node:path";
import { readJsonIfExists, writeJsonAtomic } from "./atomic.ts";
import { canonicalJson, sha256 } from "./canonical.ts";
import type { PlannedStage } from "./plan.ts";

export type StageStatus = "done" | "interrupted" | "failed";

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
  seconds: number;
  finished: string;
  /** A trainer stage's run folder. */
  run?: string;
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

export async function readManifest(out: string, pipeline: string): Promise<Manifest> {
  const m = await readJsonIfExists<Manifest>(manifestPath(out));
  return m && m.version === 1 && typeof m.stages === "object" ? m : { version: 1, pipeline, updated: new Date().toISOString(), stages: {} };
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
