// The serve API as a fetch handler: routes, bodies, limits, auth, the concurrency gate.
import { describe, expect, test } from "bun:test";
import { rulesCompressor } from "../../src/compress/rules.ts";
import type { Compressor } from "../../src/compress/types.ts";
import { createServeApp } from "../../src/serve/app.ts";

const post = (body: string, headers: Record<string, string> = {}) => new Request("http://x/v1/compress", { method: "POST", body, headers });
const PARA = "The function returns the sum of the two numbers. It does not throw; it returns NaN for bad input.";

describe("POST /v1/compress", () => {
  const app = createServeApp(rulesCompressor());

  test("{text} → one result with token counts and ms", async () => {
    const res = await app.fetch(post(JSON.stringify({ text: "def f(x):\n    # add one\n    return x + 1\n", domain: "code" })));
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body.model).toBe("rules");
    expect(body.compressed).toBe("def f(x):\n    return x + 1");
    expect(body.tokens_in).toBeGreaterThan(body.tokens_out as number);
    expect(typeof body.ms).toBe("number");
  });

  test("{texts} → results in order, with totals", async () => {
    const res = await app.fetch(post(JSON.stringify({ texts: [PARA, "", "x = 1  # one"], rate: 0.5 })));
    const body = (await res.json()) as { results: Array<{ compressed: string; tokens_in: number }>; tokens_in: number };
    expect(res.status).toBe(200);
    expect(body.results).toHaveLength(3);
    expect(body.results[1]!.compressed).toBe("");
    expect(body.tokens_in).toBe(body.results.reduce((a, r) => a + r.tokens_in, 0));
  });

  const bad: Array<[string, string, number, string]> = [
    ["malformed JSON", "{text: nope", 400, "not valid JSON"],
    ["an array", "[1]", 400, "must be a JSON object"],
    ["neither field", "{}", 400, 'exactly one of "text"'],
    ["both fields", JSON.stringify({ text: "a", texts: ["b"] }), 400, 'exactly one of "text"'],
    ["a number as text", JSON.stringify({ text: 5 }), 400, '"text" must be a string'],
    ["texts with a number", JSON.stringify({ texts: ["a", 1] }), 400, "array of strings"],
    ["rate out of range", JSON.stringify({ text: "a", rate: 1.5 }), 400, '"rate" must be a number in (0, 1]'],
    ["unknown domain", JSON.stringify({ text: "a", domain: "poetry" }), 400, '"domain" must be one of'],
    ["an unknown field", JSON.stringify({ txt: "a" }), 400, 'unknown field "txt"'],
  ];
  for (const [what, body, status, message] of bad) {
    test(`${what} → ${status} with a message`, async () => {
      const res = await app.fetch(post(body));
      expect(res.status).toBe(status);
      expect(((await res.json()) as { error: string }).error).toContain(message);
    });
  }

  test("oversized bodies → 413 (declared or actual size), too many texts → 413", async () => {
    const small = createServeApp(rulesCompressor(), { limits: { maxBodyBytes: 1000, maxTexts: 2 } });
    const big = JSON.stringify({ text: "x".repeat(2000) });
    let res = await small.fetch(post(big));
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toContain("at most 1000");
    // A body sent without a content-length (streamed) is measured as read.
    const stream = new ReadableStream({ start: (c) => (c.enqueue(new TextEncoder().encode(big)), c.close()) });
    res = await small.fetch(new Request("http://x/v1/compress", { method: "POST", body: stream }));
    expect(res.status).toBe(413);
    res = await small.fetch(post(JSON.stringify({ texts: ["a", "b", "c"] })));
    expect(res.status).toBe(413);
  });

  test("wrong method and unknown route", async () => {
    expect((await app.fetch(new Request("http://x/v1/compress"))).status).toBe(405);
    expect((await app.fetch(new Request("http://x/nope"))).status).toBe(404);
  });

  test("a compressor failure → 503 naming the backend", async () => {
    const broken: Compressor = { spec: "mlx:run", kind: "mlx", compress: () => Promise.reject(new Error("the model server stopped")) };
    const res = await createServeApp(broken).fetch(post(JSON.stringify({ text: "a" })));
    expect(res.status).toBe(503);
    expect(((await res.json()) as { error: string }).error).toBe("mlx:run: the model server stopped");
  });
});

test("the texts of one request are compressed concurrently (up to 8), results in input order", async () => {
  let inFlight = 0;
  let most = 0;
  const gates: Array<() => void> = [];
  const held: Compressor = {
    spec: "held",
    kind: "test",
    async compress(text) {
      most = Math.max(most, ++inFlight);
      await new Promise<void>((r) => gates.push(r));
      inFlight--;
      return { compressed: text.toUpperCase(), tokens_in: 1, tokens_out: 1, ms: 0 };
    },
  };
  const texts = Array.from({ length: 10 }, (_, i) => `t${i}`);
  const pending = createServeApp(held).fetch(post(JSON.stringify({ texts })));
  while (gates.length < 8) await Bun.sleep(1);
  expect(most).toBe(8);
  let done = false;
  void pending.then(() => (done = true));
  while (!done) {
    while (gates.length) gates.shift()!();
    await Bun.sleep(1);
  }
  const body = (await (await pending).json()) as { results: Array<{ compressed: string }> };
  expect(body.results.map((r) => r.compressed)).toEqual(texts.map((t) => t.toUpperCase()));
});

describe("GET routes and auth", () => {
  test("/health and /v1/models", async () => {
    const app = createServeApp(rulesCompressor());
    expect(await (await app.fetch(new Request("http://x/health"))).json()).toMatchObject({ status: "ok", model: "rules", kind: "rules" });
    expect(await (await app.fetch(new Request("http://x/v1/models"))).json()).toEqual({ object: "list", data: [{ id: "rules", object: "model", owned_by: "ctxc", kind: "rules" }] });
  });

  test("a token guards everything but /health", async () => {
    const app = createServeApp(rulesCompressor(), { token: "s3cret" });
    expect((await app.fetch(new Request("http://x/health"))).status).toBe(200);
    expect((await app.fetch(new Request("http://x/v1/models"))).status).toBe(401);
    expect((await app.fetch(post(JSON.stringify({ text: "a" }), { authorization: "Bearer wrong!" }))).status).toBe(401);
    const res = await app.fetch(post(JSON.stringify({ text: "a" }), { authorization: "Bearer s3cret" }));
    expect(res.status).toBe(200);
  });
});

describe("bounded concurrency", () => {
  test("beyond the running slots and the queue → 429 with retry-after; the others finish", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const slow: Compressor = {
      spec: "slow",
      kind: "test",
      async compress(text) {
        await held;
        return { compressed: text, tokens_in: 1, tokens_out: 1, ms: 0 };
      },
    };
    const app = createServeApp(slow, { limits: { concurrency: 1, queue: 1 } });
    const first = app.fetch(post(JSON.stringify({ text: "1" })));
    const second = app.fetch(post(JSON.stringify({ text: "2" })));
    while (app.gate.load.running < 1 || app.gate.load.waiting < 1) await Bun.sleep(1);
    const third = await app.fetch(post(JSON.stringify({ text: "3" })));
    expect(third.status).toBe(429);
    expect(third.headers.get("retry-after")).toBe("1");
    release();
    expect((await first).status).toBe(200);
    expect(((await (await second).json()) as { compressed: string }).compressed).toBe("2");
    expect(app.gate.load).toEqual({ running: 0, waiting: 0 });
  });
});
