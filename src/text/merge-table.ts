// The BPE merge table as an open-addressing hash table in typed arrays: (left id, right id) →
// rank × 2^18 + merged id. Built from qwen3-tables.bin in a few milliseconds; a Map of 151k
// entries took 25–300 ms to build (its rehashing and garbage depend on the heap), and every
// process that counts tokens pays for it.
/** Merge values pack rank and merged id: rank × SHIFT + id (ids < 2^18). */
export const SHIFT = 262144;

export class MergeTable {
  private readonly left: Int32Array;
  private readonly right: Int32Array;
  private readonly value: Float64Array;
  private readonly mask: number;

  /** `merges`: per rank, left id, right id, merged id (all -1 for an unusable merge). */
  constructor(merges: Int32Array) {
    let size = 1;
    while (size < (merges.length / 3) * 2) size <<= 1;
    this.mask = size - 1;
    this.left = new Int32Array(size).fill(-1);
    this.right = new Int32Array(size);
    this.value = new Float64Array(size);
    for (let rank = 0, i = 0; i < merges.length; rank++, i += 3) {
      const l = merges[i]!, r = merges[i + 1]!;
      if (l < 0) continue;
      let s = this.slot(l, r);
      while (this.left[s] !== -1 && (this.left[s] !== l || this.right[s] !== r)) s = (s + 1) & this.mask;
      // A pair listed twice keeps its later rank, as the HashMap Hugging Face `tokenizers` builds
      // from the list does (Qwen3's list has no such pair).
      this.left[s] = l;
      this.right[s] = r;
      this.value[s] = rank * SHIFT + merges[i + 2]!;
    }
  }

  private slot(l: number, r: number): number {
    return (Math.imul(l, 0x9e3779b1) ^ Math.imul(r, 0x85ebca6b)) & this.mask;
  }

  /** rank × 2^18 + merged id for the pair, or undefined when the pair never merges. */
  get(l: number, r: number): number | undefined {
    for (let s = this.slot(l, r); ; s = (s + 1) & this.mask) {
      const k = this.left[s]!;
      if (k === -1) return undefined;
      if (k === l && this.right[s] === r) return this.value[s];
    }
  }
}
