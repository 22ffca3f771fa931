// report.html: one self-contained page (inline SVG and CSS, no script, no external resource).
// Sections appear only when the workspace has their data.
import { join } from "node:path";
import type { Evaluation } from "../compress/summary.ts";
import { writeFileAtomic } from "../core/atomic.ts";
import { bars, histogram, intervals, lines, type Chart } from "./charts.ts";
import { collectReport, type ReportData } from "./collect.ts";

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
const f3 = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(3));
const pct = (x: number | null | undefined) => (x === null || x === undefined || !Number.isFinite(x) ? "—" : `${(x * 100).toFixed(1)}%`);
const ci = (i: { mean: number; lo: number; hi: number } | null) => (i ? `${f3(i.mean)} <small>[${f3(i.lo)}, ${f3(i.hi)}]</small>` : "—");

function figure(c: Chart): string {
  return `<figure class="chart" id="${c.id}" data-points="${c.points}">${c.svg}</figure>`;
}

function table(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((h) => `<th>${h}</th>`).join("")}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((x) => `<td>${x}</td>`).join("")}</tr>`).join("")}</tbody></table>`;
}

async function funnelSection(d: ReportData): Promise<string> {
  if (d.funnel.length === 0) return "";
  const kept = d.funnel.map((s) => ({ stage: `${s.stage}`, docs: s.out }));
  const rej = d.funnel.flatMap((s) => Object.entries(s.rejected).map(([reason, n]) => ({ stage: s.stage, reason, n })));
  const charts = [await bars("funnel", "Docs kept after each stage", kept, { category: "stage", value: "docs", valueTitle: "docs out" })];
  if (rej.length) charts.push(await bars("rejections", "Rejections by stage and reason", rej, { category: "stage", value: "n", color: "reason", valueTitle: "docs rejected", stack: true }));
  const rows = d.funnel.map((s) => [esc(s.stage), esc(s.use), String(s.in), String(s.out), esc(Object.entries(s.rejected).map(([r, n]) => `${r}: ${n}`).join(", ") || "—")]);
  return `<section><h2>Filter funnel</h2>${charts.map(figure).join("")}${table(["stage", "plugin", "in", "out", "rejected"], rows)}</section>`;
}

async function datasetSection(d: ReportData): Promise<string> {
  if (!d.dataset) return "";
  const comp = Object.entries(d.dataset.byDomain).flatMap(([split, doms]) => Object.entries(doms).map(([domain, n]) => ({ split, domain, n })));
  const charts = [await bars("composition", "Dataset composition (rows per split and domain)", comp, { category: "split", value: "n", color: "domain", valueTitle: "rows", stack: true })];
  if (d.dataset.tokens.length) charts.push(await histogram("token-lengths", "Original length (Qwen3 tokens) per split", d.dataset.tokens, { field: "tokens", group: "split", title: "tokens" }));
  const c = d.dataset.counts;
  return `<section><h2>Dataset</h2><p>${c.train ?? 0} train, ${c.valid ?? 0} valid, ${c.test ?? 0} test rows.</p>${charts.map(figure).join("")}</section>`;
}

async function trainingSection(d: ReportData): Promise<string> {
  if (!d.training) return "";
  const loss = d.training.points.filter((p) => p.loss !== undefined).map((p) => ({ step: p.step, split: p.split, loss: p.loss }));
  const lr = d.training.points.filter((p) => p.learning_rate !== undefined).map((p) => ({ step: p.step, split: "learning rate", learning_rate: p.learning_rate }));
  const charts: Chart[] = [];
  if (loss.length) charts.push(await lines("loss", "Training loss (train / val)", loss, { x: "step", y: "loss", group: "split", yTitle: "loss" }));
  if (lr.length) charts.push(await lines("learning-rate", "Learning rate", lr, { x: "step", y: "learning_rate", group: "split", yTitle: "learning rate" }));
  const body = charts.length ? charts.map(figure).join("") : "<p>The run recorded no metrics.</p>";
  return `<section><h2>Training</h2><p>Run: <code>${esc(d.training.run)}</code></p>${body}</section>`;
}

