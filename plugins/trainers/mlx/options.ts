// trainer/mlx's options: mlx_lm.lora's settings under the same names (docs/training.md lists them),
// with mlx-lm's defaults except where ours are better for a compression student:
//   mask_prompt = true      (mlx-lm: false) — loss on the compressed text only, not on the prompt;
//   lr_schedule = "cosine"  (mlx-lm: constant) — cosine decay after a linear warmup (5% of iters);
//   test_batches = -1       (mlx-lm: 500) — the whole test split for the final test loss.
import { v } from "../../../src/sdk/index.ts";

const int = (min: number, description: string) => v.pipe(v.number(), v.integer(), v.minValue(min), v.description(description));
const num = (description: string) => v.pipe(v.number(), v.description(description));

export const mlxOptions = v.object({
  model: v.pipe(v.string(), v.minLength(1), v.description("Base model: a local MLX/Hugging Face folder (relative to the pipeline file) or a Hugging Face id, e.g. mlx-community/Qwen3-4B-Instruct-2507-4bit")),
  iters: v.optional(int(1, "Training iterations (batches); default 1000 unless `epochs` is set")),
  epochs: v.optional(v.pipe(v.number(), v.minValue(0.01), v.description("Passes over the training split instead of `iters` (iters = epochs × floor(train rows / batch_size))"))),
  batch_size: v.optional(int(1, "Rows per batch"), 4),
  grad_accumulation: v.optional(int(1, "Batches whose gradients are summed per optimizer update (mlx-lm's grad_accumulation_steps)"), 1),
  learning_rate: v.optional(v.pipe(v.number(), v.minValue(0), v.description("Adam's peak learning rate")), 1e-5),
  lr_schedule: v.optional(v.pipe(v.picklist(["cosine", "constant"]), v.description("cosine = linear warmup, then cosine decay to learning_rate × min_lr_ratio; constant = mlx-lm's default")), "cosine"),
  warmup: v.optional(int(0, "Warmup iterations for the cosine schedule (default: 5% of iters)")),
  min_lr_ratio: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1), v.description("The cosine schedule's final learning rate, as a fraction of learning_rate")), 0),
  num_layers: v.optional(v.pipe(v.number(), v.integer(), v.minValue(-1), v.description("Transformer blocks (from the last) that get LoRA layers; -1 = all")), 16),
  rank: v.optional(int(1, "LoRA rank"), 8),
  scale: v.optional(num("LoRA scale (mlx-lm's; PEFT's lora_alpha / rank)"), 20),
  dropout: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1), v.description("LoRA dropout")), 0),
  keys: v.optional(v.pipe(v.array(v.string()), v.description("Module paths inside a block to adapt, e.g. [\"self_attn.q_proj\", \"self_attn.v_proj\"]; default: every linear layer"))),
  fine_tune_type: v.optional(v.pipe(v.picklist(["lora", "dora"]), v.description("lora, or dora (weight-decomposed LoRA)")), "lora"),
  mask_prompt: v.optional(v.pipe(v.boolean(), v.description("Loss on the assistant's (compressed) text only")), true),
  max_seq_length: v.optional(int(16, "Tokens per row; longer rows are truncated"), 2048),
  grad_checkpoint: v.optional(v.pipe(v.boolean(), v.description("Recompute activations in the backward pass: less memory, slower")), false),
  save_every: v.optional(int(1, "Iterations between checkpoints (adapter + optimizer state; a re-run resumes from the last)"), 100),
  steps_per_report: v.optional(int(1, "Iterations between train-loss reports"), 10),
  steps_per_eval: v.optional(int(1, "Iterations between validation losses"), 200),
  val_batches: v.optional(v.pipe(v.number(), v.integer(), v.minValue(-1), v.description("Validation batches per evaluation; -1 = the whole split")), 25),
  test_batches: v.optional(v.pipe(v.number(), v.integer(), v.minValue(-1), v.description("Test batches for the final test loss; -1 = the whole split")), -1),
  seed: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.description("Seeds LoRA init (mx.random) and batch order (np.random)")), 0),
  python: v.optional(v.pipe(v.string(), v.description("The Python with mlx-lm (default: $CTXC_PYTHON, else .venv/bin/python, else python3)"))),
  runs_dir: v.optional(v.pipe(v.string(), v.description("Where run folders go, relative to the pipeline file (default models/runs)"))),
});

export type MlxOptions = v.InferOutput<typeof mlxOptions>;

/** Options that say where or with what the run happens, not what it learns: not in the resume key. */
export const PLACE_OPTIONS = ["python", "runs_dir"];

export const DEFAULT_ITERS = 1000;
