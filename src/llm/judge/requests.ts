// Every request filter/equivalence sends, built in one place so `ctxc run --estimate` prices
// exactly what a run would send: the direct verdict, the repair of a malformed verdict, and in
// tasks mode the task answers and their comparison.
import type { Domain } from "../../sdk/types.ts";
import judgeCode from "../../../prompts/judge-code.txt" with { type: "text" };
import judgeNl from "../../../prompts/judge-nl.txt" with { type: "text" };
import judgeCompare from "../../../prompts/judge-compare.txt" with { type: "text" };
import judgeRepair from "../../../prompts/judge-repair.txt" with { type: "text" };
import { tokenizerFor } from "../model-name.ts";
import { promptFile, renderPrompt, type RequestContext } from "../prompt.ts";
import type { CompletionRequest } from "../types.ts";
import { tasksFor, type Task } from "./tasks.ts";

export interface JudgeRequestOptions {
  temperature: number;
  max_output_tokens: number;
  batch: boolean;
  prompts: { code?: string; nl?: string; compare?: string };
  base_urls: Record<string, string>;
}

/** What `{input}` stands for in a user's judge prompt (for the message when it is missing). */
export const JUDGE_INPUT = "the texts to judge";

/** A task answer may be as long as a re-implementation of the original, but not unbounded. */
const MAX_ANSWER_TOKENS = 8192;

/** The judge prompt for a domain: code has its own, prose and mixed share the prose one. */
export function judgeTemplate(domain: Domain, prompts: JudgeRequestOptions["prompts"], root: string): string {
  const path = domain === "code" ? prompts.code : prompts.nl;
  if (path !== undefined) return promptFile(path, root, JUDGE_INPUT);
  return domain === "code" ? judgeCode : judgeNl;
}

/** Both texts, fenced so the judge cannot mistake one for the other. */
export function pairInput(original: string, compressed: string): string {
  return `<original>\n${original}\n</original>\n\n<compressed>\n${compressed}\n</compressed>`;
}

function base(judge: string, opts: JudgeRequestOptions): Pick<CompletionRequest, "model" | "temperature" | "batch" | "baseUrls"> {
  return { model: judge, temperature: opts.temperature, batch: opts.batch, baseUrls: opts.base_urls };
}

export function directRequest(judge: string, doc: { domain: Domain; text: string }, compressed: string, opts: JudgeRequestOptions, ctx: RequestContext): CompletionRequest {
  return {
    ...base(judge, opts),
    template: judgeTemplate(doc.domain, opts.prompts, ctx.paths.root),
    input: pairInput(doc.text, compressed),
    maxTokens: opts.max_output_tokens,
  };
}

/** The second and last chance: the same request, the unusable answer and why it was unusable. */
export function repairRequest(first: CompletionRequest, badAnswer: string, error: string): CompletionRequest {
  const input = [
    "The request:",
    "<request>",
    renderPrompt(first.template, first.input),
    "</request>",
    "",
    "Your previous answer:",
    "<previous_answer>",
    badAnswer,
    "</previous_answer>",
    "",
    `Why it could not be used: ${error}`,
  ].join("\n");
  return { ...first, template: judgeRepair, input };
}

/** Both sides of a task get the same cap, from the original's size, so neither is cut off first. */
export function answerTokens(judge: string, original: string, opts: JudgeRequestOptions, ctx: RequestContext): number {
  const tokens = ctx.countTokens(original, tokenizerFor(judge, opts.base_urls));
  return Math.max(opts.max_output_tokens, Math.min(MAX_ANSWER_TOKENS, Math.ceil(tokens * 1.5)));
}

/** The task answers a judge model writes for one doc: per task, from the original then the compressed text. */
export function answerRequests(judge: string, doc: { domain: Domain; text: string }, compressed: string, opts: JudgeRequestOptions, ctx: RequestContext): Array<{ task: Task; side: "original" | "compressed"; req: CompletionRequest }> {
  const maxTokens = answerTokens(judge, doc.text, opts, ctx);
  return tasksFor(doc.domain).flatMap((task) =>
    (["original", "compressed"] as const).map((side) => ({
      task,
      side,
      req: { ...base(judge, opts), template: task.template, input: side === "original" ? doc.text : compressed, maxTokens },
    })),
  );
}

export function compareTemplate(prompts: JudgeRequestOptions["prompts"], root: string): string {
  return prompts.compare !== undefined ? promptFile(prompts.compare, root, JUDGE_INPUT) : judgeCompare;
}

/** The judge compares each task's answer from the compressed text against the one from the original. */
export function compareRequest(judge: string, pairs: Array<{ task: Task; reference: string; candidate: string }>, opts: JudgeRequestOptions, ctx: RequestContext): CompletionRequest {
  const input = pairs
    .map((p, i) => [`Task ${i + 1} (${p.task.name}): ${p.task.summary}`, "<reference>", p.reference, "</reference>", "<candidate>", p.candidate, "</candidate>"].join("\n"))
    .join("\n\n");
  return { ...base(judge, opts), template: compareTemplate(opts.prompts, ctx.paths.root), input, maxTokens: opts.max_output_tokens };
}
