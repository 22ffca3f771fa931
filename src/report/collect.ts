// Everything report.html shows, read from a workspace: manifest.json + each stage's stats.json
// (the funnel), dataset/ (composition and token lengths), the trained run's metrics.jsonl (loss and
// learning rate), report.json (evaluations). Missing pieces are left out, never invented: a
// pipeline without a trainer has no loss chart.
import { existsSync } from "node:fs";
import { join } from "node:path";
import type { EquivalenceSummary } from "../compress/equivalence.ts";
import type { Evaluation } from "../compress/summary.ts";
import { METRICS_FILE } from "../runs/store.ts";
import { readJsonl } from "../text/jsonl.ts";
import { countTokens } from "../text/tokens.ts";
import { readJsonIfExists } from "../core/atomic.ts";
import { workspaceRun } from "../core/eval-input.ts";
import { manifestPath, type Manifest } from "../core/manifest.ts";

export interface FunnelStage {
  stage: string;
  use: string;
  in: number;
  out: number;
  rejected: Record<string, number>;
}

export interface MetricPoint {
  step: number;
  split: string;
  loss?: number;
  learning_rate?: number;
}

export interface ReportData {
  pipeline: string;
  out: string;
  generated: string;
  funnel: FunnelStage[];
  dataset?: { counts: Record<string, number>; byDomain: Record<string, Record<string, number>>; tokens: Array<{ split: string; tokens: number }> };
  training?: { run: string; points: MetricPoint[] };
  evaluation?: Evaluation;
  equivalence?: EquivalenceSummary;
}

/** Rows per split whose token lengths are counted (a histogram needs no more). */
const TOKEN_SAMPLE = 2000;

export async function collectReport(out: string): Promise<ReportData> {
  const manifest = await readJsonIfExists<Manifest>(manifestPath(out));
  const data: ReportData = { pipeline: manifest?.pipeline ?? "", out, generated: new Date().toISOString(), funnel: [] };
  for (const s of Object.values(manifest?.stages ?? {})) {
    if (!s.counts) continue;
    data.funnel.push({ stage: s.label, use: s.use, in: s.counts.in, out: s.counts.out, rejected: s.counts.rejected ?? {} });
  }
  data.funnel.sort((a, b) => a.stage.localeCompare(b.stage));
  data.dataset = await datasetPart(join(out, "dataset"));
  const runDir = await workspaceRun(out);
  if (runDir) data.training = { run: runDir, points: await metricPoints(join(runDir, METRICS_FILE)) };
  const report = await readJsonIfExists<{ reports?: Array<Record<string, unknown>>; ab?: Evaluation }>(join(out, "report.json"));
  const heur = report?.reports?.find((r) => r.evaluator === "evaluator/heuristics");
  data.evaluation = (heur?.evaluation as Evaluation | undefined) ?? report?.ab;
  const eq = report?.reports?.find((r) => r.evaluator === "evaluator/equivalence");
  if (eq?.equivalence) data.equivalence = eq.equivalence as EquivalenceSummary;
  return data;
}

async function datasetPart(dir: string): Promise<ReportData["dataset"]> {
  const stats = await readJsonIfExists<{ counts: Record<string, number>; byDomain: Record<string, Record<string, number>> }>(join(dir, "stats.json"));
  if (!stats) return undefined;
  const tokens: Array<{ split: string; tokens: number }> = [];
  for (const split of ["train", "valid", "test"]) {
    const file = join(dir, `${split}.jsonl`);
    if (!existsSync(file)) continue;
    let n = 0;
    for await (const { value } of readJsonl<{ messages?: Array<{ role: string; content: string }> }>(file)) {
      const user = value.messages?.find((m) => m.role === "user")?.content;
      if (user !== undefined) tokens.push({ split, tokens: countTokens(user, "qwen3") });
      if (++n >= TOKEN_SAMPLE) break;
    }
  }
  return { counts: stats.counts, byDomain: stats.byDomain, tokens };
}

/**
 * Loss and learning-rate points of a run's metrics.jsonl. Two shapes: the Python shims' events
 * ({"event":"metric","step","split","loss","learning_rate"}, src/python/ctxc_events.py) and
 * trainer/extractive's per-epoch lines ({"type":"train","epoch","train_loss"}, then
 * {"type":"final","val_loss"}, drawn at the last epoch).
 */
async function metricPoints(file: string): Promise<MetricPoint[]> {
  if (!existsSync(file)) return [];
  const points: MetricPoint[] = [];
  let lastStep = 0;
  for await (const { value } of readJsonl<Record<string, unknown>>(file)) {
    const num = (k: string) => (typeof value[k] === "number" && Number.isFinite(value[k]) ? (value[k] as number) : undefined);
    if (value.event === "metric" && num("step") !== undefined) {
      const p: MetricPoint = { step: num("step")!, split: String(value.split ?? "train"), loss: num("loss"), learning_rate: num("learning_rate") };
      points.push(p);
      lastStep = Math.max(lastStep, p.step);
    } else if (value.type === "train" && num("epoch") !== undefined) {
      lastStep = num("epoch")!;
      points.push({ step: lastStep, split: "train", loss: num("train_loss") });
    } else if (value.type === "final" && num("val_loss") !== undefined) {
      points.push({ step: lastStep, split: "val", loss: num("val_loss") });
    }
  }
  return points;
}
