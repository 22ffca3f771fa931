// Evaluation results kept with the run they measure: run.json's `evaluation` key holds one entry
// per evaluator ("heuristics", "equivalence", "ab"), so `ctxc runs` and a later report find them
// next to the model, whichever workspace produced them.
import { join } from "node:path";
import { readRun, writeRun } from "./run-file.ts";
import { RUN_FILE } from "./store.ts";

/** Set run.json's evaluation[key] (other keys untouched). A folder without run.json is left alone. */
export async function recordEvaluation(runDir: string, key: string, value: unknown): Promise<boolean> {
  if (!(await Bun.file(join(runDir, RUN_FILE)).exists())) return false;
  const run = await readRun(runDir);
  const previous = run.evaluation && typeof run.evaluation === "object" ? (run.evaluation as Record<string, unknown>) : {};
  await writeRun(runDir, { ...run, evaluation: { ...previous, [key]: { ...(value as object), at: new Date().toISOString() } } });
  return true;
}
