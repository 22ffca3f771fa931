// One request in each provider's wire format, and its answer back into ctxc's shape. Used by
// both the synchronous calls and the batch APIs, so a batch line is exactly the request a
// direct call would send.
import type Anthropic from "@anthropic-ai/sdk";
import type OpenAI from "openai";
import type { ModelSpec } from "./model-name.ts";
import type { Answer, WireRequest } from "./types.ts";

export function anthropicParams(req: WireRequest): Anthropic.MessageCreateParamsNonStreaming {
  return {
    model: req.model,
    max_tokens: req.maxTokens,
    messages: [{ role: "user", content: req.user }],
    ...(req.system ? { system: req.system } : {}),
    ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
  };
}

export function fromAnthropic(msg: Anthropic.Message, latencyMs: number, batch: boolean): Omit<Answer, "usd"> {
  const blocks = Array.isArray(msg?.content) ? msg.content : [];
  const text = blocks
    .filter((b): b is Anthropic.TextBlock => b?.type === "text")
    .map((b) => b.text)
    .join("");
  return {
    text,
    model: msg.model,
    // Anthropic counts prompt-cache reads apart from input_tokens; ctxc's tokensIn is the total.
    tokensIn: (msg.usage?.input_tokens ?? 0) + (msg.usage?.cache_read_input_tokens ?? 0),
    tokensOut: msg.usage?.output_tokens ?? 0,
    cachedIn: msg.usage?.cache_read_input_tokens ?? 0,
    stopReason: msg.stop_reason ?? undefined,
    latencyMs,
    batch,
  };
}

/** OpenAI's reasoning models (o-series, gpt-5) take no temperature and count output as completion tokens. */
function isReasoningModel(model: string): boolean {
  return /^(o\d|gpt-5)/.test(model);
}

export function openaiBody(spec: ModelSpec, req: WireRequest): OpenAI.ChatCompletionCreateParamsNonStreaming {
  const messages: OpenAI.ChatCompletionMessageParam[] = [];
  if (req.system) messages.push({ role: "system", content: req.system });
  messages.push({ role: "user", content: req.user });
  const official = spec.provider === "openai";
  const reasoning = official && isReasoningModel(req.model);
  return {
    model: req.model,
    messages,
    // OpenAI itself wants max_completion_tokens; local servers and Gemini know max_tokens.
    ...(official ? { max_completion_tokens: req.maxTokens } : { max_tokens: req.maxTokens }),
    ...(req.temperature !== undefined && !reasoning ? { temperature: req.temperature } : {}),
  };
}

export function fromOpenAI(res: OpenAI.ChatCompletion, latencyMs: number, batch: boolean): Omit<Answer, "usd"> {
  const choice = Array.isArray(res?.choices) ? res.choices[0] : undefined;
  return {
    text: typeof choice?.message?.content === "string" ? choice.message.content : "",
    model: res.model,
    tokensIn: res.usage?.prompt_tokens ?? 0,
    tokensOut: res.usage?.completion_tokens ?? 0,
    cachedIn: res.usage?.prompt_tokens_details?.cached_tokens ?? 0,
    stopReason: choice?.finish_reason ?? undefined,
    latencyMs,
    batch,
  };
}
