// What every LLM stage (generator/compress, filter/equivalence) has in common: the batch and
// connection options (same names, defaults and descriptions, so `ctxc plugins` lists them alike),
// `concurrency` defaulting to `batch_size` in batch mode, the client and batch settings a call
// carries, and the preflight checks on models, base URLs and prompt files.
import * as v from "valibot";
import { modelProblems } from "./keys.ts";
import { promptProblems } from "./prompt.ts";
import { runProblems } from "./run-teacher.ts";
import type { CompletionRequest } from "./types.ts";

/** `batch`, `batch_size`, `batch_poll_seconds`. */
export const batchEntries = {
  batch: v.optional(v.pipe(v.boolean(), v.description("Use the provider's batch API (Anthropic, OpenAI): half price, results within hours; a re-run collects submitted batches")), false),
  batch_size: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(50_000), v.description("Requests per batch at most")), 1000),
  batch_poll_seconds: v.optional(v.pipe(v.number(), v.minValue(0.01), v.description("Seconds between batch status checks")), 30),
};

/** `base_urls`, `timeout_seconds`, `max_retries`. */
export const connectionEntries = {
  base_urls: v.optional(v.pipe(v.record(v.string(), v.string()), v.description("Base URL per provider, e.g. { ollama = \"http://gpu-box:11434/v1\" } (else the provider's env variable, else its default)")), {}),
  timeout_seconds: v.optional(v.pipe(v.number(), v.minValue(0.01), v.description("Timeout of one HTTP request")), 600),
  max_retries: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.description("Retries per request by the SDK (429, 5xx, overloaded, timeouts)")), 4),
};

/** `concurrency`: `what` says what is counted (e.g. "Docs in flight at once"). */
export function concurrencyEntry(what: string, fallback: number) {
  return v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.description(`${what} (default ${fallback}; in batch mode, batch_size)`)));
}

interface BatchOptions {
  concurrency?: number;
  batch: boolean;
  batch_size: number;
}

/** In batch mode the runner must hand over a whole batch's worth of docs at once. */
export function withConcurrency<T extends BatchOptions>(o: T, fallback: number): T & { concurrency: number } {
  return { ...o, concurrency: o.concurrency ?? (o.batch ? o.batch_size : fallback) };
}

export interface StageCallOptions {
  concurrency: number;
  batch: boolean;
  batch_size: number;
  batch_poll_seconds: number;
  timeout_seconds: number;
  max_retries: number;
}

/**
 * The client and batch settings of a stage's calls. In batch mode `concurrency` is the batch
 * size; the calls still sent directly (a fallback, a repair) keep the stage's default limit.
 */
export function callSettings(opts: StageCallOptions, directConcurrency: number): Required<Pick<CompletionRequest, "client" | "batchOptions">> {
  return {
    client: { timeoutMs: opts.timeout_seconds * 1000, maxRetries: opts.max_retries, concurrency: opts.batch ? directConcurrency : opts.concurrency },
    batchOptions: { size: opts.batch_size, pollMs: opts.batch_poll_seconds * 1000 },
  };
}

/**
 * A stage's preflight: models (names, keys, Anthropic's temperature range), `base_urls`, and the
 * user's prompt files; `what` says what `{input}` stands for in them.
 */
export function stageProblems(
  models: Array<{ role: string; name: string }>,
  opts: { base_urls: Record<string, string>; temperature: number; prompts: Record<string, string | undefined> },
  where: { root: string; env: Record<string, string | undefined> },
  what: string,
): string[] {
  return [
    ...modelProblems(models, { env: where.env, baseUrls: opts.base_urls, temperature: opts.temperature }),
    ...promptProblems(opts.prompts, where.root, what),
    ...runProblems(models, where.root),
  ];
}
