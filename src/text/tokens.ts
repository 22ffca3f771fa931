// Token counting for ratio filters, reports and cost estimates. Encodings load lazily (the BPE
// tables are large), on first use, so start-up pays nothing for them.
// Known names: o200k_base (GPT-4o and later), cl100k_base (GPT-4/3.5), claude (an approximation:
// Anthropic publishes no tokenizer; cl100k_base counts × 1.1 track Claude's counts within ~10% on
// English and code), qwen3 (the student's tokenizer, src/text/qwen3.ts).

import * as v from "valibot";
import { qwen3 } from "./qwen3.ts";

type Counter = (text: string) => number;

const loaders: Record<string, () => Counter> = {
  o200k_base: () => require("gpt-tokenizer/encoding/o200k_base").countTokens,
  cl100k_base: () => require("gpt-tokenizer/encoding/cl100k_base").countTokens,
  claude: () => {
    const base = tokenCounter("cl100k_base");
    return (text) => Math.ceil(base(text) * 1.1);
  },
};

const loaded = new Map<string, Counter>();

export const DEFAULT_TOKENIZER = "o200k_base";

/** Names `tokenCounter` accepts. */
export function tokenizerNames(): string[] {
  return Object.keys(loaders);
}

/**
 * A plugin's `tokenizer` option: one of `tokenizerNames()` (an unknown name fails validation,
 * listing the known ones), default the student's tokenizer, qwen3.
 */
export function tokenizerOption(description: string) {
  return v.optional(
    v.pipe(
      v.string(),
      v.check((name) => tokenizerNames().includes(name), () => `unknown tokenizer; known: ${tokenizerNames().join(", ")}`),
      v.description(description),
    ),
    "qwen3",
  );
}

/** Register another tokenizer (e.g. the student's) under a name. */
export function registerTokenizer(name: string, load: () => Counter): void {
  loaders[name] = load;
  loaded.delete(name);
}

export function tokenCounter(name: string = DEFAULT_TOKENIZER): Counter {
  let counter = loaded.get(name);
  if (!counter) {
    const load = loaders[name];
    if (!load) throw new Error(`unknown tokenizer "${name}"; known: ${tokenizerNames().join(", ")}`);
    counter = load();
    loaded.set(name, counter);
  }
  return counter;
}

/** Whether a tokenizer's tables are in memory already (counting then costs no load). */
export function isLoaded(name: string = DEFAULT_TOKENIZER): boolean {
  return loaded.has(name);
}

export function countTokens(text: string, name?: string): number {
  return tokenCounter(name)(text);
}

/** countTokens for text counted only once (the dataset step): skips the Qwen3 counter's memo. */
export function countTokensOnce(text: string, name: string = DEFAULT_TOKENIZER): number {
  return name === "qwen3" && loaders.qwen3 === qwen3Loader ? qwen3().countOnce(text) : countTokens(text, name);
}

// Registered here so every tokenizer name is known up front; its tables load on first count.
const qwen3Loader = () => {
  const tokenizer = qwen3();
  return (text: string) => tokenizer.count(text);
};
registerTokenizer("qwen3", qwen3Loader);
