// Runs an embedded Python shim and turns its JSON-lines events (src/python/ctxc_events.py) into
// callbacks. The shim's files are written into the run folder (so the exact script that ran is
// kept with the run), stderr goes to train.log, and the last stderr lines are kept to classify a
// crash (out of memory, missing package, …). Abort → SIGTERM, then SIGKILL after a grace period.
import { appendFileSync, writeFileSync } from "node:fs";
import { delimiter, join } from "node:path";
import eventsPy from "./ctxc_events.py" with { type: "text" };

export interface ShimEvent {
  event: "start" | "metric" | "checkpoint" | "log" | "error" | "done" | string;
  t?: number;
  [key: string]: unknown;
}

export interface ShimRun {
  python: string;
  /** The shim's Python source and its file name (e.g. mlx_train.py). */
  script: { name: string; source: string };
  args: string[];
  /** The run folder: the shim, ctxc_events.py and train.log are written here. */
  dir: string;
  env?: Record<string, string | undefined>;
  signal?: AbortSignal;
  onEvent(e: ShimEvent): void;
  /** Lines that are not JSON on stdout (should not happen) are reported here, never fatal. */
  onNoise?(line: string): void;
  graceMs?: number;
}

export interface ShimResult {
  exitCode: number | null;
  /** Set when the process died of a signal (SIGKILL, SIGABRT from a Metal OOM, …). */
  signalCode: string | null;
  /** The last lines the shim wrote to stderr (for error classification). */
  stderrTail: string[];
  aborted: boolean;
  /** The last `error` event, if the shim reported one. */
  error?: ShimEvent;
}

const TAIL_LINES = 60;

export async function runShim(run: ShimRun): Promise<ShimResult> {
  writeFileSync(join(run.dir, "ctxc_events.py"), eventsPy);
  const scriptPath = join(run.dir, run.script.name);
  writeFileSync(scriptPath, run.script.source);
  const logPath = join(run.dir, "train.log");
  let proc: ReturnType<typeof Bun.spawn>;
  try {
    proc = Bun.spawn([run.python, "-u", scriptPath, ...run.args], {
      cwd: run.dir,
      // The run folder first (the shim's own modules), then any PYTHONPATH the caller set.
      env: { ...process.env, ...run.env, PYTHONUNBUFFERED: "1", PYTHONPATH: [run.dir, run.env?.PYTHONPATH ?? process.env.PYTHONPATH].filter(Boolean).join(delimiter) },
      stdin: "ignore",
      stdout: "pipe",
      stderr: "pipe",
    });
  } catch (e) {
    throw new Error(`cannot start Python (${run.python}): ${(e as Error).message}`);
  }
  const tail: string[] = [];
  let lastError: ShimEvent | undefined;
  let aborted = false;
  const onAbort = () => {
    aborted = true;
    proc.kill("SIGTERM");
    setTimeout(() => proc.kill("SIGKILL"), run.graceMs ?? 5000).unref();
  };
  if (run.signal?.aborted) onAbort();
  else run.signal?.addEventListener("abort", onAbort, { once: true });
  const stdout = forEachLine(proc.stdout as ReadableStream<Uint8Array>, (line) => {
    if (!line.trim()) return;
    let e: ShimEvent;
    try {
      e = JSON.parse(line) as ShimEvent;
    } catch {
      run.onNoise?.(line);
      return;
    }
    if (e.event === "error") lastError = e;
    run.onEvent(e);
  });
  const stderr = forEachLine(proc.stderr as ReadableStream<Uint8Array>, (line) => {
    appendFileSync(logPath, line + "\n");
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
  });
  await Promise.all([stdout, stderr, proc.exited]);
  run.signal?.removeEventListener("abort", onAbort);
  return { exitCode: proc.exitCode, signalCode: proc.signalCode == null ? null : String(proc.signalCode), stderrTail: tail, aborted, error: lastError };
}

async function forEachLine(stream: ReadableStream<Uint8Array>, fn: (line: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  let carry = "";
  for await (const chunk of stream) {
    const lines = (carry + decoder.decode(chunk, { stream: true })).split("\n");
    carry = lines.pop()!;
    for (const l of lines) fn(l.replace(/\r$/, ""));
  }
  carry += decoder.decode();
  if (carry) fn(carry);
}
