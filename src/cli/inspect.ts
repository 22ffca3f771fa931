// `ctxc inspect OUT/NN-stage`: kept and rejected examples of a stage side by side (original |
// compressed) with the reason, detail and scores, so a person can judge a filter by eye.
// Sampling is deterministic: rows are ranked by a hash of (seed, id, line), so the same seed shows
// the same examples however often it is run, and a different seed shows others. Files stream;
// memory holds only the sample.
import { defineCommand } from "citty";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { CtxcError, EXIT } from "../core/errors.ts";
import { didYouMean } from "../text/suggest.ts";
import type { Doc } from "../sdk/types.ts";
import { readJsonl } from "../text/jsonl.ts";
import { hash32 } from "../text/shingles.ts";
import { applyVerbosity, verbosityArgs } from "./_shared.ts";

export type Row = Doc & { reason?: string; detail?: string };

export interface Sampled {
  line: number;
  row: Row;
}

export interface InspectResult {
  dir: string;
  kept: { total: number; sample: Sampled[] };
  rejected: { total: number; byReason: Record<string, number>; sample: Sampled[] };
}

export interface InspectOptions {
  reason?: string;
  sample?: number;
  seed?: string;
  /** Show only one side of the stage. */
  only?: "kept" | "rejected";
}

/** The `n` rows with the smallest rank: a seeded sample that does not depend on file size. */
class Sampler {
  private readonly picked: Array<{ rank: number; item: Sampled }> = [];
  constructor(
    private readonly n: number,
    private readonly seed: string,
  ) {}

  offer(item: Sampled): void {
    if (this.n <= 0) return;
    const rank = hash32(`${this.seed}\u0000${item.row.id}\u0000${item.line}`);
    if (this.picked.length === this.n && rank >= this.picked.at(-1)!.rank) return;
    const at = this.picked.findIndex((p) => p.rank > rank);
    this.picked.splice(at < 0 ? this.picked.length : at, 0, { rank, item });
    if (this.picked.length > this.n) this.picked.pop();
  }

  /** The sample in file order, which reads better than rank order. */
  result(): Sampled[] {
    return this.picked.map((p) => p.item).sort((a, b) => a.line - b.line);
  }
}

function checkStageDir(dir: string): void {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new CtxcError(`${dir}: no such stage folder`, { hint: "give a stage folder of a run's workspace, e.g. runs/my-run/03-filter-ratio", exitCode: EXIT.invalid });
  }
  if (existsSync(join(dir, "out.jsonl")) || existsSync(join(dir, "rejected.jsonl"))) return;
  const stages = readdirSync(dir).filter((name) => /^\d\d+-/.test(name) && statSync(join(dir, name)).isDirectory());
  throw new CtxcError(`${dir}: has no out.jsonl or rejected.jsonl`, {
    hint: stages.length ? `this looks like a workspace; inspect one of its stages: ${stages.map((s) => join(dir, s)).join(", ")}` : "run the pipeline first, or give the folder of one stage (NN-name)",
    exitCode: EXIT.invalid,
  });
}

export async function inspectStage(dir: string, opts: InspectOptions = {}): Promise<InspectResult> {
  checkStageDir(dir);
  const n = opts.sample ?? 5;
  const seed = opts.seed ?? "0";
  const warn = (issue: { path: string; line: number; message: string }) => process.stderr.write(`warning: ${issue.path}:${issue.line}: ${issue.message}\n`);
  const result: InspectResult = { dir, kept: { total: 0, sample: [] }, rejected: { total: 0, byReason: {}, sample: [] } };

  const showKept = opts.only !== "rejected" && opts.reason === undefined;
  const keptPath = join(dir, "out.jsonl");
  if (existsSync(keptPath)) {
    const sampler = new Sampler(showKept ? n : 0, seed);
    for await (const { line, value } of readJsonl<Row>(keptPath, warn)) {
      result.kept.total++;
      sampler.offer({ line, row: value });
    }
    result.kept.sample = sampler.result();
  }

  const rejectedPath = join(dir, "rejected.jsonl");
  if (existsSync(rejectedPath)) {
    const sampler = new Sampler(opts.only === "kept" ? 0 : n, seed);
    for await (const { line, value } of readJsonl<Row>(rejectedPath, warn)) {
      const reason = value.reason ?? "(no reason)";
      result.rejected.total++;
      result.rejected.byReason[reason] = (result.rejected.byReason[reason] ?? 0) + 1;
      if (opts.reason === undefined || reason === opts.reason) sampler.offer({ line, row: value });
    }
    result.rejected.sample = sampler.result();
  }

  if (opts.reason !== undefined && !result.rejected.byReason[opts.reason]) {
    const known = Object.keys(result.rejected.byReason);
    throw new CtxcError(`${dir}: no rejection with reason "${opts.reason}"`, {
      hint: known.length ? `${didYouMean(opts.reason, known) ?? "reasons here:"} ${known.map((r) => `${r} (${result.rejected.byReason[r]})`).join(", ")}` : "this stage rejected nothing",
      exitCode: EXIT.invalid,
    });
  }
  return result;
}

// ---- rendering -------------------------------------------------------------------------------

