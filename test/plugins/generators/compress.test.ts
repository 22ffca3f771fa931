// generator/compress against local fake providers: conformance, prompts per domain, fallback,
// teacher_error rejections, batch mode, preflight.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import plugin from "../../../plugins/generators/compress.ts";
import { makeDoc } from "../../../src/sdk/doc.ts";
import type { Doc } from "../../../src/sdk/types.ts";
import { testContext } from "../../helpers/context.ts";
import { startFakeAnthropic } from "../../helpers/fake-anthropic.ts";
import { startFakeOpenAI } from "../../helpers/fake-openai.ts";
import { sampleDocs, testGeneratorConformance } from "../_conformance.ts";

const KEY = "fake-anthropic-key-compress-987654321";
process.env.ANTHROPIC_API_KEY = KEY;
process.env.OPENAI_API_KEY = KEY;
const anthropic = startFakeAnthropic({ expectKey: KEY });
const openai = startFakeOpenAI({ expectKey: KEY });
afterAll(() => {
  anthropic.stop();
  openai.stop();
});

const base = {
  teacher: "anthropic:claude-sonnet-4-6",
  base_urls: { anthropic: anthropic.url, openai: openai.url },
  max_retries: 1,
  timeout_seconds: 5,
};
const parse = (o: Record<string, unknown>) => v.parse(plugin.options!, { ...base, ...o });

testGeneratorConformance(plugin, base);

function lastUser(server: { requests: Array<{ path: string; body: any }> }): string {
  const r = server.requests.findLast((x) => x.path.endsWith("/messages") || x.path.endsWith("/chat/completions"))!;
  return r.body.messages.at(-1).content;
}

test("code docs get the code prompt, prose and mixed the prose prompt; {input} is literal", async () => {
  const ctx = testContext({ name: plugin.name });
  const opts = parse({});
  const [code, nl, mixed] = sampleDocs() as [Doc, Doc, Doc];
  await plugin.generate(code, opts, ctx);
  expect(lastUser(anthropic)).toContain("Source:\n" + code.text);
  await plugin.generate(nl, opts, ctx);
  expect(lastUser(anthropic)).toContain("Text:\n" + nl.text);
  const out = await plugin.generate(mixed, opts, ctx);
  // The doc's own "{input}" and "$1" survive substitution untouched.
  expect(lastUser(anthropic)).toEndWith("Text:\n" + mixed.text + "\n");
  expect(out.meta).toMatchObject({ teacher: "anthropic:claude-sonnet-4-6", usage: { tokens_in: expect.any(Number), tokens_out: expect.any(Number) } });
  expect(out.meta.usd).toBeGreaterThan(0);
  expect(typeof out.meta.latency_ms).toBe("number");
});

test("max_output_ratio caps max_tokens relative to the input's tokens", async () => {
  const ctx = testContext({ name: plugin.name });
  const text = "word ".repeat(400);
  await plugin.generate(makeDoc({ text, domain: "nl", source: { path: "r.md" } }), parse({ max_output_ratio: 0.5 }), ctx);
  const body = anthropic.requests.findLast((r) => r.path === "/v1/messages")!.body as { max_tokens: number };
  const inTokens = ctx.countTokens(text, "claude");
  expect(body.max_tokens).toBe(Math.ceil(inTokens * 0.5));
});

test("own prompt files, relative to the pipeline folder, replace the built-in ones", async () => {
  const root = mkdtempSync(join(tmpdir(), "ctxc-prompts-"));
  writeFileSync(join(root, "code.txt"), "CODE PROMPT {input} END");
  const ctx = testContext({ name: plugin.name, root });
  const opts = parse({ prompts: { code: "code.txt" } });
  const doc = makeDoc({ text: "x = {1: 2}", domain: "code", source: { path: "x.py" } });
  await plugin.generate(doc, opts, ctx);
  expect(lastUser(anthropic)).toBe("CODE PROMPT x = {1: 2} END");
  writeFileSync(join(root, "bad.txt"), "no slot here");
  expect(plugin.preflight!(parse({ prompts: { nl: "bad.txt", code: "missing.txt" } }), { root, env: process.env })).toEqual([
    expect.stringContaining("file not found"),
    expect.stringContaining("no {input} placeholder"),
  ]);
});

test("preflight names a missing key variable and never prints a key", () => {
  const env = { OPENAI_API_KEY: "sk-secret-value" };
  const problems = plugin.preflight!(parse({ teacher: "anthropic:claude-sonnet-4-6", fallback: "openai:gpt-4.1" }), { root: ".", env }) ?? [];
  expect(problems).toEqual([expect.stringContaining("ANTHROPIC_API_KEY")]);
  expect(problems.join(" ")).not.toContain("sk-secret-value");
  expect(plugin.preflight!(parse({ teacher: "nope:model" }), { root: ".", env })?.[0]).toContain("unknown provider");
  expect(plugin.preflight!(parse({ teacher: "ollama:qwen3:8b" }), { root: ".", env: {} })).toEqual([]);
});

