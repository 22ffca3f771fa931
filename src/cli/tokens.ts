// `ctxc tokens FILE --tokenizer NAME`: how many tokens a file is for a given tokenizer — the
// student's (qwen3), OpenAI's (o200k_base, cl100k_base) or the Claude approximation. `-` reads
// standard input; `--tokenizer all` compares every tokenizer.
import { defineCommand } from "citty";
import { statSync } from "node:fs";
import { CtxcError, EXIT } from "../core/errors.ts";
import { DEFAULT_TOKENIZER, tokenCounter, tokenizerNames } from "../text/tokens.ts";
import { applyVerbosity, verbosityArgs } from "./_shared.ts";

export interface TokenCount {
  tokenizer: string;
  tokens: number;
  chars: number;
  /** Characters per token: how dense the text is for this tokenizer. */
  charsPerToken: number;
}

export async function countFileTokens(file: string, tokenizer: string): Promise<{ file: string; counts: TokenCount[] }> {
  const names = tokenizer === "all" ? tokenizerNames() : [tokenizer];
  for (const name of names) {
    if (!tokenizerNames().includes(name)) {
      throw new CtxcError(`unknown tokenizer "${name}"`, { hint: `use one of: ${tokenizerNames().join(", ")}, or all`, exitCode: EXIT.invalid });
    }
  }
  const text = await readText(file);
  const counts = names.map((name) => {
    const tokens = tokenCounter(name)(text);
    return { tokenizer: name, tokens, chars: text.length, charsPerToken: tokens ? Math.round((text.length / tokens) * 100) / 100 : 0 };
  });
  return { file, counts };
}

async function readText(file: string): Promise<string> {
  if (file === "-") return await new Response(Bun.stdin.stream()).text();
  const st = statSync(file, { throwIfNoEntry: false });
  if (!st) throw new CtxcError(`${file}: no such file`, { hint: "give a path to a text file, or - for standard input", exitCode: EXIT.invalid });
  if (!st.isFile()) throw new CtxcError(`${file} is ${st.isDirectory() ? "a folder" : "not a regular file"}, not a text file`, { hint: "give a path to a text file, or - for standard input (e.g. cat a.md b.md | ctxc tokens -)", exitCode: EXIT.invalid });
  const f = Bun.file(file);
  const bytes = new Uint8Array(await f.arrayBuffer());
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new CtxcError(`${file} is not valid UTF-8 text`, { hint: "re-encode it as UTF-8 (e.g. iconv -t UTF-8)", exitCode: EXIT.invalid });
  }
}

export const examples = [
  "ctxc tokens prompts/system.txt",
  "ctxc tokens notes.md --tokenizer all",
  "cat doc.txt | ctxc tokens - --tokenizer qwen3 --json",
];

export default defineCommand({
  meta: {
    name: "tokens",
    description: `Count the tokens of a file: ctxc tokens FILE [--tokenizer qwen3|o200k_base|cl100k_base|claude|all] [--json]`,
  },
  args: {
    file: { type: "positional", description: "The text file to count (- for standard input)", required: true },
    tokenizer: { type: "string", alias: "t", description: `Tokenizer name, or all (default ${DEFAULT_TOKENIZER})`, default: DEFAULT_TOKENIZER },
    json: { type: "boolean", description: "Print JSON" },
    ...verbosityArgs,
  },
  async run({ args }) {
    applyVerbosity(args);
    const result = await countFileTokens(String(args.file), String(args.tokenizer));
    if (args.json) {
      process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      return 0;
    }
    const width = Math.max(...result.counts.map((c) => c.tokenizer.length));
    for (const c of result.counts) {
      process.stdout.write(`${c.tokenizer.padEnd(width)}  ${String(c.tokens).padStart(9)} tokens  ${c.chars} chars  ${c.charsPerToken} chars/token\n`);
    }
    return 0;
  },
});
