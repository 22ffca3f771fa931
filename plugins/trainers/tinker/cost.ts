// What Tinker charges: tokens through forward_backward at the model's train price, tokens through
// forward (evaluation) at its prefill price. Unknown price → null (never guessed as 0).
import { readFileSync } from "node:fs";
import type { Dataset, StageEstimate } from "../../../src/sdk/types.ts";
import { countTokens } from "../../../src/text/tokens.ts";
import prices from "./prices.json" with { type: "json" };
import type { TinkerOptions } from "./options.ts";

export interface Price {
  train: number;
  prefill: number;
}

export function priceOf(opts: Pick<TinkerOptions, "model" | "price_per_mtok">): Price | null {
  return opts.price_per_mtok ?? (prices.models as Record<string, Price>)[opts.model] ?? null;
}

export function usdFor(tokens: number, perMillion: number | undefined): number | null {
  return perMillion === undefined ? null : (tokens * perMillion) / 1e6;
}

/** The ledger's model name for Tinker spend. */
export const ledgerModel = (model: string) => `tinker:${model}`;

// Qwen's chat template adds <|im_start|>role\n … <|im_end|>\n around each message and an empty
// think block before the answer: a few tokens the raw texts do not count.
const PER_MESSAGE = 5;
const PER_CONVERSATION = 4;

function conversationTokens(path: string, maxLen: number): number[] {
  let text = "";
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return [];
  }
  const out: number[] = [];
  for (const line of text.split("\n")) {
    if (!line.trim()) continue;
    const messages = (JSON.parse(line) as { messages?: Array<{ content?: string }> }).messages ?? [];
    const n = messages.reduce((a, m) => a + countTokens(m.content ?? "", "qwen3") + PER_MESSAGE, PER_CONVERSATION);
    out.push(Math.min(n, maxLen));
  }
  return out;
}

/** Tokens and USD of a whole run, counted with the Qwen3 tokenizer on the dataset's rows. */
export function estimateRun(dataset: Dataset, opts: TinkerOptions): StageEstimate & { steps: number; trainTokens: number; evalTokens: number } {
  const train = conversationTokens(dataset.train, opts.max_seq_length);
  const valid = conversationTokens(dataset.valid, opts.max_seq_length);
  const perEpoch = Math.ceil(train.length / opts.batch_size);
  const planned = perEpoch * opts.epochs;
  const steps = opts.steps ? Math.min(opts.steps, planned) : planned;
  const epochTokens = train.reduce((a, b) => a + b, 0);
  const trainTokens = planned === 0 ? 0 : Math.round((epochTokens * opts.epochs * steps) / planned);
  const evalRows = opts.val_batches > 0 ? valid.slice(0, opts.val_batches * opts.batch_size) : valid;
  const evals = (opts.eval_every > 0 ? Math.floor((steps - 1) / opts.eval_every) : 0) + 1;
  const evalTokens = evals * evalRows.reduce((a, b) => a + b, 0);
  const price = priceOf(opts);
  const usd = price ? (trainTokens * price.train + evalTokens * price.prefill) / 1e6 : null;
  return { model: ledgerModel(opts.model), calls: steps, cached: 0, tokensIn: trainTokens + evalTokens, tokensOutEstimate: 0, usd, steps, trainTokens, evalTokens };
}
