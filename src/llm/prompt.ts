// Prompt templates: `{input}` is replaced literally (split/join, no regex), because code inputs
// are full of braces and `$` signs that a pattern replacement would mangle.

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
