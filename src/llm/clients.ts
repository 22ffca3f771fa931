// SDK clients, one per endpoint and settings, made once. The official SDKs do the HTTP and the
// retries (they honour retry-after and retry-after-ms themselves); a thin fetch wrapper lets the
// endpoint's limiter see every response, so a 429 storm also slows down the requests not yet sent.
import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { apiKeyFor } from "./keys.ts";
import { limiterFor, retryAfterMs, type Limiter } from "./limiter.ts";
import type { ModelSpec } from "./model-name.ts";

export interface ClientSettings {
  /** Per-request timeout (default 10 minutes, as the SDKs). */
  timeoutMs?: number;
  /** SDK retries per request (default 4). */
  maxRetries?: number;
  /** Ceiling of the endpoint's concurrency limiter (default 16). */
  concurrency?: number;
  env?: Record<string, string | undefined>;
}

export interface Endpoint {
  spec: ModelSpec;
  limiter: Limiter;
  anthropic?: Anthropic;
  openai?: OpenAI;
}

const DEFAULT_TIMEOUT_MS = 600_000;
const DEFAULT_RETRIES = 4;
const clients = new Map<string, Anthropic | OpenAI>();

export function endpointFor(spec: ModelSpec, settings: ClientSettings = {}): Endpoint {
  // Keyed as the server is reached, not by provider name: two providers pointed at one server
  // (e.g. vllm and openai-compatible on the same URL) share its rate limit.
  const limiter = limiterFor(`${spec.protocol} ${spec.baseURL}`, settings.concurrency ?? 16);
  const timeout = settings.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const maxRetries = settings.maxRetries ?? DEFAULT_RETRIES;
  const apiKey = apiKeyFor(spec, settings.env);
  if (!apiKey) throw new Error(`${spec.name} needs the environment variable ${spec.keyEnv}`);
  // The key selects the client but is hashed, so it is never kept as a readable map key.
  const id = [spec.protocol, spec.baseURL, timeout, maxRetries, Bun.hash(apiKey).toString(36)].join(" ");
  let client = clients.get(id);
  if (!client) {
    const fetch = observingFetch(limiter);
    client =
      spec.protocol === "anthropic"
        ? new Anthropic({ apiKey, baseURL: spec.baseURL, timeout, maxRetries, fetch })
        : new OpenAI({ apiKey, baseURL: spec.baseURL, timeout, maxRetries, fetch, organization: null, project: null });
    clients.set(id, client);
  }
  return spec.protocol === "anthropic" ? { spec, limiter, anthropic: client as Anthropic } : { spec, limiter, openai: client as OpenAI };
}

function observingFetch(limiter: Limiter): typeof fetch {
  const wrapped = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const res = await fetch(input, init);
    if (res.status === 429 || res.status === 529) limiter.onThrottle(retryAfterMs(res.headers));
    else if (res.ok) limiter.onSuccess();
    return res;
  };
  return wrapped as typeof fetch;
}
