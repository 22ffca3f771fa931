// Every provider ctxc knows, as one table: which wire protocol it speaks, its default base URL,
// the environment variable that overrides that URL, and the variable holding its API key.
// Local servers (ollama, LM Studio, mlx_lm.server, vLLM, llama.cpp) speak OpenAI Chat Completions.

export type Protocol = "anthropic" | "openai";

export interface ProviderPreset {
  protocol: Protocol;
  baseURL: string;
  /** Overrides `baseURL` when set. */
  baseUrlEnv: string;
  /** Where the API key is read from. */
  keyEnv: string;
  /** A key is required (hosted APIs); local servers accept any or none. */
  keyRequired: boolean;
  /** Runs on the user's machine: calls cost nothing. */
  local: boolean;
  /** Has a half-price batch API that ctxc drives. */
  batch: boolean;
}

export const PROVIDERS: Record<string, ProviderPreset> = {
  anthropic: { protocol: "anthropic", baseURL: "https://api.anthropic.com", baseUrlEnv: "ANTHROPIC_BASE_URL", keyEnv: "ANTHROPIC_API_KEY", keyRequired: true, local: false, batch: true },
  openai: { protocol: "openai", baseURL: "https://api.openai.com/v1", baseUrlEnv: "OPENAI_BASE_URL", keyEnv: "OPENAI_API_KEY", keyRequired: true, local: false, batch: true },
  // Google's OpenAI-compatible endpoint for Gemini models.
  gemini: { protocol: "openai", baseURL: "https://generativelanguage.googleapis.com/v1beta/openai", baseUrlEnv: "GEMINI_BASE_URL", keyEnv: "GEMINI_API_KEY", keyRequired: true, local: false, batch: false },
  ollama: { protocol: "openai", baseURL: "http://127.0.0.1:11434/v1", baseUrlEnv: "OLLAMA_BASE_URL", keyEnv: "OLLAMA_API_KEY", keyRequired: false, local: true, batch: false },
  lmstudio: { protocol: "openai", baseURL: "http://127.0.0.1:1234/v1", baseUrlEnv: "LMSTUDIO_BASE_URL", keyEnv: "LMSTUDIO_API_KEY", keyRequired: false, local: true, batch: false },
  mlx: { protocol: "openai", baseURL: "http://127.0.0.1:8080/v1", baseUrlEnv: "MLX_BASE_URL", keyEnv: "MLX_API_KEY", keyRequired: false, local: true, batch: false },
  vllm: { protocol: "openai", baseURL: "http://127.0.0.1:8000/v1", baseUrlEnv: "VLLM_BASE_URL", keyEnv: "VLLM_API_KEY", keyRequired: false, local: true, batch: false },
  llamacpp: { protocol: "openai", baseURL: "http://127.0.0.1:8080/v1", baseUrlEnv: "LLAMACPP_BASE_URL", keyEnv: "LLAMACPP_API_KEY", keyRequired: false, local: true, batch: false },
  // `openai-compatible:http://HOST:PORT/v1#MODEL`: the URL is part of the name.
  "openai-compatible": { protocol: "openai", baseURL: "", baseUrlEnv: "", keyEnv: "OPENAI_COMPATIBLE_API_KEY", keyRequired: false, local: false, batch: false },
};

export function providerNames(): string[] {
  return Object.keys(PROVIDERS);
}
