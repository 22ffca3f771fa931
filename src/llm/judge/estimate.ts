// `ctxc run --estimate` for filter/equivalence: the requests a run would send, priced by
// src/llm/estimate.ts. Docs that have no compressed text yet (the judge stands after a generator
// that has not run) are priced with the original as a stand-in — an upper bound, since a
// compression is shorter. In tasks mode the comparison's input is the task answers; when they are
// all cached the exact comparison is priced, else one with the texts standing in for the answers.
// Repair calls happen only on malformed output and are not counted (as fallbacks are not).
import type { Doc } from "../../sdk/types.ts";
import { cacheKeyParts } from "../complete.ts";
import { emptyEstimate, estimateRequests, type Estimate, type EstimateContext, type Many } from "../estimate.ts";
import { parseModel } from "../model-name.ts";
import type { Answer, CompletionRequest } from "../types.ts";
import { answerRequests, compareRequest, directRequest, type JudgeRequestOptions } from "./requests.ts";

export interface JudgeEstimateOptions extends JudgeRequestOptions {
  judges: string[];
  method: "direct" | "tasks";
}

export function requestsFor(doc: Doc, opts: JudgeEstimateOptions, ctx: EstimateContext): CompletionRequest[] {
  const compressed = doc.compressed ?? doc.text;
  // The filter rejects blank pairs without asking anyone.
  if (!doc.text.trim() || !compressed.trim()) return [];
  const out: CompletionRequest[] = [];
  for (const judge of opts.judges) {
    if (opts.method === "direct") {
      out.push(directRequest(judge, doc, compressed, opts, ctx));
      continue;
    }
    const asks = answerRequests(judge, doc, compressed, opts, ctx);
    const cached = asks.map((a) => cachedText(a.req, ctx));
    const pairs = [];
    for (let i = 0; i < asks.length; i += 2) {
      pairs.push({ task: asks[i]!.task, reference: cached[i] ?? doc.text, candidate: cached[i + 1] ?? compressed });
    }
    out.push(...asks.map((a) => a.req), compareRequest(judge, pairs, opts, ctx));
  }
  return out;
}

function cachedText(req: CompletionRequest, ctx: EstimateContext): string | undefined {
  if (!ctx.cache) return undefined;
  const hit = ctx.cache.get<Answer>(ctx.cache.key(cacheKeyParts(parseModel(req.model, { baseUrls: req.baseUrls }), req)));
  return hit?.text.trim();
}

/** One estimate per judge model, in the order the judges are listed. */
export async function estimateJudges(docs: Many<Doc>, opts: JudgeEstimateOptions, ctx: EstimateContext): Promise<Estimate[]> {
  async function* requests() {
    for await (const doc of docs) yield* requestsFor(doc, opts, ctx);
  }
  const found = await estimateRequests(requests(), ctx);
  return opts.judges.map((j) => found.find((e) => e.model === j) ?? emptyEstimate(j));
}
