// Runs one async function over many tasks in child processes and yields the results in task
// order, whatever order they finish in (so loader output is deterministic). Each child is this
// same program started as `ctxc __worker NAME` (src/cli/worker.ts); it reads batches of tasks as
// JSON lines on stdin and answers one JSON line per task on stdout. Processes, not worker
// threads: two Bun worker threads in one process each parse ~50% slower than one thread alone,
// while two processes scale with the cores.
//
// Children die with us: they exit when their stdin closes (also when we are killed), and we
// close or kill them when the work is done, aborted, or abandoned. A child that crashes costs
// nothing but time: the task it was running is retried once and the others are handed out again;
// a task that crashes a child twice becomes an error outcome with `crashed: true`. If children cannot start
// at all (e.g. a compiled binary that has no `__worker` command) the work runs in this process
// and `onFallback` says why.
import { fileURLToPath } from "node:url";
import type { Subprocess } from "bun";

export type Outcome<R> = { ok: R } | { error: string; crashed?: boolean };

export interface PoolOptions<T, R> {
  /** The task function's name in src/cli/worker.ts (`ctxc __worker NAME`). */
  worker: string;
  /** Parallel parsers (see `parserCount`); 1 or fewer runs everything in this process. */
  parallel: number;
  /** The same work in this process; the child runs this same function. */
  inProcess: (task: T) => Promise<R>;
  /** Each task's cost in bytes, used to send small tasks in batches; default: one per batch. */
  weights?: number[];
  /** The order to hand tasks out in (indexes into `tasks`). Default: heaviest first by `weights`
   *  (so no process is left with one big file at the end), else task order. Results are still
   *  yielded in task order. */
  order?: number[];
  onFallback?: (why: string) => void;
  signal?: AbortSignal;
  /** The child's command line; default `workerCommand(worker)`. Tests pass their own. */
  command?: string[];
  /** Extra environment for the children (e.g. JavaScriptCore tuning as `BUN_JSC_*`). */
  env?: Record<string, string>;
}

/** First line every child prints, so a program that is not a worker is never mistaken for one. */
export const HELLO = "ctxc-worker/1";
/** Batches a child holds at once: one being parsed, one waiting in its stdin, so it never idles. */
const IN_FLIGHT = 2;
/** Small tasks are sent together up to this many bytes (or tasks): fewer messages, same balance. */
const BATCH_BYTES = 64 * 1024;
const BATCH_TASKS = 32;
/**
 * JavaScriptCore tuning for the children, which live a second or two. FTL (the top JS tier) off:
 * it spent more CPU compiling the loaders' JS on background threads than it saved — 0.6 s of
 * 2.5 s CPU on CPython's stdlib (loader/code 1.85 -> 1.43 s, Node API docs loader/markdown 2.5 ->
 * 2.2 s). The wasm compiler thread at normal priority and OMG optimisation level 1: tree-sitter's
 * parser gets its optimised code sooner while two children share two cores (stdlib loader/code,
 * median of 5: 1.51 -> 1.35 s). Bun rejects unknown BUN_JSC_ options at start-up; should a Bun
 * upgrade drop one, children fail their hello and the pool parses here, with a warning.
 */
const CHILD_ENV = {
  BUN_JSC_useFTLJIT: "0",
  BUN_JSC_priorityDeltaOfWasmCompilerThreads: "0",
  BUN_JSC_wasmOMGOptimizationLevel: "1",
};
/** A child must say hello within this time or it is taken as unable to start. */
const HELLO_TIMEOUT_MS = 30_000;

/** True inside a `bun build --compile` binary (its modules live under a virtual root). */
export function isCompiled(): boolean {
  return Bun.main.startsWith("/$bunfs/") || /^[A-Za-z]:[\\/]~BUN[\\/]/.test(Bun.main);
}

/** `ctxc ARGS…`: the binary itself when compiled, else bun running src/cli/main.ts. */
export function selfCommand(...args: string[]): string[] {
  if (isCompiled()) return [process.execPath, ...args];
  return [process.execPath, fileURLToPath(new URL("../cli/main.ts", import.meta.url)), ...args];
}

/** `ctxc __worker NAME`. */
export function workerCommand(name: string): string[] {
  return selfCommand("__worker", name);
}

/**
 * How many parsers to run. `requested` > 0 is taken as given (1 = in this process). 0 = one
 * process per core, but only as many as the input keeps busy: each must get `minBytesPerProcess`
 * (a child costs ~50 ms to start), so a small corpus is parsed in this process.
 */
