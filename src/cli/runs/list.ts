// `ctxc runs list [--runs-dir DIR] [--json]`: every training run, oldest first.
import { defineCommand } from "citty";
import { listRunDirs } from "../../runs/store.ts";
import { applyVerbosity, log, verbosityArgs } from "../_shared.ts";
import { fmt, loadRun, runsDirArg, runsDirOf, summarize, table, type RunSummary } from "./_shared.ts";

export function formatList(runs: RunSummary[]): string {
  const head = ["run", "when", "status", "base model", "rows t/v/t", "train", "val", "test", "tok/s", "time", "cost"];
  const rows = runs.map((r) => [r.id, fmt.when(r.createdAt), r.status, r.baseModel, fmt.rows(r.rows), fmt.loss(r.train_loss), fmt.loss(r.val_loss), fmt.loss(r.test_loss), fmt.num(r.tokens_per_sec), fmt.secs(r.seconds), fmt.usd(r.costUsd)]);
  return table(head, rows, 4);
}

export default defineCommand({
  meta: { name: "list", description: "List the training runs: what, when, status, base model, data size, final losses, tokens/s, cost" },
  args: { ...runsDirArg, json: { type: "boolean", description: "Print JSON" }, ...verbosityArgs },
  async run({ args }) {
    applyVerbosity(args);
    const runsDir = runsDirOf(args);
    const runs: RunSummary[] = [];
    for (const dir of listRunDirs(runsDir)) {
      try {
        runs.push(summarize(await loadRun(dir)));
      } catch (e) {
        log.warn(`${dir}: ${(e as Error).message} — left out`);
      }
    }
    if (args.json) process.stdout.write(`${JSON.stringify(runs, null, 2)}\n`);
    else if (runs.length === 0) process.stdout.write(`no training runs in ${runsDir}\n`);
    else process.stdout.write(formatList(runs));
  },
});
