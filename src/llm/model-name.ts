// Model names are `provider:model` (e.g. `anthropic:claude-sonnet-4-5`, `ollama:qwen3:8b`), or
// `openai-compatible:http://HOST:PORT/v1#MODEL` for any other OpenAI-compatible server.
// Base URLs come from, in order: the `base_urls` option, the provider's env variable, the preset.
// `run:PATH` names a trained student (a run folder, relative to the pipeline folder) acting as a
// teacher: complete() sends its calls to the run's compressor (src/llm/run-teacher.ts).
import { PROVIDERS, providerNames, type Protocol } from "./providers.ts";

export interface ModelSpec {
  /** As written, e.g. "anthropic:claude-sonnet-4-5". */
  name: string;
  provider: string;
  /** The provider's own model id. */
  model: string;
  /** "run": a training run answers through its compressor, not a provider's wire protocol. */
  protocol: Protocol | "run";
  baseURL: string;
  keyEnv: string;
  keyRequired: boolean;
  local: boolean;
  batch: boolean;
}

export interface ResolveOptions {
  /** Per-provider base URL overrides (the `base_urls` option). */
  baseUrls?: Record<string, string>;
  env?: Record<string, string | undefined>;
}

export const RUN_PREFIX = "run:";

export function parseModel(name: string, opts: ResolveOptions = {}): ModelSpec {
  const env = opts.env ?? process.env;
  if (name.startsWith(RUN_PREFIX)) {
    const path = name.slice(RUN_PREFIX.length).trim();
    if (!path) throw new Error(`model "${name}" must be written run:PATH, e.g. run:models/runs/mlx/2026-12-01T10-00-00-000Z`);
    return { name, provider: "run", model: path, protocol: "run", baseURL: "", keyEnv: "", keyRequired: false, local: true, batch: false };
  }
  const colon = name.indexOf(":");
  if (colon <= 0 || colon === name.length - 1) {
    throw new Error(`model "${name}" must be written provider:model (e.g. anthropic:claude-sonnet-4-5) or run:PATH; providers: ${providerNames().join(", ")}`);
  }
  const provider = name.slice(0, colon);
  const rest = name.slice(colon + 1);
  const preset = PROVIDERS[provider];
  if (!preset) {
    throw new Error(`unknown provider "${provider}" in model "${name}"; known providers: ${providerNames().join(", ")}`);
  }
  if (provider === "openai-compatible") {
    const hash = rest.lastIndexOf("#");
    const url = hash > 0 ? rest.slice(0, hash) : "";
    const model = hash > 0 ? rest.slice(hash + 1) : "";
    if (!/^https?:\/\/[^/]+/.test(url) || !model) {
      throw new Error(`model "${name}" must be written openai-compatible:http://HOST:PORT/v1#MODEL`);
    }
    return { ...preset, name, provider, model, baseURL: trimSlash(url), local: isLoopback(url) };
  }
  const baseURL = opts.baseUrls?.[provider] || env[preset.baseUrlEnv] || preset.baseURL;
  return { ...preset, name, provider, model: rest, baseURL: trimSlash(baseURL) };
}

/** The tokenizer ctxc counts a model's tokens with. Anthropic publishes none: "claude" is ctxc's documented approximation. */
export function tokenizerFor(model: string, baseUrls?: Record<string, string>): string {
  const protocol = parseModel(model, { baseUrls }).protocol;
  return protocol === "anthropic" ? "claude" : protocol === "run" ? "qwen3" : "o200k_base";
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, "");
}

/** Servers on this machine: their calls cost nothing. */
export function isLoopback(url: string): boolean {
  try {
    const host = new URL(url).hostname;
    return host === "localhost" || host === "::1" || host === "[::1]" || host.startsWith("127.");
  } catch {
    return false;
  }
}