export function parserCount(requested: number, tasks: number, totalBytes: number, minBytesPerProcess: number): number {
  if (requested > 0) return Math.max(1, Math.min(requested, tasks));
  return Math.max(1, Math.min(navigator.hardwareConcurrency, tasks, Math.floor(totalBytes / minBytesPerProcess)));
}

/** Task indexes by weight, heaviest first (ties in task order); task order without weights. */
export function heaviestFirst(count: number, weights?: number[]): number[] {
  const order = Array.from({ length: count }, (_, i) => i);
  if (!weights) return order;
  const w = (i: number) => weights[i] ?? 0;
  return order.sort((a, b) => w(b) - w(a) || a - b);
}

/** Splits a byte stream into lines (UTF-8; a newline byte never occurs inside a character). */
export async function* readLines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let parts: Uint8Array[] = [];
  for await (const chunk of stream) {
    let from = 0;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, from)) {
      parts.push(chunk.subarray(from, nl));
      yield decoder.decode(parts.length === 1 ? parts[0] : Buffer.concat(parts));
      parts = [];
      from = nl + 1;
    }
    if (from < chunk.length) parts.push(chunk.subarray(from));
  }
  if (parts.length > 0) yield decoder.decode(Buffer.concat(parts));
}

interface Child {
  proc: Subprocess<"pipe", "pipe", "pipe">;
  ready: boolean;
  /** Tasks sent and not answered yet, in the order sent (which is the order they are answered). */
  pending: Set<number>;
  /** The last task of each batch in flight: a batch is done when its last task is answered. */
  batchEnds: Set<number>;
  stderr: string;
}

/** The line of a child's stderr that says what went wrong (Bun ends a crash with its version). */
function errorLine(stderr: string): string | undefined {
  const lines = stderr.split("\n").map((l) => l.trim()).filter(Boolean);
  return lines.findLast((l) => /error\b/i.test(l)) ?? lines.at(-1);
}

/** A pipe write to a child that has just died fails; its exit handler deals with that. */
const quietly = (r: unknown) => void (r instanceof Promise && r.catch(() => {}));

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

