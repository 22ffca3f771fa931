import { describe, expect, test } from "bun:test";
import * as v from "valibot";
import plugin from "../../../plugins/filters/ratio.ts";
import { isReject } from "../../../src/sdk/doc.ts";
import type { Doc } from "../../../src/sdk/types.ts";
import { countTokens } from "../../../src/text/tokens.ts";
import { testContext } from "../../helpers/context.ts";
import { testFilterConformance } from "../_conformance.ts";
import { pair, reason, run } from "./_run.ts";

testFilterConformance(plugin, {});

const ORIGINAL = "The bridge, which opened in 1932, is not a toll road. It spans 503 metres across the river.";

describe("filter/ratio", () => {
  test("keeps a compression and scores it in Qwen3 tokens and characters", async () => {
    const compressed = "bridge opened 1932 | ¬toll | 503m";
    const out = (await run(plugin, pair(ORIGINAL, compressed))) as Doc;
    const [a, b] = [countTokens(ORIGINAL, "qwen3"), countTokens(compressed, "qwen3")];
    expect(out.scores).toMatchObject({ tokens_original: a, tokens_compressed: b, token_ratio: Math.round((b / a) * 1000) / 1000 });
    expect(out.scores.char_ratio).toBeCloseTo(compressed.length / ORIGINAL.length, 3);
  });

  test("rejects expansions (ratio ≥ 1) unless told not to", async () => {
    const longer = `${ORIGINAL} In other words, it is free.`;
    const r = await run(plugin, pair(ORIGINAL, longer));
    expect(reason(r)).toBe("expansion");
    expect(isReject(r) && r.detail).toContain("qwen3 tokens");
    expect(reason(await run(plugin, pair(ORIGINAL, ORIGINAL)))).toBe("expansion");
    expect(reason(await run(plugin, pair(ORIGINAL, longer), { reject_expansion: false }))).toBeUndefined();
  });

  test("optional bounds: max_token_ratio, min_token_ratio, max_char_ratio", async () => {
    const mild = "The bridge opened in 1932 and is not a toll road; it spans 503 metres across the river.";
    expect(reason(await run(plugin, pair(ORIGINAL, mild), { max_token_ratio: 0.5 }))).toBe("token_ratio_high");
    expect(reason(await run(plugin, pair(ORIGINAL, "x")))).toBe("token_ratio_low");
    expect(reason(await run(plugin, pair(ORIGINAL, "x"), { min_token_ratio: 0 }))).toBeUndefined();
    expect(reason(await run(plugin, pair(ORIGINAL, mild), { max_char_ratio: 0.5 }))).toBe("char_ratio_high");
  });

  test("the tokenizer is an option, checked when options are parsed", async () => {
    const compressed = "bridge 1932 | ¬toll | 503m";
    const out = (await run(plugin, pair(ORIGINAL, compressed), { tokenizer: "o200k_base" })) as Doc;
    expect(out.scores.tokens_original).toBe(countTokens(ORIGINAL, "o200k_base"));
    expect(() => v.parse(plugin.options!, { tokenizer: "qwen4" })).toThrow(/unknown tokenizer/);
  });

  test("a blank answer is left to filter/sanitize; a missing one is rejected", async () => {
    const ctx = testContext({ name: plugin.name });
    expect(reason(await run(plugin, pair(ORIGINAL, "  "), {}, ctx))).toBeUndefined();
    expect(ctx.counters["skipped:blank"]).toBe(1);
    expect(reason(await run(plugin, pair(ORIGINAL, undefined)))).toBe("no_compressed");
  });
});

test("preflight: min_token_ratio above max_token_ratio is a problem naming both keys", () => {
  const check = (o: Record<string, unknown>) => plugin.preflight!(v.parse(plugin.options!, o), { root: ".", env: {} });
  expect(check({ max_token_ratio: 0.9 })).toBeUndefined();
  expect(check({ min_token_ratio: 0.5, max_token_ratio: 0.3 })).toEqual(["min_token_ratio (0.5) is larger than max_token_ratio (0.3): every doc would be rejected"]);
});
