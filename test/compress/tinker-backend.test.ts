// The tinker backend against a local server speaking the OpenAI-compatible sampling API at
// <TINKER_BASE_URL>/oai/api/v1 (the real Tinker service is not reachable from tests).
import { afterAll, describe, expect, test } from "bun:test";
import { openCompressor } from "../../src/compress/open.ts";
import { oaiBaseUrl } from "../../src/compress/tinker-backend.ts";
import { CompressorError } from "../../src/compress/types.ts";
import { startStreamServer } from "../helpers/fake-oai-stream.ts";
import { fakeRun } from "../helpers/tiny-adapter.ts";

const SAMPLER = "tinker://run-123/sampler_weights/final";
const KEY = "tml-test-key-0123456789";

describe("tinker backend", () => {
  const server = startStreamServer({ requireKey: KEY, answer: () => ["fn add(a,b)", " → a+b"] });
  afterAll(() => server.stop());

  test("samples the run's sampler path with the student's prompt, streamed, key as X-API-Key", async () => {
    const dir = await fakeRun({ baseModel: "Qwen/Qwen3-8B", samplerPath: SAMPLER, adapter: "adapter", prompt: { system: "SYS", user_prefix: "Compress:\n" } }, "trainer/tinker");
    const c = await openCompressor(dir, { root: process.cwd(), env: { TINKER_API_KEY: KEY, TINKER_BASE_URL: `${server.url}/` } });
    expect(c.kind).toBe("tinker");
    const chunks: string[] = [];
    const r = await c.compress("def add(a, b):\n    return a + b\n", { onText: (s) => chunks.push(s) });
    expect(chunks).toEqual(["fn add(a,b)", " → a+b"]);
    expect(r.compressed).toBe("fn add(a,b) → a+b");
    const req = server.requests.at(-1)!;
    expect(req.path).toBe("/oai/api/v1/chat/completions");
    expect(req.body.model).toBe(SAMPLER);
    expect(req.body.stream).toBe(true);
    expect(req.body.temperature).toBe(0);
    expect(req.body.messages).toEqual([
      { role: "system", content: "SYS" },
      { role: "user", content: "Compress:\ndef add(a, b):\n    return a + b\n" },
    ]);
    expect(req.headers.get("x-api-key")).toBe(KEY);
  });

  test("without TINKER_API_KEY: a clear error naming the variable, before any request", async () => {
    const before = server.requests.length;
    const dir = await fakeRun({ baseModel: "Qwen/Qwen3-8B", samplerPath: SAMPLER }, "trainer/tinker");
    const e = await openCompressor(dir, { root: process.cwd(), env: { TINKER_BASE_URL: server.url } }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CompressorError);
    expect((e as Error).message).toContain("TINKER_API_KEY");
    expect(server.requests.length).toBe(before);
  });

  test("a run without a sampler path", async () => {
    const dir = await fakeRun({ baseModel: "Qwen/Qwen3-8B", adapter: "adapter" }, "trainer/tinker");
    const e = await openCompressor(dir, { root: process.cwd(), env: { TINKER_API_KEY: KEY } }).catch((x: unknown) => x);
    expect((e as Error).message).toContain("no tinker:// sampler path");
  });

  test("a wrong key: the service's 401 as a clear error, never the key", async () => {
    const dir = await fakeRun({ baseModel: "Qwen/Qwen3-8B", samplerPath: SAMPLER }, "trainer/tinker");
    const c = await openCompressor(dir, { root: process.cwd(), env: { TINKER_API_KEY: "tml-wrong", TINKER_BASE_URL: server.url } });
    const e = await c.compress("some text").catch((x: unknown) => x);
    expect(e).toBeInstanceOf(CompressorError);
    expect((e as Error).message).toContain("HTTP 401");
    expect((e as Error).message).not.toContain("tml-wrong");
  });

  test("the default base URL is Tinker's production service", () => {
    expect(oaiBaseUrl({})).toBe("https://tinker.thinkingmachines.dev/services/tinker-prod/oai/api/v1");
  });
});
