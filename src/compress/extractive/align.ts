// Labels from a teacher pair, as LLMLingua-2's label_word.py builds them: each word of the
// compressed text is matched, in order, to an unused equal word of the original inside a window
// around the last match; matched original words are "kept". Words the teacher wrote that the
// original does not carry (abbreviations, symbols, paraphrase) stay unmatched; their share is the
// pair's variation rate, used to drop the worst-aligned pairs before training.

/** How far (in original words) a match may lie from the previous one, forward or back. */
export const DEFAULT_WINDOW = 150;

export interface Alignment {
  /** 1 for each original word the compressed text carries. */
  kept: Uint8Array;
  /** Compressed-text words matched to an original word. */
  matched: number;
  /** Words in the compressed text. */
  compressedWords: number;
}

export function align(original: readonly string[], compressed: readonly string[], window = DEFAULT_WINDOW): Alignment {
  const n = original.length;
  const kept = new Uint8Array(n);
  // Positions of each form in the original, ascending.
  const where = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const list = where.get(original[i]!);
    if (list) list.push(i);
    else where.set(original[i]!, [i]);
  }
  let cursor = 0;
  let matched = 0;
  for (const w of compressed) {
    const list = where.get(w);
    if (!list) continue;
    let found = -1;
    // Forward first: the next unused occurrence at or after the cursor, within the window.
    for (const p of list) {
      if (p >= cursor && p < cursor + window && !kept[p]) {
        found = p;
        break;
      }
    }
    // Then back: the nearest unused occurrence before the cursor, within the window.
    if (found < 0) {
      for (let k = list.length - 1; k >= 0; k--) {
        const p = list[k]!;
        if (p < cursor && p >= cursor - window && !kept[p]) {
          found = p;
          break;
        }
      }
    }
    if (found < 0) continue;
    kept[found] = 1;
    matched++;
    cursor = found + 1;
  }
  return { kept, matched, compressedWords: compressed.length };
}

/** Share of the compressed text's words not found in the original (0 when it has no words). */
export function variationRate(a: Alignment): number {
  return a.compressedWords === 0 ? 0 : 1 - a.matched / a.compressedWords;
}
