// One judge model's verdict on one doc, by either method. Every call goes through `complete`
// (cache, cost ledger, batch API). A malformed verdict gets exactly one repair call; a verdict
// still malformed after it, a refusal, or a provider failure is a judge error — reported, never
// turned into a score. A stopping run (Ctrl-C, budget) is not a judge error: it propagates.
import type { Domain, StageContext } from "../../sdk/types.ts";
import { complete } from "../complete.ts";
import { isLlmError, isTruncated } from "../errors.ts";
import type { Completion, CompletionRequest } from "../types.ts";
import { answerRequests, compareRequest, directRequest, repairRequest, type JudgeRequestOptions } from "./requests.ts";
import { isRefusal, parseVerdict, type Verdict } from "./verdict.ts";

export type JudgeErrorKind = "malformed" | "refusal" | "provider";

export type JudgeOutcome =
  | { ok: true; judge: string; verdict: Verdict; repaired: boolean }
  | { ok: false; judge: string; kind: JudgeErrorKind; error: string };

export interface JudgeCallOptions extends JudgeRequestOptions {
  client: CompletionRequest["client"];
  batchOptions: CompletionRequest["batchOptions"];
}

type Call = { ok: true; answer: Completion } | { ok: false; error: string };

/** A call whose provider failure becomes a value; a stopping run still throws. */
async function call(ctx: StageContext, req: CompletionRequest, opts: JudgeCallOptions): Promise<Call> {
  try {
    const answer = await complete(ctx, { ...req, client: opts.client, batchOptions: opts.batchOptions });
    ctx.stat(answer.cached ? "cache_hits" : "judge_calls");
    return { ok: true, answer };
  } catch (e) {
    if (isLlmError(e) && e.reason === "teacher_error") return { ok: false, error: e.detail };
    throw e;
  }
}

/** Ask for a verdict; repair a malformed one once. */
export async function askVerdict(ctx: StageContext, judge: string, req: CompletionRequest, opts: JudgeCallOptions): Promise<JudgeOutcome> {
  const first = await call(ctx, req, opts);
  if (!first.ok) return { ok: false, judge, kind: "provider", error: first.error };
  const parsed = parseVerdict(first.answer.text);
  if (parsed.ok) return { ok: true, judge, verdict: parsed.verdict, repaired: false };
  if (parsed.refusal) return { ok: false, judge, kind: "refusal", error: parsed.error };
  const why = isTruncated(first.answer.stopReason) ? `${parsed.error} (cut off at max_output_tokens ${req.maxTokens})` : parsed.error;
  const second = await call(ctx, repairRequest(req, first.answer.text, why), opts);
  if (!second.ok) return { ok: false, judge, kind: "provider", error: `repair call: ${second.error}` };
  const again = parseVerdict(second.answer.text);
  if (again.ok) return { ok: true, judge, verdict: again.verdict, repaired: true };
  if (again.refusal) return { ok: false, judge, kind: "refusal", error: again.error };
  return { ok: false, judge, kind: "malformed", error: `${why}; after the repair request: ${again.error}` };
}

export function judgeDirect(ctx: StageContext, judge: string, doc: { domain: Domain; text: string }, compressed: string, opts: JudgeCallOptions): Promise<JudgeOutcome> {
  return askVerdict(ctx, judge, directRequest(judge, doc, compressed, opts, ctx), opts);
}

/**
 * Tasks mode: the judge model answers each task from the original and from the compressed text
 * (all at once, so batch mode queues them together), then compares the answers.
 */
export async function judgeTasks(ctx: StageContext, judge: string, doc: { domain: Domain; text: string }, compressed: string, opts: JudgeCallOptions): Promise<JudgeOutcome> {
  const asks = answerRequests(judge, doc, compressed, opts, ctx);
  // Settle every call before deciding, so the answers that did arrive are cached for a re-run.
  const settled = await Promise.allSettled(asks.map((a) => call(ctx, a.req, opts)));
  const rejected = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (rejected) throw rejected.reason;
  const calls = settled.map((s) => (s as PromiseFulfilledResult<Call>).value);
  const answers: string[] = [];
  for (const [i, c] of calls.entries()) {
    const { task, side } = asks[i]!;
    if (!c.ok) return { ok: false, judge, kind: "provider", error: `task ${task.name} (${side}): ${c.error}` };
    // A text that itself reads like a refusal (dialogue, a support macro) yields answers that do too.
    if (isRefusal(c.answer.text) && !isRefusal(doc.text)) return { ok: false, judge, kind: "refusal", error: `task ${task.name} (${side}): the model refused` };
    answers.push(c.answer.text.trim());
  }
  const pairs = [];
  for (let i = 0; i < asks.length; i += 2) pairs.push({ task: asks[i]!.task, reference: answers[i]!, candidate: answers[i + 1]! });
  return askVerdict(ctx, judge, compareRequest(judge, pairs, opts, ctx), opts);
}
