// Token counts of words, keyed by the words' UTF-8 bytes, in one typed array. Counting a dataset's
// rows looks up about one word per two characters of text; a Map keyed by substrings (or by
// hashes, to objects holding the word) was most of that cost. Open addressing, four int32s per
// slot (one cache line holds four slots): the word's hash, its length and count, and its bytes —
// inline for words of up to 8 bytes (nearly all), else an offset into a byte arena. A lookup
// compares the bytes, so a hash collision costs a probe, never a wrong count.
const SLOTS = 1 << 17;
const WIDTH = 4;
const MASK = SLOTS * WIDTH - 1;
/** Words longer than this are not kept (rare, and their BPE dominates the lookup anyway). */
const MAX_WORD = 64;
/** Long words' bytes; filling it, or half the slots, clears the table. */
const ARENA = 1 << 20;

export class WordCounts {
  private readonly slots = new Int32Array(SLOTS * WIDTH);
  private readonly arena = new Uint8Array(ARENA);
  private arenaUsed = 0;
  private used = 0;
  // The key of the last lookup and the empty slot it ended at, for `add` after a miss.
  private hash = 0;
  private w0 = 0;
  private w1 = 0;
  private length = 0;
  private free = -1;

  /** The count kept for the word bytes[start, end), or -1 (then `add` may keep it). */
  lookup(bytes: Uint8Array, start: number, end: number): number {
    const n = end - start;
    let h = 0x811c9dc5;
    let w0 = 0;
    let w1 = 0;
    for (let i = start; i < end; i++) {
      const c = bytes[i]!;
      h = Math.imul(h ^ c, 0x01000193);
      const k = i - start;
      if (k < 4) w0 |= c << (k * 8);
      else if (k < 8) w1 |= c << ((k - 4) * 8);
    }
    this.hash = h;
    this.w0 = w0;
    this.w1 = w1;
    this.length = n;
    const t = this.slots;
    for (let s = (h * WIDTH) & MASK; ; s = (s + WIDTH) & MASK) {
      const meta = t[s + 1]!;
      if (meta === 0) {
        this.free = s;
        return -1;
      }
      if (t[s] !== h || (meta & 255) !== n) continue;
      if (n <= 8 ? t[s + 2] === w0 && t[s + 3] === w1 : this.sameLong(t[s + 2]!, bytes, start, n)) return meta >>> 8;
    }
  }

  /** Keeps `count` for the word the last `lookup` missed. */
  add(bytes: Uint8Array, start: number, count: number): void {
    const n = this.length;
    if (n > MAX_WORD || this.free < 0) return;
    if ((this.used + 1) * 2 > SLOTS || this.arenaUsed + n > ARENA) {
      this.clear();
      this.lookup(bytes, start, start + n);
    }
    const s = this.free;
    const t = this.slots;
    t[s] = this.hash;
    t[s + 1] = n | (count << 8);
    if (n <= 8) {
      t[s + 2] = this.w0;
      t[s + 3] = this.w1;
    } else {
      t[s + 2] = this.arenaUsed;
      this.arena.set(bytes.subarray(start, start + n), this.arenaUsed);
      this.arenaUsed += n;
    }
    this.used++;
    this.free = -1;
  }

  private sameLong(at: number, bytes: Uint8Array, start: number, n: number): boolean {
    for (let k = 0; k < n; k++) if (this.arena[at + k] !== bytes[start + k]) return false;
    return true;
  }

  private clear(): void {
    this.slots.fill(0);
    this.used = 0;
    this.arenaUsed = 0;
  }
}

/** FNV-1a of bytes[start, end): the key of a word in the tokenizer's pieces cache. */
export function asciiHash(bytes: Uint8Array, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ bytes[i]!, 0x01000193);
  return h;
}
