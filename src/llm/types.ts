// The shapes of one LLM call as ctxc sees it, whatever the provider.
import type { ClientSettings } from "./clients.ts";

export interface CompletionRequest {
  /** `provider:model`. */
  model: string;
  /** The prompt template; `{input}` is replaced by `input` (literally, every occurrence). */
  template: string;
  input: string;
  system?: string;
  temperature?: number;
  maxTokens: number;
  /** Use the provider's batch API (half price, results within hours). */
  batch?: boolean;
  /** Per-provider base URL overrides. */
  baseUrls?: Record<string, string>;
  client?: ClientSettings;
  /** Batch collector tuning (mainly for tests). */
  batchOptions?: { size?: number; pollMs?: number; idleMs?: number };
}

/** The provider-neutral message sent on the wire. */
export interface WireRequest {
  model: string;
  system?: string;
  user: string;
  temperature?: number;
  maxTokens: number;
}

/** What a provider answered, as stored in the cache. */
export interface Answer {
  text: string;
  /** The model id the provider reported. */
  model: string;
  tokensIn: number;
  tokensOut: number;
  /** Input tokens served from the provider's prompt cache. */
  cachedIn: number;
  stopReason?: string;
  latencyMs: number;
  batch: boolean;
  /** USD of the original call (null: unknown price). */
  usd: number | null;
}

export interface Completion extends Answer {
  /** The `provider:model` that answered. */
  teacher: string;
  /** Served from ctxc's cache: no request was sent. */
  cached: boolean;
}
