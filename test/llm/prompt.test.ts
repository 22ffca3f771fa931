import { expect, test } from "bun:test";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { checkTemplate, promptProblems, renderPrompt, templateHash } from "../../src/llm/prompt.ts";
import code from "../../prompts/compress-code.txt" with { type: "text" };
import nl from "../../prompts/compress-nl.txt" with { type: "text" };

test("{input} is replaced literally, every occurrence, whatever the input holds", () => {
  const input = "f = lambda: {'$1': '$&'} # {input} $$ \\1";
  expect(renderPrompt("A {input} B {input}", input)).toBe(`A ${input} B ${input}`);
  expect(renderPrompt("no slot", input)).toBe("no slot");
});

test("the built-in prompts have one {input} slot and use the dense notation", () => {
  for (const t of [code, nl]) {
    expect(t.split("{input}")).toHaveLength(2);
    for (const sym of ["→", "|", "+", "@", "∵"]) expect(t).toContain(sym);
  }
  expect(nl).toContain("verbatim");
});

test("template hash changes with the template or the system prompt", () => {
  expect(templateHash("a {input}")).toBe(templateHash("a {input}"));
  expect(templateHash("a {input}")).not.toBe(templateHash("b {input}"));
  expect(templateHash("a {input}", "sys")).not.toBe(templateHash("a {input}"));
  expect(() => checkTemplate("nothing", "my.txt")).toThrow("my.txt has no {input}");
});

test("promptProblems: missing files and files without {input}, with what {input} stands for", () => {
  const root = mkdtempSync(join(tmpdir(), "ctxc-prompt-problems-"));
  writeFileSync(join(root, "good.txt"), "Judge: {input}");
  writeFileSync(join(root, "bad.txt"), "no slot");
  expect(promptProblems({ code: "good.txt", nl: undefined }, root, "the texts to judge")).toEqual([]);
  expect(promptProblems({ code: "missing.txt", nl: "bad.txt" }, root, "the texts to judge")).toEqual([
    `prompts.code: file not found: ${join(root, "missing.txt")}`,
    `prompts.nl: ${join(root, "bad.txt")} has no {input} placeholder; add it where the texts to judge should go`,
  ]);
});
