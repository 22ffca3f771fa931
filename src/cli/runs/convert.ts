// `ctxc runs convert RUN --to mlx`: the run's PEFT adapter (Tinker's download) as an mlx-lm adapter
// folder. See src/runs/convert.ts for how and what is refused.
import { defineCommand } from "citty";
import { CtxcError, EXIT } from "../../core/errors.ts";
import { log } from "../../core/log.ts";
import { convertToMlx } from "../../runs/convert.ts";
import { RunFileError } from "../../runs/run-file.ts";
import { applyVerbosity, verbosityArgs } from "../_shared.ts";
import { loadRun, resolveRun, runsDirArg, runsDirOf } from "./_shared.ts";

const TARGETS = ["mlx"];

export const examples = [
  "ctxc runs convert models/runs/tinker/2026-12-01T10-00-00-000Z --to mlx",
  "ctxc runs convert tinker/2026-12-01T10-00-00-000Z --to mlx --model ~/models/Qwen3-8B --out ./qwen3-8b-adapter",
];

export default defineCommand({
  meta: {
    name: "convert",
    description:
      "Convert a run's PEFT LoRA adapter (what trainer/tinker downloads) into an mlx-lm adapter folder (adapters.safetensors + adapter_config.json) for mlx_lm.generate --adapter-path. Needs the base model's config.json (a local folder or a Hugging Face id); adapters mlx-lm cannot express are refused with the reason.",
  },
  args: {
    run: { type: "positional", description: "The run: a folder, an id such as tinker/2026-12-01T10-00-00-000Z, a unique part of one, or last", required: true },
    ...runsDirArg,
    to: { type: "string", description: "Target format: mlx", required: true },
    model: { type: "string", description: "The base model for mlx-lm: a local folder or Hugging Face id (default: the run's base model)" },
    out: { type: "string", description: "Output folder (default <run>/adapter-mlx)" },
    python: { type: "string", description: "Python with mlx-lm (default: $CTXC_PYTHON, ./.venv, python3)" },
    json: { type: "boolean", description: "Print the result as JSON" },
    ...verbosityArgs,
  },
  async run({ args }) {
    applyVerbosity(args);
    if (!TARGETS.includes(String(args.to))) throw new CtxcError(`--to ${args.to} is not a target format`, { hint: `use one of: ${TARGETS.join(", ")}`, exitCode: EXIT.invalid });
    const run = await loadRun(resolveRun(String(args.run), runsDirOf(args)));
    try {
      const r = await convertToMlx({ run: run.dir, model: args.model, out: args.out, python: args.python });
      if (args.json) process.stdout.write(`${JSON.stringify(r, null, 2)}\n`);
      else log.success(`${r.tensors} tensors, ${r.numLayers} layers × [${r.keys.join(", ")}], rank ${r.rank}, scale ${r.scale} → ${r.out}\n  try: mlx_lm.generate --model ${args.model ?? run.baseModel} --adapter-path ${r.out} --prompt "…"`);
      return EXIT.ok;
    } catch (e) {
      // The conversion's refusals and a missing mlx-lm are the user's to fix: exit 2 with the hint.
      if (e instanceof RunFileError) throw new CtxcError(e.message, { hint: e.hint, exitCode: EXIT.invalid });
      throw e;
    }
  },
});
