// Words of a text for the extractive student: whole words, identifiers and numbers with their
// offsets. An identifier is never split (`generate_schema`, `__init__`, `camelCase`), a number
// keeps its separators (`1,000.5`), and everything between two words (spaces, punctuation,
// operators) is a gap the formatter rebuilds from the original text, so output stays readable.

export const WORD = 0;
export const NUMBER = 1;
export const IDENT = 2;
export type WordKind = typeof WORD | typeof NUMBER | typeof IDENT;

export interface Words {
  text: string;
  /** Offsets of each word: text.slice(start[i], end[i]). */
  start: Int32Array;
  end: Int32Array;
  kind: Uint8Array;
  /** 0-based line of each word. */
  line: Int32Array;
  /** The words as written and in matching form (see `norm`). */
  forms: string[];
  norms: string[];
  /** Offset of each line's first character; lineStart.length = number of lines. */
  lineStart: number[];
}

// Numbers first (so "1,000.5" is one word), then words: letters, digits, underscores, with an
// inner apostrophe ("don't", "Newton's").
const TOKEN = /\d+(?:[.,]\d+)*|[\p{L}\p{M}\p{N}_]+(?:['’][\p{L}]+)*/gu;
const CAMEL = /[a-z][A-Z]|^[A-Z][a-z]+[A-Z]/;

export function tokenize(text: string): Words {
  const start: number[] = [];
  const end: number[] = [];
  const kind: number[] = [];
  const line: number[] = [];
  const forms: string[] = [];
  const norms: string[] = [];
  const lineStart = [0];
  let nl = text.indexOf("\n");
  for (const m of text.matchAll(TOKEN)) {
    const at = m.index;
    while (nl !== -1 && nl < at) {
      lineStart.push(nl + 1);
      nl = text.indexOf("\n", nl + 1);
    }
    const w = m[0];
    start.push(at);
    end.push(at + w.length);
    kind.push(kindOf(w));
    line.push(lineStart.length - 1);
    forms.push(w);
    norms.push(norm(w));
  }
  while (nl !== -1) {
    lineStart.push(nl + 1);
    nl = text.indexOf("\n", nl + 1);
  }
  return { text, start: Int32Array.from(start), end: Int32Array.from(end), kind: Uint8Array.from(kind), line: Int32Array.from(line), forms, norms, lineStart };
}

export function kindOf(w: string): WordKind {
  const c = w.charCodeAt(0);
  if (c >= 48 && c <= 57 && /^\d+(?:[.,]\d+)*$/.test(w)) return NUMBER;
  if (w.includes("_") || CAMEL.test(w)) return IDENT;
  return WORD;
}

/**
 * The form two words are matched in: lower case, a number without thousands separators, a
 * possessive or plural "s" dropped ("transformations" matches "transformation"). Identifiers and
 * numbers are matched exactly (apart from case for identifiers' prose mentions).
 */
export function norm(w: string): string {
  const k = kindOf(w);
  if (k === NUMBER) return /^\d{1,3}(,\d{3})+(\.\d+)?$/.test(w) ? w.replace(/,/g, "") : w;
  let s = w.toLowerCase().replace(/['’]s$/, "");
  if (k === WORD && s.length > 3 && s.endsWith("s") && !s.endsWith("ss")) s = s.slice(0, -1);
  return s;
}

/** Just the matching forms of a text's words (for compressed texts, which need no offsets). */
export function wordNorms(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(TOKEN)) out.push(norm(m[0]));
  return out;
}
