import { expect, test } from "bun:test";
import { parseModel } from "../../src/llm/model-name.ts";
import { costUsd, priceFor } from "../../src/llm/pricing.ts";
import table from "../../src/llm/prices.json" with { type: "json" };

const spec = (name: string) => parseModel(name, { env: {} });

test("every price row is complete and positive", () => {
  for (const [provider, p] of Object.entries(table.providers)) {
    expect(p.batch_discount).toBeGreaterThan(0);
    for (const [model, m] of Object.entries(p.models)) {
      expect({ provider, model, ok: m.input > 0 && m.output > 0 && m.cached_input > 0 && m.cached_input <= m.input }).toEqual({ provider, model, ok: true });
    }
  }
  expect(Object.keys(table.providers)).toEqual(["anthropic", "openai", "gemini"]);
});

test("dated snapshots and -latest use their family's price", () => {
  expect(priceFor(spec("anthropic:claude-sonnet-4-5-20250929"))).toMatchObject({ input: 3, output: 15 });
  expect(priceFor(spec("openai:gpt-4o-mini-2024-07-18"))).toMatchObject({ input: 0.15 });
  expect(priceFor(spec("gemini:models/gemini-2.0-flash-001"))).toMatchObject({ input: 0.1 });
  // A different model that merely starts like a known one is unknown, not mispriced.
  expect(priceFor(spec("openai:gpt-5-pro"))).toBeUndefined();
});

test("cost: uncached input + cached input + output, batch discount, local free, unknown null", () => {
  const usd = costUsd(spec("anthropic:claude-haiku-4-5"), { tokensIn: 1_000_000, tokensOut: 1_000_000, cachedIn: 500_000 }, false);
  expect(usd).toBeCloseTo(0.5 * 1 + 0.5 * 0.1 + 5, 10);
  expect(costUsd(spec("anthropic:claude-haiku-4-5"), { tokensIn: 1_000_000, tokensOut: 0 }, true)).toBeCloseTo(0.5, 10);
  expect(costUsd(spec("ollama:qwen3:8b"), { tokensIn: 10, tokensOut: 10 }, false)).toBe(0);
  const warnings: string[] = [];
  expect(costUsd(spec("openai:gpt-99"), { tokensIn: 10, tokensOut: 10 }, false, (m) => warnings.push(m))).toBeNull();
  expect(costUsd(spec("openai:gpt-99"), { tokensIn: 10, tokensOut: 10 }, false, (m) => warnings.push(m))).toBeNull();
  expect(warnings).toHaveLength(1);
  expect(warnings[0]).toContain("openai:gpt-99");
});
