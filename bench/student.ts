/**
 * `bun bench/student.ts [--cli ./ctxc] [--rows 2000,20000]` — the extractive student against the
 * teacher, the rules baseline and a random keep at the student's rate, on the v1 valid split
 * (../shared/data/compression-layer-v1/valid.jsonl, else data/compression-layer-v1/valid.jsonl).
 * The student trains here on 90% of the train split, picks its rates on the other 10%, and never
 * sees valid (the embedded default model trains on train + valid, so it is not used for this).
 * Prints quality per domain, training and compression speed, `ctxc compress` start-up and the
 * peak RSS of `ctxc compress --jsonl` as the input grows. JSON copy: bench/out/student.json.
 */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import { ExtractiveModel } from "../src/compress/extractive/compress.ts";
import { formatKept } from "../src/compress/extractive/format.ts";
import { encodeModel } from "../src/compress/extractive/model-file.ts";
import { mulberry32 } from "../src/text/random.ts";
import { readPairs, type Pair } from "../src/compress/extractive/pairs.ts";
import { tokenize } from "../src/compress/extractive/tokenize.ts";
import { DEFAULT_STUDENT, trainStudent } from "../src/compress/extractive/train.ts";
import { ScoreTable, scorePair, type Summary } from "../src/compress/metrics.ts";
import { rulesCompressor } from "../src/compress/rules.ts";
import { countTokens } from "../src/text/tokens.ts";
import { measure, median, quantile } from "./_measure.ts";

const REPO = resolve(import.meta.dir, "..");
const { values: args } = parseArgs({ options: { cli: { type: "string" }, rows: { type: "string", default: "2000,20000" } } });
// ../shared beside the main checkout, ../../shared beside a worktree; data/ holds identical copies.
const shared = ["../shared", "../../shared"].map((d) => resolve(REPO, d, "data/compression-layer-v1")).find((d) => existsSync(join(d, "valid.jsonl")));
const dataDir = shared ?? join(REPO, "data/compression-layer-v1");
const train = (await readPairs(join(dataDir, "train.jsonl"), "auto")).pairs;
const valid = (await readPairs(join(dataDir, "valid.jsonl"), "auto")).pairs;
console.log(`data: ${dataDir} — ${train.length} train, ${valid.length} valid pairs`);

// --- training speed: all of train, one core ---------------------------------------------------
let t0 = performance.now();
trainStudent(train, [], DEFAULT_STUDENT);
const trainAllSeconds = (performance.now() - t0) / 1000;

// --- the bench model: 90% of train, rates picked on the other 10% -----------------------------
const fit = train.filter((_, i) => i % 10 !== 9);
const tune = train.filter((_, i) => i % 10 === 9);
t0 = performance.now();
const trained = trainStudent(fit, tune, DEFAULT_STUDENT);
const trainSeconds = (performance.now() - t0) / 1000;
const model = trained.model;
const bytes = encodeModel(model.header, model.weights);
const loads: number[] = [];
for (let i = 0; i < 5; i++) {
  t0 = performance.now();
  ExtractiveModel.fromBytes(bytes.slice(), "bench model");
  loads.push(performance.now() - t0);
}
const loadMs = median(loads);

// --- quality on valid ---------------------------------------------------------------------------
const tables = { teacher: new ScoreTable(), student: new ScoreTable(), rules: new ScoreTable(), random: new ScoreTable() };
const rules = rulesCompressor();
const rand = mulberry32(7);
const perKTokens: number[] = [];
const add = (t: ScoreTable, p: Pair, out: string, tokensIn: number) => t.add({ ...scorePair(p.original, out, p.domain, p.compressed), tokensIn, tokensOut: countTokens(out, "qwen3") });
for (const p of valid) model.extract(p.original, { domain: p.domain }); // warm up the JIT
// CPU time too: on a shared machine wall time includes waiting for a core.
let cpuMicros = 0;
let allTokens = 0;
for (const p of valid) {
  const tokensIn = countTokens(p.original, "qwen3");
  add(tables.teacher, p, p.compressed, tokensIn);
  const c0 = process.cpuUsage();
  const s0 = performance.now();
  const student = model.extract(p.original, { domain: p.domain });
  perKTokens.push(((performance.now() - s0) * 1000) / Math.max(1, tokensIn));
  const c1 = process.cpuUsage(c0);
  cpuMicros += c1.user + c1.system;
  allTokens += tokensIn;
  add(tables.student, p, student.text, tokensIn);
  add(tables.rules, p, (await rules.compress(p.original, { domain: p.domain })).compressed, tokensIn);
  // Random: as many words as the student kept, chosen uniformly, formatted the same way.
  const w = tokenize(p.original);
  const idx = [...w.forms.keys()];
  for (let i = idx.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [idx[i], idx[j]] = [idx[j]!, idx[i]!];
  }
  const keep = new Uint8Array(w.forms.length);
  for (const i of idx.slice(0, student.kept)) keep[i] = 1;
  add(tables.random, p, formatKept(w, keep, p.domain), tokensIn);
}

// Best of 10 whole passes over valid, in CPU time: the cost of compressing when a core is free.
let bestPass = Infinity;
for (let r = 0; r < 10; r++) {
  const c0 = process.cpuUsage();
  for (const p of valid) model.extract(p.original, { domain: p.domain });
  const c = process.cpuUsage(c0);
  bestPass = Math.min(bestPass, (c.user + c.system) / 1000);
}

