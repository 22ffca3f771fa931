// Errors an LLM call ends with. The runner turns an error's `reason` into the rejection reason of
// the record (e.g. `teacher_error`), so one failing record never stops the run.

export type LlmErrorReason = "teacher_error" | "teacher_truncated" | "stopped";

export interface LlmError extends Error {
  reason: LlmErrorReason;
  /** True for a provider failure (never cached; asking again may succeed): see isRetryable in src/sdk/doc.ts. */
  retryable?: boolean;
  /** What went wrong, without the reason in front (the message is `${reason}: ${detail}`). */
  detail: string;
}

/** The provider failed for this record after the SDK's retries (and any fallback). */
export function teacherError(detail: string, cause?: unknown): LlmError {
  return Object.assign(new Error(`teacher_error: ${detail}`, { cause }), { reason: "teacher_error" as const, detail, retryable: true });
}

/** The answer stopped at the output cap, so the compression is cut off; `cap` names the option that set it. */
export function truncatedError(model: string, cap: string): LlmError {
  const detail = `${model} hit the output cap (${cap}); the compression is cut off`;
  return Object.assign(new Error(detail), { reason: "teacher_truncated" as const, detail });
}

/** The stop reasons of an answer cut off by its output cap (Anthropic, OpenAI). */
export function isTruncated(stopReason: string | undefined): boolean {
  return stopReason === "max_tokens" || stopReason === "length";
}

/**
 * Not started because the run is stopping (Ctrl-C or `[budget] max_usd` reached). The record is
 * not done: a re-run picks it up.
 */
export function stoppedError(why: string): LlmError {
  const detail = `not sent: ${why}; re-run to continue`;
  return Object.assign(new Error(detail), { name: "AbortError", reason: "stopped" as const, detail });
}

export function isLlmError(e: unknown): e is LlmError {
  return e instanceof Error && typeof (e as LlmError).reason === "string";
}

/**
 * Key-like substrings: OpenAI's 401 quotes the key it got, masked but with its prefix and last
 * characters ("sk-proj-****…abcd"); Anthropic keys are `sk-ant-…`. The masks (`*`, `…`) are
 * part of the match so no fragment survives.
 */
const KEY_LIKE = /\bsk-[A-Za-z0-9*_\-…]{4,}/g;

/** Replaces anything shaped like an API key with "[key]". */
export function maskKeys(text: string): string {
  return text.replace(KEY_LIKE, "[key]");
}

/** A short, secret-free description of an SDK or network error. */
export function describeError(e: unknown): string {
  if (!(e instanceof Error)) return maskKeys(String(e));
  const status = (e as { status?: unknown }).status;
  const msg = maskKeys(e.message.replace(/\s+/g, " ")).slice(0, 300);
  return typeof status === "number" ? `HTTP ${status}: ${msg}` : `${e.name}: ${msg}`;
}
