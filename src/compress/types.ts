// One interface for every kind of compressor ctxc can run: the embedded/trained extractive
// student, the rules baseline, and (added by the serving issue) mlx / tinker / provider:model.
// `ctxc compress`, `ctxc serve` and the evaluators all go through it, so they compare compressors
// on the same rows the same way.
import type { Domain } from "../sdk/types.ts";

export interface CompressOptions {
  /** Target share of tokens to keep, in (0, 1]; backends that cannot honour it ignore it. */
  rate?: number;
  /** Default "auto": classified from the text (src/text/classify.ts). */
  domain?: Domain | "auto";
  signal?: AbortSignal;
  /** Generative backends call this with each piece of output as it arrives (streaming). */
  onText?(chunk: string): void;
}

export interface CompressResult {
  compressed: string;
  /** Qwen3 tokens of the input and of the output (the student's tokenizer). */
  tokens_in: number;
  tokens_out: number;
  /** Wall time of this call, in milliseconds. */
  ms: number;
}

export interface Compressor {
  /** What was opened, for reports and logs: "extractive:models/runs/extractive/…", "rules", … */
  readonly spec: string;
  /** Backend kind: "extractive" | "rules" | "mlx" | "tinker" | "llm" | … */
  readonly kind: string;
  compress(text: string, opts?: CompressOptions): Promise<CompressResult>;
  /** Stop servers, child processes, connections. Safe to call twice. */
  close?(): Promise<void>;
}

/** Thrown for a spec or run folder that cannot be opened; the CLI prints message + hint, exit 2. */
export class CompressorError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "CompressorError";
  }
}
