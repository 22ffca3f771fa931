// Teacher pairs from a chat-JSONL dataset split ({"messages":[system, user, assistant]}): the
// user message minus its instruction prefix is the original, the assistant message the teacher's
// compression. Rows are small; a split is read whole (2,000 pairs ≈ 3 MB).
import type { Domain } from "../../sdk/types.ts";
import { classifyDomain } from "../../text/classify.ts";
import { readJsonl, type JsonlIssue } from "../../text/jsonl.ts";

export interface Pair {
  original: string;
  compressed: string;
  domain: Domain;
}

/** "auto": a short first line ending in ":" ("Compress:") that the first row starts with. */
export type PrefixOption = string | "auto";

interface ChatRow {
  messages?: Array<{ role?: string; content?: unknown }>;
}

export interface ReadPairsResult {
  pairs: Pair[];
  /** Rows that are not a user + assistant pair (counted by reason). */
  skipped: Record<string, number>;
}

export async function readPairs(path: string, prefix: PrefixOption, onIssue?: (issue: JsonlIssue) => void): Promise<ReadPairsResult> {
  const pairs: Pair[] = [];
  const skipped: Record<string, number> = {};
  let strip: string | undefined = prefix === "auto" ? undefined : prefix;
  for await (const { value } of readJsonl<ChatRow>(path, onIssue)) {
    const msgs = Array.isArray(value?.messages) ? value.messages : undefined;
    const user = msgs?.find((m) => m?.role === "user")?.content;
    const assistant = msgs?.findLast((m) => m?.role === "assistant")?.content;
    if (typeof user !== "string" || typeof assistant !== "string") {
      skipped.not_a_pair = (skipped.not_a_pair ?? 0) + 1;
      continue;
    }
    if (strip === undefined) strip = /^[^\n]{1,40}:\n/.exec(user)?.[0] ?? "";
    const original = strip && user.startsWith(strip) ? user.slice(strip.length) : user;
    if (original.trim() === "" || assistant.trim() === "") {
      skipped.empty_text = (skipped.empty_text ?? 0) + 1;
      continue;
    }
    pairs.push({ original, compressed: assistant, domain: classifyDomain(original) });
  }
  return { pairs, skipped };
}
