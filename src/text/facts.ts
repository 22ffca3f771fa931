// Small extractors for the facts a compression must keep: numbers, negations, named entities and
// the identifiers of a code unit's signature. filter/notation compares what it finds in the
// original with what survives in the compressed text; each extractor errs on the side of
// recognising rewritten forms (1,000 → 1k, 1932–1945 → 1932-45, "not" → ¬) as kept.

// ---- numbers ---------------------------------------------------------------------------------

const NUMBER = /\d+(?:[.,]\d+)*/g;
// 300k, 3.5M, 2bn, 300kya, 5Myr: a scale letter may run into a unit.
const SCALED = /(\d+(?:\.\d+)?)\s*(thousand|million|billion|trillion|bn|k|K|M|G|B|T)(?![a-z]{3,})/g;
const SCALE: Record<string, number> = { k: 1e3, K: 1e3, thousand: 1e3, M: 1e6, million: 1e6, G: 1e9, B: 1e9, bn: 1e9, billion: 1e9, T: 1e12, trillion: 1e12 };
const YEAR_RANGE = /\b(\d{2})(\d{2})\s*[-–—/]\s*(\d{2})\b(?!\d)/g;
const SHORT_DATE = /\b\d{1,2}\/\d{1,2}\/(\d{2})\b/g;
const CENTURY = /\b(\d{1,2})00s?\b/g;
const SUPERSCRIPT: Record<string, string> = { "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9", "⁻": "-" };

/** "1,234.5" → "1234.5"; commas between digit groups are separators, not decimal points. */
function canonical(n: string): string {
  return /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(n) ? n.replace(/,/g, "") : n;
}

/** Distinct numbers of a text with at least `minDigits` digits, in canonical form. */
export function numbersIn(text: string, minDigits: number): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(NUMBER)) {
    const n = canonical(m[0]);
    if (n.replace(/\D/g, "").length >= minDigits) out.add(n);
  }
  return [...out];
}

/** Every form in which a number may appear in `text`: as written, as a value, expanded shorthand. */
export function numberForms(text: string): Set<string> {
  const forms = new Set<string>();
  // 10⁵ may stand for an original's "105" (a superscript lost in extraction) or "10^5".
  const flat = text.replace(/[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]/g, (c) => SUPERSCRIPT[c]!);
  const variants = flat === text ? text : `${text}\n${flat}\n${flat.replace(/(\d)-(?=\d)/g, "$1")}`;
  for (const m of variants.matchAll(NUMBER)) {
    const n = canonical(m[0]);
    forms.add(n);
    forms.add(String(Number(n.replace(/,/g, ""))));
    // "1.2.3" or "3,4,5" lists: each part counts.
    for (const part of m[0].split(/[.,]/)) forms.add(part);
  }
  for (const m of text.matchAll(SCALED)) forms.add(String(Math.round(Number(m[1]) * SCALE[m[2]!]!)));
  // 1932-45 names 1945; 5/19/99 names 1999; the 1900s name the 20th century.
  for (const m of text.matchAll(YEAR_RANGE)) forms.add(m[1]! + m[3]!);
  for (const m of text.matchAll(SHORT_DATE)) forms.add(`19${m[1]}`).add(`20${m[1]}`);
  for (const m of text.matchAll(CENTURY)) forms.add(String(Number(m[1]) + 1));
  return forms;
}

/** Numbers of `original` missing from `compressed`. */
export function missingNumbers(original: string, compressed: string, minDigits: number): { total: number; missing: string[] } {
  const wanted = numbersIn(original, minDigits);
  const forms = numberForms(compressed);
  const missing = wanted.filter((n) => {
    if (forms.has(n) || forms.has(String(Number(n)))) return false;
    // "3.5 million" in the original, "3.5M" in the compressed text: the value matches.
    return !compressed.includes(n);
  });
  return { total: wanted.length, missing };
}

// ---- negation --------------------------------------------------------------------------------

export const NEGATION_WORDS = ["not", "no", "never", "neither", "nor", "none", "nothing", "nobody", "nowhere", "without", "cannot", "n't"];
// Symbols and words the dense notation uses for negation.
const NEGATION_MARKS = /[¬~!≠∉∄✗]|\bnon-|\b(?:sans|w\/o|lacks?|lacking|absent|excluding|except|unlike|fails?|failed|neither|nor)\b/i;

