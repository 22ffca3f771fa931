// Finding the run to resume. A trainer stage that is run again with the same fingerprint (plugin
// version + options + dataset fingerprint + base model) continues the newest unfinished run with
// that fingerprint — one killed (run.json still says "running"), interrupted (Ctrl-C, budget) or
// failed after a checkpoint — instead of starting over. A completed run is never reopened.
import { readRun } from "./run-file.ts";
import { listRunDirs, type RunJson } from "./store.ts";

/** A recorded checkpoint: the step it holds and where it is (a file, or a tinker:// path). */
export interface RunCheckpoint {
  step: number;
  path: string;
  kind?: string;
}

/** The newest run of `trainer` under runsDir with this fingerprint that did not complete. */
export async function findResumableRun(runsDir: string, trainer: string, fingerprint: string): Promise<RunJson | undefined> {
  const short = trainer.replace(/^trainer\//, "");
  for (const dir of listRunDirs(runsDir).reverse()) {
    let run: RunJson;
    try {
      run = await readRun(dir);
    } catch {
      continue; // a torn or foreign run.json is not ours to resume
    }
    if (run.trainer !== trainer && run.trainer !== short) continue;
    if (run.fingerprint !== fingerprint || run.status === "completed") continue;
    return run;
  }
  return undefined;
}

/** The last checkpoint a run recorded (run.json's `checkpoints`), if any. */
export function lastCheckpoint(run: RunJson, kind?: string): RunCheckpoint | undefined {
  const list = Array.isArray(run.checkpoints) ? (run.checkpoints as RunCheckpoint[]) : [];
  const fit = list.filter((c) => typeof c.step === "number" && typeof c.path === "string" && (!kind || c.kind === kind));
  return fit.sort((a, b) => a.step - b.step).at(-1);
}
