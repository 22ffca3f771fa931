// Runs one async function over many tasks on worker threads and yields the results in task
// order, whatever order the workers finish in (so loader output is deterministic). If workers
// cannot start — e.g. a compiled binary built without the worker entrypoint — the remaining
// tasks run in the main thread and `onFallback` says why. Used by loader/code and loader/markdown.
import { existsSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

export type Outcome<R> = { ok: R } | { error: string };

export interface PoolOptions<T, R> {
  /** The worker module next to its source: `new URL("./worker.ts", import.meta.url)`. */
  workerUrl: URL;
  /** Its path from the repository root without extension, as `bun build --compile` stores it. */
  compiledPath: string;
  /** Worker threads to use; 1 or fewer runs everything in the main thread. */
  threads: number;
  /** The same work in the main thread (the worker calls this function too). */
  inThread: (task: T) => Promise<R>;
  /** The order to process tasks in (indexes into `tasks`), e.g. largest first so no thread
   *  is left with one big file at the end. Results are still yielded in task order. */
  order?: number[];
  onFallback?: (why: string) => void;
  signal?: AbortSignal;
}

/** Tasks each worker holds at once: one running, one queued, so a worker never waits on us. */
const IN_FLIGHT = 2;

/** The specifier to start a worker with, or null when this build has no worker module. */
export function resolveWorker(workerUrl: URL, compiledPath: string): string | null {
  if (workerUrl.protocol === "file:" && existsSync(fileURLToPath(workerUrl))) return workerUrl.href;
  // In a compiled binary every entrypoint is stored under the binary's virtual root at its path
  // relative to the entrypoints' common folder, with a .js extension.
  const root = dirname(Bun.main);
  const parts = compiledPath.split("/");
  for (let i = 0; i < parts.length; i++) {
    const candidate = `${root}/${parts.slice(i).join("/")}`;
    if (existsSync(`${candidate}.js`)) return `${candidate}.ts`;
  }
  return null;
}

export async function* mapOrdered<T, R>(tasks: T[], opts: PoolOptions<T, R>): AsyncGenerator<Outcome<R>> {
  const results = new Map<number, Outcome<R>>();
  const order = opts.order ?? tasks.map((_, i) => i);
  let next = 0; // position in `order` of the next task to hand out
  let running = 0; // tasks handed out whose result has not arrived
  let emitted = 0; // next result to yield
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const runHere = async (index: number) => {
    running++;
    try {
      results.set(index, { ok: await opts.inThread(tasks[index]!) });
    } catch (e) {
      results.set(index, { error: e instanceof Error ? e.message : String(e) });
    }
    running--;
    notify();
  };

  const workers: Worker[] = [];
  let live = 0;
  let fellBack = false;
  const fallBack = (why: string, orphans: number[]) => {
    if (!fellBack && why) opts.onFallback?.(why);
    fellBack = true;
    // Orphaned tasks and everything not yet handed out run here, one after another.
    void (async () => {
      for (const i of orphans) await runHere(i);
      if (live === 0) while (next < tasks.length && !opts.signal?.aborted) await runHere(order[next++]!);
    })();
  };

  const spec = opts.threads > 1 && tasks.length > 1 ? resolveWorker(opts.workerUrl, opts.compiledPath) : null;
  if (opts.threads > 1 && tasks.length > 1 && spec === null) fallBack(`no worker module ${opts.compiledPath} in this build`, []);
  else if (spec === null) fallBack("", []);
  else {
    const count = Math.min(opts.threads, tasks.length);
    for (let w = 0; w < count; w++) {
      const pending = new Set<number>();
      let worker: Worker;
      try {
        worker = new Worker(spec);
      } catch (e) {
        fallBack(`worker failed to start: ${(e as Error).message}`, []);
        break;
      }
      live++;
      workers.push(worker);
      const feed = () => {
        while (pending.size < IN_FLIGHT && next < tasks.length && !opts.signal?.aborted) {
          const id = order[next++]!;
          pending.add(id);
          running++;
          worker.postMessage({ id, task: tasks[id] });
        }
      };
      worker.onmessage = (e: MessageEvent<{ id: number; result?: R; error?: string }>) => {
        const { id, result, error } = e.data;
        pending.delete(id);
        running--;
        results.set(id, error === undefined ? { ok: result as R } : { error });
        feed();
        notify();
      };
      worker.onerror = (e) => {
        worker.terminate();
        live--;
        const orphans = [...pending];
        running -= orphans.length;
        pending.clear();
        fallBack(`worker thread failed: ${e.message}`, orphans);
      };
      feed();
    }
  }

  opts.signal?.addEventListener("abort", notify);
  try {
    while (emitted < tasks.length) {
      const r = results.get(emitted);
      if (r) {
        results.delete(emitted);
        emitted++;
        yield r;
        continue;
      }
      if (opts.signal?.aborted && running === 0) break;
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (results.has(emitted) || opts.signal?.aborted) resolve();
      });
    }
  } finally {
    opts.signal?.removeEventListener("abort", notify);
    for (const w of workers) w.terminate();
  }
}
