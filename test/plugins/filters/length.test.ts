import { describe, expect, test } from "bun:test";
import plugin from "../../../plugins/filters/length.ts";
import type { Doc } from "../../../src/sdk/types.ts";
import { countTokens } from "../../../src/text/tokens.ts";
import { testFilterConformance } from "../_conformance.ts";
import { pair, reason, run } from "./_run.ts";

testFilterConformance(plugin, {});

const TEXT = "The bridge, which opened in 1932, is not a toll road. It spans 503 metres across the river.";

describe("filter/length", () => {
  test("token bounds on the original (default tokenizer qwen3), no compressed text needed", async () => {
    const n = countTokens(TEXT, "qwen3");
    const out = (await run(plugin, pair(TEXT, undefined))) as Doc;
    expect(out.scores.tokens_original).toBe(n);
    expect(reason(await run(plugin, pair("Outline of India", undefined)))).toBe("too_short");
    expect(reason(await run(plugin, pair(TEXT, undefined), { max_tokens: n - 1 }))).toBe("too_long");
    expect(reason(await run(plugin, pair(TEXT, undefined), { max_tokens: n }))).toBeUndefined();
    expect(reason(await run(plugin, pair(TEXT, undefined), { min_tokens: n + 1 }))).toBe("too_short");
    expect(reason(await run(plugin, pair(TEXT, undefined), { min_tokens: 1, tokenizer: "o200k_base", max_tokens: countTokens(TEXT, "o200k_base") - 1 }))).toBe("too_long");
  });

  test("character bounds", async () => {
    expect(reason(await run(plugin, pair(TEXT, undefined), { min_chars: TEXT.length + 1 }))).toBe("too_short");
    expect(reason(await run(plugin, pair(TEXT, undefined), { max_chars: TEXT.length - 1 }))).toBe("too_long");
    expect(reason(await run(plugin, pair(TEXT, undefined), { min_chars: TEXT.length, max_chars: TEXT.length }))).toBeUndefined();
  });
});
