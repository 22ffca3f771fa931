// Detects plugin work that can never finish. A plugin that awaits a promise nothing will ever
// settle (at import, or in filter() on one doc) leaves the event loop with nothing to do; Bun then
// exits — with status 0 and nothing printed — although the pipeline's promise is still pending.
//
// The mechanism: every call into plugin code that returns a promise goes through `guard`, which
// remembers it until it settles. Node and Bun emit 'beforeExit' exactly when the event loop has
// emptied, i.e. when no timer, socket, file operation or child process can ever settle anything
// again. If guarded work is pending at that moment it is stalled for good, so each pending guard
// is rejected with a StalledError naming the plugin (and doc). That rejection is ordinary control
// flow: the stage fails with a message, finished docs are saved, the CLI prints its error (or its
// one JSON object) and exits non-zero. Nothing depends on timing: a slow call that still has I/O
// in flight keeps the loop alive and is never mistaken for a stall.
//
// The CLI adds a last line of defence (see src/cli/main.ts): it never exits 0 unless its command
// returned, whatever is left pending.

export class StalledError extends Error {
  constructor(readonly what: string) {
    super(`${what} never finished: it awaits something that can no longer happen (a promise nothing resolves), and no other work is left`);
    this.name = "StalledError";
  }
}

interface Pending {
  what: string;
  reject: (e: unknown) => void;
}

const pending = new Set<Pending>();
let listening = false;

function onBeforeExit(): void {
  if (pending.size === 0) return;
  const stalled = [...pending];
  pending.clear();
  for (const p of stalled) p.reject(new StalledError(p.what));
}

/** The guarded work still pending (for tests and diagnostics). */
export function pendingWork(): string[] {
  return [...pending].map((p) => p.what);
}

/**
 * `work`, settling as it settles — or rejecting with a StalledError naming `what` if the process
 * runs out of everything else to do while it is pending.
 */
export function guard<T>(what: string, work: PromiseLike<T>): Promise<T> {
  if (!listening) {
    listening = true;
    process.on("beforeExit", onBeforeExit);
  }
  return new Promise<T>((resolve, reject) => {
    const entry: Pending = { what, reject };
    pending.add(entry);
    work.then(
      (v) => {
        pending.delete(entry);
        resolve(v);
      },
      (e) => {
        pending.delete(entry);
        reject(e);
      },
    );
  });
}

/** A plugin's async iterable (a loader), each step guarded; a sync iterable passes as is. */
export async function* guardIterable<T>(what: string, source: AsyncIterable<T> | Iterable<T>): AsyncGenerator<T> {
  if (!(Symbol.asyncIterator in source)) {
    yield* source;
    return;
  }
  const it = source[Symbol.asyncIterator]();
  let stalled = false;
  try {
    for (;;) {
      const step = await guard(what, it.next());
      if (step.done) return;
      yield step.value;
    }
  } catch (e) {
    stalled = e instanceof StalledError;
    throw e;
  } finally {
    // Stopping early (a failure, Ctrl-C) lets the loader close its files — unless it is stuck
    // mid-step, when its return() would queue behind the step that never ends.
    if (!stalled && it.return) await guard(`${what} (closing)`, it.return()).catch(() => {});
  }
}

export function isThenable(x: unknown): x is PromiseLike<unknown> {
  return x !== null && (typeof x === "object" || typeof x === "function") && typeof (x as PromiseLike<unknown>).then === "function";
}
