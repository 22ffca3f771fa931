// API keys come only from the environment (Bun loads `.env`). They are read when a client is
// made and handed straight to the SDK; nothing else in ctxc ever holds or prints them.
import { nearest } from "../text/suggest.ts";
import { parseModel, type ModelSpec, type ResolveOptions } from "./model-name.ts";
import { PROVIDERS, providerNames } from "./providers.ts";

/** Local servers ignore the key, but the OpenAI SDK refuses to start without one. */
const PLACEHOLDER_KEY = "not-needed";

export function apiKeyFor(spec: ModelSpec, env: Record<string, string | undefined> = process.env): string | undefined {
  const key = env[spec.keyEnv]?.trim();
  if (key) return key;
  return spec.keyRequired ? undefined : PLACEHOLDER_KEY;
}

export interface ProblemOptions extends ResolveOptions {
  /** The stage's sampling temperature: Anthropic refuses more than 1 (a 400 no retry mends). */
  temperature?: number;
}

/** Anthropic's Messages API accepts temperature 0–1 (OpenAI-style APIs 0–2). */
const ANTHROPIC_MAX_TEMPERATURE = 1;

/**
 * Problems with a list of model names, as sentences for `validate` and the run's preflight:
 * names that do not parse, API-key variables that are not set, a temperature the provider
 * refuses, and `base_urls` entries that cannot be used. Never includes a key's value.
 */
export function modelProblems(models: Array<{ role: string; name: string }>, opts: ProblemOptions = {}): string[] {
  const env = opts.env ?? process.env;
  const problems: string[] = [];
  for (const { role, name } of models) {
    let spec: ModelSpec;
    try {
      spec = parseModel(name, opts);
    } catch (e) {
      problems.push(`${role}: ${(e as Error).message}`);
      continue;
    }
    if (!apiKeyFor(spec, env)) {
      problems.push(`${role} "${name}" needs the environment variable ${spec.keyEnv}; set it in the shell or in a .env file in the folder you run ctxc from`);
    }
    if (spec.protocol === "anthropic" && opts.temperature !== undefined && opts.temperature > ANTHROPIC_MAX_TEMPERATURE) {
      problems.push(`${role} "${name}": Anthropic accepts temperature 0 to ${ANTHROPIC_MAX_TEMPERATURE}, not ${opts.temperature}; lower temperature`);
    }
  }
  return [...problems, ...baseUrlProblems(opts.baseUrls)];
}

/** `base_urls` entries naming no provider ctxc knows (a typo is otherwise silently ignored), or not an http(s) URL. */
export function baseUrlProblems(baseUrls: Record<string, string> = {}): string[] {
  const problems: string[] = [];
  // openai-compatible carries its URL in the model name, so an entry for it would be ignored too.
  const known = providerNames().filter((p) => PROVIDERS[p]!.baseUrlEnv);
  for (const [provider, url] of Object.entries(baseUrls)) {
    if (provider === "openai-compatible") {
      problems.push(`base_urls.${provider}: not used; an openai-compatible model carries its URL in its name (openai-compatible:http://HOST:PORT/v1#MODEL)`);
    } else if (!known.includes(provider)) {
      const guess = nearest(provider, known);
      problems.push(`base_urls.${provider}: no provider is called "${provider}"${guess ? `; did you mean "${guess}"?` : ""} (known: ${known.join(", ")})`);
    } else if (!/^https?:\/\/[^/\s]+/.test(url)) {
      problems.push(`base_urls.${provider}: "${url}" is not an http:// or https:// URL; write it as e.g. http://HOST:PORT/v1`);
    }
  }
  return problems;
}
