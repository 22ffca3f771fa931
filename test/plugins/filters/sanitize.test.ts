import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import plugin from "../../../plugins/filters/sanitize.ts";
import { testFilterConformance } from "../_conformance.ts";
import { pair, reason, run } from "./_run.ts";
import { join } from "node:path";
import { compressTemplate } from "../../../src/llm/index.ts";
import { tempDir } from "../../helpers/cli.ts";
import { testContext } from "../../helpers/context.ts";

testFilterConformance(plugin, {});

const ORIGINAL =
  "The committee met on Tuesday to review the budget. It approved the new library wing, postponed the pool repairs until spring, " +
  "and asked the treasurer to report on the parking revenue, which has fallen for three consecutive years since the new garage opened downtown.";
const GOOD = "committee Tue: budget review | approved library wing | pool repairs → spring | treasurer: report parking revenue (↓3yrs since downtown garage)";

describe("filter/sanitize", () => {
  test("keeps a sound answer", async () => {
    expect(reason(await run(plugin, pair(ORIGINAL, GOOD)))).toBeUndefined();
  });

  test("empty and whitespace-only answers", async () => {
    expect(reason(await run(plugin, pair(ORIGINAL, "")))).toBe("empty");
    expect(reason(await run(plugin, pair(ORIGINAL, " \n\t ")))).toBe("empty");
    expect(reason(await run(plugin, pair(ORIGINAL, undefined)))).toBe("no_compressed");
  });

  test("invalid Unicode: lone surrogates and replacement characters", async () => {
    expect(reason(await run(plugin, pair(ORIGINAL, `${GOOD} \uD800`)))).toBe("invalid_utf8");
    expect(reason(await run(plugin, pair(ORIGINAL, `${GOOD} \uFFFD`)))).toBe("invalid_utf8");
    expect(reason(await run(plugin, pair(ORIGINAL, `${GOOD} 🚀`)))).toBeUndefined();
  });

  test("control characters, unless the original has them too", async () => {
    expect(reason(await run(plugin, pair(ORIGINAL, `${GOOD}\u0000`)))).toBe("control_chars");
    expect(reason(await run(plugin, pair(ORIGINAL, `\u001b[31m${GOOD}`)))).toBe("control_chars");
    expect(reason(await run(plugin, pair(ORIGINAL, `${GOOD}\u0085`)))).toBe("control_chars");
    expect(reason(await run(plugin, pair(`${ORIGINAL}\f`, `${GOOD}\f`)))).toBeUndefined();
    expect(reason(await run(plugin, pair(ORIGINAL, `${GOOD}\u0000`), { control_chars: false }))).toBeUndefined();
    expect(reason(await run(plugin, pair(ORIGINAL, `a\tb\r\nc ${GOOD}`)))).toBeUndefined();
  });

  test("overlong answers", async () => {
    expect(reason(await run(plugin, pair(ORIGINAL, GOOD), { max_chars: 20 }))).toBe("output_too_long");
  });

  test("refusal boilerplate, unless the original itself says it", async () => {
    for (const refusal of [
      "I'm sorry, but I can't help with that.",
      "I cannot help with compressing this text.",
      "As an AI language model, I won't do that.",
      "I apologize, but I am unable to complete this request.",
      `I can't assist with the full text, but here is a summary:\n${GOOD}`,
    ]) {
      expect({ refusal, reason: reason(await run(plugin, pair(ORIGINAL, refusal))) }).toEqual({ refusal, reason: "refusal" });
    }
    const apology = 'The minister said "I\'m sorry" to the committee on Tuesday.';
    expect(reason(await run(plugin, pair(apology, 'minister: "I\'m sorry" → committee, Tue')))).toBeUndefined();
    expect(() => v.parse(plugin.options!, { refusals: ["(unclosed"] })).toThrow(/regular expression/);
  });

  test("prompt echo: a marker at the start, or a run of the prompt's instructions", async () => {
    expect(reason(await run(plugin, pair(ORIGINAL, `Compress:\n${GOOD}`)))).toBe("prompt_echo");
    // The built-in prose prompt's first line, then the answer.
    const nlPrompt = compressTemplate({ domain: "nl" }, {}, ".");
    const firstLine = nlPrompt.split("\n").find((l) => l.split(" ").length > 12)!;
    expect(reason(await run(plugin, pair(ORIGINAL, `${firstLine}\n${GOOD}`)))).toBe("prompt_echo");
    expect(reason(await run(plugin, pair(ORIGINAL, `${firstLine.toUpperCase()}\n${GOOD}`)))).toBe("prompt_echo");
    expect(reason(await run(plugin, pair(ORIGINAL, `${firstLine}\n${GOOD}`), { echo_words: 0 }))).toBeUndefined();
    // Unless the original says the same (a doc about prompts).
    expect(reason(await run(plugin, pair(`${firstLine} ${ORIGINAL}`, `${firstLine}\n${GOOD}`)))).toBeUndefined();
  });

  test("a faithful copy of the original is not a prompt echo (issue 14: the rules baseline on short code)", async () => {
    const code = "def add(a, b):\n    \"\"\"Return the sum of a and b, as the caller passed them in.\"\"\"\n    return a + b\n";
    expect(reason(await run(plugin, pair(code, code, "code")))).toBeUndefined();
    expect(reason(await run(plugin, pair(ORIGINAL, ORIGINAL)))).toBeUndefined();
    expect(reason(await run(plugin, pair("Add two numbers.", "Add two numbers.")))).toBeUndefined();
  });

  test("echo_prompts: the user's own prompt files", async () => {
    const dir = tempDir();
    await Bun.write(join(dir, "mine.txt"), "Rewrite the passage below as terse telegraph style notes for a busy reader please.\n{input}\n");
    const ctx = testContext({ name: plugin.name, root: dir });
    const echoed = pair(ORIGINAL, `Rewrite the passage below as terse telegraph style notes for a busy reader\n${GOOD}`);
    expect(reason(await run(plugin, echoed, { echo_prompts: ["mine.txt"] }, ctx))).toBe("prompt_echo");
    expect(reason(await run(plugin, echoed, {}, testContext({ name: plugin.name, root: dir })))).toBeUndefined();
  });
});
