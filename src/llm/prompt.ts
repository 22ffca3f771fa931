// Prompt templates: `{input}` is replaced literally (split/join, no regex), because code inputs
// are full of braces and `$` signs that a pattern replacement would mangle. Users' own prompt
// files are read here once, for the generator and the judges alike.
import { readFileSync } from "node:fs";
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

export function checkTemplate(template: string, where: string): void {
  if (!template.includes(INPUT_SLOT)) {
    throw new Error(`${where} has no ${INPUT_SLOT} placeholder; add it where the text to compress goes`);
  }
}

const promptFiles = new Map<string, string>();

/** A user's prompt file (relative to the pipeline folder), read once and checked for {input}. */
export function promptFile(path: string, root: string): string {
  const file = resolve(root, path);
  let text = promptFiles.get(file);
  if (text === undefined) {
    text = readFileSync(file, "utf8");
    checkTemplate(text, file);
    promptFiles.set(file, text);
  }
  return text;
}