test("preflight: a base_urls typo or a non-URL, and an Anthropic teacher above temperature 1, are reported", () => {
  const env = { ANTHROPIC_API_KEY: "k", OPENAI_API_KEY: "k" };
  const problems = plugin.preflight!(parse({ base_urls: { olama: "http://gpu-box:11434/v1", vllm: "gpu-box:8000" } }), { root: ".", env }) ?? [];
  expect(problems).toEqual([expect.stringContaining('did you mean "ollama"'), expect.stringContaining('base_urls.vllm: "gpu-box:8000" is not an http:// or https:// URL')]);
  expect(plugin.preflight!(parse({ temperature: 1.2, fallback: "openai:gpt-4.1" }), { root: ".", env })).toEqual([expect.stringMatching(/^teacher "anthropic:claude-sonnet-4-6": Anthropic accepts temperature 0 to 1, not 1.2/)]);
  expect(plugin.preflight!(parse({ teacher: "openai:gpt-4.1", temperature: 1.2 }), { root: ".", env })).toEqual([]);
});

test("a failing teacher falls back to the second teacher", async () => {
  const ctx = testContext({ name: plugin.name });
  anthropic.faults.push({ kind: "500" }, { kind: "500" });
  const doc = makeDoc({ text: "fallback please", domain: "nl", source: { path: "f.md" } });
  const out = await plugin.generate(doc, parse({ fallback: "openai:gpt-4.1-mini" }), ctx);
  expect(out.meta.teacher).toBe("openai:gpt-4.1-mini");
  expect(ctx.counters.fallback_used).toBe(1);
});

test("without a fallback, a failing teacher throws reason teacher_error (a rejection, not a crash)", async () => {
  const ctx = testContext({ name: plugin.name });
  anthropic.faults.push({ kind: "529" }, { kind: "529" });
  const doc = makeDoc({ text: "overloaded", domain: "nl", source: { path: "o.md" } });
  const err = await Promise.resolve(plugin.generate(doc, parse({}), ctx)).catch((e) => e);
  expect(err.reason).toBe("teacher_error");
  expect(err.message).toStartWith("teacher_error:");
});

for (const [teacher, server] of [["anthropic:claude-haiku-4-5", anthropic], ["openai:gpt-4.1-mini", openai]] as const) {
  test(`an answer cut off at the output cap (${teacher.split(":")[0]}) rejects the doc as teacher_truncated`, async () => {
    const ctx = testContext({ name: plugin.name });
    server.faults.push({ kind: "truncated" });
    const doc = makeDoc({ text: `a doc whose compression is cut off ${teacher}`, domain: "nl", source: { path: "t.md" } });
    const err = await Promise.resolve(plugin.generate(doc, parse({ teacher, max_output_ratio: 0.5 }), ctx)).catch((e) => e);
    expect(err.reason).toBe("teacher_truncated");
    expect(err.message).toBe(`${teacher} hit the output cap (max_output_ratio 0.5); the compression is cut off`);
    // Not a teacher_error: the fallback would be cut off by the same cap, so it is not asked.
    const other = teacher.startsWith("anthropic") ? "openai:gpt-4.1-mini" : "anthropic:claude-haiku-4-5";
    server.faults.push({ kind: "truncated" });
    const doc2 = makeDoc({ text: `another cut-off doc ${teacher}`, domain: "nl", source: { path: "t2.md" } });
    const err2 = await Promise.resolve(plugin.generate(doc2, parse({ teacher, fallback: other }), ctx)).catch((e) => e);
    expect(err2.reason).toBe("teacher_truncated");
    expect(ctx.counters.fallback_used).toBeUndefined();
  });
}

test("concurrency: the option wins; batch mode defaults it to batch_size", () => {
  expect(plugin.concurrency).toBe(16);
  expect(parse({}).concurrency).toBe(16);
  expect(parse({ concurrency: 3 }).concurrency).toBe(3);
  expect(parse({ batch: true, batch_size: 200 }).concurrency).toBe(200);
});

