// Row features (row-features.ts) computed by this thread and a worker thread together, for a
// large dataset input. This thread is the only one that reads the input: as it parses rows it
// copies each row's two texts, as UTF-8, into shared memory, and the worker computes the keys and
// signatures of the rows already there. Once all rows are read this thread groups rows from the
// first, computing the keys of chunks the worker has not reached (skipping past the one the
// worker holds), while the worker goes on; then the worker counts tokens from the first row while
// this thread writes the dataset, and this thread counts what is left from the back. Chunks are
// claimed through shared state, so each is computed once, by either thread.
import { statSync } from "node:fs";
import { isMainThread } from "node:worker_threads";
import type { Doc } from "../sdk/types.ts";
import { isCompiled } from "../text/process-pool.ts";
import { CHUNK, computeChunk, type FeatureSpec, type Results, type RowFeatures } from "./row-features.ts";

/** Chunk states: free, being computed (by the worker or this thread), done (by either). */
export const FREE = 0, WORKER = 1, MAIN = 2, DONE = 3, WORKER_DONE = 4;
/** `control` layout: rows copied so far, the row count (-1 while reading, -2 abandoned), 1 once
 * the worker runs, then the key chunks' states and the token chunks' states. */
export const PARSED = 0, TOTAL = 1, STARTED = 2, HEADER = 3;
export const READING = -1, ABANDONED = -2;
/** Tokenizers the worker thread has (a plugin's own tokenizer is registered only here). */
const THREAD_TOKENIZERS = new Set(["qwen3", "o200k_base", "cl100k_base", "claude"]);
/** Smaller inputs are not worth a thread: measured through the compiled binary on rows of ~2 KB,
 * the thread cost ~30 ms more than it saved at 4,000 rows (7 MB) and saved 10% at 8,000 (15 MB). */
const PARALLEL_MIN_BYTES = 8 << 20;
/** The smallest line a usable row can be ({"text":"","compressed":"x"} and a newline). */
const MIN_ROW_BYTES = 29;
/** How long this thread waits for a chunk the worker holds before computing it itself. */
const WAIT_MS = 1000;
/** How far past a chunk the worker holds this thread looks for a free one to compute meanwhile. */
const AHEAD = 8;

/** What the worker thread is given (its `workerData`); the buffers are growable. */
export interface FeatureJob {
  task: "row-features";
  spec: FeatureSpec;
  /** Chunk capacity of `control` (the input's size bounds its rows). */
  maxChunks: number;
  control: SharedArrayBuffer;
  /** The rows' texts, UTF-8: row r's original, then its compressed text. */
  bytes: SharedArrayBuffer;
  /** Per row: where its original ends in `bytes`, and where its compressed text ends. */
  ends: SharedArrayBuffer;
  keys: SharedArrayBuffer;
  sigs: SharedArrayBuffer;
  tokens: SharedArrayBuffer;
}

/**
 * Starts the worker for `input` before this thread reads it, if the input is large enough and the
 * worker has the tokenizer; else undefined (all is computed inline).
 */
export function startSharing(input: string, spec: FeatureSpec): SharedFeatures | undefined {
  if (!isMainThread || !THREAD_TOKENIZERS.has(spec.tokenizer) || process.env.CTXC_DATASET_THREADS === "1") return undefined;
  let bytes: number;
  try {
    bytes = statSync(input).size;
  } catch {
    return undefined;
  }
  return bytes < PARALLEL_MIN_BYTES && process.env.CTXC_DATASET_THREADS !== "2" ? undefined : new SharedFeatures(spec, bytes);
}

export class SharedFeatures implements RowFeatures {
  private readonly job: FeatureJob;
  private readonly control: Int32Array;
  private readonly encoder = new TextEncoder();
  private readonly out: Results;
  private readonly ends: Int32Array<ArrayBufferLike>;
  private bytes: Uint8Array<ArrayBufferLike>;
  private used = 0;
  /** Entries of `ends` written: two per row. */
  private ended = 0;
  private rows = 0;
  private docs: Doc[] = [];
  private worker: Worker | undefined;
  /** The next token chunk from the back this thread takes. */
  private back = -1;

