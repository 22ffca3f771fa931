// Prose rules of generator/rules: shorten redundant phrasing and drop fillers (src/text/rules/
// phrases.ts lists every entry), optionally drop articles, collapse whitespace and blank lines.
// What it never drops, by construction:
//   - numbers, dates, quantities, units: no entry holds a digit, and phrases around numbers only
//     lose their padding ("a total of 12" → "12");
//   - names: a capitalised word is touched only at a sentence start, and only when the word after
//     it is not capitalised too ("Very Large Telescope" stays);
//   - negations: no entry contains one (a test checks the lists);
//   - inline code, URLs, link targets, HTML tags, {{slots}} and {\latex} spans: masked first.
import { ARTICLES, BEFORE_NUMBER, FILLERS, KEEP_ARTICLE_BEFORE, PHRASES } from "./phrases.ts";

export interface ProseOptions {
  drop_articles: boolean;
}

type Entry = { to: string; filler: boolean; article: boolean; needsNumber: boolean };

const ENTRIES = new Map<string, Entry>();
for (const [from, to] of PHRASES) ENTRIES.set(from, { to, filler: false, article: false, needsNumber: false });
for (const [from, to] of BEFORE_NUMBER) ENTRIES.set(from, { to, filler: false, article: false, needsNumber: true });
for (const f of FILLERS) ENTRIES.set(f, { to: "", filler: true, article: false, needsNumber: false });
for (const a of ARTICLES) ENTRIES.set(a, { to: "", filler: false, article: true, needsNumber: false });

// One regex for every entry, as a character trie ("in (?:order (?:to|for)|the (?:event|…))"):
// a plain alternation of ~150 phrases tries each at every position; the trie fails on the
// first letter. A space in a phrase matches any run of spaces or one line break.
type Trie = Map<string, Trie> & { end?: boolean };

function compile(keys: string[]): RegExp {
  const root: Trie = new Map();
  for (const k of keys) {
    let node = root;
    for (const ch of k) {
      if (!node.has(ch)) node.set(ch, new Map());
      node = node.get(ch)!;
    }
    node.end = true;
  }
  const emit = (node: Trie): string => {
    const alts = [...node].map(([ch, child]) => (ch === " " ? "[ \\t\\n]+" : ch.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) + emit(child));
    if (alts.length === 0) return "";
    const group = alts.length === 1 && !node.end ? alts[0]! : `(?:${alts.join("|")})`;
    return node.end ? `${group}?` : group;
  };
  // Whole words only: not inside hyphenated words, contractions or identifiers.
  return new RegExp(`(?<![\\p{L}\\p{N}_'’-])(${emit(root)})(?![\\p{L}\\p{N}_'’-])(,?)`, "giu");
}

const WITHOUT_ARTICLES = compile([...ENTRIES.keys()].filter((k) => !ENTRIES.get(k)!.article));
const WITH_ARTICLES = compile([...ENTRIES.keys()]);

// Deletion markers, resolved after all replacements: DEL is a dropped word, CAP a dropped
// sentence opener whose next word takes its capital.
const DEL = "\u0001";
const CAP = "\u0002";
const MASK = /`+[^`\n]*`+|\bhttps?:\/\/\S+|\bwww\.\S+|\]\([^)\n]*\)|<\/?[A-Za-z][^>\n]*>|\{\{[^}\n]*\}\}|\{\\[^\n]*\}/g;

export function compressProse(text: string, opts: ProseOptions): string {
  const masked: string[] = [];
  let s = text.replace(/\r\n?/g, "\n");
  if (/[`<{\]]|:\/\/|www\./.test(s)) {
    s = s.replace(MASK, (m) => `\u0003${masked.push(m) - 1}\u0004`);
  }
  // A drop can bring a phrase together ("it is very important to note that"): repeat until a
  // pass changes nothing, so the rules are idempotent. Two passes for most texts.
  const pattern = opts.drop_articles ? WITH_ARTICLES : WITHOUT_ARTICLES;
  for (let pass = 0; pass < 5; pass++) {
    changes = 0;
    s = s.replace(pattern, replacer);
    if (s.includes(DEL) || s.includes(CAP)) s = resolveMarkers(s);
    s = collapse(s);
    if (changes === 0) break;
  }
  if (masked.length) s = s.replace(/\u0003(\d+)\u0004/g, (_m, i: string) => masked[Number(i)]!);
  return s;
}

