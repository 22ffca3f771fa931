// Hashed features of each word, Vowpal Wabbit style: every feature is a 32-bit hash of
// (template, values) masked into a fixed-size weight table, so there is no vocabulary to grow or
// store. Per-word string hashes are computed once and the templates combine integers, so
// featurising allocates only the output array (about 1 µs per word).
import type { Domain } from "../../sdk/types.ts";
import { entitiesIn, NEGATION_WORDS, signatureOf } from "../../text/facts.ts";
import { LINE_KINDS, lineKinds, type LineKind } from "./lines.ts";
import { IDENT, NUMBER, type Words } from "./tokenize.ts";

/** Bumped whenever a template changes: a model trained on other features must not load. */
export const FEATURE_VERSION = 1;
export const FEATURES_PER_WORD = 26;

const DOMAIN_ID: Record<Domain, number> = { code: 1, nl: 2, mixed: 3 };
const STOP = new Set(
  ("a an the of in on at to for from by with and or but as is are was were be been being it its this that these those which who whom whose what " +
    "when where why how than then there their they he she his her we our you your i has have had do does did can could would should will may " +
    "might into about after before during such more most other some many one all each both between under over while because however through " +
    "also so if only very just any own same too up out").split(" "),
);
const NEGATION = new Set(NEGATION_WORDS.filter((w) => w !== "n't"));
const CODE_WORDS = new Set(("def class return import from self cls if elif else for while try except finally with raise yield lambda pass break continue " +
  "none true false not and or is in async await function const let var new this null undefined").split(" "));

export const FACT_NUMBER = 1;
export const FACT_NEGATION = 2;
export const FACT_IDENTIFIER = 4;
export const FACT_ENTITY = 8;
export const FACT_CODE_NAME = 16;
export const FACT_BITS = { numbers: FACT_NUMBER, negations: FACT_NEGATION, identifiers: FACT_IDENTIFIER, entities: FACT_ENTITY, code_names: FACT_CODE_NAME } as const;
export type FactKind = keyof typeof FACT_BITS;

/** Word classes: one small integer per word, used alone and in conjunctions. */
export const enum Cls {
  Word = 1,
  Stop,
  Negation,
  Number,
  Ident,
  Capital,
  AllCaps,
  CodeWord,
  HasDigit,
}

export interface DocFeatures {
  /** FEATURES_PER_WORD hashes per word, word-major. */
  hashes: Uint32Array;
  cls: Uint8Array;
  /** Fact bits of each word (FACT_*): what a compression may force itself to keep. */
  fact: Uint8Array;
}