export function negationRegex(words: string[]): RegExp {
  const alternatives = words.map((w) => (w === "n't" ? "n['’]t\\b" : `\\b${w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}\\b`));
  return new RegExp(alternatives.join("|"), "i");
}

/** True when `text` negates anything: a negation word, or a notation mark when `marks` is set. */
export function hasNegation(text: string, words: RegExp, marks: boolean): boolean {
  return words.test(text) || (marks && NEGATION_MARKS.test(text));
}

// ---- named entities --------------------------------------------------------------------------

const CAPITALISED_RUN = /\b\p{Lu}[\p{L}\p{N}'’.-]*(?:\s+(?:of|de|von|van|the|and|for|la|le|du|da)?\s*\p{Lu}[\p{L}\p{N}'’.-]*)*/gu;
/** Matches at a word that starts the text, a sentence or a line. Sticky with a lookbehind, so it
 *  looks back only over the whitespace before the word, not over the whole text (that was
 *  quadratic: 17 ms per 22 K-character doc). */
const SENTENCE_START = /(?<=^|[.!?:;"“(]\s+|\n\s*)/y;

function startsSentence(text: string, at: number): boolean {
  SENTENCE_START.lastIndex = at;
  return SENTENCE_START.test(text);
}
const COMMON = new Set(
  ("The A An In On At For Of And But Or If When While After Before During This That These Those It Its He She They We You I " +
    "His Her Their Our As By From To With Without However Although Though Because Since Some Many Most Such Other Each Both " +
    "There Here Then Thus Also Not No One Two Three First Second Later Early Between Under Over Among Unlike Like").split(" "),
);

/** Proper names of prose: capitalised words or runs that do not merely start a sentence. */
export function entitiesIn(text: string): string[] {
  const out = new Set<string>();
  for (const m of text.matchAll(CAPITALISED_RUN)) {
    const run = m[0].replace(/[.'’-]+$/, "");
    const parts = run.split(/\s+/).filter((p) => !COMMON.has(p));
    if (!parts.length) continue;
    if (parts.length === 1 && startsSentence(text, m.index) && !/\p{Lu}.*\p{Lu}|\d/u.test(run)) continue;
    out.add(parts.join(" "));
  }
  return [...out];
}

/** An entity survives when any of its words, or the acronym of a multi-word name, appears. */
export function entityKept(entity: string, compressedLower: string): boolean {
  const parts = entity.split(/\s+/);
  if (parts.some((p) => p.length > 2 && compressedLower.includes(p.toLowerCase().slice(0, Math.max(3, p.length - 2))))) return true;
  if (parts.length > 1) {
    const acronym = parts.map((p) => p[0]).join("").toLowerCase();
    if (compressedLower.includes(acronym)) return true;
  }
  return compressedLower.includes(entity.toLowerCase());
}

// ---- code signatures -------------------------------------------------------------------------

const DEF = /^[ \t]*(?:async\s+)?(?:def|function\*?|fn|func)\s+([A-Za-z_$][\w$]*)\s*(?:<[^>]*>)?\s*\(([^)]*)\)/m;
const CLASS = /^[ \t]*class\s+([A-Za-z_$][\w$]*)/m;
const SKIP_PARAMS = new Set(["self", "cls", "this", "", "*", "/"]);

/** The unit's name and parameter names, from its first def/function/class line. */
export function signatureOf(code: string): { name: string; params: string[] } | undefined {
  const def = DEF.exec(code);
  const cls = CLASS.exec(code);
  if (cls && (!def || cls.index < def.index)) return { name: cls[1]!, params: [] };
  if (!def) return undefined;
  const params = splitTopLevel(def[2]!)
    .map((p) => p.trim().replace(/^\*{1,2}|^\.\.\./, "").split(/[:=\s]/)[0]!.trim())
    .filter((p) => !SKIP_PARAMS.has(p) && /^[A-Za-z_$][\w$]*$/.test(p));
  return { name: def[1]!, params };
}

function splitTopLevel(s: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if ("([{<".includes(c)) depth++;
    else if (")]}>".includes(c)) depth--;
    else if (c === "," && depth === 0) {
      parts.push(s.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(s.slice(start));
  return parts;
}