export async function* mapOrdered<T, R>(tasks: T[], opts: PoolOptions<T, R>): AsyncGenerator<Outcome<R>> {
  const results = new Map<number, Outcome<R>>();
  const order = opts.order ?? heaviestFirst(tasks.length, opts.weights);
  const again: number[] = []; // tasks to redo, one per batch, before the rest of `order`
  const crashes = new Map<number, number>();
  const children = new Set<Child>();
  let next = 0; // position in `order` of the next fresh task
  let respawns = Math.max(2, opts.parallel * 2);
  let localRunning = false; // this process is parsing too (fallback)
  let warned = false;
  let stopping = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  const aborted = () => opts.signal?.aborted === true;
  const settle = (i: number, outcome: Outcome<R>) => {
    results.set(i, outcome);
    notify();
  };

  const takeBatch = (): number[] => {
    if (again.length > 0) return [again.shift()!];
    const batch: number[] = [];
    let bytes = 0;
    while (next < order.length && batch.length < BATCH_TASKS && bytes < BATCH_BYTES) {
      const i = order[next++]!;
      batch.push(i);
      bytes += opts.weights?.[i] ?? BATCH_BYTES;
    }
    return batch;
  };

  const feed = (child: Child) => {
    while (!stopping && !aborted() && child.batchEnds.size < IN_FLIGHT) {
      const batch = takeBatch();
      if (batch.length === 0) return;
      for (const i of batch) child.pending.add(i);
      child.batchEnds.add(batch.at(-1)!);
      try {
        child.proc.stdin.write(`${JSON.stringify({ tasks: batch.map((i) => [i, tasks[i]]) })}\n`);
        quietly(child.proc.stdin.flush());
      } catch {
        return; // the child is gone; its exit handler takes the batch back
      }
    }
  };

  const runLocally = async () => {
    if (localRunning) return;
    localRunning = true;
    while (!stopping && !aborted()) {
      const i = again.length > 0 ? again.shift() : next < order.length ? order[next++] : undefined;
      if (i === undefined) break;
      try {
        settle(i, { ok: await opts.inProcess(tasks[i]!) });
      } catch (e) {
        settle(i, { error: message(e) });
      }
    }
    localRunning = false;
  };
  const fallBack = (why: string) => {
    if (!warned) opts.onFallback?.(why);
    warned = true;
    void runLocally();
  };

  const onResult = (child: Child, line: string) => {
    const reply = JSON.parse(line) as { i: number; ok?: R; error?: string };
    if (!child.pending.delete(reply.i)) return;
    child.batchEnds.delete(reply.i);
    settle(reply.i, reply.error === undefined ? { ok: reply.ok as R } : { error: reply.error });
    feed(child);
  };

  const onExit = (child: Child, why: string) => {
    children.delete(child);
    if (stopping || aborted()) return;
    const orphans = [...child.pending]; // in the order sent
    if (!child.ready) {
      // Not a worker, or could not start: the rest is done here (other children go on).
      again.unshift(...orphans);
      fallBack(`parser process ${JSON.stringify(command.join(" "))} did not start: ${why}`);
      return;
    }
    // A child works through its tasks in the order sent and answers each at once, so the first
    // unanswered one was running: it is to blame; the others go back to the queue as they are.
    const [culprit, ...innocent] = orphans;
    again.push(...innocent);
    if (culprit !== undefined) {
      const n = (crashes.get(culprit) ?? 0) + 1;
      crashes.set(culprit, n);
      if (n >= 2) settle(culprit, { error: `the parser process crashed on it twice (${why})`, crashed: true });
      else again.unshift(culprit);
    }
    if (again.length > 0 || next < order.length) {
      if (respawns-- > 0) start();
      else if (children.size === 0) fallBack(`parser processes keep crashing (${why})`);
    }
    for (const c of children) feed(c);
  };

  const command = opts.command ?? workerCommand(opts.worker);
  const start = () => {
    let proc: Child["proc"];
    try {
      proc = Bun.spawn(command, { stdin: "pipe", stdout: "pipe", stderr: "pipe", env: { ...process.env, ...CHILD_ENV, ...opts.env } });
    } catch (e) {
      fallBack(`parser process ${JSON.stringify(command.join(" "))} did not start: ${message(e)}`);
      return;
    }
    const child: Child = { proc, ready: false, pending: new Set(), batchEnds: new Set(), stderr: "" };
    children.add(child);
    const helloTimer = setTimeout(() => proc.kill("SIGKILL"), HELLO_TIMEOUT_MS);
    void (async () => {
      for await (const chunk of proc.stderr) child.stderr = (child.stderr + new TextDecoder().decode(chunk)).slice(-2000);
    })().catch(() => {});
    void (async () => {
      let why = "";
      try {
        for await (const line of readLines(proc.stdout)) {
          if (child.ready) onResult(child, line);
          else if (line === JSON.stringify({ hello: HELLO })) {
            child.ready = true;
            clearTimeout(helloTimer);
          } else throw new Error(`it printed ${JSON.stringify(line.slice(0, 120))} instead of a hello`);
        }
      } catch (e) {
        why = message(e);
        proc.kill("SIGKILL");
      }
      clearTimeout(helloTimer);
      const code = await proc.exited;
      why ||= proc.signalCode ? `killed by ${proc.signalCode}` : `exit code ${code}`;
      const said = errorLine(child.stderr);
      onExit(child, said ? `${why}; stderr: ${said}` : why);
    })();
    feed(child);
  };

  const parallel = Math.min(opts.parallel, tasks.length);
  if (parallel <= 1) void runLocally();
  else for (let n = 0; n < parallel; n++) start();

  const stopChildren = async (kill: boolean) => {
    stopping = true;
    await Promise.all(
      [...children].map(async (c) => {
        try {
          if (kill) c.proc.kill("SIGKILL");
          else quietly(c.proc.stdin.end()); // a child exits when its stdin closes
        } catch {
          // already gone
        }
        const timer = setTimeout(() => c.proc.kill("SIGKILL"), 5_000);
        await c.proc.exited;
        clearTimeout(timer);
      }),
    );
  };
  const onAbort = () => {
    void stopChildren(true);
    notify();
  };
  opts.signal?.addEventListener("abort", onAbort);
  let emitted = 0;
  try {
    while (emitted < tasks.length && !aborted()) {
      const r = results.get(emitted);
      if (r) {
        results.delete(emitted);
        emitted++;
        yield r;
        continue;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
        if (results.has(emitted) || aborted()) resolve();
      });
    }
  } finally {
    opts.signal?.removeEventListener("abort", onAbort);
    await stopChildren(emitted < tasks.length);
  }
}
