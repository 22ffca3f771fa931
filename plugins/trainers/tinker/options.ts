// trainer/tinker's options. Defaults follow tinker-cookbook's supervised recipe (lr 1e-4, linear
// schedule, rank 32, 1 epoch) except train_unembed: off, so the adapter converts to mlx-lm, which
// has no LoRA on the LM head (`ctxc runs convert`).
import { v } from "../../../src/sdk/index.ts";

const price = v.object({
  train: v.pipe(v.number(), v.minValue(0), v.description("USD per million tokens through forward_backward")),
  prefill: v.pipe(v.number(), v.minValue(0), v.description("USD per million tokens through forward (evaluation)")),
});

export const options = v.object({
  model: v.pipe(v.string(), v.minLength(1), v.description("Base model as Tinker names it (e.g. Qwen/Qwen3-8B); checked against the service's live list, nearest name suggested")),
  rank: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.description("LoRA rank")), 32),
  seed: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.description("Seed for the LoRA init and the batch order")), 0),
  train_mlp: v.optional(v.pipe(v.boolean(), v.description("LoRA on the MLP layers")), true),
  train_attn: v.optional(v.pipe(v.boolean(), v.description("LoRA on the attention layers")), true),
  train_unembed: v.optional(v.pipe(v.boolean(), v.description("LoRA on the LM head (Tinker's default is on; mlx-lm cannot load it, so `runs convert --to mlx` refuses such adapters)")), false),
  learning_rate: v.optional(v.pipe(v.number(), v.minValue(0), v.description("Peak learning rate (Adam)")), 1e-4),
  lr_schedule: v.optional(v.pipe(v.picklist(["linear", "cosine", "constant"]), v.description("Decay after warmup: linear or cosine to 0, or constant")), "linear"),
  warmup_steps: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.description("Steps of linear warmup from 0")), 0),
  epochs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.description("Passes over train.jsonl")), 1),
  steps: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.description("Stop after this many optimizer steps (default: all the epochs' batches)"))),
  batch_size: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.description("Conversations per optimizer step")), 16),
  max_seq_length: v.optional(v.pipe(v.number(), v.integer(), v.minValue(8), v.description("Longer conversations are cut to this many tokens")), 2048),
  eval_every: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.description("Loss on valid.jsonl every N steps (0 = only at the end)")), 10),
  val_batches: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.description("Batches of valid.jsonl per evaluation (0 = all)")), 8),
  save_every: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.description("save_state checkpoint every N steps (0 = only when stopping and at the end); a re-run resumes from the last one")), 20),
  beta1: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1), v.description("Adam beta1")), 0.9),
  beta2: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1), v.description("Adam beta2")), 0.95),
  eps: v.optional(v.pipe(v.number(), v.minValue(0), v.description("Adam epsilon")), 1e-8),
  weight_decay: v.optional(v.pipe(v.number(), v.minValue(0), v.description("Decoupled weight decay")), 0),
  grad_clip_norm: v.optional(v.pipe(v.number(), v.minValue(0), v.description("Clip the global gradient norm (0 = off)")), 0),
  price_per_mtok: v.optional(v.pipe(price, v.description("Override the built-in price table for this model: { train = 0.4, prefill = 0.13 }"))),
  runs_dir: v.optional(v.pipe(v.string(), v.description("Where run folders go (default models/runs beside the pipeline file)"))),
  python: v.optional(v.pipe(v.string(), v.description("Python interpreter with the tinker package (default: $CTXC_PYTHON, ./.venv, python3)"))),
});

export type TinkerOptions = v.InferOutput<typeof options>;
