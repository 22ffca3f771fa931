// complete(): cache, ledger, and the real SDKs against local fake servers with injected faults.
import { afterAll, describe, expect, test } from "bun:test";
import { complete } from "../../src/llm/complete.ts";
import type { CompletionRequest } from "../../src/llm/types.ts";
import { testContext } from "../helpers/context.ts";
import { startFakeAnthropic } from "../helpers/fake-anthropic.ts";
import { fakeCompress } from "../helpers/fake-common.ts";
import { startFakeOpenAI } from "../helpers/fake-openai.ts";

const KEY = "sk-test-complete-0123456789";
const anthropic = startFakeAnthropic({ expectKey: KEY });
const openai = startFakeOpenAI({ expectKey: KEY });
const env = { ANTHROPIC_API_KEY: KEY, OPENAI_API_KEY: KEY };
afterAll(() => {
  anthropic.stop();
  openai.stop();
});

// Fast retries and timeouts keep fault tests short; the SDK's own back-off still applies.
function req(model: string, input: string, extra: Partial<CompletionRequest> = {}): CompletionRequest {
  return {
    model,
    template: "Compress:\n{input}",
    input,
    temperature: 0,
    maxTokens: 100,
    baseUrls: { anthropic: anthropic.url, openai: openai.url },
    client: { env, maxRetries: 2, timeoutMs: 2_000 },
    ...extra,
  };
}

for (const [provider, server] of [["anthropic", anthropic], ["openai", openai]] as const) {
  const model = provider === "anthropic" ? "anthropic:claude-sonnet-4-6" : "openai:gpt-4.1-mini";
  describe(provider, () => {
    test("answers, records cost, and a repeat is served from the cache with zero requests", async () => {
      const ctx = testContext();
      const input = `def f(x): return {x: 1} # ${provider} $1 {input}`;
      const first = await complete(ctx, req(model, input));
      expect(first.text).toBe(fakeCompress(`Compress:\n${input}`));
      expect(first.cached).toBe(false);
      expect(first.usd).toBeGreaterThan(0);
      const sent = server.completions;
      const again = await complete(ctx, req(model, input));
      expect(server.completions).toBe(sent);
      expect(again.cached).toBe(true);
      expect(again.text).toBe(first.text);
      const ledger = ctx.store.ledger();
      expect(ledger.map((r) => [r.model, r.cached, r.usd === 0])).toEqual([[model, false, false], [model, true, true]]);
      // The key reached the server (either header), and nowhere in the store.
      expect(server.requests.at(-1)?.auth).toBe(KEY);
      const dump = JSON.stringify(ctx.store.db.query("SELECT * FROM cache").all()) + JSON.stringify(ledger);
      expect(dump).not.toContain(KEY);
    });

    test("a different temperature, template or model is a different cache entry", async () => {
      const ctx = testContext();
      await complete(ctx, req(model, "same input"));
      const before = server.completions;
      await complete(ctx, req(model, "same input", { temperature: 0.5 }));
      await complete(ctx, req(model, "same input", { template: "Shorten: {input}" }));
      expect(server.completions).toBe(before + 2);
    }, 20_000);

    test("429 with retry-after, 500 and 529 are retried by the SDK and succeed", async () => {
      const ctx = testContext();
      server.faults.push({ kind: "429", retryAfter: "0.01" }, { kind: "500" });
      const a = await complete(ctx, req(model, "retry me please"));
      expect(a.text).toBe(fakeCompress("Compress:\nretry me please"));
      server.faults.push({ kind: "529" }, { kind: "429", retryAfterMs: "10" });
      const b = await complete(ctx, req(model, "and again"));
      expect(b.cached).toBe(false);
    });

    test("a hung connection times out and the retry succeeds", async () => {
      const ctx = testContext();
      server.faults.push({ kind: "hang" });
      const before = server.completions;
      const a = await complete(ctx, req(model, "hang once", { client: { env, maxRetries: 1, timeoutMs: 300 } }));
      expect(a.text.length).toBeGreaterThan(0);
      expect(server.completions).toBe(before + 2);
    }, 20_000);

    test("failures after retries become teacher_error; nothing is cached", async () => {
      const ctx = testContext();
      server.faults.push({ kind: "500" }, { kind: "500" }, { kind: "500" });
      const err = await complete(ctx, req(model, "always failing")).catch((e) => e);
      expect(err.reason).toBe("teacher_error");
      expect(err.message).toStartWith("teacher_error:");
      expect(err.message).toContain(model);
      expect(err.message).not.toContain(KEY);
      server.faults.push({ kind: "malformed" });
      const bad = await complete(ctx, req(model, "garbage answer")).catch((e) => e);
      expect(bad.reason).toBe("teacher_error");
      server.faults.push({ kind: "empty" });
      const empty = await complete(ctx, req(model, "empty answer")).catch((e) => e);
      expect(empty.reason).toBe("teacher_error");
      expect(empty.message).toContain("empty completion");
      expect(ctx.store.db.query("SELECT COUNT(*) AS n FROM cache").get()).toEqual({ n: 0 });
      // The next attempt is a real request (errors are never cached).
      const ok = await complete(ctx, req(model, "empty answer"));
      expect(ok.cached).toBe(false);
    });

    test("a wrong key fails with a message that names no key", async () => {
      const ctx = testContext();
      const wrong = "sk-wrong-key-zzzz";
      const err = await complete(ctx, req(model, "auth", { client: { env: { ANTHROPIC_API_KEY: wrong, OPENAI_API_KEY: wrong }, maxRetries: 0 } })).catch((e) => e);
      expect(err.reason).toBe("teacher_error");
      expect(err.message).toContain("401");
      expect(err.message).not.toContain(wrong);
      // OpenAI quotes the key masked but with its prefix and last four characters: none survive.
      expect(err.message).not.toContain("zzzz");
      expect(err.message).not.toContain("sk-wrong");
      if (provider === "openai") expect(err.message).toContain("Incorrect API key provided: [key]");
    });
  });
}

