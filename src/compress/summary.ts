// Scored rows → the evaluation record that report.json, run.json's `evaluation` key, `ctxc eval`
// and report.html share: one summary per compressor, paired A/B differences with bootstrap 95%
// intervals, per-row ratios (for histograms) and a few side-by-side examples.
import type { Doc } from "../sdk/types.ts";
import { bootstrapMean, pairedDifference, quantile, type Interval, type PairedDifference } from "./bootstrap.ts";
import type { Candidate } from "./candidates.ts";
import { FACT_KINDS, type FactKind, type ScoredRow } from "./score.ts";

export interface CompressorSummary {
  name: string;
  spec: string;
  rows: number;
  /** Mean Qwen3-token ratio with its bootstrap interval (lower compresses more). */
  token_ratio: Interval;
  token_ratio_p50: number;
  /** Mean word F1 against the teacher (null when no row has a teacher compression). */
  f1: Interval | null;
  /** Kept / total over all rows, per kind of fact (null when no original has that kind). */
  recall: Record<FactKind, number | null>;
  /** Per-row recall of all facts, averaged over rows that have any. */
  fact_recall: Interval | null;
  empty_share: number;
  expanded_share: number;
  /** Milliseconds per 1,000 input tokens (null for the teacher, made before the evaluation). */
  latency_ms_per_1k: { p50: number; p95: number } | null;
}

/** The measures A/B compares, and which direction is better. */
export const AB_METRICS = { token_ratio: "lower", f1: "higher", fact_recall: "higher" } as const;
export type AbMetric = keyof typeof AB_METRICS;

export interface Comparison {
  /** The reference (the first compressor) and the one compared with it. */
  a: string;
  b: string;
  metric: AbMetric;
  better: "lower" | "higher";
  /** Mean of b − a per row, with its 95% interval; `significant` when it excludes 0. */
  diff: PairedDifference;
  /** Which side the difference favours, when significant. */
  winner: string | null;
}

export interface Example {
  id: string;
  domain: Doc["domain"];
  original: string;
  /** Compressor name → its output, and the teacher's when the doc has one. */
  outputs: Record<string, string>;
}

export interface Evaluation {
  rows: number;
  seed: number;
  compressors: CompressorSummary[];
  comparisons: Comparison[];
  /** Per compressor, per row: ratio and domain (report.html's histograms). */
  ratios: Record<string, number[]>;
  domains: Doc["domain"][];
  examples: Example[];
}

const pick = (rows: ScoredRow[], f: (r: ScoredRow) => number | null) => rows.map(f);
const numbers = (xs: Array<number | null>) => xs.filter((x): x is number => x !== null && Number.isFinite(x));

function rowValue(r: ScoredRow, m: AbMetric): number | null {
  return m === "token_ratio" ? r.ratio : m === "f1" ? r.f1 : r.recall;
}

export function summarize(c: Pick<Candidate, "name" | "spec">, rows: ScoredRow[], seed: number): CompressorSummary {
  const n = rows.length;
  const f1s = numbers(pick(rows, (r) => r.f1));
  const recalls = numbers(pick(rows, (r) => r.recall));
  const lat = numbers(pick(rows, (r) => r.ms_per_1k));
  const recall = {} as Record<FactKind, number | null>;
  for (const k of FACT_KINDS) {
    const total = rows.reduce((s, r) => s + r.facts[k].total, 0);
    recall[k] = total === 0 ? null : rows.reduce((s, r) => s + r.facts[k].kept, 0) / total;
  }
  return {
    name: c.name,
    spec: c.spec,
    rows: n,
    token_ratio: bootstrapMean(rows.map((r) => r.ratio), { seed }),
    token_ratio_p50: quantile(rows.map((r) => r.ratio), 0.5),
    f1: f1s.length ? bootstrapMean(f1s, { seed }) : null,
    recall,
    fact_recall: recalls.length ? bootstrapMean(recalls, { seed }) : null,
    empty_share: n ? rows.filter((r) => r.empty).length / n : 0,
    expanded_share: n ? rows.filter((r) => r.expanded).length / n : 0,
    latency_ms_per_1k: lat.length ? { p50: quantile(lat, 0.5), p95: quantile(lat, 0.95) } : null,
  };
}

/** The first compressor against each of the others, on every A/B measure. */
export function compareAll(names: string[], results: ScoredRow[][], seed: number): Comparison[] {
  const out: Comparison[] = [];
  for (let j = 1; j < names.length; j++) {
    for (const metric of Object.keys(AB_METRICS) as AbMetric[]) {
      // The teacher's F1 against itself is 1 by definition: no comparison to make.
      if (metric === "f1" && (names[0] === "teacher" || names[j] === "teacher")) continue;
      const diff = pairedDifference(results[0]!.map((r) => rowValue(r, metric)), results[j]!.map((r) => rowValue(r, metric)), { seed });
      if (diff.n === 0) continue;
      const better = AB_METRICS[metric];
      const bWins = better === "lower" ? diff.mean < 0 : diff.mean > 0;
      out.push({ a: names[0]!, b: names[j]!, metric, better, diff, winner: diff.significant ? (bWins ? names[j]! : names[0]!) : null });
    }
  }
  return out;
}

export function buildEvaluation(docs: Doc[], candidates: Array<Pick<Candidate, "name" | "spec">>, results: ScoredRow[][], opts: { seed: number; examples?: number }): Evaluation {
  const names = candidates.map((c) => c.name);
  const examples: Example[] = docs.slice(0, opts.examples ?? 6).map((doc, i) => {
    const outputs: Record<string, string> = {};
    if (doc.compressed !== undefined) outputs.teacher = doc.compressed;
    names.forEach((n, j) => (outputs[n] = results[j]![i]!.compressed));
    return { id: doc.id, domain: doc.domain, original: doc.text, outputs };
  });
  return {
    rows: docs.length,
    seed: opts.seed,
    compressors: candidates.map((c, j) => summarize(c, results[j]!, opts.seed)),
    comparisons: compareAll(names, results, opts.seed),
    ratios: Object.fromEntries(names.map((n, j) => [n, results[j]!.map((r) => Math.round(r.ratio * 1000) / 1000)])),
    domains: docs.map((d) => d.domain),
    examples,
  };
}

/** Flat numbers for Report.metrics: "<name>.token_ratio", "<name>.f1", … */
export function flatMetrics(e: Evaluation): Record<string, number> {
  const m: Record<string, number> = { rows: e.rows };
  for (const c of e.compressors) {
    m[`${c.name}.token_ratio`] = c.token_ratio.mean;
    if (c.f1) m[`${c.name}.f1`] = c.f1.mean;
    if (c.fact_recall) m[`${c.name}.fact_recall`] = c.fact_recall.mean;
    for (const k of FACT_KINDS) if (c.recall[k] !== null) m[`${c.name}.recall_${k}`] = c.recall[k]!;
    m[`${c.name}.empty_share`] = c.empty_share;
    m[`${c.name}.expanded_share`] = c.expanded_share;
    if (c.latency_ms_per_1k) {
      m[`${c.name}.latency_ms_per_1k_p50`] = c.latency_ms_per_1k.p50;
      m[`${c.name}.latency_ms_per_1k_p95`] = c.latency_ms_per_1k.p95;
    }
  }
  return m;
}
