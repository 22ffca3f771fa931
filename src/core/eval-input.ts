// What `ctxc eval RUN` compares and on which rows. RUN is either
//   a workspace (a pipeline's `out`, with manifest.json): its test split and its trained run
//     ("student"), results into its report.json;
//   or a compressor: a run folder / run:PATH / rules / default / provider:model, on `--data`
//     (JSONL docs or chat pairs, read by loader/jsonl), results into run.json when it is a run.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import type { Doc } from "../sdk/types.ts";
import { readJsonl } from "../text/jsonl.ts";
import { readJsonIfExists } from "./atomic.ts";
import { createStageContext } from "./context.ts";
import { CtxcError, EXIT } from "./errors.ts";
import { manifestPath, type Manifest } from "./manifest.ts";
import { resolvePlugin } from "./registry.ts";
import { Store } from "./store.ts";

export interface EvalInput {
  docs: Doc[];
  /** Compressor names in order: the first is RUN ("student" for a workspace). */
  names: string[];
  /** The workspace whose report.json gets the result, if RUN is one. */
  workspace?: string;
  /** The run folder "student" (the first compressor) stands for; run.json gets the result. */
  runDir?: string;
}

/** The trained run a workspace's trainer stage recorded, if any. */
export async function workspaceRun(out: string): Promise<string | undefined> {
  const m = await readJsonIfExists<Manifest>(manifestPath(out));
  for (const s of Object.values(m?.stages ?? {})) {
    if (!s.use.startsWith("trainer/") && !s.plugin?.startsWith("trainer/")) continue;
    const rec = await readJsonIfExists<{ dir?: string; status?: string }>(join(out, s.label, "run.json"));
    if (rec?.dir) return rec.dir;
  }
  return undefined;
}

async function readDocs(file: string): Promise<Doc[]> {
  const docs: Doc[] = [];
  for await (const { value } of readJsonl<Doc>(file)) docs.push(value);
  return docs;
}

/** Docs from a JSONL file of docs or chat pairs, through loader/jsonl (the same parsing as a pipeline). */
export async function loadDataFile(path: string, cwd: string): Promise<Doc[]> {
  const abs = resolve(cwd, path);
  if (!existsSync(abs)) throw new CtxcError(`--data ${path}: no such file`, { hint: "pass a JSONL file of docs ({\"text\", \"compressed\"?}) or chat pairs ({\"messages\": [...]})", exitCode: EXIT.invalid });
  const { plugin } = await resolvePlugin("loader/jsonl", cwd);
  if (plugin.kind !== "loader") throw new Error("loader/jsonl is not a loader");
  const store = new Store(":memory:");
  try {
    const ctx = createStageContext({ stage: { index: 0, name: plugin.name, use: plugin.name, label: "eval-data" }, paths: { root: cwd, out: cwd, stage: cwd }, store, pipeline: "eval", signal: new AbortController().signal, counters: {} });
    const docs: Doc[] = [];
    for await (const d of plugin.load({ paths: [abs], prefix: "Compress:\n", domain: "auto", limit: 0 }, ctx)) docs.push(d);
    return docs;
  } finally {
    store.close();
  }
}

export async function evalInput(run: string, opts: { against: string[]; data?: string; cwd: string }): Promise<EvalInput> {
  const abs = resolve(opts.cwd, run.startsWith("run:") ? run.slice(4) : run);
  const isWorkspace = existsSync(manifestPath(abs));
  let input: EvalInput;
  if (isWorkspace && !opts.data) {
    const testFile = join(abs, "dataset", "test.docs.jsonl");
    if (!existsSync(testFile)) throw new CtxcError(`${abs} has no test split (dataset/test.docs.jsonl)`, { hint: "run the pipeline through its dataset step first, or pass --data FILE", exitCode: EXIT.invalid });
    const studentDir = await workspaceRun(abs);
    const first = studentDir ? "student" : undefined;
    if (!first && opts.against.length < 2) throw new CtxcError(`${abs} has no trained run to evaluate`, { hint: "add a trainer stage and run the pipeline, or compare compressors on its test split with --against A,B (e.g. --against teacher,rules)", exitCode: EXIT.invalid });
    input = { docs: await readDocs(testFile), names: first ? [first, ...opts.against] : opts.against, workspace: abs, runDir: studentDir };
  } else {
    if (!opts.data) throw new CtxcError(`${run} is not a workspace, so there is no test split to use`, { hint: "pass the rows with --data FILE (JSONL docs or chat pairs), or give a pipeline's workspace folder", exitCode: EXIT.invalid });
    const runDir = existsSync(join(abs, "run.json")) ? abs : undefined;
    input = { docs: await loadDataFile(opts.data, opts.cwd), names: [runDir ? "student" : run, ...opts.against], workspace: isWorkspace ? abs : undefined, runDir };
  }
  const dup = input.names.find((n, i) => input.names.indexOf(n) !== i);
  if (dup) throw new CtxcError(`${dup} is compared with itself`, { hint: "list each compressor once", exitCode: EXIT.invalid });
  if (input.docs.length === 0) throw new CtxcError("no rows to evaluate", { hint: "the test split or --data file is empty", exitCode: EXIT.invalid });
  return input;
}
