// Word shingles: the unit of text overlap for near-duplicate detection (filter/dedup, MinHash) and
// for spotting an answer that copies the prompt (filter/sanitize). Words are lower-cased runs of
// letters and digits, so formatting, punctuation and indentation do not hide a copy. Shingles are
// hashed from per-word hashes (no joined strings), which keeps this cheap enough to run on every
// pair.

const WORD = /[\p{L}\p{N}_]+/gu;

/** 32-bit FNV-1a of a string: cheap, stable across runs and platforms. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** murmur3's 32-bit finaliser: a fast, well-mixed permutation of 32-bit integers. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** One hash per word, in order. */
export function wordHashes(text: string): number[] {
  return Array.from(wordHashesInto(text), (h) => h >>> 0);
}

let scratch = new Int32Array(4096);

/**
 * wordHashes as int32 (the same bits) in a reused buffer (the view is valid until the next call),
 * without a regex match or a string per word: FNV-1a over each run of word chars (what WORD
 * matches) of the text, lower-cased. Pure-ASCII text is folded char by char; other text is
 * lower-cased whole (toLowerCase, whose Unicode rules depend on context) and its chars classed by
 * a table built once from WORD itself.
 */
function wordHashesInto(text: string): Int32Array {
  // A text has at most one word per two chars, plus one (lower-casing may lengthen it: re-checked).
  const room = (chars: number) => {
    if (scratch.length < (chars >> 1) + 1) scratch = new Int32Array((chars >> 1) + 1);
    return scratch;
  };
  let out = room(text.length);
  let n = 0;
  let h = 0x811c9dc5;
  let inWord = false;
  let i = 0;
  for (; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 128) break;
    if (c >= 65 && c <= 90) c |= 0x20;
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 95) {
      if (!inWord) {
        h = 0x811c9dc5;
        inWord = true;
      }
      h = Math.imul(h ^ c, 0x01000193);
    } else if (inWord) {
      out[n++] = h;
      inWord = false;
    }
  }
  if (i < text.length) {
    // Not pure ASCII: start again on the lower-cased text.
    const lower = text.toLowerCase();
    out = room(lower.length);
    n = 0;
    inWord = false;
    const table = wordChars();
    for (let j = 0; j < lower.length; j++) {
      const c = lower.charCodeAt(j);
      let c2 = -1;
      let word: boolean;
      if (c >= 0xd800 && c <= 0xdbff && j + 1 < lower.length && (lower.charCodeAt(j + 1) & 0xfc00) === 0xdc00) {
        c2 = lower.charCodeAt(j + 1);
        word = isAstralWordChar(((c - 0xd800) << 10) + (c2 - 0xdc00) + 0x10000);
      } else word = table[c] === 1;
      if (word) {
        if (!inWord) {
          h = 0x811c9dc5;
          inWord = true;
        }
        h = Math.imul(h ^ c, 0x01000193);
        if (c2 >= 0) h = Math.imul(h ^ c2, 0x01000193);
      } else if (inWord) {
        out[n++] = h;
        inWord = false;
      }
      if (c2 >= 0) j++;
    }
  }
  if (inWord) out[n++] = h;
  return out.subarray(0, n);
}

let bmpWordChars: Uint8Array | undefined;

/** 1 for each BMP code unit that WORD matches on its own (lone surrogates never match). */
function wordChars(): Uint8Array {
  if (bmpWordChars) return bmpWordChars;
  const table = new Uint8Array(65536);
  const units: number[] = [];
  for (let c = 0; c < 65536; c++) units.push(c >= 0xd800 && c <= 0xdfff ? 32 : c);
  let all = "";
  for (let k = 0; k < units.length; k += 8192) all += String.fromCharCode(...units.slice(k, k + 8192));
  for (const m of all.matchAll(WORD)) table.fill(1, m.index, m.index + m[0].length);
  return (bmpWordChars = table);
}

const astral = new Map<number, boolean>();
/** Whether WORD matches a code point above the BMP (rare: remembered per code point). */
function isAstralWordChar(cp: number): boolean {
  let word = astral.get(cp);
  if (word === undefined) astral.set(cp, (word = /^[\p{L}\p{N}_]$/u.test(String.fromCodePoint(cp))));
  return word;
}

/**
 * Hashes of the k-word shingles of a word-hash sequence (fewer than k words make one shingle).
 * Empty for a text without words.
 */
export function shinglesOf(words: number[], k: number): Set<number> {
  const out = new Set<number>();
  const n = words.length;
  if (!n) return out;
  const last = Math.max(0, n - k);
  for (let i = 0; i <= last; i++) {
    let h = k;
    for (let j = i; j < Math.min(n, i + k); j++) h = mix32(h ^ words[j]!) + j - i;
    out.add(h >>> 0);
  }
  return out;
}

export function shingleHashes(text: string, k: number): Set<number> {
  return shinglesOf(wordHashes(text), k);
}

/**
 * The same shingle hashes as an array that may repeat some: for MinHash, where a repeat changes
 * no minimum and building a Set would cost more than the signature.
 */
export function shingleList(text: string, k: number): Int32Array {
  const words = wordHashesInto(text);
  const n = words.length;
  if (!n) return new Int32Array(0);
  const last = Math.max(0, n - k);
  // Int32Array: the same 32 bits as the Set's unsigned values, kept as int32 for MinHash's loop.
  const out = new Int32Array(last + 1);
  for (let i = 0; i <= last; i++) {
    let h = k;
    for (let j = i; j < Math.min(n, i + k); j++) h = mix32(h ^ words[j]!) + j - i;
    out[i] = h;
  }
  return out;
}
