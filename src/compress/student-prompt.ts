// The prompt format a trained student expects: the system prompt and user-message prefix the
// dataset step wrote into its training rows ({"messages":[system, user_prefix + text, …]},
// src/core/dataset.ts). A trainer records them in run.json as `prompt: {system, user_prefix}`;
// runs without that key were trained on the defaults (the built-in prompts/system.txt, no prefix).
import builtinSystemPrompt from "../../prompts/system.txt" with { type: "text" };
import type { RunJson } from "../runs/store.ts";

export interface StudentPrompt {
  system: string;
  userPrefix: string;
}

export function studentPrompt(run?: RunJson): StudentPrompt {
  const recorded = (run?.prompt ?? {}) as { system?: unknown; user_prefix?: unknown };
  return {
    system: typeof recorded.system === "string" ? recorded.system : builtinSystemPrompt.trim(),
    userPrefix: typeof recorded.user_prefix === "string" ? recorded.user_prefix : "",
  };
}
