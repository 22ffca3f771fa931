// The worker thread of src/core/row-features-shared.ts. While the main thread reads the input it
// computes the keys and signatures of the rows already copied to shared memory, a chunk at a
// time; once all are read it goes on with the key chunks the main thread has not taken (it groups
// rows from the first, taking chunks the worker has not reached), then counts tokens from the
// first chunk until it meets the main thread, which counts from the back once the rows are
// written. A failure frees the chunk it held, so the main thread computes that one too.
import { workerData } from "node:worker_threads";
import { CHUNK, computeChunk, type RowText } from "./row-features.ts";
import { ABANDONED, FREE, HEADER, PARSED, READING, STARTED, TOTAL, WORKER, WORKER_DONE, type FeatureJob } from "./row-features-shared.ts";

function run(job: FeatureJob): void {
  const control = new Int32Array(job.control);
  Atomics.store(control, STARTED, 1);
  Atomics.notify(control, STARTED);
  // Views of growable buffers track their size as the main thread grows them.
  const bytes = new Uint8Array(job.bytes);
  const ends = new Int32Array(job.ends);
  const out = { keys: new Uint32Array(job.keys), sigs: new Uint32Array(job.sigs), tokens: new Int32Array(job.tokens) };
  const decoder = new TextDecoder();
  const text = (from: number, to: number) => decoder.decode(bytes.slice(from, to));
  // The compressed text is decoded only when asked for (keys and signatures need the original only).
  const docAt = (r: number): RowText => ({
    text: text(r ? ends[2 * r - 1]! : 0, ends[2 * r]!),
    get compressed() {
      return text(ends[2 * r]!, ends[2 * r + 1]!);
    },
  });
  let rows = 0;
  const compute = (kind: 0 | 1, c: number): boolean => {
    const slot = HEADER + kind * job.maxChunks + c;
    if (Atomics.compareExchange(control, slot, FREE, WORKER) !== FREE) return false;
    try {
      computeChunk(kind, c, rows, docAt, job.spec, out);
      Atomics.store(control, slot, WORKER_DONE);
    } catch (e) {
      Atomics.store(control, slot, FREE);
      throw e;
    } finally {
      Atomics.notify(control, slot);
    }
    return true;
  };

  // While rows arrive: keys and signatures of each chunk once it is complete.
  let next = 0;
  for (;;) {
    const total = Atomics.load(control, TOTAL);
    if (total === ABANDONED) return;
    if (total !== READING) {
      rows = total;
      break;
    }
    const parsed = Atomics.load(control, PARSED);
    if (parsed >= (next + 1) * CHUNK) {
      rows = parsed;
      compute(0, next++);
    } else Atomics.wait(control, PARSED, parsed, 100);
  }
  // All rows read: the key chunks the main thread has not taken, then token counts from the front
  // until the first chunk found taken (the main thread takes them strictly from the back).
  const chunks = Math.ceil(rows / CHUNK);
  for (let c = next; c < chunks; c++) compute(0, c);
  for (let c = 0; c < chunks && compute(1, c); c++);
}

if ((workerData as FeatureJob | undefined)?.task === "row-features") {
  try {
    run(workerData as FeatureJob);
  } catch {
    // The main thread computes whatever is left.
  }
}
