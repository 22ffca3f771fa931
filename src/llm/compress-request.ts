// The request generator/compress sends for one doc — prompt by domain, output cap from the
// input's tokens — in one place, so `ctxc run --estimate` prices exactly what a run would send.
import type { Doc } from "../sdk/types.ts";
import codePrompt from "../../prompts/compress-code.txt" with { type: "text" };
import nlPrompt from "../../prompts/compress-nl.txt" with { type: "text" };
import { tokenizerFor } from "./model-name.ts";
import { promptFile, type RequestContext } from "./prompt.ts";
import type { CompletionRequest } from "./types.ts";

export interface CompressOptions {
  temperature: number;
  max_output_ratio: number;
  batch: boolean;
  prompts: { code?: string; nl?: string };
  base_urls: Record<string, string>;
}

/** Fewest output tokens allowed, so a one-line doc can still be answered. */
const MIN_OUTPUT_TOKENS = 32;

/** The user's prompt file for the doc's domain (relative to the pipeline folder), else ours. */
export function compressTemplate(doc: Pick<Doc, "domain">, prompts: CompressOptions["prompts"], root: string): string {
  const path = doc.domain === "code" ? prompts.code : prompts.nl;
  if (path === undefined) return doc.domain === "code" ? codePrompt : nlPrompt;
  return promptFile(path, root, "the text to compress");
}

export function compressRequest(model: string, doc: Doc, opts: CompressOptions, ctx: RequestContext): CompletionRequest {
  const inputTokens = ctx.countTokens(doc.text, tokenizerFor(model, opts.base_urls));
  return {
    model,
    template: compressTemplate(doc, opts.prompts, ctx.paths.root),
    input: doc.text,
    temperature: opts.temperature,
    maxTokens: Math.max(MIN_OUTPUT_TOKENS, Math.ceil(inputTokens * opts.max_output_ratio)),
    batch: opts.batch,
    baseUrls: opts.base_urls,
  };
}
