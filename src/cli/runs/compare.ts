// `ctxc runs compare RUN RUN [RUN…] [--json]`: runs side by side, one row per fact, and the
// options that differ between them.
import { defineCommand } from "citty";
import type { RunJson } from "../../runs/store.ts";
import { canonicalJson } from "../../core/canonical.ts";
import { CtxcError, EXIT } from "../../core/errors.ts";
import { applyVerbosity, verbosityArgs } from "../_shared.ts";
import { fmt, loadRun, resolveRun, runsDirArg, runsDirOf, summarize, table } from "./_shared.ts";

/** Option names whose values are not the same in every run (absent counts as a value). */
export function differingOptions(runs: RunJson[]): string[] {
  const keys = new Set(runs.flatMap((r) => Object.keys(r.config ?? {})));
  return [...keys].sort().filter((k) => new Set(runs.map((r) => canonicalJson(r.config?.[k] ?? null))).size > 1);
}

export function formatCompare(runs: RunJson[]): string {
  const s = runs.map(summarize);
  const rows: string[][] = [
    ["trainer", ...s.map((r) => r.trainer)],
    ["status", ...s.map((r) => r.status)],
    ["when", ...s.map((r) => fmt.when(r.createdAt))],
    ["base model", ...s.map((r) => r.baseModel)],
    ["rows t/v/t", ...s.map((r) => fmt.rows(r.rows))],
    ["train loss", ...s.map((r) => fmt.loss(r.train_loss))],
    ["val loss", ...s.map((r) => fmt.loss(r.val_loss))],
    ["test loss", ...s.map((r) => fmt.loss(r.test_loss))],
    ["test ppl", ...s.map((r) => fmt.loss(r.test_ppl))],
    ["tokens/s", ...s.map((r) => fmt.num(r.tokens_per_sec))],
    ["time", ...s.map((r) => fmt.secs(r.seconds))],
    ["cost", ...s.map((r) => fmt.usd(r.costUsd))],
  ];
  for (const k of differingOptions(runs)) rows.push([`  ${k}`, ...runs.map((r) => (r.config?.[k] === undefined ? "-" : typeof r.config[k] === "object" ? JSON.stringify(r.config[k]) : String(r.config[k])))]);
  return table(["", ...s.map((r) => r.id)], rows);
}

export default defineCommand({
  meta: { name: "compare", description: "Compare runs side by side: status, base model, data, final losses, tokens/s, cost, and the options that differ" },
  args: {
    runs: { type: "positional", valueHint: "RUN...", description: "Two or more runs (folders, ids, unique parts of ids, or `last`)", required: true },
    ...runsDirArg,
    json: { type: "boolean", description: "Print JSON" },
    ...verbosityArgs,
  },
  async run({ args }) {
    applyVerbosity(args);
    const specs = args._.map(String);
    if (specs.length < 2) throw new CtxcError("compare needs at least two runs", { hint: "ctxc runs compare RUN RUN (`ctxc runs list` shows them)", exitCode: EXIT.invalid });
    const runsDir = runsDirOf(args);
    const runs = await Promise.all(specs.map((spec) => loadRun(resolveRun(spec, runsDir))));
    if (args.json) process.stdout.write(`${JSON.stringify({ runs: runs.map(summarize), differing: differingOptions(runs) }, null, 2)}\n`);
    else process.stdout.write(formatCompare(runs));
  },
});