  constructor(private readonly spec: FeatureSpec, inputBytes: number) {
    const maxRows = Math.ceil(inputBytes / MIN_ROW_BYTES);
    const maxChunks = Math.ceil(maxRows / CHUNK);
    // Growable buffers reserve address space only; memory is committed as rows arrive.
    const growable = (max: number) => new SharedArrayBuffer(0, { maxByteLength: max });
    this.job = {
      task: "row-features",
      spec,
      maxChunks,
      control: new SharedArrayBuffer(4 * (HEADER + 2 * maxChunks)),
      // A row's texts as UTF-8 are never longer than its JSON line.
      bytes: growable(inputBytes + 16),
      ends: growable(8 * maxRows),
      keys: growable(4 * maxRows),
      sigs: growable(4 * maxRows * spec.perms),
      tokens: growable(4 * maxRows),
    };
    this.control = new Int32Array(this.job.control);
    this.control[TOTAL] = READING;
    this.bytes = new Uint8Array(this.job.bytes);
    this.ends = new Int32Array(this.job.ends);
    this.out = { keys: new Uint32Array(this.job.keys), sigs: new Uint32Array(this.job.sigs), tokens: new Int32Array(this.job.tokens) };
    this.worker = startWorker(this.job);
  }

  /**
   * The next row this thread read. Returns false, and stops sharing, for text the worker would not
   * read back the same (a lone UTF-16 surrogate does not survive UTF-8).
   */
  add(doc: Doc): boolean {
    // Room for the worst case (3 bytes per UTF-16 unit), within the buffer's bound (the texts'
    // UTF-8 never outgrows the input; copy() checks that each text fitted).
    const need = this.used + 3 * (doc.text.length + doc.compressed!.length);
    const { bytes: buffer } = this.job;
    if (need > buffer.byteLength && buffer.byteLength < buffer.maxByteLength) buffer.grow(Math.min(buffer.maxByteLength, Math.max(need, 2 * buffer.byteLength, 1 << 20)));
    if (this.rows % CHUNK === 0) this.growRows(this.rows + CHUNK);
    if (!this.copy(doc.text) || !this.copy(doc.compressed!)) return (this.abandon(), false);
    this.docs.push(doc);
    if (++this.rows % CHUNK === 0) this.publish(PARSED, this.rows);
    return true;
  }

  /** Appends `text` as UTF-8 and records where it ends; false if it did not fit, or is not
   * well-formed UTF-16 (checked only for text that is not ASCII, one byte per char). */
  private copy(text: string): boolean {
    const { read, written } = this.encoder.encodeInto(text, this.bytes.subarray(this.used));
    if (read !== text.length || (written !== text.length && !text.isWellFormed())) return false;
    this.used += written;
    this.ends[this.ended++] = this.used;
    return true;
  }

  /** All rows are read (the same as passed to `add`): the worker goes on to keys and signatures. */
  finish(): void {
    this.back = Math.ceil(this.rows / CHUNK) - 1;
    this.publish(PARSED, this.rows);
    this.publish(TOTAL, this.rows);
    // CTXC_DATASET_THREADS=2 (tests, diagnosis) also waits for the worker to be running.
    if (process.env.CTXC_DATASET_THREADS === "2") Atomics.wait(this.control, STARTED, 0, 10_000);
  }

  /** Who did the work, for the log: whether the worker ran, and the chunks it computed. */
  workShare(): { started: boolean; workerChunks: number; chunks: number } {
    const chunks = Math.ceil(this.rows / CHUNK);
    let workerChunks = 0;
    for (const base of [HEADER, HEADER + this.job.maxChunks]) for (let c = 0; c < chunks; c++) if (Atomics.load(this.control, base + c) === WORKER_DONE) workerChunks++;
    return { started: Atomics.load(this.control, STARTED) === 1, workerChunks, chunks: 2 * chunks };
  }

