// Streams docs through a per-doc function, at most `limit` calls in flight, results in input
// order whatever their timing. Batches (arrays) flow between stages so the per-record cost of
// async iteration is paid once per batch, not once per doc.
import type { Doc } from "../sdk/types.ts";

export const BATCH = 256;

export type Handle = (doc: Doc, result: unknown) => Doc | undefined;

interface Slot {
  doc: Doc;
  done: boolean;
  result: unknown;
  /** Set when `catcher` itself threw (e.g. --fail-fast): re-thrown in order, ending the stream. */
  fatal?: unknown;
}

/**
 * `fn` may return a value or a promise, or throw; `catcher` turns a throw into a result.
 * `handle` sees every (doc, result) in input order and returns the doc to pass on, if any.
 * `stop()` is checked before each doc starts: once true, nothing new starts and in-flight calls finish.
 */
export async function* orderedMap(
  input: AsyncIterable<Doc[]>,
  fn: (doc: Doc) => unknown,
  catcher: (error: unknown) => unknown,
  handle: Handle,
  limit: number,
  stop: () => boolean,
): AsyncGenerator<Doc[]> {
  if (limit <= 1) {
    yield* sequential(input, fn, catcher, handle, stop);
    return;
  }
  const window = limit * 4;
  const queue: Slot[] = [];
  let head = 0;
  let inFlight = 0;
  let wake: () => void = () => {};
  const waitOne = () => new Promise<void>((r) => (wake = r));
  let kept: Doc[] = [];
  const flush = () => {
    while (head < queue.length && queue[head]!.done) {
      const slot = queue[head]!;
      queue[head++] = undefined as unknown as Slot;
      if (slot.fatal !== undefined) throw slot.fatal;
      const out = handle(slot.doc, slot.result);
      if (out) kept.push(out);
    }
    if (head > 1024) {
      queue.splice(0, head);
      head = 0;
    }
  };
  const start = (doc: Doc) => {
    const slot: Slot = { doc, done: false, result: undefined };
    queue.push(slot);
    inFlight++;
    (async () => {
      try {
        slot.result = await fn(doc);
      } catch (e) {
        try {
          slot.result = catcher(e);
        } catch (fatal) {
          slot.fatal = fatal;
        }
      } finally {
        slot.done = true;
        inFlight--;
        wake();
      }
    })();
  };
  outer: for await (const batch of input) {
    for (const doc of batch) {
      if (stop()) break outer;
      while (inFlight >= limit || queue.length - head >= window) {
        await waitOne();
        flush();
      }
      start(doc);
      flush();
      if (kept.length >= BATCH) {
        const out = kept;
        kept = [];
        yield out;
      }
    }
  }
  while (head < queue.length) {
    if (!queue[head]!.done) await waitOne();
    flush();
  }
  if (kept.length > 0) yield kept;
}

async function* sequential(
  input: AsyncIterable<Doc[]>,
  fn: (doc: Doc) => unknown,
  catcher: (error: unknown) => unknown,
  handle: Handle,
  stop: () => boolean,
): AsyncGenerator<Doc[]> {
  for await (const batch of input) {
    const kept: Doc[] = [];
    for (const doc of batch) {
      if (stop()) break;
      let result: unknown;
      try {
        result = fn(doc);
        // Await only real promises: sync filters cost no microtask per doc.
        if (result !== null && typeof result === "object" && typeof (result as Promise<unknown>).then === "function") result = await result;
      } catch (e) {
        result = catcher(e);
      }
      const out = handle(doc, result);
      if (out) kept.push(out);
    }
    if (kept.length > 0) yield kept;
    if (stop()) return;
  }
}
