// Word shingles: the unit of text overlap for near-duplicate detection (filter/dedup, MinHash) and
// for spotting an answer that copies its input (filter/sanitize). Words are lower-cased runs of
// letters and digits, so formatting, punctuation and indentation do not hide a copy.

const WORD = /[\p{L}\p{N}_]+/gu;

export function words(text: string): string[] {
  return text.toLowerCase().match(WORD) ?? [];
}

/** 32-bit FNV-1a of a string: cheap, stable across runs and platforms. */
export function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * Hashes of the text's k-word shingles (a text shorter than k words is one shingle).
 * Empty for a text without words.
 */
export function shingleHashes(text: string, k: number): Set<number> {
  const w = words(text);
  const out = new Set<number>();
  if (!w.length) return out;
  if (w.length <= k) {
    out.add(hash32(w.join(" ")));
    return out;
  }
  for (let i = 0; i + k <= w.length; i++) out.add(hash32(w.slice(i, i + k).join(" ")));
  return out;
}

/**
 * The share of `source`'s k-word shingles that also occur in `copy` (1 = copied whole).
 * Undefined when `source` has fewer than `minWords` words: short texts overlap by chance.
 */
export function shingleContainment(source: string, copy: string, k: number, minWords: number): number | undefined {
  if (words(source).length < minWords) return undefined;
  const a = shingleHashes(source, k);
  const b = shingleHashes(copy, k);
  let shared = 0;
  for (const h of a) if (b.has(h)) shared++;
  return shared / a.size;
}
