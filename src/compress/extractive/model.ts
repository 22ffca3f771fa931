// The classifier: logistic regression over hashed features, trained with AdaGrad (per-weight
// learning rates, as Vowpal Wabbit's default), one pass per epoch over the words in a seeded
// shuffled order. Plain typed arrays and integer hashes: deterministic for a seed on any machine
// running the same ctxc, and ~1 s per epoch for 350 K words on one core.
import { FEATURES_PER_WORD } from "./features.ts";
import { mulberry32 } from "../../text/random.ts";

export interface TrainOptions {
  bits: number;
  epochs: number;
  /** AdaGrad's base learning rate. */
  learningRate: number;
  /** L2 penalty per update (0 = none). */
  l2: number;
  seed: number;
  signal?: AbortSignal;
  onEpoch?(epoch: number, logLoss: number): void;
}

/** Training words, all docs concatenated: FEATURES_PER_WORD hashes per word and its 0/1 label. */
export interface Examples {
  hashes: Uint32Array;
  labels: Uint8Array;
}


/** The raw score (log-odds) of word `i` of a featurised doc. */
export function scoreWord(weights: Float32Array, hashes: Uint32Array, i: number): number {
  const mask = weights.length - 1;
  const o = i * FEATURES_PER_WORD;
  let z = 0;
  for (let k = 0; k < FEATURES_PER_WORD; k++) z += weights[hashes[o + k]! & mask]!;
  return z;
}

export function trainLogistic(ex: Examples, opts: TrainOptions): Float32Array {
  const size = 1 << opts.bits;
  const mask = size - 1;
  const w = new Float32Array(size);
  const g2 = new Float32Array(size);
  const n = ex.labels.length;
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  const rand = mulberry32(opts.seed);
  const F = FEATURES_PER_WORD;
  for (let epoch = 1; epoch <= opts.epochs; epoch++) {
    if (opts.signal?.aborted) break;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = order[i]!;
      order[i] = order[j]!;
      order[j] = t;
    }
    let loss = 0;
    for (let r = 0; r < n; r++) {
      const i = order[r]!;
      const o = i * F;
      let z = 0;
      for (let k = 0; k < F; k++) z += w[ex.hashes[o + k]! & mask]!;
      const p = 1 / (1 + Math.exp(-z));
      const y = ex.labels[i]!;
      loss -= Math.log(Math.max(1e-12, y ? p : 1 - p));
      const g = p - y;
      for (let k = 0; k < F; k++) {
        const h = ex.hashes[o + k]! & mask;
        const gk = g + opts.l2 * w[h]!;
        g2[h] = g2[h]! + gk * gk;
        w[h] = w[h]! - (opts.learningRate * gk) / Math.sqrt(g2[h]! + 1e-8);
      }
    }
    opts.onEpoch?.(epoch, n ? loss / n : 0);
  }
  return w;
}

/** Mean log-loss of a model on labelled words. */
export function logLoss(weights: Float32Array, ex: Examples): number {
  let loss = 0;
  for (let i = 0; i < ex.labels.length; i++) {
    const p = 1 / (1 + Math.exp(-scoreWord(weights, ex.hashes, i)));
    loss -= Math.log(Math.max(1e-12, ex.labels[i] ? p : 1 - p));
  }
  return ex.labels.length ? loss / ex.labels.length : 0;
}
