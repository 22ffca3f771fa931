// The trained student at work: score each word, keep facts, then the best-scored words up to the
// target share, and format what is kept. No I/O here: a model is built from a file's bytes by
// loadModel (src/compress/extractive/load.ts) or from weights just trained.
import type { Domain } from "../../sdk/types.ts";
import { classifyDomain } from "../../text/classify.ts";
import { FACT_BITS, FEATURE_VERSION, featurize, type FactKind } from "./features.ts";
import { formatKept } from "./format.ts";
import { decodeModel, ModelFileError, type ModelHeader } from "./model-file.ts";
import { scoreWord } from "./model.ts";
import { tokenize, type Words } from "./tokenize.ts";

export interface ExtractOptions {
  /** Share of words to keep, in (0, 1]; default: the model's calibrated threshold for the domain. */
  rate?: number;
  domain?: Domain | "auto";
  /** Facts kept whatever the rate; default the model's. */
  force?: readonly FactKind[];
}

export type Target = { rate: number } | { threshold: number };

export function factMask(force: readonly FactKind[]): number {
  let mask = 0;
  for (const k of force) mask |= FACT_BITS[k];
  return mask;
}

/** Selection on precomputed scores (training calibrates thresholds with this, no re-featurising). */
export function selectFromScores(score: Float64Array, fact: Uint8Array, mask: number, target: Target, keep = new Uint8Array(score.length)): Uint8Array {
  const n = score.length;
  if ("threshold" in target) {
    for (let i = 0; i < n; i++) keep[i] = fact[i]! & mask || score[i]! > target.threshold ? 1 : 0;
    return keep;
  }
  const goal = Math.max(1, Math.round(target.rate * n));
  let kept = 0;
  const rest: number[] = [];
  for (let i = 0; i < n; i++) {
    if (fact[i]! & mask) {
      keep[i] = 1;
      kept++;
    } else rest.push(i);
  }
  if (kept < goal) {
    rest.sort((a, b) => score[b]! - score[a]! || a - b);
    for (let r = 0; r < rest.length && kept < goal; r++, kept++) keep[rest[r]!] = 1;
  }
  return keep;
}

export interface Extraction {
  text: string;
  domain: Domain;
  words: number;
  kept: number;
}

export class ExtractiveModel {
  constructor(
    readonly header: ModelHeader,
    readonly weights: Float32Array,
  ) {}

  static fromBytes(bytes: Uint8Array, name: string): ExtractiveModel {
    const { header, weights } = decodeModel(bytes, name);
    if (header.featureVersion !== FEATURE_VERSION) {
      throw new ModelFileError(`${name}: trained on feature set ${header.featureVersion}; this ctxc computes feature set ${FEATURE_VERSION}`, "retrain the model with this version of ctxc");
    }
    return new ExtractiveModel(header, weights);
  }

  /** Raw scores (log-odds of "the teacher keeps it") and fact bits of each word. */
  score(w: Words, domain: Domain): { score: Float64Array; fact: Uint8Array } {
    const f = featurize(w, domain);
    const score = new Float64Array(w.forms.length);
    for (let i = 0; i < score.length; i++) score[i] = scoreWord(this.weights, f.hashes, i);
    return { score, fact: f.fact };
  }

  /**
   * Which words to keep: forced facts, then either every word scoring above the threshold (the
   * default: the kept share follows the text, as the teacher's does) or the best-scored words up
   * to `rate` of the words.
   */
  select(w: Words, domain: Domain, target: Target, force: readonly FactKind[]): Uint8Array {
    const n = w.forms.length;
    const keep = new Uint8Array(n);
    if (n === 0) return keep;
    const { score, fact } = this.score(w, domain);
    return selectFromScores(score, fact, factMask(force), target, keep);
  }

  /** The domain's default: its calibrated threshold, else the teacher's mean rate. */
  defaultTarget(domain: Domain): Target {
    const t = this.header.thresholds?.[domain];
    if (t !== undefined) return { threshold: t };
    return { rate: this.header.rates[domain] ?? this.header.rates.mixed ?? 0.5 };
  }

  extract(text: string, opts: ExtractOptions = {}): Extraction {
    const domain = !opts.domain || opts.domain === "auto" ? classifyDomain(text) : opts.domain;
    const w = tokenize(text);
    const target = opts.rate !== undefined ? { rate: opts.rate } : this.defaultTarget(domain);
    const keep = this.select(w, domain, target, opts.force ?? this.header.force);
    let kept = 0;
    for (const k of keep) kept += k;
    return { text: formatKept(w, keep, domain), domain, words: w.forms.length, kept };
  }
}
