import { afterAll, expect, test } from "bun:test";
import { complete } from "../../src/llm/complete.ts";
import { endpointFor } from "../../src/llm/clients.ts";
import { Limiter, retryAfterMs } from "../../src/llm/limiter.ts";
import { parseModel } from "../../src/llm/model-name.ts";
import { testContext } from "../helpers/context.ts";
import { startFakeOpenAI } from "../helpers/fake-openai.ts";

const tick = () => new Promise((r) => setTimeout(r, 0));

test("never more than `limit` in flight", async () => {
  const l = new Limiter(3);
  let active = 0;
  let max = 0;
  let done = 0;
  const gates: Array<() => void> = [];
  const job = () => l.run(async () => {
    max = Math.max(max, ++active);
    await new Promise<void>((r) => gates.push(r));
    active--;
    done++;
  });
  const all = Promise.all(Array.from({ length: 10 }, job));
  while (done < 10) {
    await tick();
    gates.shift()?.();
  }
  await all;
  expect(max).toBe(3);
});

test("a 429 halves the limit once per pause, and successes raise it back to the ceiling", () => {
  const l = new Limiter(16);
  l.onThrottle(10_000);
  expect(l.limit).toBe(8);
  l.onThrottle(10_000); // same storm: no second cut
  expect(l.limit).toBe(8);
  for (let i = 0; i < 8; i++) l.onSuccess();
  expect(l.limit).toBe(9);
  for (let i = 0; i < 100; i++) l.onSuccess();
  expect(l.limit).toBe(16);
});

test("new requests wait out the retry-after pause", async () => {
  const l = new Limiter(4);
  l.onThrottle(30);
  let started = false;
  const p = l.run(async () => void (started = true));
  await tick();
  expect(started).toBe(false);
  await p;
  expect(started).toBe(true);
});

test("a waiting request is released when the signal aborts", async () => {
  const l = new Limiter(1);
  l.onThrottle(60_000);
  const ac = new AbortController();
  const p = l.run(async () => 1, ac.signal);
  ac.abort(new Error("stop"));
  await expect(p).rejects.toThrow("stop");
});

test("retry-after-ms wins over retry-after; seconds and HTTP dates are understood", () => {
  expect(retryAfterMs(new Headers({ "retry-after-ms": "250", "retry-after": "9" }))).toBe(250);
  expect(retryAfterMs(new Headers({ "retry-after": "2" }))).toBe(2000);
  const d = retryAfterMs(new Headers({ "retry-after": new Date(Date.now() + 5000).toUTCString() }))!;
  expect(d).toBeGreaterThan(3000);
  expect(d).toBeLessThanOrEqual(5000);
  expect(retryAfterMs(new Headers())).toBeUndefined();
});

const server = startFakeOpenAI();
afterAll(() => server.stop());

test("a 429 storm against a real server lowers the endpoint's concurrency; every call still succeeds", async () => {
  const ctx = testContext();
  for (let i = 0; i < 8; i++) server.faults.push({ kind: "429", retryAfterMs: "20" });
  const calls = Array.from({ length: 16 }, (_, i) =>
    complete(ctx, { model: "vllm:m", template: "{input}", input: `storm ${i}`, maxTokens: 10, baseUrls: { vllm: server.url }, client: { env: {}, concurrency: 8, maxRetries: 5 } }),
  );
  const results = await Promise.all(calls);
  expect(results).toHaveLength(16);
  const l = endpointFor(parseModel("vllm:m", { baseUrls: { vllm: server.url } }), { env: {}, concurrency: 8 }).limiter;
  expect(l.throttled).toBe(8);
  // Cut to at most 4; 16 successes can win back at most 3 steps (4+5+6 successes).
  expect(l.limit).toBeLessThan(8);
});

test("providers reaching one server share its limiter; other servers and protocols get their own", () => {
  const env = {};
  const vllm = endpointFor(parseModel("vllm:m", { baseUrls: { vllm: server.url } }), { env });
  const compatible = endpointFor(parseModel(`openai-compatible:${server.url}#other-model`), { env });
  const local = endpointFor(parseModel("lmstudio:m", { baseUrls: { lmstudio: server.url } }), { env });
  expect(compatible.limiter).toBe(vllm.limiter);
  expect(local.limiter).toBe(vllm.limiter);
  const elsewhere = endpointFor(parseModel("vllm:m", { baseUrls: { vllm: "http://127.0.0.1:9/v1" } }), { env });
  expect(elsewhere.limiter).not.toBe(vllm.limiter);
  const anthropic = endpointFor(parseModel("anthropic:m", { baseUrls: { anthropic: server.url } }), { env: { ANTHROPIC_API_KEY: "k" } });
  expect(anthropic.limiter).not.toBe(vllm.limiter);
});
