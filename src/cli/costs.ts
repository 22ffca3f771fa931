// `ctxc costs [--by stage|model|day|pipeline] [PIPELINE | --out DIR]`: what the workspace's LLM
// calls cost, from the ledger. Cached calls cost nothing; calls to models without a known price
// are counted apart, never as $0.
import { defineCommand } from "citty";
import { costsBy, openWorkspaceStore, type CostGroup, type CostRow } from "../core/store-queries.ts";
import { applyVerbosity, verbosityArgs } from "./_shared.ts";

const GROUPS: CostGroup[] = ["stage", "model", "day", "pipeline"];

export function formatCosts(rows: CostRow[], by: CostGroup): string {
  const head = [by, "calls", "cached", "batch", "tokens in", "tokens out", "USD"];
  const body = rows.map((r) => [r.key, r.calls, r.cached, r.batch, r.tokensIn, r.tokensOut, `$${r.usd.toFixed(4)}${r.unpriced ? ` + ${r.unpriced} unpriced` : ""}`].map(String));
  const total = rows.reduce((t, r) => ({ calls: t.calls + r.calls, usd: t.usd + r.usd, unpriced: t.unpriced + r.unpriced }), { calls: 0, usd: 0, unpriced: 0 });
  const table = [head, ...body];
  const widths = head.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const lines = table.map((row) => row.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join("  "));
  lines.push(`total: ${total.calls} calls, $${total.usd.toFixed(4)}${total.unpriced ? ` (+ ${total.unpriced} calls of unknown price)` : ""}`);
  return lines.join("\n") + "\n";
}

export const examples = [
  "ctxc costs pipeline.toml",
  "ctxc costs --by model --out runs/my-run",
  "ctxc costs pipeline.toml --by day --json",
];

export default defineCommand({
  meta: {
    name: "costs",
    description: "What the LLM calls cost: ctxc costs [--by stage|model|day|pipeline] [PIPELINE | --out DIR] [--json]",
  },
  args: {
    pipeline: { type: "positional", description: "The pipeline file (or use --out)", required: false },
    out: { type: "string", description: "The workspace folder (instead of a pipeline file)" },
    by: { type: "enum", options: GROUPS, description: "Group by stage, model, day or pipeline", default: "stage" },
    json: { type: "boolean", description: "Print JSON" },
    ...verbosityArgs,
  },
  async run({ args }) {
    applyVerbosity(args);
    const by = String(args.by) as CostGroup;
    const { store } = await openWorkspaceStore({ out: args.out, pipeline: args.pipeline ? String(args.pipeline) : undefined });
    try {
      const rows = costsBy(store, by);
      if (args.json) process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      else if (rows.length === 0) process.stdout.write("no LLM calls recorded in this workspace\n");
      else process.stdout.write(formatCosts(rows, by));
      return 0;
    } finally {
      store.close();
    }
  },
});
