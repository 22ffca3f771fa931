import { describe, expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import tokensCommand, { countFileTokens } from "../../src/cli/tokens.ts";
import { countTokens } from "../../src/text/tokens.ts";

const dir = mkdtempSync(join(tmpdir(), "ctxc-tokens-"));
const file = join(dir, "a.txt");
writeFileSync(file, "Hello world\n");

describe("ctxc tokens", () => {
  test("counts a file with the named tokenizer", async () => {
    const { counts } = await countFileTokens(file, "qwen3");
    expect(counts).toEqual([{ tokenizer: "qwen3", tokens: 3, chars: 12, charsPerToken: 4 }]);
  });

  test("all compares every tokenizer", async () => {
    const { counts } = await countFileTokens(file, "all");
    expect(counts.map((c) => c.tokenizer)).toEqual(expect.arrayContaining(["qwen3", "o200k_base", "cl100k_base", "claude"]));
    expect(counts.find((c) => c.tokenizer === "o200k_base")!.tokens).toBe(countTokens("Hello world\n", "o200k_base"));
  });

  test("clear errors: unknown tokenizer, missing file, not UTF-8", async () => {
    await expect(countFileTokens(file, "qwen4")).rejects.toThrow(/unknown tokenizer "qwen4"/);
    await expect(countFileTokens(join(dir, "nope.txt"), "qwen3")).rejects.toThrow(/no such file/);
    const bad = join(dir, "bad.txt");
    writeFileSync(bad, Buffer.from([0xff, 0xfe, 0x41]));
    await expect(countFileTokens(bad, "qwen3")).rejects.toThrow(/not valid UTF-8/);
  });

  test("is a citty command with a FILE positional and --tokenizer", () => {
    const args = tokensCommand.args as Record<string, { type: string }>;
    expect(args.file!.type).toBe("positional");
    expect(args.tokenizer!.type).toBe("string");
  });
});
