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
export const FACT_BITS = { numbers: FACT_NUMBER, negations: FACT_NEGATION, identifiers: FACT_IDENTIFIER, entities: FACT_ENTITY } as const;
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

const bucket = (n: number, edges: number[]) => {
  let b = 0;
  while (b < edges.length && n > edges[b]!) b++;
  return b;
};

/** The trimmed punctuation of a gap, at most 3 characters, as a hash. */
function gapHash(gap: string): number {
  const t = gap.replace(/\s+/g, " ").trim();
  return fnv(t.length > 3 ? t.slice(0, 3) : t, 0x2545f491) ^ (gap.includes("\n") ? 0x5bd1e995 : 0);
}

export function featurize(w: Words, domain: Domain): DocFeatures {
  const n = w.forms.length;
  const F = FEATURES_PER_WORD;
  const hashes = new Uint32Array(n * F);
  const cls = new Uint8Array(n);
  const fact = new Uint8Array(n);
  const lower = w.forms.map((f) => f.toLowerCase());
  const hw = lower.map((l) => fnv(l));
  const hs = w.forms.map((f) => fnv(shape(f), 7));
  for (let i = 0; i < n; i++) cls[i] = classOf(w.forms[i]!, lower[i]!, w.kind[i]!);
  const kinds = lineKinds(w.text, domain);
  const kindId = (k: LineKind) => LINE_KINDS.indexOf(k) + 1;

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
    const before = w.text.slice(i > 0 ? w.end[i - 1]! : 0, w.start[i]!);
    const after = w.text.slice(w.end[i]!, i + 1 < n ? w.start[i + 1]! : w.text.length);
    if (i === 0 || w.line[i - 1] !== line) posInLine = 0;
    else posInLine++;
    if (i === 0 || /[.!?]["')]?\s/.test(before) || before.includes("\n")) {
      if (i > 0) sentence++;
      posInSentence = 0;
    } else posInSentence++;
    const c = cls[i]!;
    const lk = kindId(kinds[line] ?? "other");
    const first = seen.has(w.norms[i]!) ? 0 : 1;
    seen.add(w.norms[i]!);
    const tfb = bucket(tf.get(w.norms[i]!)!, [1, 2, 4, 8]);
    const prev = i > 0 ? hw[i - 1]! : 0x1234;
    const next = i + 1 < n ? hw[i + 1]! : 0x4321;
    const prevCls = i > 0 ? cls[i - 1]! : 0;
    const nextCls = i + 1 < n ? cls[i + 1]! : 0;
    const gb = gapHash(before);
    const ga = gapHash(after);
    const pl = bucket(posInLine, [0, 1, 2, 4, 7, 12]);
    const ps = bucket(posInSentence, [0, 1, 2, 4, 7, 12, 20]);
    const inSig = sigNames.has(w.forms[i]!) ? 1 : 0;
    const ent = entityWords.has(w.forms[i]!) ? 1 : 0;
    const o = i * F;
    let t = 0;
    const put = (h: number) => (hashes[o + t++] = h);
    put(mix(1, d));
    put(mix(2, hw[i]!));
    put(mix(mix(3, hw[i]!), d));
    put(mix(4, hs[i]!));
    put(mix(mix(5, hs[i]!), d));
    put(mix(mix(6, c), d));
    put(mix(7, prev));
    put(mix(8, next));
    put(mix(mix(9, prev), hw[i]!));
    put(mix(mix(10, hw[i]!), next));
    put(mix(mix(mix(11, prevCls), c), nextCls));
    put(mix(mix(12, gb), c));
    put(mix(mix(13, ga), c));
    put(mix(mix(mix(14, pl), lk), c));
    put(mix(mix(mix(15, ps), d), c));
    put(mix(mix(16, lk), c));
    put(mix(mix(mix(17, tfb), c), d));
    put(mix(mix(mix(18, first), c), d));
    put(mix(mix(19, Math.min(9, Math.floor((10 * i) / Math.max(1, n)))), d));
    put(mix(mix(20, bucket(w.forms[i]!.length, [2, 3, 5, 8, 12])), c));
    put(mix(mix(21, lk), hw[i]!));
    put(mix(mix(mix(22, bucket(sentence, [0, 1, 3, 6])), d), c));
    put(mix(mix(23, inSig), lk));
    put(mix(mix(mix(24, ent), c), d));
    put(mix(mix(mix(25, ga), gb), d));
    put(mix(mix(26, prevCls), hw[i]!));
    fact[i] =
      (c === Cls.Number || c === Cls.HasDigit ? FACT_NUMBER : 0) |
      // Negations of prose; in code `not` is an operator the model scores like any other word.
      (c === Cls.Negation && kinds[line] === "prose" ? FACT_NEGATION : 0) |
      // The signature's name and parameters: what a caller needs (forcing every identifier of
      // the body keeps more than the teacher does and costs 0.02 F1 on the v1 pairs).
      (inSig ? FACT_IDENTIFIER : 0) |
      (ent ? FACT_ENTITY : 0);
  }
  return { hashes, cls, fact };
}