for (const teacher of ["anthropic:claude-haiku-4-5", "openai:gpt-4.1-mini"]) {
  test(`batch mode (${teacher.split(":")[0]}): one batch for many docs, half price, re-run from cache`, async () => {
    const ctx = testContext({ name: plugin.name });
    const server = teacher.startsWith("anthropic") ? anthropic : openai;
    const opts = parse({ teacher, batch: true, batch_size: 5, batch_poll_seconds: 0.01 });
    const docs = Array.from({ length: 5 }, (_, i) => makeDoc({ text: `batch doc ${i} ${teacher}`, domain: "nl", source: { path: `${i}.md` } }));
    const before = { batches: server.batchesCreated, calls: server.completions };
    const out = await Promise.all(docs.map((d) => plugin.generate(d, opts, ctx)));
    expect(server.batchesCreated).toBe(before.batches + 1);
    expect(server.completions).toBe(before.calls);
    expect(out.every((d) => d.meta.batch === true && typeof d.compressed === "string")).toBe(true);
    const rows = ctx.store.ledger();
    expect(rows.every((r) => r.batch)).toBe(true);
    // Half price: compare with the same tokens at the synchronous price.
    const { costUsd } = await import("../../../src/llm/pricing.ts");
    const { parseModel } = await import("../../../src/llm/model-name.ts");
    const r0 = rows[0]!;
    expect(r0.usd).toBeCloseTo(costUsd(parseModel(teacher), r0, false)! / 2, 12);
    const again = await Promise.all(docs.map((d) => plugin.generate(d, opts, ctx)));
    expect(server.batchesCreated).toBe(before.batches + 1);
    expect(again.map((d) => d.compressed)).toEqual(out.map((d) => d.compressed));
    const st = ctx.state.list<{ status: string }>("batches");
    expect(st.every((s) => s.value.status === "collected")).toBe(true);
  });
}

test("batch mode submits a partial batch after the idle delay", async () => {
  const ctx = testContext({ name: plugin.name });
  const opts = parse({ teacher: "anthropic:claude-haiku-4-5", batch: true, batch_size: 100, batch_poll_seconds: 0.01 });
  const before = anthropic.batchesCreated;
  const docs = [1, 2].map((i) => makeDoc({ text: `idle doc ${i}`, domain: "nl", source: { path: `${i}.md` } }));
  const out = await Promise.all(docs.map((d) => plugin.generate(d, opts, ctx)));
  expect(anthropic.batchesCreated).toBe(before + 1);
  expect(out).toHaveLength(2);
});

test("batch mode: requests of a batch canceled before they ran are submitted again", async () => {
  const manual = startFakeAnthropic({ expectKey: KEY, batchEnd: "manual" });
  try {
    const ctx = testContext({ name: plugin.name });
    const opts = parse({ teacher: "anthropic:claude-haiku-4-5", batch: true, batch_size: 3, batch_poll_seconds: 0.01, base_urls: { anthropic: manual.url } });
    const docs = [1, 2, 3].map((i) => makeDoc({ text: `cancel doc ${i}`, domain: "nl", source: { path: `${i}.md` } }));
    const done = Promise.all(docs.map((d) => plugin.generate(d, opts, ctx)));
    const until = async (cond: () => boolean) => {
      while (!cond()) await Bun.sleep(5);
    };
    await until(() => ctx.state.list("batches").length === 1);
    const first = ctx.state.list<{ id: string }>("batches")[0]!.value.id;
    await fetch(`${manual.url}/v1/messages/batches/${first}/cancel`, { method: "POST", headers: { "x-api-key": KEY } });
    await until(() => manual.batchesCreated === 2);
    manual.endBatches();
    const out = await done;
    expect(out.map((d) => typeof d.compressed)).toEqual(["string", "string", "string"]);
    expect(manual.batchesCreated).toBe(2);
    expect(ctx.state.list<{ status: string }>("batches").map((b) => b.value.status)).toEqual(["collected", "collected"]);
  } finally {
    manual.stop();
  }
}, 20_000);

test("a wrong OpenAI key: the 401's quoted key fragment reaches no file and no log (ctxc run, a child process)", async () => {
  const { ctxc, workspace } = await import("../../helpers/cli.ts");
  const wrong = "sk-proj-wrongwrongwrongwrong-tail9Q";
  const toml = [
    'name = "wrong-key"',
    'out = "out"',
    "[[stages]]",
    'use = "loader/jsonl"',
    'paths = ["docs.jsonl"]',
    "[[stages]]",
    'use = "generator/compress"',
    'teacher = "openai:gpt-4.1-mini"',
    `base_urls = { openai = "${openai.url}" }`,
    "max_retries = 0",
    "",
  ].join("\n");
  const dir = await workspace({ "pipeline.toml": toml, "docs.jsonl": JSON.stringify({ text: "a doc the wrong key cannot compress" }) + "\n" });
  const r = await ctxc(["run", "pipeline.toml", "--verbose"], { cwd: dir, env: { OPENAI_API_KEY: wrong } });
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  // Every doc failed, so the run failed and kept its rejections as rejected.jsonl.partial.
  const rejected = walk(dir).filter((f) => /rejected\.jsonl(\.partial)?$/.test(f)).map((f) => readFileSync(f, "utf8")).join("");
  // The provider did answer 401 with the key quoted (masked), and ctxc rejected the doc with it masked again.
  expect(rejected).toContain("Incorrect API key provided: [key]");
  for (const fragment of [wrong, wrong.slice(-4), "sk-proj-"]) {
    for (const f of walk(dir)) expect({ f, fragment, found: readFileSync(f).toString("latin1").includes(fragment) }).toEqual({ f, fragment, found: false });
    expect({ fragment, inLogs: (r.stdout + r.stderr).includes(fragment) }).toEqual({ fragment, inLogs: false });
  }
}, 60_000);
