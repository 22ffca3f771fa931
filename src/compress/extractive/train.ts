// Training the extractive student from teacher pairs, end to end and without I/O:
//   label (align.ts) → drop the worst-aligned share → featurise → AdaGrad logistic regression →
//   pick each domain's default rate on valid (within ±0.05 of the teacher's mean keep rate) →
//   an ExtractiveModel. trainer/extractive, bench/student.ts and the embedded default model all
//   train through this one function, so they agree byte for byte for the same data and seed.
import type { Domain } from "../../sdk/types.ts";
import { align, DEFAULT_WINDOW, variationRate } from "./align.ts";
import { ExtractiveModel } from "./compress.ts";
import { FACT_BITS, FEATURE_VERSION, FEATURES_PER_WORD, featurize, type FactKind } from "./features.ts";
import { logLoss, trainLogistic, type Examples } from "./model.ts";
import type { ModelHeader } from "./model-file.ts";
import type { Pair } from "./pairs.ts";
import { tokenize, wordNorms, type Words } from "./tokenize.ts";

export interface StudentOptions {
  bits: number;
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
  /** Alignment window, in original words. */
  window: number;
  /** Share of training pairs with the highest variation rate to drop (LLMLingua-2's filter). */
  dropWorst: number;
  force: FactKind[];
}

export const DEFAULT_STUDENT: StudentOptions = {
  bits: 20,
  epochs: 4,
  learningRate: 0.1,
  l2: 0,
  seed: 42,
  window: DEFAULT_WINDOW,
  dropWorst: 0.05,
  force: ["numbers", "negations", "identifiers"],
};

export const DOMAINS: Domain[] = ["code", "nl", "mixed"];

export interface LabelledDoc {
  pair: Pair;
  words: Words;
  labels: Uint8Array;
  variation: number;
}

export interface DomainLabelStats {
  pairs: number;
  no_shared_words: number;
  dropped_worst: number;
  used: number;
  words: number;
  /** Mean over pairs of the share of original words the teacher keeps. */
  teacher_keep_rate: number;
  /** Mean share of the teacher's words found in the original. */
  teacher_words_found: number;
}

export interface Labelled {
  docs: LabelledDoc[];
  stats: Record<string, DomainLabelStats>;
}

/** Label pairs; those sharing no word with their original are counted and skipped. */
export function labelPairs(pairs: Pair[], window: number, dropWorst = 0): Labelled {
  const stats: Record<string, DomainLabelStats> = {};
  const st = (d: string) => (stats[d] ??= { pairs: 0, no_shared_words: 0, dropped_worst: 0, used: 0, words: 0, teacher_keep_rate: 0, teacher_words_found: 0 });
  let docs: LabelledDoc[] = [];
  for (const pair of pairs) {
    st(pair.domain).pairs++;
    st("all").pairs++;
    const words = tokenize(pair.original);
    const a = align(words.norms, wordNorms(pair.compressed), window);
    if (a.matched === 0 || words.norms.length === 0) {
      st(pair.domain).no_shared_words++;
      st("all").no_shared_words++;
      continue;
    }
    docs.push({ pair, words, labels: a.kept, variation: variationRate(a) });
  }
  if (dropWorst > 0 && docs.length > 1) {
    const cut = Math.floor(docs.length * dropWorst);
    // Stable: the worst by variation rate, ties by input order.
    const worst = new Set(docs.map((d, i) => ({ v: d.variation, i })).sort((a, b) => b.v - a.v || a.i - b.i).slice(0, cut).map((x) => x.i));
    docs = docs.filter((d, i) => {
      if (!worst.has(i)) return true;
      st(d.pair.domain).dropped_worst++;
      st("all").dropped_worst++;
      return false;
    });
  }
  for (const d of docs) {
    let kept = 0;
    for (const l of d.labels) kept += l;
    for (const key of [d.pair.domain, "all"]) {
      const s = st(key);
      s.used++;
      s.words += d.labels.length;
      s.teacher_keep_rate += kept / d.labels.length;
      s.teacher_words_found += 1 - d.variation;
    }
  }
  for (const s of Object.values(stats)) {
    s.teacher_keep_rate = s.used ? s.teacher_keep_rate / s.used : 0;
    s.teacher_words_found = s.used ? s.teacher_words_found / s.used : 0;
  }
  return { docs, stats };
}

function examplesOf(docs: LabelledDoc[]): Examples {
  const total = docs.reduce((a, d) => a + d.labels.length, 0);
  const hashes = new Uint32Array(total * FEATURES_PER_WORD);
  const labels = new Uint8Array(total);
  let at = 0;
  for (const d of docs) {
    hashes.set(featurize(d.words, d.pair.domain).hashes, at * FEATURES_PER_WORD);
    labels.set(d.labels, at);
    at += d.labels.length;
  }
  return { hashes, labels };
}

