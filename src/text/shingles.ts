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
  const ascii = asciiWordHashes(text);
  if (ascii) return Array.from(ascii, (h) => h >>> 0);
  const out: number[] = [];
  for (const m of text.toLowerCase().matchAll(WORD)) out.push(hash32(m[0]));
  return out;
}

let scratch = new Int32Array(4096);

/**
 * wordHashes for pure-ASCII text (most code and much prose) without the regex, the lower-cased
 * copy or a string per word: the same FNV-1a over the same lower-cased word characters
 * ([a-z0-9_] after folding A-Z), so the hashes are identical (here as int32: the same bits).
 * Written into a reused buffer (the view is valid until the next call); undefined if a char is
 * not ASCII (Unicode letters and case folding need the regex path).
 */
function asciiWordHashes(text: string): Int32Array | undefined {
  // A text has at most one word per two chars, plus one.
  if (scratch.length < (text.length >> 1) + 1) scratch = new Int32Array((text.length >> 1) + 1);
  const out = scratch;
  let n = 0;
  let h = 0x811c9dc5;
  let inWord = false;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 128) return undefined;
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
  if (inWord) out[n++] = h;
  return out.subarray(0, n);
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
  // Int32Array or number[]: the shingle hashes below are the same either way (XOR reads int32).
  const words: ArrayLike<number> = asciiWordHashes(text) ?? wordHashes(text);
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
