// What the equivalence stage adds to its stats.json. Counters only add, so averages are kept as a
// count and a sum (in thousandths: counters are integers in spirit); the minimum is kept by adding
// the difference to the previous minimum, which only this module writes.
import type { StageContext } from "../../sdk/types.ts";
import type { Decision } from "./decide.ts";
import type { JudgeOutcome } from "./ask.ts";

/** Compression-ratio buckets (compressed/original tokens): the original found < 0.5 fails more. */
const BUCKETS: Array<[limit: number, name: string]> = [
  [0.3, "<0.3"],
  [0.5, "<0.5"],
  [0.7, "<0.7"],
  [Infinity, ">=0.7"],
];

export function ratioBucket(ratio: number): string {
  return BUCKETS.find(([limit]) => ratio < limit)![1];
}

const minimum = new WeakMap<StageContext, number>();
const milli = (x: number) => Math.round(x * 1000);

export function recordStats(ctx: StageContext, outcomes: JudgeOutcome[], d: Decision, ratio: number): void {
  for (const o of outcomes) {
    if (o.ok && o.repaired) ctx.stat("judge_repaired");
    if (!o.ok) ctx.stat(`judge_error:${o.kind}`);
  }
  if (d.status === "judge_error") {
    ctx.stat("judge_error");
    return;
  }
  const min = d.min!;
  ctx.stat(d.status === "pass" ? "pass" : "fail");
  ctx.stat("judged");
  if (d.disagree) ctx.stat("judges_disagree");
  ctx.stat("equivalence_sum_milli", milli(min));
  const prev = minimum.get(ctx);
  if (prev === undefined || milli(min) < prev) {
    ctx.stat("equivalence_min_milli", milli(min) - (prev ?? 0));
    minimum.set(ctx, milli(min));
  }
  for (const o of outcomes) {
    if (!o.ok) continue;
    ctx.stat(`judge:${o.judge}:sum_milli`, milli(o.verdict.score));
    if (o.verdict.score < d.meta.threshold) ctx.stat(`judge:${o.judge}:fail`);
  }
  const bucket = `bucket:${ratioBucket(ratio)}`;
  ctx.stat(`${bucket}:n`);
  ctx.stat(`${bucket}:sum_milli`, milli(min));
  if (d.status !== "pass") ctx.stat(`${bucket}:fail`);
}