const quality: Record<string, Record<string, Summary>> = {};
const f = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : "  –  ");
console.log(`\nquality on valid (${valid.length} pairs): keep = share of the original's words kept; F1 vs the teacher's kept words; recall of facts; Qwen3 tokens out/in`);
console.log("| domain | compressor | docs | keep rate | word F1 | number recall | identifier recall | negation recall | token ratio |");
console.log("|---|---|---|---|---|---|---|---|---|");
for (const key of tables.student.keys()) {
  for (const [name, t] of Object.entries(tables)) {
    const s = t.summary(key);
    (quality[key] ??= {})[name] = s;
    console.log(`| ${key} | ${name} | ${s.docs} | ${f(s.keep_rate)} | ${name === "teacher" ? "(1)" : f(s.word_f1)} | ${f(s.number_recall)} | ${f(s.identifier_recall)} | ${f(s.negation_recall)} | ${f(s.token_ratio)} |`);
  }
}

// --- ctxc compress end to end ------------------------------------------------------------------
const cli = args.cli ? [resolve(args.cli)] : existsSync(join(REPO, "ctxc")) ? [join(REPO, "ctxc")] : [process.execPath, join(REPO, "src/cli/main.ts")];
const tmp = join(REPO, "bench/out");
mkdirSync(tmp, { recursive: true });
const para = join(tmp, "paragraph.txt");
writeFileSync(para, valid.find((p) => p.domain === "nl")!.original.split("\n")[0]!);
const runs: number[] = [];
for (let i = 0; i < 11; i++) {
  const m = await measure([...cli, "compress", para]);
  if (m.code !== 0) throw new Error(`ctxc compress failed: ${m.stderr}`);
  if (i > 0) runs.push(m.seconds * 1000);
}
const versionRuns: number[] = [];
for (let i = 0; i < 10; i++) versionRuns.push((await measure([...cli, "--version"])).seconds * 1000);
const rss: Array<{ rows: number; mb: number; seconds: number }> = [];
for (const n of args.rows!.split(",").map(Number)) {
  const file = join(tmp, `rows-${n}.jsonl`);
  const lines: string[] = [];
  for (let i = 0; i < n; i++) lines.push(JSON.stringify({ id: String(i), text: valid[i % valid.length]!.original }));
  writeFileSync(file, lines.join("\n") + "\n");
  const m = await measure([...cli, "compress", file, "--jsonl"]);
  if (m.code !== 0) throw new Error(`ctxc compress --jsonl failed: ${m.stderr}`);
  rss.push({ rows: n, mb: m.peakRssMb, seconds: m.seconds });
}

const speed = {
  train_all_pairs: train.length,
  train_all_seconds: trainAllSeconds,
  bench_train_seconds: trainSeconds,
  model_bytes: bytes.length,
  model_load_ms: loadMs,
  compress_ms_per_1k_tokens_p50: median(perKTokens),
  compress_ms_per_1k_tokens_p90: quantile(perKTokens, 0.9),
  compress_cpu_ms_per_1k_tokens_mean: cpuMicros / allTokens,
  compress_cpu_ms_per_1k_tokens_best_pass: (bestPass * 1000) / allTokens,
  cli: cli.join(" "),
  cli_paragraph_ms_median: median(runs),
  cli_version_ms_median: median(versionRuns),
  jsonl_peak_rss: rss,
};
console.log(`\ntraining: ${train.length} pairs in ${trainAllSeconds.toFixed(1)} s (one core); bench model (90% of train + threshold calibration) ${trainSeconds.toFixed(1)} s`);
console.log(`model: ${(bytes.length / 1e6).toFixed(2)} MB, loads in ${loadMs.toFixed(1)} ms (median of 5, from bytes in memory)`);
console.log(`compression in process: p50 ${speed.compress_ms_per_1k_tokens_p50.toFixed(2)} ms / 1,000 Qwen3 tokens (p90 ${speed.compress_ms_per_1k_tokens_p90.toFixed(2)}); CPU time ${speed.compress_cpu_ms_per_1k_tokens_mean.toFixed(2)} ms / 1,000 tokens on average, ${speed.compress_cpu_ms_per_1k_tokens_best_pass.toFixed(2)} in the best of 10 whole passes`);
console.log(`\`${speed.cli} compress paragraph.txt\`: median ${speed.cli_paragraph_ms_median.toFixed(0)} ms end to end (10 runs); \`--version\` on the same machine: ${speed.cli_version_ms_median.toFixed(0)} ms`);
for (const r of rss) console.log(`\`compress --jsonl\` ${r.rows} rows: peak RSS ${r.mb.toFixed(0)} MB, ${r.seconds.toFixed(1)} s`);
console.log(`thresholds calibrated on the tuning slice: ${JSON.stringify(model.header.thresholds)} (teacher: ${JSON.stringify(model.header.teacherRates)})`);
writeFileSync(join(tmp, "student.json"), JSON.stringify({ quality, speed, thresholds: model.header.thresholds, calibration: trained.calibration, teacherRates: model.header.teacherRates, labels: trained.labels.train }, null, 2));