let changes = 0;

function replacer(match: string, phrase: string, comma: string, offset: number, whole: string): string {
  const key = phrase.toLowerCase().replace(/\s+/g, " ");
  const entry = ENTRIES.get(key);
  if (!entry) return match;
  const after = whole.slice(offset + match.length, offset + match.length + 24);
  const nextWord = /^[ \t\n]*([^\s]*)/.exec(after)![1]!;
  const lower = phrase === phrase.toLowerCase();
  const initial = !lower && isSentenceStart(whole, offset);
  if (!lower) {
    // A capitalised match is a sentence opener or part of a name/title: only the opener goes,
    // and only when the next word does not continue a title.
    if (!initial || phrase.slice(1) !== phrase.slice(1).toLowerCase()) return match;
    if (!comma && /^\p{Lu}/u.test(nextWord)) return match;
  }
  if (entry.needsNumber && !/^\d/.test(nextWord)) return match;
  if (entry.article && !articleDroppable(key, nextWord, whole, offset)) return match;
  changes++;
  let to = entry.to;
  // A filler's comma goes with it at a sentence start; between two commas ("was, really, a")
  // both go (resolveMarkers).
  const tail = comma && entry.filler && initial ? "" : comma;
  if (to === "") return (initial ? CAP : DEL) + tail;
  if (initial) to = to[0]!.toUpperCase() + to.slice(1);
  return to + tail;
}

function articleDroppable(key: string, nextWord: string, whole: string, offset: number): boolean {
  if (!/^[\p{L}\d"“(]/u.test(nextWord)) return false; // "(a)", "a." , "the -" … are not articles
  if (/^\p{L}\.(?:\p{L}|\s)/u.test(whole.slice(offset, offset + 4))) return false; // a.m.
  if (key !== "the" && KEEP_ARTICLE_BEFORE.has(nextWord.toLowerCase().replace(/[^a-z]/g, ""))) return false;
  // "twice a week", "$5 a day", "3 times a year": here "a" means "per".
  const before = /(\S+)[ \t]+$/.exec(whole.slice(Math.max(0, offset - 16), offset))?.[1] ?? "";
  if (key !== "the" && (/\d/.test(before) || /^(?:once|twice|thrice|times)$/i.test(before))) return false;
  return true;
}

/** True when `offset` starts a sentence, a line or a list item. */
export function isSentenceStart(whole: string, offset: number): boolean {
  let j = offset - 1;
  while (j >= 0 && " \t\"'“‘([\u0001\u0002".includes(whole[j]!)) j--;
  if (j < 0) return true;
  const c = whole[j]!;
  if (c === "\n" || c === "." || c === "!" || c === "?") return true;
  if ("-*•#>".includes(c)) {
    let k = j - 1;
    while (k >= 0 && "-*•#> \t".includes(whole[k]!)) k--;
    return k < 0 || whole[k] === "\n";
  }
  return false;
}

function resolveMarkers(s: string): string {
  // The word after a dropped sentence opener takes its capital.
  s = s.replace(/\u0002[\s\u0001\u0002]*(\p{Ll})/gu, (m, ch: string) => m.slice(0, -ch.length) + ch.toUpperCase());
  return s
    .replace(/,[ \t]*\u0001[\u0001 \t]*,[ \t]*/g, " ")
    .replace(/[ \t]*[\u0001\u0002][\u0001\u0002 \t]*(?=[,.;:!?)\]\n]|$)/g, "")
    .replace(/(^|[\n(["“])[ \t]*[\u0001\u0002][\u0001\u0002 \t]*/g, "$1")
    .replace(/[ \t]*[\u0001\u0002][\u0001\u0002 \t]*/g, " ");
}

// Runs of spaces inside a line become one; trailing spaces and blank lines go. Leading spaces
// stay: they nest Markdown lists.
function collapse(s: string): string {
  const out: string[] = [];
  for (const line of s.split("\n")) {
    const t = line.replace(/(?<=\S)[ \t\u00a0]+/g, " ").trimEnd();
    if (t) out.push(t);
  }
  return out.join("\n");
}
