// The RUN argument of `ctxc runs …`: a run folder, or a run id (`tinker/2026-12-01T10-00-00-000Z`)
// under --runs-dir (default ./models/runs). Errors name what was tried.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { CtxcError, EXIT } from "../../core/errors.ts";
import { readRun, RunFileError } from "../../runs/run-file.ts";
import { RUN_FILE, type RunJson } from "../../runs/store.ts";

export const runArgs = {
  run: { type: "positional", description: "A run folder, or a run id such as tinker/2026-12-01T10-00-00-000Z", required: true },
  "runs-dir": { type: "string", description: "Where run ids are looked up (default ./models/runs)" },
} as const;

export function runDirOf(run: string, runsDir?: string): string {
  const direct = resolve(run);
  if (existsSync(join(direct, RUN_FILE))) return direct;
  const byId = resolve(runsDir ?? join("models", "runs"), run);
  if (existsSync(join(byId, RUN_FILE))) return byId;
  return direct;
}

/** Read a run for a command: a RunFileError becomes the CLI's error with its hint (exit 2). */
export async function loadRun(run: string, runsDir?: string): Promise<RunJson> {
  try {
    return await readRun(runDirOf(run, runsDir));
  } catch (e) {
    throw asCliError(e);
  }
}

export function asCliError(e: unknown): unknown {
  if (e instanceof RunFileError) return new CtxcError(e.message, { hint: e.hint, exitCode: EXIT.invalid });
  return e;
}
