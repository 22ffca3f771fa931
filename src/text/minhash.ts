// MinHash signatures with banded locality-sensitive hashing: finds texts whose shingle sets have a
// high Jaccard similarity without comparing every pair. Each signature slot is the minimum of one
// hash permutation over the shingles; the share of equal slots estimates the Jaccard similarity.
// Bands of `rows` slots are bucketed, so only texts that agree on a whole band are compared.

/** murmur3's 32-bit finaliser: a fast, well-mixed permutation of 32-bit integers. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

export function minhashSignature(shingles: Iterable<number>, perms: number): Uint32Array {
  const sig = new Uint32Array(perms).fill(0xffffffff);
  for (const s of shingles) {
    for (let i = 0; i < perms; i++) {
      // A distinct seed per slot turns one mixer into `perms` independent-looking hash functions.
      const h = mix(s ^ Math.imul(i + 1, 0x9e3779b1));
      if (h < sig[i]!) sig[i] = h;
    }
  }
  return sig;
}

export function estimateJaccard(a: Uint32Array, b: Uint32Array): number {
  let same = 0;
  for (let i = 0; i < a.length; i++) if (a[i] === b[i]) same++;
  return same / a.length;
}

export interface NearMatch<T> {
  item: T;
  similarity: number;
}

/** An LSH index: `query` returns the most similar stored item at or above the threshold. */
export class MinHashIndex<T> {
  // Band hash → item index, or indexes once a bucket is shared (most buckets hold one item).
  private readonly buckets = new Map<number, number | number[]>();
  private readonly signatures: Uint32Array[] = [];
  private readonly items: T[] = [];

  constructor(
    readonly perms = 64,
    readonly bands = 16,
  ) {
    if (perms % bands !== 0) throw new Error(`MinHashIndex: perms (${perms}) must be a multiple of bands (${bands})`);
  }

  /** One 32-bit hash per band; a rare collision only costs one extra signature comparison. */
  private bandKeys(sig: Uint32Array): number[] {
    const rows = this.perms / this.bands;
    const keys: number[] = [];
    for (let b = 0; b < this.bands; b++) {
      let h = mix(b + 1);
      for (let r = b * rows; r < (b + 1) * rows; r++) h = mix(h ^ sig[r]!);
      keys.push(h);
    }
    return keys;
  }

  query(sig: Uint32Array, threshold: number): NearMatch<T> | undefined {
    let best: NearMatch<T> | undefined;
    const seen = new Set<number>();
    for (const key of this.bandKeys(sig)) {
      const bucket = this.buckets.get(key);
      if (bucket === undefined) continue;
      for (const i of typeof bucket === "number" ? [bucket] : bucket) {
        if (seen.has(i)) continue;
        seen.add(i);
        const similarity = estimateJaccard(sig, this.signatures[i]!);
        if (similarity >= threshold && (!best || similarity > best.similarity)) best = { item: this.items[i]!, similarity };
      }
    }
    return best;
  }

  add(sig: Uint32Array, item: T): void {
    const i = this.items.push(item) - 1;
    this.signatures.push(sig);
    for (const key of this.bandKeys(sig)) {
      const bucket = this.buckets.get(key);
      if (bucket === undefined) this.buckets.set(key, i);
      else if (typeof bucket === "number") this.buckets.set(key, [bucket, i]);
      else bucket.push(i);
    }
  }

  get size(): number {
    return this.items.length;
  }
}
