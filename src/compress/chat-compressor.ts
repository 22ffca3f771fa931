// A Compressor over an OpenAI-compatible Chat Completions endpoint (mlx_lm.server, Tinker's
// sampling endpoint): the student's own prompt format (system + user_prefix + text), greedy
// decoding, output streamed (SSE) through onText as it arrives. The openai SDK does the HTTP and
// the SSE parsing; retries are the caller's choice (none for a local server: a dead server must
// fail fast with the backend's explanation, not after back-offs).
import OpenAI from "openai";
import { describeError } from "../llm/errors.ts";
import { countTokens } from "../text/tokens.ts";
import type { StudentPrompt } from "./student-prompt.ts";
import { CompressorError, type Compressor, type CompressOptions, type CompressResult } from "./types.ts";

export interface ChatCompressorOptions {
  spec: string;
  kind: string;
  baseURL: string;
  /** The `model` field of each request (a model path, a tinker:// path, …). */
  model: string;
  prompt: StudentPrompt;
  /** Sent as `Authorization: Bearer` by the SDK; local servers ignore it. */
  apiKey?: string;
  headers?: Record<string, string>;
  /** Extra fields in each request body (mlx_lm.server's `adapters`, `chat_template_kwargs`). */
  extraBody?: Record<string, unknown>;
  maxRetries?: number;
  timeoutMs?: number;
  /** Output cap relative to the input's tokens (at least MIN_OUTPUT_TOKENS). */
  maxOutputRatio?: number;
  /** Turns a failed request into the error the user sees (e.g. "the server died: …"). */
  explain?(error: unknown): Error | Promise<Error>;
  close?(): Promise<void>;
}

const MIN_OUTPUT_TOKENS = 32;

export function chatCompressor(o: ChatCompressorOptions): Compressor {
  const client = new OpenAI({
    apiKey: o.apiKey ?? "not-needed",
    baseURL: o.baseURL,
    maxRetries: o.maxRetries ?? 0,
    timeout: o.timeoutMs ?? 600_000,
    defaultHeaders: o.headers,
    organization: null,
    project: null,
  });
  let closed = false;
  return {
    spec: o.spec,
    kind: o.kind,
    async compress(text: string, opts: CompressOptions = {}): Promise<CompressResult> {
      if (closed) throw new CompressorError(`${o.spec} is closed`);
      const t0 = performance.now();
      const tokensIn = countTokens(text, "qwen3");
      if (text.trim() === "") return { compressed: "", tokens_in: tokensIn, tokens_out: 0, ms: performance.now() - t0 };
      // `domain` and `rate` are not part of the student's prompt: it learnt every domain from
      // one system prompt, and its rate is what training taught it.
      const body = {
        model: o.model,
        messages: [
          { role: "system" as const, content: o.prompt.system },
          { role: "user" as const, content: o.prompt.userPrefix + text },
        ],
        temperature: 0,
        max_tokens: Math.max(MIN_OUTPUT_TOKENS, Math.ceil(tokensIn * (o.maxOutputRatio ?? 1))),
        stream: true as const,
        ...o.extraBody,
      };
      let out = "";
      try {
        const stream = await client.chat.completions.create(body, { signal: opts.signal });
        for await (const chunk of stream) {
          const piece = chunk.choices?.[0]?.delta?.content;
          if (typeof piece === "string" && piece) {
            out += piece;
            opts.onText?.(piece);
          }
        }
      } catch (e) {
        if (opts.signal?.aborted) throw e;
        throw o.explain ? await o.explain(e) : new CompressorError(`${o.spec}: ${describeError(e)}`);
      }
      const compressed = out.trim();
      return { compressed, tokens_in: tokensIn, tokens_out: countTokens(compressed, "qwen3"), ms: performance.now() - t0 };
    },
    async close() {
      if (closed) return;
      closed = true;
      await o.close?.();
    },
  };
}
