// Quality measures of one compression, shared by the evaluators, `ctxc eval` and the extractive
// student's training report: word F1 against a reference compression, and the recall of the facts
// a compression must keep (numbers, code identifiers, negations, named entities), found with the
// extractors of src/text/facts.ts that filter/notation also uses.
import { entitiesIn, entityKept, missingNumbers, negationRegex, NEGATION_WORDS, signatureOf } from "../text/facts.ts";

const WORD = /[\p{L}\p{N}_]+/gu;

/** Lower-cased words (letters, digits, underscore) of a text, in order. */
export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/**
 * Word-level F1 of `candidate` against `reference` (bag of words, SQuAD style). Two empty texts
 * agree (1); one empty text against a non-empty one scores 0.
 */
export function wordF1(candidate: string, reference: string): number {
  const c = words(candidate);
  const r = words(reference);
  if (c.length === 0 || r.length === 0) return c.length === r.length ? 1 : 0;
  const counts = new Map<string, number>();
  for (const w of r) counts.set(w, (counts.get(w) ?? 0) + 1);
  let overlap = 0;
  for (const w of c) {
    const n = counts.get(w) ?? 0;
    if (n > 0) {
      overlap++;
      counts.set(w, n - 1);
    }
  }
  if (overlap === 0) return 0;
  const precision = overlap / c.length;
  const recall = overlap / r.length;
  return (2 * precision * recall) / (precision + recall);
}

/** How many of a kind of fact the original has, and how many the compression keeps. */
export interface Kept {
  total: number;
  kept: number;
}

export const FACT_KINDS = ["numbers", "identifiers", "negations", "entities"] as const;
export type FactKind = (typeof FACT_KINDS)[number];
export type FactRecall = Record<FactKind, Kept>;

const NEGATION_ALL = new RegExp(negationRegex(NEGATION_WORDS).source, "gi");
// The notation's negation marks (filter/notation's list, less ~ and !, which are operators in code).
const NEGATION_MARK_ALL = /[¬≠∉∄✗]|\bnon-|\b(?:w\/o|lacks?|lacking|absent|excluding|except|fails?|failed)\b/gi;
// snake_case, camelCase, PascalCase with an inner capital, dotted member access: names a reader
// of the code needs verbatim. Plain words ("data", "value") are prose-like and left out.
const IDENTIFIER = /\b(?:[A-Za-z_$][\w$]*_[\w$]*|[a-z][a-z0-9]*[A-Z][\w$]*|[A-Z][a-z0-9]+[A-Z][\w$]*)\b/g;

/** Distinct code identifiers: the signature's name and parameters plus compound names. */
export function identifiersIn(code: string): string[] {
  const out = new Set<string>();
  const sig = signatureOf(code);
  if (sig) for (const n of [sig.name, ...sig.params]) if (n.length > 1) out.add(n);
  for (const m of code.matchAll(IDENTIFIER)) if (m[0].replace(/_/g, "").length > 1) out.add(m[0]);
  return [...out];
}

function count(re: RegExp, text: string): number {
  re.lastIndex = 0;
  return text.match(re)?.length ?? 0;
}

/**
 * Fact recall of `compressed` against `original`. Identifiers count for code and mixed texts,
 * entities for prose and mixed ones; negations are occurrences (a compression that keeps one "not"
 * of three kept a third), with the dense notation's marks (¬, w/o, …) counting as kept.
 */
export function factRecall(original: string, compressed: string, domain: "code" | "nl" | "mixed"): FactRecall {
  const nums = missingNumbers(original, compressed, 1);
  const ids = domain === "nl" ? [] : identifiersIn(original);
  const ents = domain === "code" ? [] : entitiesIn(original);
  const lower = compressed.toLowerCase();
  const negTotal = count(NEGATION_ALL, original);
  const negKept = Math.min(negTotal, count(NEGATION_ALL, compressed) + count(NEGATION_MARK_ALL, compressed));
  return {
    numbers: { total: nums.total, kept: nums.total - nums.missing.length },
    identifiers: { total: ids.length, kept: ids.filter((id) => compressed.includes(id)).length },
    negations: { total: negTotal, kept: negKept },
    entities: { total: ents.length, kept: ents.filter((e) => entityKept(e, lower)).length },
  };
}

/** All kinds together: kept / total, or null when the original has no fact of any kind. */
export function overallRecall(r: FactRecall): number | null {
  let total = 0;
  let kept = 0;
  for (const k of FACT_KINDS) {
    total += r[k].total;
    kept += r[k].kept;
  }
  return total === 0 ? null : kept / total;
}
