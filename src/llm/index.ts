// The LLM layer plugins use: name parsing, the cached and costed `complete`, key checks, pricing.
export { complete, cacheKeyParts } from "./complete.ts";
export { parseModel, tokenizerFor, type ModelSpec } from "./model-name.ts";
export { modelProblems, baseUrlProblems, apiKeyFor } from "./keys.ts";
export { priceFor, costUsd } from "./pricing.ts";
export { renderPrompt, templateHash, checkTemplate, promptProblems, INPUT_SLOT } from "./prompt.ts";
export { teacherError, truncatedError, stoppedError, isLlmError, isTruncated, type LlmError, type LlmErrorReason } from "./errors.ts";
export { PROVIDERS, providerNames } from "./providers.ts";
export type { CompletionRequest, Completion, Answer } from "./types.ts";
export type { ClientSettings } from "./clients.ts";
export { compressRequest, compressTemplate, type CompressOptions } from "./compress-request.ts";
export { estimateStage, estimateRequests, emptyEstimate, type Estimate, type EstimateContext, type Many } from "./estimate.ts";
export type { RequestContext } from "./prompt.ts";
export { batchEntries, connectionEntries, concurrencyEntry, withConcurrency, callSettings, stageProblems, type StageCallOptions } from "./stage-options.ts";
