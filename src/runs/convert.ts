// `ctxc runs convert RUN --to mlx`: a run's PEFT adapter (what Tinker's download gives) becomes an
// mlx-lm adapter folder (adapters.safetensors + adapter_config.json) that `mlx_lm.generate
// --adapter-path` and trainer/mlx's resume load. The work is done in Python (peft_to_mlx.py, run
// with the chosen interpreter) because the target names must come from the model class mlx-lm
// builds for the base model — its parameter tree, which only mlx-lm knows — and because
// safetensors and mlx-lm's checks are already there; TypeScript only finds the files and records
// the result in run.json.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { isAbsolute, join, relative, resolve } from "node:path";
import { findPython, PYTHON_SETUP_HINT } from "../python/find.ts";
import { runShim, type ShimEvent } from "../python/shim.ts";
import script from "./peft_to_mlx.py" with { type: "text" };
import { readRun, RunFileError, writeRun } from "./run-file.ts";

export interface ConvertOptions {
  /** The run folder. */
  run: string;
  /** Base model for mlx-lm (local folder or Hugging Face id); default: the run's baseModel. */
  model?: string;
  /** Output folder; default `<run>/adapter-mlx`. */
  out?: string;
  python?: string;
  root?: string;
}

export interface ConvertResult {
  out: string;
  tensors: number;
  numLayers: number;
  keys: string[];
  rank: number;
  scale: number;
}

export class ConvertError extends RunFileError {}

export async function convertToMlx(o: ConvertOptions): Promise<ConvertResult> {
  const run = await readRun(resolve(o.run));
  const adapter = join(run.dir, run.adapter ?? "adapter");
  const out = o.out ? resolve(o.out) : join(run.dir, "adapter-mlx");
  const model = o.model ?? run.baseModel;
  if (!model) throw new ConvertError(`${run.dir}/run.json names no base model`, "pass --model with the base model's folder or Hugging Face id");
  const work = mkdtempSync(join(tmpdir(), "ctxc-convert-"));
  let done: ShimEvent | undefined;
  try {
    const { python } = findPython({ option: o.python, root: o.root });
    let result;
    try {
      result = await runShim({ python, script: { name: "peft_to_mlx.py", source: script }, args: [adapter, model, out], dir: work, onEvent: (e) => e.event === "done" && (done = e) });
    } catch (e) {
      throw new ConvertError((e as Error).message, PYTHON_SETUP_HINT);
    }
    if (result.error) {
      const hint = (result.error.hint as string | undefined) ?? (result.error.kind === "missing_package" ? PYTHON_SETUP_HINT : "the adapter cannot be expressed as an mlx-lm adapter");
      throw new ConvertError(`cannot convert ${adapter}: ${result.error.message}`, hint);
    }
    if (!done || result.exitCode !== 0) {
      const tail = result.stderrTail.filter((l) => l.trim()).slice(-3).join(" | ");
      throw new ConvertError(`the conversion script failed (exit ${result.exitCode ?? result.signalCode})${tail ? `: ${tail}` : ""}`, /No module named/.test(tail) ? PYTHON_SETUP_HINT : "check --model names the adapter's base model");
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const rel = relative(run.dir, out);
  const where = rel.startsWith("..") || isAbsolute(rel) ? out : rel;
  await writeRun(run.dir, { ...run, converted: { ...((run.converted as Record<string, string>) ?? {}), mlx: where } });
  return { out, tensors: Number(done.tensors), numLayers: Number(done.num_layers), keys: done.keys as string[], rank: Number(done.rank), scale: Number(done.scale) };
}
