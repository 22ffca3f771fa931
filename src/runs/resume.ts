// Finding the run a re-run should continue. A trainer stage's plugin does not see the runner's
// stage fingerprint, so each trainer computes the same kind of key itself — trainer name, plugin
// version, options (minus settings that change where or how it runs, not what it learns) and the
// dataset fingerprint — stores it in run.json, and on the next run looks for a run with that key
// that did not finish: "running" (killed, SIGKILL included) or "interrupted" (Ctrl-C, budget), and
// for a trainer that can continue after a failure (trainer/tinker: a dropped connection) "failed".
// A completed run is never reopened.
import { basename, dirname } from "node:path";
import { canonicalJson, sha256 } from "../core/canonical.ts"; // a leaf module: no runtime state
import { readRun } from "./run-file.ts";
import { listRunDirs, type RunJson, type RunStatus } from "./store.ts";

export interface ResumeKeyParts {
  trainer: string;
  version: string;
  options: Record<string, unknown>;
  datasetFingerprint: string;
  /** Option names left out of the key (e.g. `python`, `runs_dir`: where, not what). */
  ignore?: string[];
}

export function resumeKey(parts: ResumeKeyParts): string {
  const options = { ...parts.options };
  for (const k of parts.ignore ?? []) delete options[k];
  return sha256(canonicalJson({ trainer: parts.trainer, version: parts.version, options, dataset: parts.datasetFingerprint }));
}

/**
 * The newest run of `trainer` under runsDir whose run.json carries `fingerprint` and whose status
 * is one of `statuses`, or undefined. Unreadable run folders are passed over (a listing must not
 * fail on one bad folder).
 */
export async function findResumable(
  runsDir: string,
  trainer: string,
  fingerprint: string,
  statuses: RunStatus[] = ["running", "interrupted"],
): Promise<RunJson | undefined> {
  const short = trainer.replace(/^trainer\//, "");
  const dirs = listRunDirs(runsDir).filter((d) => basename(dirname(d)) === short);
  for (const dir of dirs.reverse()) {
    let run: RunJson;
    try {
      run = await readRun(dir);
    } catch {
      continue;
    }
    if (run.fingerprint === fingerprint && statuses.includes(run.status)) return run;
  }
  return undefined;
}

/** A recorded checkpoint: the step it holds and where it is (a file, or a tinker:// path). */
export interface RunCheckpoint {
  step: number;
  path: string;
  kind?: string;
}

/** The last checkpoint a run recorded in run.json's `checkpoints` (of `kind`, if given). */
export function lastCheckpoint(run: RunJson, kind?: string): RunCheckpoint | undefined {
  const list = Array.isArray(run.checkpoints) ? (run.checkpoints as RunCheckpoint[]) : [];
  const fit = list.filter((c) => typeof c.step === "number" && typeof c.path === "string" && (!kind || c.kind === kind));
  return fit.sort((a, b) => a.step - b.step).at(-1);
}
