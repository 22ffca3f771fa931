import { expect, test } from "bun:test";
import * as v from "valibot";
import plugin from "../../plugins/generators/compress.ts";
import { estimateStage } from "../../src/llm/estimate.ts";
import { makeDoc } from "../../src/sdk/doc.ts";
import { testContext } from "../helpers/context.ts";
import { startFakeOpenAI } from "../helpers/fake-openai.ts";

const docs = [
  makeDoc({ text: "def f(x):\n    return x + 1\n", domain: "code", source: { path: "a.py" } }),
  makeDoc({ text: "The bridge opened in 1932 and is not a toll road.", domain: "nl", source: { path: "b.md" } }),
];

test("counts calls, prompt tokens, the output cap and USD before anything is sent", async () => {
  const ctx = testContext();
  const opts = v.parse(plugin.options!, { teacher: "anthropic:claude-sonnet-4-6", max_output_ratio: 0.5 });
  const e = await estimateStage(opts, docs, ctx);
  expect(e.calls).toBe(2);
  expect(e.cached).toBe(0);
  // Prompt tokens include the template, so they exceed the docs' own tokens.
  const docTokens = docs.reduce((n, d) => n + ctx.countTokens(d.text, "claude"), 0);
  expect(e.tokensIn).toBeGreaterThan(docTokens);
  expect(e.tokensOutEstimate).toBe(64); // both docs are small: the 32-token floor each
  expect(e.usd).toBeCloseTo((e.tokensIn * 3 + e.tokensOutEstimate * 15) / 1e6, 12);
  const batch = await estimateStage({ ...opts, batch: true }, docs, ctx);
  expect(batch.usd).toBeCloseTo(e.usd! / 2, 12);
  expect(ctx.store.ledger()).toEqual([]);
});

test("unknown price -> usd null; local -> 0; cached docs are free", async () => {
  const ctx = testContext();
  const unknown = await estimateStage(v.parse(plugin.options!, { teacher: "openai:gpt-nobody" }), docs, ctx);
  expect(unknown.usd).toBeNull();
  const server = startFakeOpenAI();
  try {
    const opts = v.parse(plugin.options!, { teacher: "vllm:m", base_urls: { vllm: server.url } });
    expect((await estimateStage(opts, docs, ctx)).usd).toBe(0);
    await plugin.generate(docs[0]!, opts, ctx);
    const after = await estimateStage(opts, docs, ctx);
    expect({ calls: after.calls, cached: after.cached }).toEqual({ calls: 1, cached: 1 });
  } finally {
    server.stop();
  }
});

test("generator/compress's estimate hook reports the same numbers", async () => {
  const ctx = testContext();
  const opts = v.parse(plugin.options!, { teacher: "openai:gpt-4.1-mini" });
  async function* stream() {
    yield* docs;
  }
  expect(await plugin.estimate!(stream(), opts, ctx)).toEqual([await estimateStage(opts, docs, ctx)]);
});
