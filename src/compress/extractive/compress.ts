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
  /** Share of words to keep, in (0, 1]; default the model's rate for the domain. */
  rate?: number;
  domain?: Domain | "auto";
  /** Facts kept whatever the rate; default the model's. */
  force?: readonly FactKind[];
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

  /** Which words to keep: forced facts first, then the best-scored words up to the target count. */
  select(w: Words, domain: Domain, rate: number, force: readonly FactKind[]): Uint8Array {
    const n = w.forms.length;
    const keep = new Uint8Array(n);
    if (n === 0) return keep;
    const f = featurize(w, domain);
    let mask = 0;
    for (const k of force) mask |= FACT_BITS[k];
    const target = Math.max(1, Math.round(rate * n));
    let kept = 0;
    const rest: number[] = [];
    for (let i = 0; i < n; i++) {
      if (f.fact[i]! & mask) {
        keep[i] = 1;
        kept++;
      } else rest.push(i);
    }
    if (kept < target) {
      const score = new Float64Array(n);
      for (const i of rest) score[i] = scoreWord(this.weights, f.hashes, i);
      rest.sort((a, b) => score[b]! - score[a]! || a - b);
      for (let r = 0; r < rest.length && kept < target; r++, kept++) keep[rest[r]!] = 1;
    }
    return keep;
  }

  rateFor(domain: Domain): number {
    return this.header.rates[domain] ?? this.header.rates.mixed ?? 0.5;
  }

  extract(text: string, opts: ExtractOptions = {}): Extraction {
    const domain = !opts.domain || opts.domain === "auto" ? classifyDomain(text) : opts.domain;
    const w = tokenize(text);
    const keep = this.select(w, domain, opts.rate ?? this.rateFor(domain), opts.force ?? this.header.force);
    let kept = 0;
    for (const k of keep) kept += k;
    return { text: formatKept(w, keep, domain), domain, words: w.forms.length, kept };
  }
}
