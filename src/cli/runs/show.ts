// `ctxc runs show RUN [--json]`: one run in full — its record, final metrics, files and error.
import { defineCommand } from "citty";
import { readdirSync } from "node:fs";
import type { RunJson } from "../../runs/store.ts";
import { applyVerbosity, verbosityArgs } from "../_shared.ts";
import { fmt, loadRun, resolveRun, runsDirArg, runsDirOf } from "./_shared.ts";

export function formatShow(run: RunJson): string {
  const lines: string[] = [];
  const kv = (k: string, v: unknown) => v !== undefined && v !== "" && lines.push(`${k.padEnd(16)} ${v}`);
  kv("run", run.id);
  kv("folder", run.dir);
  kv("trainer", run.trainer);
  kv("status", run.status);
  kv("created", run.createdAt);
  kv("finished", run.finishedAt);
  kv("time", fmt.secs(run.seconds));
  kv("base model", run.baseModel);
  kv("adapter", run.adapter);
  const versions = Object.entries(run.backend?.versions ?? {}).map(([k, v]) => `${k} ${v}`).join(", ");
  kv("backend", `${run.backend?.name ?? "?"}${versions ? ` (${versions})` : ""}`);
  const c = run.dataset?.counts;
  kv("dataset", c ? `${c.train} train / ${c.valid} valid / ${c.test} test rows (fingerprint ${String(run.datasetFingerprint).slice(0, 12)})` : undefined);
  if (typeof run.costUsd === "number") kv("cost", fmt.usd(run.costUsd));
  if (run.error) {
    kv("error", run.error.message);
    kv("hint", run.error.hint);
  }
  const metrics = Object.entries(run.metrics ?? {});
  if (metrics.length) {
    lines.push("metrics");
    for (const [k, v] of metrics.sort(([a], [b]) => a.localeCompare(b))) lines.push(`  ${k.padEnd(14)} ${Number.isInteger(v) ? v : Number(v).toPrecision(5)}`);
  }
  const config = Object.entries(run.config ?? {}).filter(([, v]) => v !== undefined);
  if (config.length) {
    lines.push("config");
    for (const [k, v] of config) lines.push(`  ${k.padEnd(14)} ${typeof v === "object" ? JSON.stringify(v) : v}`);
  }
  let files: string[] = [];
  try {
    files = readdirSync(run.dir).sort();
  } catch {}
  if (files.length) lines.push(`files            ${files.join(", ")}`);
  return lines.join("\n") + "\n";
}

export default defineCommand({
  meta: { name: "show", description: "Show one run: config, base model, dataset, backend versions, status, final metrics, files" },
  args: {
    run: { type: "positional", description: "A run folder, an id (mlx/2026-12-01T…), a unique part of one, or `last`", required: true },
    ...runsDirArg,
    json: { type: "boolean", description: "Print run.json" },
    ...verbosityArgs,
  },
  async run({ args }) {
    applyVerbosity(args);
    const run = await loadRun(resolveRun(String(args.run), runsDirOf(args)));
    process.stdout.write(args.json ? `${JSON.stringify(run, null, 2)}\n` : formatShow(run));
  },
});