test("a stopping run sends nothing new but still serves cached answers", async () => {
  const ctx = testContext();
  const model = "openai:gpt-4.1-mini";
  await complete(ctx, req(model, "cached before the stop"));
  ctx.abort.abort();
  const before = openai.completions;
  expect((await complete(ctx, req(model, "cached before the stop"))).cached).toBe(true);
  const err = await complete(ctx, req(model, "new after the stop")).catch((e) => e);
  expect(err.reason).toBe("stopped");
  expect(openai.completions).toBe(before);
});

test("budget: once max_usd is spent, new calls are not sent", async () => {
  const ctx = testContext({ maxUsd: 1e-9 });
  const model = "anthropic:claude-opus-4-1";
  await complete(ctx, req(model, "the first call spends the budget"));
  expect(ctx.costs.overBudget()).toBe(true);
  const before = anthropic.completions;
  const err = await complete(ctx, req(model, "a second call")).catch((e) => e);
  expect(err.reason).toBe("stopped");
  expect(anthropic.completions).toBe(before);
});

test("an unknown model costs null (not 0) with one warning", async () => {
  const ctx = testContext();
  const warnings: string[] = [];
  ctx.log.warn = (m: string) => void warnings.push(m);
  const model = "openai:gpt-unknown-9";
  const a = await complete(ctx, req(model, "one"));
  await complete(ctx, req(model, "two"));
  expect(a.usd).toBeNull();
  expect(ctx.store.ledger().map((r) => r.usd)).toEqual([null, null]);
  expect(warnings.filter((w) => w.includes("gpt-unknown-9"))).toHaveLength(1);
});

test("a local OpenAI-compatible server needs no key and costs 0", async () => {
  const local = startFakeOpenAI();
  try {
    const ctx = testContext();
    const a = await complete(ctx, req(`openai-compatible:${local.url}#qwen3`, "local input", { client: { env: {} } }));
    expect(a.usd).toBe(0);
    expect(a.teacher).toBe(`openai-compatible:${local.url}#qwen3`);
    const b = await complete(ctx, { ...req("ollama:qwen3:8b", "via preset"), baseUrls: { ollama: local.url }, client: { env: {} } });
    expect(b.text).toBe(fakeCompress("Compress:\nvia preset"));
    expect(local.requests.at(-1)?.body).toMatchObject({ model: "qwen3:8b", max_tokens: 100 });
  } finally {
    local.stop();
  }
});

test("the same request twice at once (duplicate docs) is sent once", async () => {
  const ctx = testContext();
  const before = openai.completions;
  const [a, b] = await Promise.all([complete(ctx, req("openai:gpt-4.1-mini", "twin doc")), complete(ctx, req("openai:gpt-4.1-mini", "twin doc"))]);
  expect(openai.completions).toBe(before + 1);
  expect(a.text).toBe(b.text);
  expect([a.cached, b.cached].sort()).toEqual([false, true]);
  expect(ctx.store.ledger().filter((r) => !r.cached)).toHaveLength(1);
});
