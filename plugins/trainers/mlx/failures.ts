// How a trainer/mlx run ended, as the user should read it. The shim reports the failures it can
// see as `error` events with a hint (model folder, chat template, rows, NaN, versions, …); the
// ones it cannot see are read from the process: a Metal out-of-memory is an abort (SIGABRT, exit
// 134) with "[METAL] … Insufficient Memory" or "Resource limit" on stderr, a missing package is a
// traceback naming the module, a killed process is a signal.
import type { ShimResult } from "../../../src/python/shim.ts";
import { PYTHON_SETUP_HINT } from "../../../src/python/find.ts";

export interface Outcome {
  status: "completed" | "failed" | "interrupted";
  kind?: string;
  message?: string;
  hint?: string;
}

const OOM = /Insufficient Memory|Resource limit|out of memory|std::bad_alloc|MemoryError/i;

export function oomHint(opts: { batch_size: number; max_seq_length: number; num_layers: number; grad_checkpoint: boolean }): string {
  const steps = [
    `batch_size (now ${opts.batch_size}; raise grad_accumulation to keep the effective batch)`,
    `max_seq_length (now ${opts.max_seq_length})`,
    `num_layers (now ${opts.num_layers})`,
  ];
  if (!opts.grad_checkpoint) steps.push("set grad_checkpoint = true");
  return `out of memory: lower ${steps.join(", ")}; or use a smaller or 4-bit model (mlx-community/…-4bit). The run resumes from its last checkpoint`;
}

export function classify(result: ShimResult, done: boolean, opts: Parameters<typeof oomHint>[0]): Outcome {
  if (done && result.exitCode === 0) return { status: "completed" };
  if (result.aborted) return { status: "interrupted", message: "training was interrupted", hint: "run the pipeline again to resume from the last checkpoint" };
  const stderr = result.stderrTail.join("\n");
  const e = result.error;
  if (e && e.kind !== "exception" && e.kind !== "oom") {
    return { status: "failed", kind: String(e.kind), message: String(e.message), hint: e.hint ? String(e.hint) : undefined };
  }
  const aborted = result.signalCode === "SIGABRT" || result.exitCode === 134;
  if (e?.kind === "oom" || OOM.test(stderr) && (aborted || e !== undefined)) {
    return { status: "failed", kind: "oom", message: `the training process ran out of memory${aborted ? " (aborted)" : ""}`, hint: oomHint(opts) };
  }
  const missing = /ModuleNotFoundError: No module named '([^']+)'/.exec(stderr);
  if (missing) return { status: "failed", kind: "missing_package", message: `Python cannot import ${missing[1]}`, hint: PYTHON_SETUP_HINT };
  if (result.signalCode) {
    // Killed from outside (the OOM killer, kill -9): "interrupted", so the next run resumes it.
    return { status: "interrupted", kind: "killed", message: `the training process was killed by ${result.signalCode}`, hint: "run the pipeline again to resume from the last checkpoint; if the system killed it for memory, lower batch_size or max_seq_length" };
  }
  if (e) return { status: "failed", kind: "exception", message: String(e.message), hint: "see train.log in the run folder for the traceback" };
  const last = result.stderrTail.filter((l) => l.trim()).slice(-1)[0];
  return { status: "failed", kind: "exit", message: `the training process exited with status ${result.exitCode}${last ? `: ${last.trim()}` : ""}`, hint: "see train.log in the run folder" };
}