/** Mean per-doc F1 and keep rate of the model's selection against the labels, per domain. */
export function labelScores(model: ExtractiveModel, docs: LabelledDoc[], rateFor: (d: Domain) => number): Record<string, { docs: number; f1: number; keep_rate: number; teacher_keep_rate: number }> {
  const acc: Record<string, { docs: number; f1: number; keep_rate: number; teacher_keep_rate: number }> = {};
  for (const d of docs) {
    const keep = model.select(d.words, d.pair.domain, rateFor(d.pair.domain), model.header.force);
    let tp = 0, fp = 0, fn = 0, kept = 0, gold = 0;
    for (let i = 0; i < keep.length; i++) {
      kept += keep[i]!;
      gold += d.labels[i]!;
      if (keep[i] && d.labels[i]) tp++;
      else if (keep[i]) fp++;
      else if (d.labels[i]) fn++;
    }
    const f1 = tp + fp + fn ? (2 * tp) / (2 * tp + fp + fn) : 1;
    for (const key of [d.pair.domain, "all"]) {
      const a = (acc[key] ??= { docs: 0, f1: 0, keep_rate: 0, teacher_keep_rate: 0 });
      a.docs++;
      a.f1 += f1;
      a.keep_rate += kept / keep.length;
      a.teacher_keep_rate += gold / keep.length;
    }
  }
  for (const a of Object.values(acc)) ((a.f1 /= a.docs), (a.keep_rate /= a.docs), (a.teacher_keep_rate /= a.docs));
  return acc;
}

export interface TrainResult {
  model: ExtractiveModel;
  labels: { train: Record<string, DomainLabelStats>; valid: Record<string, DomainLabelStats> };
  metrics: Record<string, number>;
  /** Valid F1 at each candidate rate, per domain (how the default rate was picked). */
  rateSearch: Record<string, Array<{ rate: number; f1: number; keep_rate: number }>>;
}

export interface TrainHooks {
  signal?: AbortSignal;
  onEpoch?(epoch: number, loss: number): void;
  /** Recorded in the model header (no timestamps: the same data must give the same bytes). */
  provenance?: Record<string, unknown>;
  /** Use these default rates instead of picking them on valid (the embedded model's recipe). */
  rates?: Record<Domain, number>;
}

export function trainStudent(train: Pair[], valid: Pair[], opts: StudentOptions, hooks: TrainHooks = {}): TrainResult {
  const tr = labelPairs(train, opts.window, opts.dropWorst);
  if (tr.docs.length === 0) throw new Error(`no usable training pairs: ${train.length} pairs given, ${tr.stats.all?.no_shared_words ?? 0} share no word with their original`);
  const va = labelPairs(valid, opts.window, 0);
  const ex = examplesOf(tr.docs);
  const weights = trainLogistic(ex, { ...opts, signal: hooks.signal, onEpoch: hooks.onEpoch });
  const teacherRates = {} as Record<Domain, number>;
  for (const d of DOMAINS) teacherRates[d] = tr.stats[d]?.teacher_keep_rate ?? tr.stats.all!.teacher_keep_rate;
  const header: Omit<ModelHeader, "format" | "storage" | "nnz"> = {
    featureVersion: FEATURE_VERSION,
    bits: opts.bits,
    rates: { ...teacherRates },
    teacherRates,
    force: [...opts.force].filter((f) => f in FACT_BITS),
    trained: { options: opts, pairs: { train: train.length, valid: valid.length }, labels: tr.stats, ...hooks.provenance },
  };
  const model = new ExtractiveModel({ ...header, format: 1, storage: "dense", nnz: 0 }, weights);

  // Pick each domain's default rate on valid: the best F1 within ±0.05 of the teacher's rate.
  const rateSearch: TrainResult["rateSearch"] = {};
  if (hooks.rates) model.header.rates = { ...hooks.rates };
  for (const d of hooks.rates ? [] : DOMAINS) {
    const docs = va.docs.filter((x) => x.pair.domain === d);
    if (docs.length === 0) continue;
    const base = teacherRates[d];
    let best = { rate: base, f1: -1, keep_rate: 0 };
    rateSearch[d] = [];
    for (let k = -5; k <= 5; k++) {
      const rate = Math.round(Math.min(1, Math.max(0.01, base + k / 100)) * 1000) / 1000;
      const s = labelScores(model, docs, () => rate)[d]!;
      rateSearch[d].push({ rate, f1: s.f1, keep_rate: s.keep_rate });
      // The kept share must stay within 0.05 of the teacher's (forced facts can push it up).
      if (Math.abs(s.keep_rate - base) <= 0.05 && s.f1 > best.f1) best = { rate, f1: s.f1, keep_rate: s.keep_rate };
    }
    if (best.f1 >= 0) model.header.rates[d] = best.rate;
  }
  const metrics: Record<string, number> = { train_pairs: tr.docs.length, train_words: ex.labels.length, train_loss: logLoss(weights, ex) };
  if (va.docs.length) {
    metrics.val_loss = logLoss(weights, examplesOf(va.docs));
    const s = labelScores(model, va.docs, (d) => model.rateFor(d));
    for (const [k, v] of Object.entries(s)) {
      const p = k === "all" ? "valid" : `valid_${k}`;
      metrics[`${p}_word_f1`] = v.f1;
      metrics[`${p}_keep_rate`] = v.keep_rate;
      metrics[`${p}_teacher_keep_rate`] = v.teacher_keep_rate;
    }
  }
  for (const d of DOMAINS) metrics[`rate_${d}`] = model.header.rates[d];
  return { model, labels: { train: tr.stats, valid: va.stats }, metrics, rateSearch };
}

