import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import plugin from "../../../plugins/filters/sanitize.ts";
import { testFilterConformance } from "../_conformance.ts";
import { pair, reason, run } from "./_run.ts";

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

  test("prompt echo: the instruction, or the original copied back", async () => {
    expect(reason(await run(plugin, pair(ORIGINAL, `Compress:\n${GOOD}`)))).toBe("prompt_echo");
    expect(reason(await run(plugin, pair(ORIGINAL, ORIGINAL)))).toBe("prompt_echo");
    expect(reason(await run(plugin, pair(ORIGINAL, `Summary:\n${ORIGINAL.toUpperCase().replace(/,/g, "")}`)))).toBe("prompt_echo");
    expect(reason(await run(plugin, pair(ORIGINAL, ORIGINAL), { echo_threshold: 1 }))).toBeUndefined();
    // Short originals overlap by chance: not judged.
    expect(reason(await run(plugin, pair("Add two numbers.", "Add two numbers.")))).toBeUndefined();
  });
});
