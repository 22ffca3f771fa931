// The prompt format a trained student expects: the system prompt and user-message prefix the
// dataset step wrote into its training rows ({"messages":[system, user_prefix + text, …]},
// src/core/dataset.ts). Read, in order, from:
//   1. run.json's `prompt: {system, user_prefix}` (trainer/mlx and trainer/tinker record it from the Dataset);
//   2. the run's dataset (`datasetDir`, which trainer/mlx records): the system message of the first
//      row of train.jsonl, and the prefix as test.jsonl's first user message minus the text of the
//      first doc of test.docs.jsonl (both are written in the same loop, in the same order);
//   3. the defaults the dataset step uses: the built-in prompts/system.txt, no prefix.
import { closeSync, openSync, readSync } from "node:fs";
import { join } from "node:path";
import builtinSystemPrompt from "../../prompts/system.txt" with { type: "text" };
import type { RunJson } from "../runs/store.ts";

export interface StudentPrompt {
  system: string;
  userPrefix: string;
}

export function studentPrompt(run?: RunJson): StudentPrompt {
  const fallback = { system: builtinSystemPrompt.trim(), userPrefix: "" };
  const recorded = (run?.prompt ?? {}) as { system?: unknown; user_prefix?: unknown };
  if (typeof recorded.system === "string") return { system: recorded.system, userPrefix: typeof recorded.user_prefix === "string" ? recorded.user_prefix : "" };
  const dir = typeof run?.datasetDir === "string" ? run.datasetDir : undefined;
  if (!dir) return fallback;
  type Row = { messages?: Array<{ role?: string; content?: unknown }> };
  const train = firstJson<Row>(join(dir, "train.jsonl")) ?? firstJson<Row>(join(dir, "test.jsonl"));
  const system = train?.messages?.find((m) => m.role === "system")?.content;
  if (typeof system !== "string") return fallback;
  const user = firstJson<Row>(join(dir, "test.jsonl"))?.messages?.find((m) => m.role === "user")?.content;
  const text = firstJson<{ text?: unknown }>(join(dir, "test.docs.jsonl"))?.text;
  const userPrefix = typeof user === "string" && typeof text === "string" && user.endsWith(text) ? user.slice(0, user.length - text.length) : "";
  return { system, userPrefix };
}

/** The first line of a JSONL file, parsed; undefined when missing, empty or not JSON. */
function firstJson<T>(path: string, maxBytes = 4 << 20): T | undefined {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch {
    return undefined;
  }
  try {
    const buf = Buffer.alloc(maxBytes);
    const n = readSync(fd, buf, 0, maxBytes, 0);
    const text = buf.subarray(0, n).toString("utf8");
    const end = text.indexOf("\n");
    return JSON.parse(end >= 0 ? text.slice(0, end) : text) as T;
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}
