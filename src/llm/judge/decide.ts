// From the judges' outcomes to the filter's decision, the doc's scores and meta, and the detail
// a rejection carries. The weakest judge decides: a pair passes only when every judge scores it
// at least `threshold`, because one judge seeing a lost fact is enough to distrust the pair.
import type { JudgeOutcome } from "./ask.ts";
import type { Verdict } from "./verdict.ts";

export interface JudgeEntry extends Verdict {
  repaired?: boolean;
}

export interface Decision {
  status: "pass" | "not_equivalent" | "judge_error";
  /** Set when every judge gave a verdict. */
  min?: number;
  max?: number;
  scores: Record<string, number>;
  meta: {
    method: string;
    threshold: number;
    passed: boolean;
    judges: Record<string, JudgeEntry | { error: string; kind: string }>;
    /** Every judge's missing facts, each once. */
    missing_facts: string[];
    ratio?: number;
  };
  /** For a rejection: what went wrong, short enough for `ctxc inspect`. */
  detail: string;
  /** Judges on both sides of the threshold. */
  disagree: boolean;
  /** A judge_error caused by a provider failure (not cached: asking again may succeed). */
  retryable?: boolean;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export function decide(outcomes: JudgeOutcome[], threshold: number, method: string): Decision {
  const judges: Decision["meta"]["judges"] = {};
  const scores: Record<string, number> = {};
  const missing = new Set<string>();
  const errors: string[] = [];
  for (const o of outcomes) {
    if (!o.ok) {
      judges[o.judge] = { kind: o.kind, error: o.error };
      errors.push(`${o.judge} ${o.kind}: ${o.error}`);
      continue;
    }
    judges[o.judge] = { ...o.verdict, ...(o.repaired ? { repaired: true } : {}) };
    scores[`equivalence.${o.judge}`] = round(o.verdict.score);
    for (const f of o.verdict.missing_facts) missing.add(f.trim());
  }
  missing.delete("");
  const good = outcomes.filter((o): o is Extract<JudgeOutcome, { ok: true }> => o.ok);
  const meta = { method, threshold, passed: false, judges, missing_facts: [...missing] };
  if (errors.length > 0) {
    const scored = good.map((o) => `${o.judge} ${round(o.verdict.score)}`);
    const retryable = outcomes.some((o) => !o.ok && o.kind === "provider");
    return { status: "judge_error", scores, meta, disagree: false, retryable, detail: clip([...errors, ...(scored.length ? [`other judges: ${scored.join(", ")}`] : [])].join("; ")) };
  }
  const values = good.map((o) => o.verdict.score);
  const min = Math.min(...values);
  const max = Math.max(...values);
  scores.equivalence = round(min);
  scores.judge_disagreement = round(max - min);
  const passed = min >= threshold;
  const disagree = values.some((s) => s >= threshold) && values.some((s) => s < threshold);
  meta.passed = passed;
  const detail = passed
    ? ""
    : clip(
        `min score ${round(min)} < ${threshold} (${good.map((o) => `${o.judge} ${round(o.verdict.score)} ${o.verdict.verdict}`).join(", ")})` +
          (missing.size ? `; missing: ${[...missing].join("; ")}` : ""),
      );
  return { status: passed ? "pass" : "not_equivalent", min, max, scores, meta, disagree, detail };
}

function clip(s: string, n = 2000): string {
  return s.length > n ? `${s.slice(0, n)}…` : s;
}
