// Training the extractive student from teacher pairs, end to end and without I/O:
//   label (align.ts) → drop the worst-aligned share → featurise → AdaGrad logistic regression →
//   calibrate each domain's score threshold on valid (mean kept share = the teacher's) →
//   an ExtractiveModel. trainer/extractive, bench/student.ts and the embedded default model all
//   train through this one function, so they agree byte for byte for the same data and seed.
import type { Domain } from "../../sdk/types.ts";
import { align, DEFAULT_WINDOW, variationRate } from "./align.ts";
import { ExtractiveModel, factMask, selectFromScores, type Target } from "./compress.ts";
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

interface Scored {
  doc: LabelledDoc;
  score: Float64Array;
  fact: Uint8Array;
}

export interface SelectionScore {
  docs: number;
  /** Mean per-doc F1 of the kept words against the teacher's. */
  f1: number;
  keep_rate: number;
  teacher_keep_rate: number;
}

/** Mean per-doc F1 and keep rate of a selection against the labels. */
function selectionScore(scored: Scored[], mask: number, target: (d: Domain) => Target): SelectionScore {
  const acc = { docs: 0, f1: 0, keep_rate: 0, teacher_keep_rate: 0 };
  for (const { doc, score, fact } of scored) {
    const keep = selectFromScores(score, fact, mask, target(doc.pair.domain));
    let tp = 0, fp = 0, fn = 0, kept = 0, gold = 0; // prettier-ignore
    for (let i = 0; i < keep.length; i++) {
      kept += keep[i]!;
      gold += doc.labels[i]!;
      if (keep[i] && doc.labels[i]) tp++;
      else if (keep[i]) fp++;
      else if (doc.labels[i]) fn++;
    }
    acc.docs++;
    acc.f1 += tp + fp + fn ? (2 * tp) / (2 * tp + fp + fn) : 1;
    acc.keep_rate += kept / keep.length;
    acc.teacher_keep_rate += gold / keep.length;
  }
  if (acc.docs) ((acc.f1 /= acc.docs), (acc.keep_rate /= acc.docs), (acc.teacher_keep_rate /= acc.docs));
  return acc;
}

/** The threshold at which the mean kept share of `scored` equals `goal` (bisection). */
function calibrate(scored: Scored[], mask: number, goal: number): number {
  let lo = -20;
  let hi = 20;
  for (let k = 0; k < 40; k++) {
    const mid = (lo + hi) / 2;
    if (selectionScore(scored, mask, () => ({ threshold: mid })).keep_rate > goal) lo = mid;
    else hi = mid;
  }
  return Math.round(((lo + hi) / 2) * 1e6) / 1e6;
}

export interface TrainResult {
  model: ExtractiveModel;
  labels: { train: Record<string, DomainLabelStats>; valid: Record<string, DomainLabelStats> };
  metrics: Record<string, number>;
  /** Per domain on valid: the calibrated threshold and, for comparison, a fixed rate. */
  calibration: Record<string, { threshold: number; threshold_f1: number; keep_rate: number; teacher_keep_rate: number; fixed_rate_f1: number }>;
}

export interface TrainHooks {
  signal?: AbortSignal;
  onEpoch?(epoch: number, loss: number): void;
  /** Recorded in the model header (no timestamps: the same data must give the same bytes). */
  provenance?: Record<string, unknown>;
}

export function trainStudent(train: Pair[], valid: Pair[], opts: StudentOptions, hooks: TrainHooks = {}): TrainResult {
  const tr = labelPairs(train, opts.window, opts.dropWorst);
  if (tr.docs.length === 0) throw new Error(`no usable training pairs: ${train.length} pairs given, ${tr.stats.all?.no_shared_words ?? 0} share no word with their original`);
  const va = labelPairs(valid, opts.window, 0);
  const ex = examplesOf(tr.docs);
  const weights = trainLogistic(ex, { ...opts, signal: hooks.signal, onEpoch: hooks.onEpoch });
  const teacherRates = {} as Record<Domain, number>;
  for (const d of DOMAINS) teacherRates[d] = tr.stats[d]?.teacher_keep_rate ?? tr.stats.all!.teacher_keep_rate;
  const header: ModelHeader = {
    format: 1,
    storage: "dense",
    nnz: 0,
    featureVersion: FEATURE_VERSION,
    bits: opts.bits,
    rates: teacherRates,
    thresholds: {},
    teacherRates,
    force: [...opts.force].filter((f) => f in FACT_BITS),
    trained: { options: opts, pairs: { train: train.length, valid: valid.length }, labels: tr.stats, ...hooks.provenance },
  };
  const model = new ExtractiveModel(header, weights);
  const mask = factMask(header.force);

  // Calibrate each domain's threshold on valid: the student keeps, on average, the share of
  // words the teacher keeps there. Per text the share follows the scores (as the teacher's does).
  const scored: Scored[] = va.docs.map((doc) => ({ doc, ...model.score(doc.words, doc.pair.domain) }));
  const calibration: TrainResult["calibration"] = {};
  for (const d of DOMAINS) {
    const docs = scored.filter((x) => x.doc.pair.domain === d);
    if (docs.length === 0) continue;
    const goal = va.stats[d]!.teacher_keep_rate;
    const threshold = calibrate(docs, mask, goal);
    header.thresholds[d] = threshold;
    const at = selectionScore(docs, mask, () => ({ threshold }));
    const fixed = selectionScore(docs, mask, () => ({ rate: goal }));
    calibration[d] = { threshold, threshold_f1: at.f1, keep_rate: at.keep_rate, teacher_keep_rate: goal, fixed_rate_f1: fixed.f1 };
  }
  const metrics: Record<string, number> = { train_pairs: tr.docs.length, train_words: ex.labels.length, train_loss: logLoss(weights, ex) };
  if (va.docs.length) {
    metrics.val_loss = logLoss(weights, examplesOf(va.docs));
    const s = selectionScore(scored, mask, (d) => model.defaultTarget(d));
    Object.assign(metrics, { valid_word_f1: s.f1, valid_keep_rate: s.keep_rate, valid_teacher_keep_rate: s.teacher_keep_rate });
    for (const [d, c] of Object.entries(calibration)) Object.assign(metrics, { [`valid_${d}_word_f1`]: c.threshold_f1, [`valid_${d}_keep_rate`]: c.keep_rate, [`valid_${d}_teacher_keep_rate`]: c.teacher_keep_rate, [`threshold_${d}`]: c.threshold });
  }
  return { model, labels: { train: tr.stats, valid: va.stats }, metrics, calibration };
}
