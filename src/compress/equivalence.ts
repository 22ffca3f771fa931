// Judged rows → evaluator/equivalence's summary: per compressor, the mean of the judges' lowest
// score, the pass rate at the threshold, the same per domain and per compression-ratio bucket,
// and paired differences (first compressor against the others) with bootstrap 95% intervals.
// A row whose judges failed (malformed, refusal, provider) is counted as an error, never scored.
import type { Doc } from "../sdk/types.ts";
import { pairedDifference, type PairedDifference } from "./bootstrap.ts";

export interface JudgedRow {
  domain: Doc["domain"];
  ratio: number;
  /** The lowest judge score; null when a judge failed. An empty output scores 0 unjudged. */
  score: number | null;
  passed: boolean;
  status: "pass" | "not_equivalent" | "judge_error" | "empty";
}

export interface Group {
  n: number;
  mean: number;
  pass_rate: number;
}

export interface EquivalenceCompressor {
  name: string;
  spec: string;
  /** Rows with a score (judged, or empty and scored 0). */
  judged: number;
  judge_errors: number;
  mean: number | null;
  pass_rate: number | null;
  by_domain: Record<string, Group>;
  by_bucket: Record<string, Group>;
}

export interface EquivalenceSummary {
  threshold: number;
  rows: number;
  compressors: EquivalenceCompressor[];
  comparisons: Array<{ a: string; b: string; metric: "equivalence"; diff: PairedDifference; winner: string | null }>;
}

function group(rows: JudgedRow[]): Group {
  const scored = rows.filter((r) => r.score !== null);
  return { n: scored.length, mean: scored.reduce((s, r) => s + r.score!, 0) / Math.max(1, scored.length), pass_rate: scored.filter((r) => r.passed).length / Math.max(1, scored.length) };
}

function groupBy(rows: JudgedRow[], key: (r: JudgedRow) => string): Record<string, Group> {
  const keys = [...new Set(rows.filter((r) => r.score !== null).map(key))].sort();
  return Object.fromEntries(keys.map((k) => [k, group(rows.filter((r) => key(r) === k))]));
}

export function summarizeEquivalence(
  candidates: Array<{ name: string; spec: string }>,
  judged: JudgedRow[][],
  opts: { threshold: number; seed: number; bucket: (ratio: number) => string },
): EquivalenceSummary {
  const compressors = candidates.map((c, j) => {
    const rows = judged[j]!;
    const all = group(rows);
    const judgedN = all.n;
    return {
      name: c.name,
      spec: c.spec,
      judged: judgedN,
      judge_errors: rows.filter((r) => r.status === "judge_error").length,
      mean: judgedN ? all.mean : null,
      pass_rate: judgedN ? all.pass_rate : null,
      by_domain: groupBy(rows, (r) => r.domain),
      by_bucket: groupBy(rows, (r) => opts.bucket(r.ratio)),
    };
  });
  const comparisons: EquivalenceSummary["comparisons"] = [];
  for (let j = 1; j < candidates.length; j++) {
    const diff = pairedDifference(judged[0]!.map((r) => r.score), judged[j]!.map((r) => r.score), { seed: opts.seed });
    if (diff.n === 0) continue;
    const a = candidates[0]!.name;
    const b = candidates[j]!.name;
    comparisons.push({ a, b, metric: "equivalence", diff, winner: diff.significant ? (diff.mean > 0 ? b : a) : null });
  }
  return { threshold: opts.threshold, rows: judged[0]?.length ?? 0, compressors, comparisons };
}
