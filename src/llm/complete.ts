// The one entry point for an LLM call: content-addressed cache first (a re-run sends nothing
// already answered), then the provider — directly or through its batch API — and every call,
// cached or not, written to the cost ledger.
import type { StageContext } from "../sdk/types.ts";
import { collectorFor } from "./batch/registry.ts";
import { endpointFor, type Endpoint } from "./clients.ts";
import { stoppedError, teacherError } from "./errors.ts";
import { parseModel, type ModelSpec } from "./model-name.ts";
import { costUsd } from "./pricing.ts";
import { renderPrompt, templateHash } from "./prompt.ts";
import { sendOne } from "./send.ts";
import type { Answer, Completion, CompletionRequest, WireRequest } from "./types.ts";

/** Bump when the cached answer's shape or meaning changes. */
const CACHE_VERSION = 1;
const noBatchWarned = new Set<string>();
/** Requests on the wire, by the stage context's cache object, then by cache key. */
const inFlight = new WeakMap<object, Map<string, Promise<Answer>>>();

function inFlightFor(cache: object): Map<string, Promise<Answer>> {
  let m = inFlight.get(cache);
  if (!m) inFlight.set(cache, (m = new Map()));
  return m;
}

/**
 * What identifies an answer: provider, model, parameters, the prompt template's hash and the
 * input. Never the API key or the base URL (the same model behind another URL answers the same).
 */
export function cacheKeyParts(spec: ModelSpec, req: CompletionRequest): unknown {
  return {
    v: CACHE_VERSION,
    provider: spec.provider,
    model: spec.model,
    params: { temperature: req.temperature ?? null, max_tokens: req.maxTokens },
    template: templateHash(req.template, req.system),
    input: req.input,
  };
}

export async function complete(ctx: StageContext, req: CompletionRequest): Promise<Completion> {
  const spec = parseModel(req.model, { baseUrls: req.baseUrls, env: req.client?.env });
  if (spec.protocol === "run") return (await import("./run-teacher.ts")).completeWithRun(ctx, spec, req);
  const key = ctx.cache.key(cacheKeyParts(spec, req));
  const hit = ctx.cache.get<Answer>(key);
  if (hit) {
    ctx.costs.record({ model: spec.name, tokensIn: hit.tokensIn, tokensOut: hit.tokensOut, usd: 0, cached: true, batch: hit.batch });
    return { ...hit, teacher: spec.name, cached: true };
  }
  // In-flight calls finish when the run stops; nothing new starts.
  if (ctx.signal.aborted) throw stoppedError("the run is stopping");
  if (ctx.costs.overBudget()) throw stoppedError("the budget ([budget] max_usd) is reached");

  const wire: WireRequest = {
    model: spec.model,
    system: req.system,
    user: renderPrompt(req.template, req.input),
    temperature: req.temperature,
    maxTokens: req.maxTokens,
  };
  const endpoint = endpointFor(spec, req.client);
  if (req.batch && !spec.batch && !noBatchWarned.has(spec.name)) {
    noBatchWarned.add(spec.name);
    ctx.log.warn(`${spec.name} has no batch API in ctxc; its requests are sent one by one`);
  }
  if (req.batch && spec.batch) {
    const answer = await collectorFor(ctx, endpoint, req.batchOptions ?? {}).request(key, wire);
    return { ...answer, teacher: spec.name, cached: false };
  }
  // The same request already on the wire (duplicate docs): share its answer, send nothing.
  const shared = inFlightFor(ctx.cache);
  const running = shared.get(key);
  if (running) {
    const answer = await running;
    ctx.costs.record({ model: spec.name, tokensIn: answer.tokensIn, tokensOut: answer.tokensOut, usd: 0, cached: true });
    return { ...answer, teacher: spec.name, cached: true };
  }
  const call = sendAndStore(ctx, spec, key, endpoint, wire);
  shared.set(key, call);
  try {
    return { ...(await call), teacher: spec.name, cached: false };
  } finally {
    shared.delete(key);
  }
}

async function sendAndStore(ctx: StageContext, spec: ModelSpec, key: string, endpoint: Endpoint, wire: WireRequest): Promise<Answer> {
  const raw = await sendOne(endpoint, wire, ctx.signal);
  const answer: Answer = { ...raw, usd: costUsd(spec, raw, false, (m) => ctx.log.warn(m)) };
  ctx.costs.record({ model: spec.name, tokensIn: answer.tokensIn, tokensOut: answer.tokensOut, usd: answer.usd });
  if (!answer.text.trim()) {
    throw teacherError(`${spec.name} returned an empty completion (stop reason: ${answer.stopReason ?? "none"})`);
  }
  ctx.cache.set(key, answer);
  return answer;
}
