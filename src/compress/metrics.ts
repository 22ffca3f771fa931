// Heuristic quality metrics of a compression against the original and, when there is one, the
// teacher's compression of the same original. Shared by bench/student.ts, trainer/extractive's
// run metrics and evaluator/heuristics, so every report means the same thing by the same words.
//
//   keep rate      share of the original's words the compressed text carries (in-order aligned)
//   word F1        the original's words kept by the candidate vs those kept by the teacher
//                  (both found by the same alignment as the student's training labels)
//   fact recall    numbers (src/text/facts.ts forms, so "1,000" → "1k" counts), code identifiers
//                  (snake_case / camelCase names and the signature's name and parameters) and
//                  negations (words, or the notation's ¬ ≠ … marks)
import type { Domain } from "../sdk/types.ts";
import { missingNumbers, NEGATION_WORDS, negationRegex, signatureOf } from "../text/facts.ts";
import { align } from "./extractive/align.ts";
import { IDENT, norm, tokenize, wordNorms } from "./extractive/tokenize.ts";

export interface Recall {
  total: number;
  kept: number;
}

export interface FactRecall {
  numbers: Recall;
  identifiers: Recall;
  negations: Recall;
}

export interface PairScore {
  domain: Domain;
  words: number;
  /** Original words the candidate carries. */
  kept: number;
  /** Word-level agreement with the teacher (absent without a teacher text). */
  tp?: number;
  fp?: number;
  fn?: number;
  f1?: number;
  facts: FactRecall;
  /** Qwen3 tokens in and out, when the caller counted them. */
  tokensIn?: number;
  tokensOut?: number;
}

/** Which of the original's words `compressed` carries (aligned in order, as training labels are). */
export function keptWords(original: string, compressed: string): { words: number; kept: Uint8Array } {
  const w = tokenize(original);
  return { words: w.norms.length, kept: align(w.norms, wordNorms(compressed)).kept };
}

/** F1 of the candidate's kept words against the teacher's; 1 when both keep nothing. */
export function wordAgreement(candidate: Uint8Array, teacher: Uint8Array): { tp: number; fp: number; fn: number; f1: number } {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < candidate.length; i++) {
    if (candidate[i] && teacher[i]) tp++;
    else if (candidate[i]) fp++;
    else if (teacher[i]) fn++;
  }
  const f1 = tp + fp + fn === 0 ? 1 : (2 * tp) / (2 * tp + fp + fn);
  return { tp, fp, fn, f1 };
}

const NEGATION_G = new RegExp(negationRegex(NEGATION_WORDS).source, "gi");
const NEGATION_MARK_G = /[¬≠∉∄✗]|\bnon-|\b(?:w\/o|sans|lacks?|lacking|absent)\b/gi;

/** Identifiers a code reader depends on: snake_case / camelCase names and the signature's names. */
export function codeIdentifiers(code: string): string[] {
  const w = tokenize(code);
  const out = new Set<string>();
  for (let i = 0; i < w.forms.length; i++) if (w.kind[i] === IDENT) out.add(w.forms[i]!);
  const sig = signatureOf(code);
  if (sig) for (const name of [sig.name, ...sig.params]) out.add(name);
  return [...out];
}

export function factRecall(original: string, compressed: string, domain: Domain): FactRecall {
  const nums = missingNumbers(original, compressed, 1);
  const numbers = { total: nums.total, kept: nums.total - nums.missing.length };
  let identifiers = { total: 0, kept: 0 };
  if (domain !== "nl") {
    const ids = codeIdentifiers(original);
    const have = new Set(wordNorms(compressed));
    identifiers = { total: ids.length, kept: ids.filter((id) => have.has(norm(id))).length };
  }
  const negTotal = original.match(NEGATION_G)?.length ?? 0;
  const negOut = (compressed.match(NEGATION_G)?.length ?? 0) + (compressed.match(NEGATION_MARK_G)?.length ?? 0);
  return { numbers, identifiers, negations: { total: negTotal, kept: Math.min(negTotal, negOut) } };
}

/** Every metric of one compression; `teacher` adds word agreement with the teacher's text. */
export function scorePair(original: string, compressed: string, domain: Domain, teacher?: string): PairScore {
  const w = tokenize(original);
  const cand = align(w.norms, wordNorms(compressed)).kept;
  let kept = 0;
  for (const k of cand) kept += k;
  const score: PairScore = { domain, words: w.norms.length, kept, facts: factRecall(original, compressed, domain) };
  if (teacher !== undefined) Object.assign(score, wordAgreement(cand, align(w.norms, wordNorms(teacher)).kept));
  return score;
}

export interface Summary {
  docs: number;
  /** Mean over docs of each doc's keep rate / F1 (docs without words are left out). */
  keep_rate: number;
  word_f1: number;
  /** Micro F1 over all words of all docs. */
  word_f1_micro: number;
  number_recall: number;
  identifier_recall: number;
  negation_recall: number;
  /** Sum of Qwen3 tokens out / in (when counted). */
  token_ratio: number;
}

/** Sums scores per domain and overall. */
export class ScoreTable {
  private rows = new Map<string, PairScore[]>();

  add(s: PairScore): void {
    for (const key of [s.domain, "all"]) {
      const list = this.rows.get(key) ?? [];
      list.push(s);
      this.rows.set(key, list);
    }
  }

  keys(): string[] {
    return [...this.rows.keys()].sort((a, b) => (a === "all" ? 1 : b === "all" ? -1 : a.localeCompare(b)));
  }

  summary(key = "all"): Summary {
    return summarize(this.rows.get(key) ?? []);
  }
}

export function summarize(rows: PairScore[]): Summary {
  const withWords = rows.filter((r) => r.words > 0);
  const withF1 = withWords.filter((r) => r.f1 !== undefined);
  const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : Number.NaN);
  const sum = (f: (r: PairScore) => number) => rows.reduce((a, r) => a + f(r), 0);
  const ratio = (kept: number, total: number) => (total === 0 ? Number.NaN : kept / total);
  const tp = sum((r) => r.tp ?? 0);
  const wrong = sum((r) => (r.fp ?? 0) + (r.fn ?? 0));
  return {
    docs: rows.length,
    keep_rate: mean(withWords.map((r) => r.kept / r.words)),
    word_f1: mean(withF1.map((r) => r.f1!)),
    word_f1_micro: tp + wrong === 0 ? Number.NaN : (2 * tp) / (2 * tp + wrong),
    number_recall: ratio(sum((r) => r.facts.numbers.kept), sum((r) => r.facts.numbers.total)),
    identifier_recall: ratio(sum((r) => r.facts.identifiers.kept), sum((r) => r.facts.identifiers.total)),
    negation_recall: ratio(sum((r) => r.facts.negations.kept), sum((r) => r.facts.negations.total)),
    token_ratio: ratio(sum((r) => r.tokensOut ?? 0), sum((r) => r.tokensIn ?? 0)),
  };
}