async function evaluationSection(e: Evaluation | undefined): Promise<string> {
  if (!e) return "";
  const rows = e.compressors.map((c) => [
    `<b>${esc(c.name)}</b><br><small>${esc(c.spec)}</small>`,
    ci(c.token_ratio),
    ci(c.f1),
    ci(c.fact_recall),
    `${pct(c.recall.numbers)} / ${pct(c.recall.identifiers)} / ${pct(c.recall.negations)} / ${pct(c.recall.entities)}`,
    pct(c.empty_share),
    pct(c.expanded_share),
    c.latency_ms_per_1k ? `${c.latency_ms_per_1k.p50.toFixed(2)} / ${c.latency_ms_per_1k.p95.toFixed(2)}` : "—",
  ]);
  const cmp = e.comparisons.map((c) => [`${esc(c.b)} − ${esc(c.a)}`, c.metric, ci(c.diff), c.better, c.winner ? `<b>yes</b>, favours ${esc(c.winner)}` : "no"]);
  const ratioRows = Object.entries(e.ratios).flatMap(([name, rs]) => rs.map((ratio) => ({ compressor: name, ratio })));
  const charts = [await histogram("ratios", "Token ratio (compressed / original, Qwen3) per compressor", ratioRows, { field: "ratio", group: "compressor", title: "token ratio" })];
  const diffRows = e.comparisons.map((c) => ({ label: `${c.b} − ${c.a}: ${c.metric}`, mean: c.diff.mean, lo: c.diff.lo, hi: c.diff.hi }));
  if (diffRows.length) charts.push(await intervals("differences", "Paired differences with bootstrap 95% intervals", diffRows, { xTitle: "difference (b − a)", zero: true }));
  return `<section><h2>Evaluation</h2><p>${e.rows} rows; bootstrap seed ${e.seed}. Ratio: lower compresses more. Recall columns: numbers / identifiers / negations / entities.</p>
${table(["compressor", "token ratio [95% CI]", "word F1 vs teacher", "fact recall", "recall by kind", "empty", "expanded", "ms per 1k tokens p50 / p95"], rows)}
${cmp.length ? `<h3>A/B</h3>${table(["difference", "measure", "mean [95% CI]", "better", "significant"], cmp)}` : ""}
${charts.map(figure).join("")}${examplesBlock(e)}</section>`;
}

function examplesBlock(e: Evaluation): string {
  if (!e.examples.length) return "";
  const names = [...new Set(e.examples.flatMap((x) => Object.keys(x.outputs)))];
  const ordered = ["teacher", ...names.filter((n) => n !== "teacher")].filter((n) => names.includes(n));
  const rows = e.examples.map((x) => [`<pre>${esc(x.original)}</pre>`, ...ordered.map((n) => `<pre>${esc(x.outputs[n] ?? "")}</pre>`)]);
  return `<h3>Side by side</h3><div class="examples">${table(["original", ...ordered.map(esc)], rows)}</div>`;
}

async function equivalenceSection(d: ReportData): Promise<string> {
  const q = d.equivalence;
  if (!q) return "";
  const rows = q.compressors.map((c) => [esc(c.name), String(c.judged), String(c.judge_errors), f3(c.mean), pct(c.pass_rate), esc(Object.entries(c.by_domain).map(([k, v]) => `${k}: ${f3(v.mean)} (${v.n})`).join(", "))]);
  const bucket = q.compressors.flatMap((c) => Object.entries(c.by_bucket).map(([b, v]) => ({ compressor: c.name, bucket: `${c.name} ${b}`, mean: v.mean })));
  const charts = bucket.length ? [await bars("equivalence-buckets", "Mean equivalence by ratio bucket", bucket, { category: "bucket", value: "mean", color: "compressor", valueTitle: "mean judge score" })] : [];
  const cmp = q.comparisons.map((c) => [`${esc(c.b)} − ${esc(c.a)}`, ci(c.diff), c.winner ? `<b>yes</b>, favours ${esc(c.winner)}` : "no"]);
  const ab = cmp.length ? table(["difference in mean equivalence", "mean [95% CI]", "significant"], cmp) : "";
  return `<section><h2>Equivalence (LLM judges)</h2><p>${q.rows} rows. Score: the lowest judge's; pass: every judge scores ≥ ${q.threshold}.</p>${table(["compressor", "judged", "judge errors", "mean", "pass rate", "by domain"], rows)}${ab}${charts.map(figure).join("")}</section>`;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:1100px;color:#222;padding:0 16px}
h1{font-size:22px}h2{font-size:18px;border-bottom:1px solid #ddd;padding-bottom:4px;margin-top:32px}
table{border-collapse:collapse;margin:12px 0;width:100%}th,td{border:1px solid #ddd;padding:4px 6px;text-align:left;vertical-align:top}
th{background:#f5f5f5}small{color:#666}figure{margin:12px 0;display:inline-block}
.examples table{table-layout:fixed}.examples pre{white-space:pre-wrap;overflow-wrap:anywhere;max-height:260px;overflow:auto;font-size:12px;margin:0}code{background:#f3f3f3;padding:1px 4px}`;

export async function renderReport(d: ReportData): Promise<string> {
  const parts = await Promise.all([funnelSection(d), datasetSection(d), trainingSection(d), evaluationSection(d.evaluation), equivalenceSection(d)]);
  const body = parts.filter(Boolean).join("\n") || "<p>This workspace has nothing to report yet: run its pipeline first.</p>";
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>ctxc report — ${esc(d.pipeline)}</title><style>${STYLE}</style></head><body>
<h1>ctxc report — ${esc(d.pipeline || d.out)}</h1><p><small>${esc(d.out)} · generated ${esc(d.generated)}</small></p>
${body}</body></html>\n`;
}

/** Rebuild `<out>/report.html` (or `file`) from the workspace; returns the path written. */
export async function writeReport(out: string, file = join(out, "report.html")): Promise<string> {
  await writeFileAtomic(file, await renderReport(await collectReport(out)));
  return file;
}
