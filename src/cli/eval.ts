import { defineCommand } from "citty";
import { join, resolve } from "node:path";
import { closeAll, openCandidates } from "../compress/candidates.ts";
import { CompressorError } from "../compress/types.ts";
import { scoreCandidates } from "../compress/score.ts";
import { buildEvaluation, type Evaluation } from "../compress/summary.ts";
import { readJsonIfExists, writeJsonAtomic } from "../core/atomic.ts";
import { CtxcError, EXIT } from "../core/errors.ts";
import { evalInput } from "../core/eval-input.ts";
import { log } from "../core/log.ts";
import { recordEvaluation } from "../runs/evaluation.ts";
import { applyVerbosity, errorJson, reportError, verbosityArgs } from "./_shared.ts";

export const examples = [
  "ctxc eval runs/my-pipeline                         the trained student vs the teacher and rules on the test split",
  "ctxc eval runs/my-pipeline --against teacher,rules,default",
  "ctxc eval models/runs/extractive/2026-… --data valid.jsonl --against rules",
  "ctxc eval rules --data valid.jsonl --against default --rows 200 --json",
];

export default defineCommand({
  meta: {
    name: "eval",
    description:
      "Compare compressors on the same rows (A/B): token ratio, word F1 vs the teacher, fact recall, latency, with paired differences and seeded bootstrap 95% intervals that say which differences are significant. RUN is a pipeline workspace (its test split; its trained run is \"student\") or a compressor (run folder, rules, default, provider:model) with --data.",
  },
  args: {
    run: { type: "positional", description: "A workspace folder, a run folder, or a compressor spec", required: true },
    against: { type: "string", description: "Comma-separated compressors to compare with RUN: teacher, rules, default, run:PATH, provider:model (default teacher,rules)" },
    data: { type: "string", description: "Rows to evaluate on: a JSONL file of docs or chat pairs (default: the workspace's test split)" },
    rows: { type: "string", description: "Evaluate only the first N rows" },
    seed: { type: "string", description: "Bootstrap seed (default 42): same rows + seed → same intervals" },
    json: { type: "boolean", description: "Print the evaluation as JSON on stdout" },
    ...verbosityArgs,
  },
  async run({ args }) {
    applyVerbosity(args);
    if (args.json && !args.verbose) log.level = Math.min(log.level, 1);
    const controller = new AbortController();
    const onSigint = () => controller.abort();
    process.on("SIGINT", onSigint);
    try {
      const rows = positiveInt(args.rows, "--rows");
      const seed = args.seed === undefined ? 42 : positiveInt(args.seed, "--seed", 0)!;
      // The default leaves RUN itself out (`ctxc eval rules --data …` compares rules with the teacher).
      const against = args.against === undefined ? ["teacher", "rules"].filter((n) => n !== args.run) : args.against.split(",").map((s) => s.trim()).filter(Boolean);
      const input = await evalInput(args.run, { against, data: args.data, cwd: process.cwd() });
      let docs = input.names.includes("teacher") ? input.docs.filter((d) => d.compressed !== undefined) : input.docs;
      if (docs.length === 0) throw new CtxcError('no row has a teacher compression, so "teacher" cannot be compared', { hint: "leave teacher out of --against, or use rows with a compressed text", exitCode: EXIT.invalid });
      if (rows) docs = docs.slice(0, rows);
      const candidates = await openCandidates(input.names, { root: process.cwd(), studentDir: input.runDir, env: process.env, signal: controller.signal }).catch((e) => {
        throw e instanceof CompressorError ? new CtxcError(e.message, { hint: e.hint, exitCode: EXIT.invalid }) : e;
      });
      let evaluation: Evaluation;
      try {
        log.info(`comparing ${input.names.join(", ")} on ${docs.length} rows`);
        evaluation = buildEvaluation(docs, candidates, await scoreCandidates(docs, candidates, { signal: controller.signal }), { seed });
      } finally {
        await closeAll(candidates);
      }
      const written = await save(evaluation, input);
      if (args.json) process.stdout.write(`${JSON.stringify(evaluation, null, 2)}\n`);
      else printEvaluation(evaluation, written);
      return EXIT.ok;
    } catch (e) {
      if (controller.signal.aborted) {
        log.warn("interrupted: nothing was written");
        return EXIT.interrupted;
      }
      if (args.json) process.stdout.write(`${JSON.stringify({ status: "failed", ...errorJson(e) }, null, 2)}\n`);
      return reportError(e);
    } finally {
      process.off("SIGINT", onSigint);
    }
  },
});

function positiveInt(raw: string | undefined, flag: string, min = 1): number | undefined {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new CtxcError(`${flag} must be an integer ≥ ${min}, not "${raw}"`, { hint: `e.g. ${flag} 200`, exitCode: EXIT.invalid });
  return n;
}

/** report.json's `ab` key in the workspace, run.json's evaluation.ab in the run. */
async function save(e: Evaluation, input: { workspace?: string; runDir?: string }): Promise<string[]> {
  const out: string[] = [];
  if (input.workspace) {
    const file = join(input.workspace, "report.json");
    const prev = (await readJsonIfExists<Record<string, unknown>>(file)) ?? {};
    await writeJsonAtomic(file, { ...prev, ab: e });
    out.push(file);
  }
  if (input.runDir && (await recordEvaluation(input.runDir, "ab", e))) out.push(join(resolve(input.runDir), "run.json"));
  return out;
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "—");
const pct = (x: number | null) => (x === null ? "—" : `${(x * 100).toFixed(1)}%`);

function printEvaluation(e: Evaluation, written: string[]): void {
  const w = (s: string, n: number) => s.padEnd(n);
  const lines = [
    `${w("compressor", 14)}${w("ratio [95% CI]", 24)}${w("F1 vs teacher", 16)}${w("fact recall", 13)}${w("num/id/neg/ent", 28)}${w("empty", 8)}${w("expanded", 10)}ms/1k p50/p95`,
  ];
  for (const c of e.compressors) {
    const r = c.recall;
    lines.push(
      w(c.name, 14) +
        w(`${f3(c.token_ratio.mean)} [${f3(c.token_ratio.lo)}, ${f3(c.token_ratio.hi)}]`, 24) +
        w(c.f1 ? f3(c.f1.mean) : "—", 16) +
        w(c.fact_recall ? f3(c.fact_recall.mean) : "—", 13) +
        w(`${pct(r.numbers)} ${pct(r.identifiers)} ${pct(r.negations)} ${pct(r.entities)}`, 28) +
        w(pct(c.empty_share), 8) +
        w(pct(c.expanded_share), 10) +
        (c.latency_ms_per_1k ? `${c.latency_ms_per_1k.p50.toFixed(2)}/${c.latency_ms_per_1k.p95.toFixed(2)}` : "—"),
    );
  }
  process.stdout.write(`${e.rows} rows\n${lines.join("\n")}\n\n`);
  for (const c of e.comparisons) {
    const verdict = c.winner ? `significant: favours ${c.winner}` : "not significant";
    process.stdout.write(`${c.b} − ${c.a}  ${c.metric.padEnd(12)} ${f3(c.diff.mean).padStart(7)} [${f3(c.diff.lo)}, ${f3(c.diff.hi)}]  ${verdict} (${c.better} is better, n=${c.diff.n})\n`);
  }
  for (const f of written) process.stdout.write(`→ ${f}\n`);
}
