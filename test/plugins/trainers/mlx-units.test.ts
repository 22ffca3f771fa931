// trainer/mlx's pure parts: how a finished shim process is classified, and the progress line.
import { describe, expect, test } from "bun:test";
import { classify } from "../../../plugins/trainers/mlx/failures.ts";
import { duration, TrainProgress } from "../../../plugins/trainers/mlx/progress.ts";
import type { ShimResult } from "../../../src/python/shim.ts";

const OPTS = { batch_size: 4, max_seq_length: 2048, num_layers: 16, grad_checkpoint: false };
const result = (r: Partial<ShimResult>): ShimResult => ({ exitCode: 1, signalCode: null, stderrTail: [], aborted: false, ...r });

describe("classify", () => {
  test("done + exit 0 is completed; our own abort is interrupted", () => {
    expect(classify(result({ exitCode: 0 }), true, OPTS).status).toBe("completed");
    expect(classify(result({ exitCode: null, signalCode: "SIGTERM", aborted: true }), false, OPTS)).toMatchObject({ status: "interrupted" });
  });

  test("a kill from outside (SIGKILL) is interrupted, so the next run resumes it", () => {
    expect(classify(result({ exitCode: null, signalCode: "SIGKILL" }), false, OPTS)).toMatchObject({ status: "interrupted", kind: "killed" });
  });

  test("the shim's own error event wins, with its hint", () => {
    const o = classify(result({ exitCode: 2, error: { event: "error", kind: "too_few_rows", message: "3 rows", hint: "lower batch_size" } }), false, OPTS);
    expect(o).toEqual({ status: "failed", kind: "too_few_rows", message: "3 rows", hint: "lower batch_size" });
  });

  test("an abort with a Metal resource-limit line is an out-of-memory with the options to lower", () => {
    const o = classify(result({ exitCode: 134, stderrTail: ["[metal::malloc] Resource limit (499000) exceeded."] }), false, OPTS);
    expect(o.kind).toBe("oom");
    expect(o.hint).toContain("batch_size (now 4");
    expect(o.hint).toContain("grad_checkpoint = true");
    // Without an abort or an error event, the same words in a log line are not an OOM.
    expect(classify(result({ exitCode: 1, stderrTail: ["note: Resource limit is fine"] }), false, OPTS).kind).toBe("exit");
  });

  test("a traceback naming a missing module; any other exit names the last stderr line", () => {
    expect(classify(result({ stderrTail: ["Traceback…", "ModuleNotFoundError: No module named 'rich'"] }), false, OPTS)).toMatchObject({ kind: "missing_package", message: "Python cannot import rich" });
    expect(classify(result({ exitCode: 3, stderrTail: ["boom", ""] }), false, OPTS).message).toBe("the training process exited with status 3: boom");
  });
});

describe("progress line", () => {
  test("iteration/total, losses, tokens/s, peak memory and an ETA from this process's iterations", () => {
    const p = new TrainProgress();
    p.update({ event: "start", total: 100, resumed_from: 20 }, 0);
    expect(p.update({ event: "metric", split: "valid", step: 20, loss: 2.5 }, 1000)).toBe("iter 20/100 · val 2.500");
    const line = p.update({ event: "metric", split: "train", step: 30, loss: 2.25, tokens_per_sec: 1234.4, peak_memory_gb: 3.14 }, 10_000);
    // 10 iterations in 10 s → 70 left ≈ 70 s.
    expect(line).toBe("iter 30/100 · train 2.250 · val 2.500 · 1,234 tok/s · peak 3.1 GB · ETA 1m10s");
    expect(p.update({ event: "checkpoint", step: 30 }, 11_000)).toBeUndefined();
    expect(p.meanTokensPerSec()).toBeCloseTo(1234.4);
  });

  test("durations", () => {
    expect(duration(59_000)).toBe("59s");
    expect(duration(61_000)).toBe("1m01s");
    expect(duration(3_720_000)).toBe("1h02m");
  });
});
