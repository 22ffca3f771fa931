// Reading and writing run.json. Reads give a clear error naming the folder when it is not a run,
// is torn, or comes from a newer ctxc (never a crash or a silent default).
import { join } from "node:path";
import { writeFileAtomic } from "../core/atomic.ts"; // a leaf module: no runtime state
import { RUN_FILE, RUN_FORMAT, type RunJson } from "./store.ts";

export class RunFileError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = "RunFileError";
  }
}

export async function writeRun(dir: string, run: RunJson): Promise<void> {
  await writeFileAtomic(join(dir, RUN_FILE), JSON.stringify(run, null, 2) + "\n");
}

export async function readRun(dir: string): Promise<RunJson> {
  const path = join(dir, RUN_FILE);
  const f = Bun.file(path);
  if (!(await f.exists())) {
    throw new RunFileError(`${dir} is not a training run (no ${RUN_FILE})`, "pass a run folder such as models/runs/mlx/2026-12-01T10-00-00-000Z (`ctxc runs list` shows them)");
  }
  let run: RunJson;
  try {
    run = (await f.json()) as RunJson;
  } catch (e) {
    throw new RunFileError(`${path} is not valid JSON (${(e as Error).message})`, "the run was cut off while writing; train again or restore the file");
  }
  if (typeof run !== "object" || run === null || typeof run.trainer !== "string") {
    throw new RunFileError(`${path} is not a ctxc run record (no "trainer")`, "pass a folder written by a ctxc trainer");
  }
  if (typeof run.format === "number" && run.format > RUN_FORMAT) {
    throw new RunFileError(`${path} has run format ${run.format}; this ctxc reads up to ${RUN_FORMAT}`, "upgrade ctxc to read runs made by a newer version");
  }
  return { ...run, dir };
}