export function fnv(s: string, seed = 0x811c9dc5): number {
  let h = seed >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

function mix(h: number, x: number): number {
  h = Math.imul(h ^ x, 0x9e3779b1);
  h ^= h >>> 15;
  h = Math.imul(h, 0x85ebca6b);
  return (h ^ (h >>> 13)) >>> 0;
}

/** Word shape, compressed: "Xx", "x", "d", "x_x", "xX", "X", with a length class. */
function shape(w: string): string {
  let s = "";
  let last = "";
  for (let i = 0; i < w.length && s.length < 6; i++) {
    const c = w[i]!;
    const k = c >= "0" && c <= "9" ? "d" : c === "_" ? "_" : c === "'" || c === "’" ? "'" : c.toLowerCase() !== c ? "X" : "x";
    if (k !== last) s += k;
    last = k;
  }
  return s + (w.length <= 2 ? "1" : w.length <= 4 ? "2" : w.length <= 8 ? "3" : "4");
}

function classOf(form: string, lower: string, kind: number): Cls {
  if (kind === NUMBER) return Cls.Number;
  if (kind === IDENT) return Cls.Ident;
  if (NEGATION.has(lower) || /n['’]t$/.test(lower)) return Cls.Negation;
  if (CODE_WORDS.has(lower)) return Cls.CodeWord;
  if (STOP.has(lower)) return Cls.Stop;
  if (/\d/.test(form)) return Cls.HasDigit;
  if (form.length > 1 && form === form.toUpperCase() && form !== lower) return Cls.AllCaps;
  if (form !== lower) return Cls.Capital;
  return Cls.Word;
}

const TF_EDGES = [1, 2, 4, 8];
const LINE_EDGES = [0, 1, 2, 4, 7, 12];
const SENTENCE_POS_EDGES = [0, 1, 2, 4, 7, 12, 20];
const LENGTH_EDGES = [2, 3, 5, 8, 12];
const SENTENCE_EDGES = [0, 1, 3, 6];
const SENTENCE_BREAK = /[.!?]["')]?\s/;

const bucket = (n: number, edges: number[]) => {
  let b = 0;
  while (b < edges.length && n > edges[b]!) b++;
  return b;
};

/** The trimmed punctuation of a gap, at most 3 characters, as a hash. */
function gapHash(gap: string): number {
  // FNV over the first 3 characters of the gap with whitespace runs read as one space, trimmed.
  let h = 0x2545f491;
  let taken = 0;
  let space = false;
  let newline = false;
  for (let i = 0; i < gap.length && taken < 3; i++) {
    const c = gap.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      if (c === 10) newline = true;
      space = taken > 0;
      continue;
    }
    if (space) {
      h = Math.imul(h ^ 32, 0x01000193);
      if (++taken >= 3) break;
      space = false;
    }
    h = Math.imul(h ^ c, 0x01000193);
    taken++;
  }
  if (!newline && gap.includes("\n")) newline = true;
  return (h >>> 0) ^ (newline ? 0x5bd1e995 : 0);
}

export function featurize(w: Words, domain: Domain): DocFeatures {
  const n = w.forms.length;
  const F = FEATURES_PER_WORD;
  const hashes = new Uint32Array(n * F);
  const cls = new Uint8Array(n);
  const fact = new Uint8Array(n);
  // Per distinct form: its hashes and class (a text repeats most of its words).
  const hw = new Uint32Array(n);
  const hs = new Uint32Array(n);
  const known = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const form = w.forms[i]!;
    const j = known.get(form);
    if (j !== undefined) {
      hw[i] = hw[j]!;
      hs[i] = hs[j]!;
      cls[i] = cls[j]!;
      continue;
    }
    known.set(form, i);
    const lower = form.toLowerCase();
    hw[i] = fnv(lower);
    hs[i] = fnv(shape(form), 7);
    cls[i] = classOf(form, lower, w.kind[i]!);
  }
  const kinds = lineKinds(w.text, domain);
  const kindIds = kinds.map((k: LineKind) => LINE_KINDS.indexOf(k) + 1);
  // The gap before each word (gaps[n] is the text after the last word), and its hash.
  const gaps: string[] = new Array(n + 1);
  const gapH = new Uint32Array(n + 1);
  for (let i = 0; i <= n; i++) {
    gaps[i] = w.text.slice(i > 0 ? w.end[i - 1]! : 0, i < n ? w.start[i]! : w.text.length);
    gapH[i] = gapHash(gaps[i]!);
  }

  // Term frequency and first occurrence, on matching forms.
  const tf = new Map<string, number>();
  for (const x of w.norms) tf.set(x, (tf.get(x) ?? 0) + 1);
  const seen = new Set<string>();

  // Facts: numbers, negations, code identifiers and signature names, prose entities.
  const sig = domain === "nl" ? undefined : signatureOf(w.text);
  const sigNames = new Set(sig ? [sig.name, ...sig.params] : []);
  const entityWords = new Set<string>();
  if (domain !== "code") for (const e of entitiesIn(w.text)) for (const p of e.split(/\s+/)) entityWords.add(p);

  const d = DOMAIN_ID[domain];
  let posInLine = 0;
  let posInSentence = 0;
  let sentence = 0;
  for (let i = 0; i < n; i++) {
    const line = w.line[i]!;
    const before = gaps[i]!;
    if (i === 0 || w.line[i - 1] !== line) posInLine = 0;
    else posInLine++;
    if (i === 0 || before.includes("\n") || SENTENCE_BREAK.test(before)) {
      if (i > 0) sentence++;
      posInSentence = 0;
    } else posInSentence++;
    const c = cls[i]!;
    const lk = kindIds[line] ?? 0;
    const first = seen.has(w.norms[i]!) ? 0 : 1;
    seen.add(w.norms[i]!);
    const tfb = bucket(tf.get(w.norms[i]!)!, TF_EDGES);
    const prev = i > 0 ? hw[i - 1]! : 0x1234;
    const next = i + 1 < n ? hw[i + 1]! : 0x4321;
    const prevCls = i > 0 ? cls[i - 1]! : 0;
    const nextCls = i + 1 < n ? cls[i + 1]! : 0;
    const gb = gapH[i]!;
    const ga = gapH[i + 1]!;
    const pl = bucket(posInLine, LINE_EDGES);
    const ps = bucket(posInSentence, SENTENCE_POS_EDGES);
    const inSig = sigNames.has(w.forms[i]!) ? 1 : 0;
    const ent = entityWords.has(w.forms[i]!) ? 1 : 0;
    let o = i * F;
    hashes[o++] = mix(1, d);
    hashes[o++] = mix(2, hw[i]!);
    hashes[o++] = mix(mix(3, hw[i]!), d);
    hashes[o++] = mix(4, hs[i]!);
    hashes[o++] = mix(mix(5, hs[i]!), d);
    hashes[o++] = mix(mix(6, c), d);
    hashes[o++] = mix(7, prev);
    hashes[o++] = mix(8, next);
    hashes[o++] = mix(mix(9, prev), hw[i]!);
    hashes[o++] = mix(mix(10, hw[i]!), next);
    hashes[o++] = mix(mix(mix(11, prevCls), c), nextCls);
    hashes[o++] = mix(mix(12, gb), c);
    hashes[o++] = mix(mix(13, ga), c);
    hashes[o++] = mix(mix(mix(14, pl), lk), c);
    hashes[o++] = mix(mix(mix(15, ps), d), c);
    hashes[o++] = mix(mix(16, lk), c);
    hashes[o++] = mix(mix(mix(17, tfb), c), d);
    hashes[o++] = mix(mix(mix(18, first), c), d);
    hashes[o++] = mix(mix(19, Math.min(9, Math.floor((10 * i) / Math.max(1, n)))), d);
    hashes[o++] = mix(mix(20, bucket(w.forms[i]!.length, LENGTH_EDGES)), c);
    hashes[o++] = mix(mix(21, lk), hw[i]!);
    hashes[o++] = mix(mix(mix(22, bucket(sentence, SENTENCE_EDGES)), d), c);
    hashes[o++] = mix(mix(23, inSig), lk);
    hashes[o++] = mix(mix(mix(24, ent), c), d);
    hashes[o++] = mix(mix(mix(25, ga), gb), d);
    hashes[o++] = mix(mix(26, prevCls), hw[i]!);
    // A number keeps its unit: "2,467 metres", "27 years" (a prose word right after it).
    const unit = i > 0 && cls[i - 1] === Cls.Number && (c === Cls.Word || c === Cls.Capital) && kinds[line] === "prose" && !before.includes("\n");
    fact[i] =
      (c === Cls.Number || c === Cls.HasDigit || unit ? FACT_NUMBER : 0) |
      // Negations everywhere: a dropped `not` inverts prose and code alike (forcing them in code
      // costs 0.02 code F1 on the v1 pairs; facts first).
      (c === Cls.Negation ? FACT_NEGATION : 0) |
      // The signature's name and parameters: what a caller needs.
      (inSig ? FACT_IDENTIFIER : 0) |
      // Every snake_case / camelCase name of code: opt-in ("code_names"), as it keeps more names
      // than the teacher does (code F1 0.80 → 0.73 on the v1 pairs).
      (domain !== "nl" && c === Cls.Ident ? FACT_CODE_NAME : 0) |
      (ent ? FACT_ENTITY : 0);
  }
  return { hashes, cls, fact };
}
