// MinHash signatures with banded locality-sensitive hashing: finds texts whose shingle sets have a
// high Jaccard similarity without comparing every pair. Each signature slot is the minimum of one
// hash permutation over the shingles; the share of equal slots estimates the Jaccard similarity.
// Bands of `perms / bands` slots are bucketed, so only texts that agree on a whole band are
// compared. Storage is typed arrays (signatures, an open-addressing bucket table, chain links):
// about 0.4 KB per indexed text at 64 permutations and 16 bands, with no per-entry objects.
import { simdMinhash, type SimdMinhash } from "./minhash-simd.ts";
import { mix32 } from "./shingles.ts";

// Per-slot odd multipliers and xor seeds: slot i hashes x to (x ^ seed_i) * mul_i, a bijection of
// 32-bit integers; x is already a well-mixed shingle hash.
// Int32Array, not number[]: half the values exceed 2^31 and would be stored as doubles, which made
// the inner loop several times slower; imul and xor read them as int32 either way (same hashes).
const MAX_PERMS = 512;
const MUL = new Int32Array(MAX_PERMS);
const SEED = new Int32Array(MAX_PERMS);
for (let i = 0; i < MAX_PERMS; i++) {
  MUL[i] = mix32(2 * i + 1) | 1;
  SEED[i] = mix32(2 * i + 2);
}

/** The WebAssembly SIMD path (minhash-simd.ts): null until first used, undefined if unavailable. */
let simd: SimdMinhash | undefined | null = null;

export function minhashSignature(shingles: Iterable<number> | ArrayLike<number>, perms: number): Uint32Array {
  if (perms > MAX_PERMS) throw new Error(`minhashSignature: at most ${MAX_PERMS} permutations (got ${perms})`);
  const list = shingles instanceof Int32Array ? shingles : Int32Array.from(shingles as Iterable<number>);
  if (simd === null) simd = simdMinhash(SEED, MUL);
  return simd?.(list, perms) ?? minhashSignatureJs(list, perms);
}

/** Which loop computes signatures in this thread: "WebAssembly SIMD" or "JavaScript". */
export function minhashBackend(): string {
  if (simd === null) simd = simdMinhash(SEED, MUL);
  return simd ? "WebAssembly SIMD" : "JavaScript";
}

