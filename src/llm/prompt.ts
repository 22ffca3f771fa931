// Prompt templates: `{input}` is replaced literally (split/join, no regex), because code inputs
// are full of braces and `$` signs that a pattern replacement would mangle. Users' own prompt
// files are read here once, for the generator and the judges alike.
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";

/** What building a request needs from a stage: the pipeline folder and a token counter. */
export interface RequestContext {
  paths: { root: string };
  countTokens(text: string, tokenizer?: string): number;
}

export const INPUT_SLOT = "{input}";

export function renderPrompt(template: string, input: string): string {
  return template.split(INPUT_SLOT).join(input);
}

/** Identifies a template (and system prompt) in cache keys: change the prompt, miss the cache. */
export function templateHash(template: string, system = ""): string {
  return new Bun.CryptoHasher("sha256").update(template).update("\u0000").update(system).digest("hex");
}

/** What `{input}` stands for, in the message about a template that lacks it. */
const DEFAULT_WHAT = "the text to compress";

export function checkTemplate(template: string, where: string, what = DEFAULT_WHAT): void {
  if (!template.includes(INPUT_SLOT)) {
    throw new Error(`${where} has no ${INPUT_SLOT} placeholder; add it where ${what} should go`);
  }
}

const promptFiles = new Map<string, string>();

/** A user's prompt file (relative to the pipeline folder), read once and checked for {input}. */
export function promptFile(path: string, root: string, what = DEFAULT_WHAT): string {
  const file = resolve(root, path);
  let text = promptFiles.get(file);
  if (text === undefined) {
    text = readFileSync(file, "utf8");
    checkTemplate(text, file, what);
    promptFiles.set(file, text);
  }
  return text;
}

/** Preflight of a stage's `prompts` option (kind -> path): files that are missing or lack {input}. */
export function promptProblems(paths: Record<string, string | undefined>, root: string, what: string): string[] {
  const problems: string[] = [];
  for (const [kind, path] of Object.entries(paths)) {
    if (path === undefined) continue;
    const file = resolve(root, path);
    if (!existsSync(file)) {
      problems.push(`prompts.${kind}: file not found: ${file}`);
      continue;
    }
    try {
      checkTemplate(readFileSync(file, "utf8"), file, what);
    } catch (e) {
      problems.push(`prompts.${kind}: ${(e as Error).message}`);
    }
  }
  return problems;
}
