// What every `ctxc runs` sub-command shares: the --runs-dir flag, finding a run from what the user
// typed (a folder, an id such as mlx/2026-12-01T16-05-09-123Z, a unique part of one, or "last"),
// the summary row of a run, and a plain-text table. Sub-commands of other trainers' helpers
// (convert, log) use resolveRun() too.
import { existsSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { CtxcError, EXIT } from "../../core/errors.ts";
import { readRun } from "../../runs/run-file.ts";
import { listRunDirs, RUN_FILE, type RunJson } from "../../runs/store.ts";

export const runsDirArg = {
  "runs-dir": { type: "string", description: "The runs folder (default: models/runs in the current folder; a trainer's `runs_dir` if it set one)", default: "models/runs" },
} as const;

export function runsDirOf(args: { "runs-dir"?: string }): string {
  return resolve(String(args["runs-dir"] ?? "models/runs"));
}

/** The run folder `spec` names: a path, `<trainer>/<timestamp>`, a unique part of an id, or "last". */
export function resolveRun(spec: string, runsDir: string): string {
  const asPath = resolve(spec);
  if (existsSync(join(asPath, RUN_FILE))) return asPath;
  const inDir = join(runsDir, spec);
  if (existsSync(join(inDir, RUN_FILE))) return inDir;
  const all = listRunDirs(runsDir);
  if (all.length === 0) throw new CtxcError(`no training runs in ${runsDir}`, { hint: "train one with `ctxc run pipeline.toml` (a trainer stage), or pass --runs-dir", exitCode: EXIT.invalid });
  if (spec === "last" || spec === "latest") {
    // The newest folder named by a ctxc timestamp (a hand-made folder never counts as newest).
    const stamped = all.filter((d) => /^\d{4}-\d\d-\d\dT/.test(basename(d)));
    if (stamped.length) return stamped[stamped.length - 1]!;
  }
  const ids = all.map((d) => relative(runsDir, d));
  const matches = all.filter((_, i) => ids[i]!.includes(spec));
  if (matches.length === 1) return matches[0]!;
  if (matches.length > 1) throw new CtxcError(`\`${spec}\` matches ${matches.length} runs: ${matches.map((d) => relative(runsDir, d)).join(", ")}`, { hint: "give more of the id", exitCode: EXIT.invalid });
  if (existsSync(asPath) && statSync(asPath).isDirectory()) throw new CtxcError(`${asPath} is not a training run (no ${RUN_FILE})`, { hint: "pass a run folder (`ctxc runs list` shows them)", exitCode: EXIT.invalid });
  throw new CtxcError(`no run \`${spec}\` in ${runsDir}`, { hint: `\`ctxc runs list\` shows the runs; the newest is ${ids[ids.length - 1]}`, exitCode: EXIT.invalid });
}

/** readRun with its RunFileError turned into a user error (exit 2, the hint kept). */
export async function loadRun(dir: string): Promise<RunJson> {
  try {
    return await readRun(dir);
  } catch (e) {
    throw new CtxcError((e as Error).message, { hint: (e as { hint?: string }).hint, exitCode: EXIT.invalid });
  }
}

/** The facts `runs list` and `runs compare` show for a run. */
export interface RunSummary {
  id: string;
  dir: string;
  trainer: string;
  status: string;
  createdAt: string;
  seconds?: number;
  baseModel: string;
  rows?: { train: number; valid: number; test: number };
  train_loss?: number;
  val_loss?: number;
  test_loss?: number;
  test_ppl?: number;
  tokens_per_sec?: number;
  costUsd?: number;
  error?: string;
}

export function summarize(run: RunJson): RunSummary {
  const m = run.metrics ?? {};
  const id = typeof run.id === "string" ? run.id : `${basename(dirname(run.dir))}/${basename(run.dir)}`;
  return {
    id, dir: relative(process.cwd(), run.dir) || run.dir, trainer: run.trainer, status: run.status, createdAt: run.createdAt, seconds: run.seconds,
    baseModel: run.baseModel, rows: run.dataset?.counts, train_loss: m.train_loss, val_loss: m.val_loss, test_loss: m.test_loss,
    test_ppl: m.test_ppl, tokens_per_sec: m.tokens_per_sec, costUsd: run.costUsd, error: run.error?.message,
  };
}

export const fmt = {
  loss: (x?: number) => (typeof x === "number" ? x.toFixed(3) : "-"),
  num: (x?: number) => (typeof x === "number" ? Math.round(x).toLocaleString("en-US") : "-"),
  usd: (x?: number) => (typeof x === "number" ? `$${x.toFixed(2)}` : "-"),
  rows: (r?: RunSummary["rows"]) => (r ? `${r.train}/${r.valid}/${r.test}` : "-"),
  when: (iso?: string) => (iso ? iso.replace("T", " ").slice(0, 16) : "-"),
  secs: (s?: number) => (typeof s !== "number" ? "-" : s < 120 ? `${Math.round(s)}s` : s < 5400 ? `${Math.round(s / 60)}m` : `${(s / 3600).toFixed(1)}h`),
};

/** Columns padded to their widest cell; the first column left-aligned, numbers right-aligned. */
export function table(head: string[], rows: string[][], rightFrom = 1): string {
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => [...(r[i] ?? "")].length)));
  return all.map((r) => r.map((c, i) => (i < rightFrom ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  ").trimEnd()).join("\n") + "\n";
}
