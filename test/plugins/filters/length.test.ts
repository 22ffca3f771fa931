import { describe, expect, test } from "bun:test";
import * as v from "valibot";
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

test("preflight: a minimum above its maximum is a problem naming both keys", () => {
  const check = (o: Record<string, unknown>) => plugin.preflight!(v.parse(plugin.options!, o), { root: ".", env: {} });
  expect(check({ min_chars: 10, max_chars: 100 })).toBeUndefined();
  expect(check({ min_chars: 500, max_chars: 100, min_tokens: 50, max_tokens: 20 })).toEqual([
    "min_chars (500) is larger than max_chars (100): every doc would be rejected",
    "min_tokens (50) is larger than max_tokens (20): every doc would be rejected",
  ]);
});
