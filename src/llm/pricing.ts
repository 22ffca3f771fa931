// What a call costs, from the one price table (prices.json). Local servers cost nothing; a model
// missing from the table costs `null` — unknown, never guessed as 0 — with one warning per model.
import table from "./prices.json" with { type: "json" };
import type { ModelSpec } from "./model-name.ts";

export interface Price {
  /** USD per million tokens. */
  input: number;
  output: number;
  cached_input: number;
  /** Share of the price removed in batch mode (0.5 = half price). */
  batchDiscount: number;
}

export interface Usage {
  tokensIn: number;
  tokensOut: number;
  /** Part of tokensIn read from the provider's prompt cache. */
  cachedIn?: number;
}

type ProviderTable = { batch_discount: number; models: Record<string, Omit<Price, "batchDiscount">> };
const providers = table.providers as Record<string, ProviderTable>;

/** Dated snapshots and aliases share their family's price: claude-sonnet-4-5-20250929, gpt-4o-2024-08-06, …-latest. */
const SNAPSHOT = /-(\d{8}|\d{4}-\d{2}-\d{2}|latest|\d{2}-\d{4}|\d{3,4})$/;

/** The price of a model, "free" for local servers, or undefined when it is not in the table. */
export function priceFor(spec: Pick<ModelSpec, "provider" | "model" | "local">): Price | "free" | undefined {
  if (spec.local) return "free";
  const p = providers[spec.provider];
  if (!p) return undefined;
  let id = spec.model.replace(/^models\//, "");
  for (let i = 0; i < 2; i++) {
    const m = p.models[id];
    if (m) return { ...m, batchDiscount: p.batch_discount };
    if (!SNAPSHOT.test(id)) break;
    id = id.replace(SNAPSHOT, "");
  }
  return undefined;
}

const warned = new Set<string>();

/** USD for one call, or null when the price is unknown (warns once per model through `warn`). */
export function costUsd(spec: ModelSpec, usage: Usage, batch: boolean, warn?: (message: string) => void): number | null {
  const price = priceFor(spec);
  if (price === "free") return 0;
  if (!price) {
    if (warn && !warned.has(spec.name)) {
      warned.add(spec.name);
      warn(`no price known for ${spec.name}: its calls are recorded with cost unknown (add it to src/llm/prices.json)`);
    }
    return null;
  }
  const cached = Math.min(usage.cachedIn ?? 0, usage.tokensIn);
  const usd = ((usage.tokensIn - cached) * price.input + cached * price.cached_input + usage.tokensOut * price.output) / 1e6;
  return batch ? usd * (1 - price.batchDiscount) : usd;
}
