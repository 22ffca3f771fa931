// Word shingles: the unit of text overlap for near-duplicate detection (filter/dedup, MinHash) and
// for spotting an answer that copies its input (filter/sanitize). Words are lower-cased runs of
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
  const out: number[] = [];
  for (const m of text.toLowerCase().matchAll(WORD)) out.push(hash32(m[0]));
  return out;
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
 * The share of `source`'s k-word shingles that also occur in `copy` (1 = copied whole).
 * Undefined when `source` has fewer than `minWords` words: short texts overlap by chance.
 */
export function shingleContainment(source: string, copy: string, k: number, minWords: number): number | undefined {
  const words = wordHashes(source);
  if (words.length < minWords) return undefined;
  const a = shinglesOf(words, k);
  const b = shingleHashes(copy, k);
  let shared = 0;
  for (const h of a) if (b.has(h)) shared++;
  return shared / a.size;
}