/** Control characters made visible (a `control_chars` rejection must show what it found). */
function visible(s: string): string {
  return s.replace(/\t/g, "  ").replace(/[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** Wraps text to `width` columns, at most `maxLines` lines (the rest counted). */
export function wrap(text: string, width: number, maxLines: number): string[] {
  const out: string[] = [];
  for (const raw of visible(text).split(/\r?\n/)) {
    const chars = [...raw];
    if (!chars.length) out.push("");
    for (let i = 0; i < chars.length; i += width) out.push(chars.slice(i, i + width).join(""));
  }
  if (out.length > maxLines) return [...out.slice(0, maxLines - 1), `… (+${out.length - maxLines + 1} lines)`];
  return out;
}

function sideBySide(left: string, right: string, width: number, maxLines: number): string[] {
  const col = Math.max(20, Math.floor((width - 3) / 2));
  const a = [`original (${left.length} chars)`, ...wrap(left, col, maxLines)];
  const b = [`compressed (${right.length} chars)`, ...wrap(right, col, maxLines)];
  const lines: string[] = [];
  for (let i = 0; i < Math.max(a.length, b.length); i++) lines.push(`${[...(a[i] ?? "")].length > col ? a[i] : (a[i] ?? "").padEnd(col)} │ ${b[i] ?? ""}`.trimEnd());
  return lines;
}

function formatScores(scores: Record<string, number> | undefined): string {
  const entries = Object.entries(scores ?? {});
  return entries.length ? entries.map(([k, v]) => `${k}=${Number.isInteger(v) ? v : v.toFixed(3)}`).join("  ") : "(none)";
}

function renderRow(kind: "kept" | "rejected", { line, row }: Sampled, width: number, maxLines: number): string[] {
  const where = [row.source?.path, row.source?.unit ?? row.source?.name].filter(Boolean).join(":");
  const title = `── ${kind}${row.reason ? ` · ${row.reason}` : ""} · ${row.domain} · ${where || "?"} · id ${row.id} · line ${line} `;
  const lines = [[...title].length > width ? [...title].slice(0, width).join("") : title.padEnd(width, "─")];
  if (row.detail) lines.push(`detail: ${visible(row.detail)}`);
  lines.push(`scores: ${formatScores(row.scores)}`);
  const stripped = row.meta?.stripped;
  if (Array.isArray(stripped)) lines.push(`stripped: ${stripped.join(", ")}`);
  lines.push(...sideBySide(row.text ?? "", row.compressed ?? "(no compressed text)", width, maxLines), "");
  return lines;
}

export function renderInspect(r: InspectResult, width = 120, maxLines = 16): string {
  const reasons = Object.entries(r.rejected.byReason).sort((a, b) => b[1] - a[1]);
  const lines = [
    `${r.dir}: ${r.kept.total} kept, ${r.rejected.total} rejected${reasons.length ? ` (${reasons.map(([k, n]) => `${k} ${n}`).join(", ")})` : ""}`,
    "",
  ];
  for (const s of r.kept.sample) lines.push(...renderRow("kept", s, width, maxLines));
  for (const s of r.rejected.sample) lines.push(...renderRow("rejected", s, width, maxLines));
  return `${lines.join("\n")}\n`;
}

export const examples = [
  "ctxc inspect runs/my-run/04-filter-ratio",
  "ctxc inspect runs/my-run/04-filter-ratio --reason expansion --sample 5",
  "ctxc inspect runs/my-run/06-filter-equivalence --json",
];

export default defineCommand({
  meta: {
    name: "inspect",
    description: "Show kept and rejected examples of a stage side by side (original | compressed) with reasons and scores: ctxc inspect OUT/NN-stage [--reason R] [--sample N] [--seed N]",
  },
  args: {
    stage: { type: "positional", description: "A stage folder of a run, e.g. runs/my-run/03-filter-ratio", required: true },
    reason: { type: "string", alias: "r", description: "Show only rejections with this reason" },
    sample: { type: "string", alias: "n", valueHint: "N", description: "Examples per side (default 5)", default: "5" },
    seed: { type: "string", valueHint: "N", description: "Sampling seed: the same seed shows the same examples (default 0)", default: "0" },
    only: { type: "enum", options: ["kept", "rejected"], description: "Show only kept or only rejected examples" },
    width: { type: "string", valueHint: "N", description: "Output width in columns (default: the terminal's, or 120)" },
    lines: { type: "string", valueHint: "N", description: "Lines shown per text before it is cut (default 16)", default: "16" },
    json: { type: "boolean", description: "Print the sample as JSON" },
    ...verbosityArgs,
  },
  async run({ args }) {
    applyVerbosity(args);
    const sample = wholeNumber(args.sample, "--sample", 0);
    const only = args.only as InspectOptions["only"] | undefined;
    if (only !== undefined && only !== "kept" && only !== "rejected") throw new CtxcError(`--only must be kept or rejected, not "${only}"`, { exitCode: EXIT.invalid });
    const result = await inspectStage(String(args.stage), { reason: args.reason, sample, seed: String(args.seed), only });
    if (args.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return 0;
    }
    const width = args.width ? wholeNumber(args.width, "--width", 1) : (process.stdout.columns ?? 120);
    process.stdout.write(renderInspect(result, width, wholeNumber(args.lines, "--lines", 1)));
    return 0;
  },
});

/** A flag's value as a whole number ≥ min (--sample 0 shows counts only; --lines 0 would show no text). */
function wholeNumber(value: unknown, flag: string, min: number): number {
  const n = Number(value);
  if (value === "" || !Number.isInteger(n) || n < min) throw new CtxcError(`${flag} must be a whole number ≥ ${min}, not "${value}"`, { exitCode: EXIT.invalid });
  return n;
}