  key(row: number): number {
    const c = Math.floor(row / CHUNK);
    // While the worker holds the chunk, compute one just ahead of it rather than wait.
    for (let ahead = c + 1; Atomics.load(this.control, HEADER + c) === WORKER && ahead <= c + AHEAD && ahead * CHUNK < this.rows; ahead++) this.claim(HEADER + ahead);
    this.ensure(HEADER + c);
    return this.out.keys[row]!;
  }

  signature(row: number): Uint32Array {
    // A copy: views of growable buffers are slow to index in optimised code (MinHash compares it).
    return this.out.sigs.slice(row * this.spec.perms, (row + 1) * this.spec.perms);
  }

  /** Best asked for once the rows are written, in row order: this thread then counts from the
   * back while the worker counts from the front. */
  tokens(row: number): number {
    const base = HEADER + this.job.maxChunks;
    const c = Math.floor(row / CHUNK);
    while (Atomics.load(this.control, base + c) < DONE && this.back >= c) this.claim(base + this.back--);
    this.ensure(base + c);
    return this.out.tokens[row]!;
  }

  close(): void {
    void this.worker?.terminate();
    this.worker = undefined;
  }

  private abandon(): void {
    this.publish(TOTAL, ABANDONED);
    this.close();
  }

  private publish(at: number, value: number): void {
    Atomics.store(this.control, at, value);
    Atomics.notify(this.control, PARSED);
  }

  /** Room for `rows` rows in the per-row buffers (grown a chunk at a time). */
  private growRows(rows: number): void {
    const grow = (b: SharedArrayBuffer, bytesPerRow: number) => b.grow(Math.max(b.byteLength, rows * bytesPerRow));
    grow(this.job.ends, 8);
    grow(this.job.keys, 4);
    grow(this.job.sigs, 4 * this.spec.perms);
    grow(this.job.tokens, 4);
  }

  /** Makes the chunk at `slot` done: computed here if free, else waited for (bounded). */
  private ensure(slot: number): void {
    for (;;) {
      const s = Atomics.load(this.control, slot);
      if (s >= DONE) return;
      if (s === FREE && this.claim(slot)) return;
      // The worker holds it: wait, and past WAIT_MS compute it here too (the same values written
      // twice; harmless).
      if (s === WORKER && Atomics.wait(this.control, slot, WORKER, WAIT_MS) === "timed-out") return this.compute(slot);
    }
  }

  private claim(slot: number): boolean {
    if (Atomics.compareExchange(this.control, slot, FREE, MAIN) !== FREE) return false;
    this.compute(slot);
    return true;
  }

  private compute(slot: number): void {
    const tokens = slot >= HEADER + this.job.maxChunks;
    const c = slot - HEADER - (tokens ? this.job.maxChunks : 0);
    computeChunk(tokens ? 1 : 0, c, this.rows, (r) => this.docs[r]!, this.spec, this.out);
    Atomics.store(this.control, slot, DONE);
  }
}

/**
 * The worker thread, or undefined if it cannot start (this thread then does all the work). In a
 * compiled binary the worker is the binary's own entry module, which hands a thread to
 * row-features-worker.ts (src/cli/main.ts).
 */
function startWorker(job: FeatureJob): Worker | undefined {
  try {
    const entry = isCompiled() ? Bun.main : new URL("./row-features-worker.ts", import.meta.url).href;
    const worker = new Worker(entry, { workerData: job } as WorkerOptions);
    // A worker that fails to load never claims a chunk, so nothing waits on it.
    worker.addEventListener("error", (e) => e.preventDefault());
    worker.unref();
    return worker;
  } catch {
    return undefined;
  }
}
