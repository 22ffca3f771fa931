// The `llm` backend: any `provider:model` of the LLM layer as a reference compressor, sent
// exactly what generator/compress sends for a doc (compressRequest: the prompt for its domain,
// temperature 0, output cap = input tokens), through the same SDK endpoint and its limiter, but
// streamed: onText gets the answer as it arrives. Not cached: a compressor measures the model
// now (evaluators cache through their own stage context).
import { endpointFor, type Endpoint } from "../llm/clients.ts";
import { compressRequest } from "../llm/compress-request.ts";
import { describeError } from "../llm/errors.ts";
import { apiKeyFor } from "../llm/keys.ts";
import { parseModel, type ModelSpec } from "../llm/model-name.ts";
import { renderPrompt } from "../llm/prompt.ts";
import type { WireRequest } from "../llm/types.ts";
import { anthropicParams, openaiBody } from "../llm/wire.ts";
import { classifyDomain } from "../text/classify.ts";
import { countTokens } from "../text/tokens.ts";
import type { Doc } from "../sdk/types.ts";
import type { OpenContext, OpenTarget } from "./open.ts";
import { CompressorError, type Compressor, type CompressOptions, type CompressResult } from "./types.ts";

export async function open(target: OpenTarget, ctx: OpenContext): Promise<Compressor> {
  const env = ctx.env ?? process.env;
  let spec: ModelSpec;
  try {
    spec = parseModel(target.spec, { env });
  } catch (e) {
    throw new CompressorError((e as Error).message, "a compressor is rules, default, a run folder, mlx-lm:MODEL#ADAPTER or provider:model");
  }
  if (spec.protocol === "run") throw new CompressorError(`"${target.spec}" is a run, not a provider model`, "open it as a run folder");
  if (!apiKeyFor(spec, env)) throw new CompressorError(`${spec.name} needs the environment variable ${spec.keyEnv}`, "set it in the shell or in a .env file in the folder you run ctxc from");
  const endpoint = endpointFor(spec, { env, maxRetries: 4 });
  const requestContext = { paths: { root: ctx.root }, countTokens };
  const opts = { temperature: 0, max_output_ratio: 1, batch: false, prompts: {}, base_urls: {} };
  return {
    spec: spec.name,
    kind: "llm",
    async compress(text: string, o: CompressOptions = {}): Promise<CompressResult> {
      const t0 = performance.now();
      const tokensIn = countTokens(text, "qwen3");
      if (text.trim() === "") return { compressed: "", tokens_in: tokensIn, tokens_out: 0, ms: performance.now() - t0 };
      const domain = !o.domain || o.domain === "auto" ? classifyDomain(text) : o.domain;
      const doc = { id: "compress", domain, text, source: { path: "" }, scores: {}, meta: {} } as Doc;
      const req = compressRequest(spec.name, doc, opts, requestContext);
      const wire: WireRequest = { model: spec.model, user: renderPrompt(req.template, req.input), temperature: req.temperature, maxTokens: req.maxTokens };
      let out: string;
      try {
        out = await endpoint.limiter.run(() => stream(endpoint, wire, o), o.signal);
      } catch (e) {
        if (o.signal?.aborted) throw e;
        throw new CompressorError(`${spec.name} failed: ${describeError(e)}`);
      }
      const compressed = out.trim();
      return { compressed, tokens_in: tokensIn, tokens_out: countTokens(compressed, "qwen3"), ms: performance.now() - t0 };
    },
  };
}

/** One streamed call in the provider's protocol; each text piece goes to onText. */
async function stream(endpoint: Endpoint, wire: WireRequest, o: CompressOptions): Promise<string> {
  let out = "";
  const emit = (piece: string | undefined) => {
    if (!piece) return;
    out += piece;
    o.onText?.(piece);
  };
  if (endpoint.anthropic) {
    const events = await endpoint.anthropic.messages.create({ ...anthropicParams(wire), stream: true }, { signal: o.signal });
    for await (const ev of events) if (ev.type === "content_block_delta" && ev.delta.type === "text_delta") emit(ev.delta.text);
    return out;
  }
  const chunks = await endpoint.openai!.chat.completions.create({ ...openaiBody(endpoint.spec, wire), stream: true }, { signal: o.signal });
  for await (const chunk of chunks) emit(chunk.choices?.[0]?.delta?.content ?? undefined);
  return out;
}