/** The JavaScript loop: where WebAssembly SIMD is missing, and the reference the test checks it against. */
export function minhashSignatureJs(list: Int32Array, perms: number): Uint32Array {
  const sig = new Uint32Array(perms);
  // Everything stays int32 (JSC keeps uint32 values ≥ 2^31 as doubles, which was the slow part):
  // x ^ 0x80000000 orders int32s as their unsigned values order, so the signed minimum of the
  // flipped hashes is the flipped unsigned minimum. Four slots per pass over the shingles keep
  // their minimums in registers and read each shingle once (~12% faster than one slot per pass).
  let i = 0;
  for (; i + 4 <= perms; i += 4) {
    const s0 = SEED[i]!, m0 = MUL[i]!, s1 = SEED[i + 1]!, m1 = MUL[i + 1]!;
    const s2 = SEED[i + 2]!, m2 = MUL[i + 2]!, s3 = SEED[i + 3]!, m3 = MUL[i + 3]!;
    let a = 0x7fffffff, b = 0x7fffffff, c = 0x7fffffff, d = 0x7fffffff;
    for (let k = 0; k < list.length; k++) {
      const x = list[k]!;
      const h0 = Math.imul(x ^ s0, m0) ^ 0x80000000;
      const h1 = Math.imul(x ^ s1, m1) ^ 0x80000000;
      const h2 = Math.imul(x ^ s2, m2) ^ 0x80000000;
      const h3 = Math.imul(x ^ s3, m3) ^ 0x80000000;
      if (h0 < a) a = h0;
      if (h1 < b) b = h1;
      if (h2 < c) c = h2;
      if (h3 < d) d = h3;
    }
    sig[i] = (a ^ 0x80000000) >>> 0;
    sig[i + 1] = (b ^ 0x80000000) >>> 0;
    sig[i + 2] = (c ^ 0x80000000) >>> 0;
    sig[i + 3] = (d ^ 0x80000000) >>> 0;
  }
  for (; i < perms; i++) {
    const seed = SEED[i]!, mul = MUL[i]!;
    let min = 0x7fffffff;
    for (let k = 0; k < list.length; k++) {
      const h = Math.imul(list[k]! ^ seed, mul) ^ 0x80000000;
      if (h < min) min = h;
    }
    sig[i] = (min ^ 0x80000000) >>> 0;
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
  private readonly items: T[] = [];
  private sigs = new Uint32Array(0);
  // Open addressing: band hash → the newest entry in its bucket; `link` chains older entries.
  // An entry is item * bands + band.
  // Int32Array and int32 keys: uint32 values ≥ 2^31 are doubles in JavaScriptCore, which made
  // every probe and signature comparison a slow double compare (the same bits either way).
  private keys = new Int32Array(1024);
  private heads = new Int32Array(1024).fill(-1);
  private used = 0;
  private link = new Int32Array(0);
  private seenAt = new Int32Array(0);
  /** `sigs` as int32 (the same buffer), and the query's signature as int32. */
  private sigsInt = new Int32Array(0);
  private readonly mine: Int32Array;
  private queries = 0;

  constructor(
    readonly perms = 64,
    readonly bands = 16,
  ) {
    if (perms % bands !== 0) throw new Error(`MinHashIndex: perms (${perms}) must be a multiple of bands (${bands})`);
    this.mine = new Int32Array(perms);
  }

  /** One 32-bit hash per band; a rare collision only costs one extra signature comparison. */
  private bandKey(sig: Uint32Array, band: number): number {
    const rows = this.perms / this.bands;
    let h = mix32(band + 1);
    for (let r = band * rows; r < (band + 1) * rows; r++) h = mix32(h ^ sig[r]!);
    return h | 0;
  }

  private slot(key: number): number {
    const mask = this.keys.length - 1;
    let i = key & mask;
    while (this.heads[i] !== -1 && this.keys[i] !== key) i = (i + 1) & mask;
    return i;
  }

  query(sig: Uint32Array, threshold: number): NearMatch<T> | undefined {
    let bestItem = -1;
    let bestSimilarity = 0;
    // Items met in an earlier band of this query carry its stamp (no Set per query).
    const stamp = ++this.queries;
    if (this.seenAt.length < this.items.length) this.seenAt = grow(this.seenAt, this.sigs.length / this.perms);
    const { perms, seenAt, sigsInt: sigs } = this;
    // The query as int32 in a reused array (asking a fresh typed array for its .buffer is costly).
    const mine = this.mine;
    for (let i = 0; i < perms; i++) mine[i] = sig[i]!;
    for (let b = 0; b < this.bands; b++) {
      for (let e = this.heads[this.slot(this.bandKey(sig, b))]!; e !== -1; e = this.link[e]!) {
        const item = Math.floor(e / this.bands);
        if (seenAt[item] === stamp) continue;
        seenAt[item] = stamp;
        let same = 0;
        for (let i = 0, at = item * perms; i < perms; i++) if (mine[i] === sigs[at + i]) same++;
        const similarity = same / perms;
        if (similarity >= threshold && (bestItem < 0 || similarity > bestSimilarity)) {
          bestItem = item;
          bestSimilarity = similarity;
        }
      }
    }
    return bestItem < 0 ? undefined : { item: this.items[bestItem]!, similarity: bestSimilarity };
  }

  add(sig: Uint32Array, item: T): void {
    const i = this.items.push(item) - 1;
    if ((i + 1) * this.perms > this.sigs.length) {
      this.sigs = grow(this.sigs, Math.max(1024, (i + 1) * 2) * this.perms);
      this.sigsInt = new Int32Array(this.sigs.buffer);
      this.link = grow(this.link, this.sigs.length / this.perms * this.bands);
    }
    this.sigs.set(sig, i * this.perms);
    for (let b = 0; b < this.bands; b++) {
      if ((this.used + 1) * 2 > this.keys.length) this.rehash();
      const key = this.bandKey(sig, b);
      const s = this.slot(key);
      if (this.heads[s] === -1) {
        this.keys[s] = key;
        this.used++;
      }
      this.link[i * this.bands + b] = this.heads[s]!;
      this.heads[s] = i * this.bands + b;
    }
  }

  private rehash(): void {
    const { keys, heads } = this;
    this.keys = new Int32Array(keys.length * 2);
    this.heads = new Int32Array(keys.length * 2).fill(-1);
    for (let j = 0; j < keys.length; j++) {
      if (heads[j] === -1) continue;
      const s = this.slot(keys[j]!);
      this.keys[s] = keys[j]!;
      this.heads[s] = heads[j]!;
    }
  }

  get size(): number {
    return this.items.length;
  }
}

function grow<A extends Uint32Array | Int32Array>(a: A, length: number): A {
  const b = new (a.constructor as new (n: number) => A)(length);
  b.set(a);
  return b;
}
