// `ctxc run --estimate`: how many calls a stage would send, how many tokens, and what they would
// cost — before anything is spent. Input tokens are counted on the exact prompt that would be
// sent; output is estimated from the configured cap (max_output_ratio × input tokens), so the USD
// is an upper bound. Requests already in the cache cost nothing and are counted apart.
import type { CallCache, Doc, StageEstimate } from "../sdk/types.ts";
import { cacheKeyParts } from "./complete.ts";
import { compressRequest, type CompressOptions } from "./compress-request.ts";
import { parseModel, tokenizerFor } from "./model-name.ts";
import { costUsd } from "./pricing.ts";
import { renderPrompt, type RequestContext } from "./prompt.ts";
import type { CompletionRequest } from "./types.ts";

/** One model's total: calls (cache misses), cached, tokens in, output tokens at the cap, USD (upper bound, or null). */
export type Estimate = StageEstimate;

export interface EstimateContext extends RequestContext {
  /** When given, cached requests are counted as free. */
  cache?: Pick<CallCache, "key" | "get">;
}

export type Many<T> = Iterable<T> | AsyncIterable<T>;

/** A model with nothing to send. */
export function emptyEstimate(model: string): Estimate {
  return { model, calls: 0, cached: 0, tokensIn: 0, tokensOutEstimate: 0, usd: 0 };
}

/** Estimate any stream of requests (generators, judges), one total per model. */
export async function estimateRequests(requests: Many<CompletionRequest>, ctx: EstimateContext): Promise<Estimate[]> {
  const byModel = new Map<string, Estimate>();
  for await (const req of requests) {
    const spec = parseModel(req.model, { baseUrls: req.baseUrls });
    let e = byModel.get(req.model);
    if (!e) byModel.set(req.model, (e = emptyEstimate(req.model)));
    if (ctx.cache && ctx.cache.get(ctx.cache.key(cacheKeyParts(spec, req))) !== undefined) {
      e.cached++;
      continue;
    }
    const tokenizer = tokenizerFor(req.model, req.baseUrls);
    const tokensIn = ctx.countTokens(renderPrompt(req.template, req.input), tokenizer) + (req.system ? ctx.countTokens(req.system, tokenizer) : 0);
    e.calls++;
    e.tokensIn += tokensIn;
    e.tokensOutEstimate += req.maxTokens;
    const usd = costUsd(spec, { tokensIn, tokensOut: req.maxTokens }, Boolean(req.batch && spec.batch));
    e.usd = usd === null || e.usd === null ? null : e.usd + usd;
  }
  return [...byModel.values()];
}

/** generator/compress's stage: its options (as parsed) and the docs it would receive. */
export async function estimateStage(
  opts: CompressOptions & { teacher: string },
  docs: Many<Doc>,
  ctx: EstimateContext,
): Promise<Estimate> {
  async function* requests() {
    for await (const doc of docs) yield compressRequest(opts.teacher, doc, opts, ctx);
  }
  const [e] = await estimateRequests(requests(), ctx);
  return e ?? emptyEstimate(opts.teacher);
}
