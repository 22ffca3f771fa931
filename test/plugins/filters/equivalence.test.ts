// filter/equivalence against the local fake providers (through test/helpers/fake-judge.ts, which
// scripts the judges' replies): conformance, verdict parsing and repair, refusals, provider
// failures, two judges that disagree, tasks mode, batch mode, stats, cache, keys, estimate.
import { afterAll, describe, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import plugin from "../../../plugins/filters/equivalence.ts";
import { createStageContext } from "../../../src/core/context.ts";
import { Store } from "../../../src/core/store.ts";
import { isReject, makeDoc } from "../../../src/sdk/doc.ts";
import type { Doc, Domain, Reject, StageContext } from "../../../src/sdk/types.ts";
import { testContext } from "../../helpers/context.ts";
import { startFakeJudge, verdictJson } from "../../helpers/fake-judge.ts";
import { testFilterConformance } from "../_conformance.ts";

const KEY = "sk-judge-test-SECRET-71c3e9a0b2";
process.env.OPENAI_API_KEY = KEY;
process.env.ANTHROPIC_API_KEY = KEY;

const A = "openai:gpt-4.1-mini";
const B = "anthropic:claude-haiku-4-5";

const numbers = (s: string) => [...new Set(s.match(/\d+/g) ?? [])].sort();

/** What the scripted judges answer, from markers in the doc's text (`case:…`) and the prompt kind. */
function script(user: string, model: string): string {
  if (user.includes("<previous_answer>")) {
    if (user.includes("case:unrepairable")) return "{verdict: equivalent, score: high} (still not JSON)";
    return verdictJson(0.91, { rationale: "repaired" });
  }
  // Tasks mode: an answer lists the numbers of its text; the comparison checks them.
  if (/^(List every fact|What follows from|Explain the behaviour|Re-implement)/.test(user)) {
    if (user.includes("case:task-refusal") && user.includes("<<c>>")) return "I'm sorry, but I can't help with that.";
    return `facts: ${numbers(user).join(", ")}`;
  }
  if (user.includes("<reference>")) {
    const missing: string[] = [];
    for (const m of user.matchAll(/<reference>\n([\s\S]*?)\n<\/reference>\n<candidate>\n([\s\S]*?)\n<\/candidate>/g)) {
      const cand = numbers(m[2]!);
      for (const n of numbers(m[1]!)) if (!cand.includes(n) && !missing.includes(n)) missing.push(n);
    }
    return missing.length ? verdictJson(0.4, { missing: missing.map((n) => `the number ${n}`) }) : verdictJson(0.95);
  }
  if (user.includes("case:fenced")) return `Sure. Here is my assessment:\n\`\`\`json\n${verdictJson(0.93, { verdict: "Equivalent" })}\n\`\`\`\nLet me know if you need more.`;
  if (user.includes("case:think")) return `<think>{"score": 0.1} is what I first thought</think>\n${verdictJson(0.88)}`;
  if (user.includes("case:repairable")) return "The compressed text is equivalent; I would give it 0.9.";
  if (user.includes("case:out-of-range")) return JSON.stringify({ verdict: "equivalent", score: 1.4, confidence: 0.9, missing_facts: [] });
  if (user.includes("case:unrepairable")) return "{verdict: equivalent, score: high}";
  if (user.includes("case:refusal")) return "I'm sorry, but I can't help with evaluating this content.";
  if (user.includes("case:disagree")) {
    return model.startsWith("gpt") ? verdictJson(0.95) : verdictJson(0.6, { missing: ["the bridge is not a toll road"], confidence: 0.7, rationale: "negation lost" });
  }
  if (user.includes("case:both-pass")) return model.startsWith("gpt") ? verdictJson(0.97) : verdictJson(0.85);
  if (user.includes("case:both-fail")) return verdictJson(0.3, { missing: ["everything"] });
  return verdictJson(0.9);
}

const openai = startFakeJudge("openai", script, { expectKey: KEY });
const anthropic = startFakeJudge("anthropic", script, { expectKey: KEY });
afterAll(() => {
  openai.stop();
  anthropic.stop();
});

const base = { judges: [A], base_urls: { openai: openai.url, anthropic: anthropic.url }, max_retries: 0, timeout_seconds: 5 };
const parse = (o: Record<string, unknown> = {}) => v.parse(plugin.options!, { ...base, ...o });
const completions = () => openai.fake.completions + anthropic.fake.completions;

let n = 0;
/** A unique tag without digits (the tasks-mode script compares the numbers in answers). */
const tag = () => [...(n++).toString(26)].map((c) => String.fromCharCode(97 + parseInt(c, 26))).join("");
/** A pair with a unique text (so no test is answered from another test's cache). */
function pair(marker: string, opts: { domain?: Domain; compressed?: string; ratio?: number; text?: string } = {}): Doc {
  const text = opts.text ?? `The bridge, which opened in 1932, is not a toll road (${marker}, ${tag()}). It spans 503 metres.`;
  const doc = makeDoc({ text, domain: opts.domain ?? "nl", source: { path: "t.md" }, compressed: opts.compressed ?? `bridge 1932 | ¬toll | 503 m (${marker})` });
  if (opts.ratio !== undefined) doc.scores.token_ratio = opts.ratio;
  return doc;
}

async function judge(doc: Doc, o: Record<string, unknown> = {}, ctx = testContext({ name: plugin.name })): Promise<{ out: Doc | Reject; doc: Doc }> {
  const input = structuredClone(doc);
  return { out: await plugin.filter(input, parse(o), ctx), doc: input };
}

testFilterConformance(plugin, base);

describe("direct method", () => {
  test("a passing pair gets its scores and the judges' verdicts", async () => {
    const { out } = await judge(pair("plain"));
    expect(isReject(out)).toBe(false);
    const d = out as Doc;
    expect(d.scores).toMatchObject({ equivalence: 0.9, [`equivalence.${A}`]: 0.9, judge_disagreement: 0 });
    expect(d.meta.equivalence).toMatchObject({ method: "direct", threshold: 0.8, passed: true, missing_facts: [], judges: { [A]: { verdict: "equivalent", score: 0.9, confidence: 0.9, rationale: "scored 0.9" } } });
  });

  test("the judge sees both texts with the prose prompt; code pairs get the code prompt", async () => {
    const doc = pair("prompts");
    await judge(doc);
    const user = (openai.fake.requests.findLast((r) => r.path.endsWith("/chat/completions"))!.body as any).messages.at(-1).content as string;
    expect(user).toContain(`<original>\n${doc.text}\n</original>`);
    expect(user).toContain(`<compressed>\n${doc.compressed}\n</compressed>`);
    expect(user).toContain("negation and certainty");
    await judge(pair("code", { domain: "code", text: `def f(x):\n    return x + ${n++}\n`, compressed: "def f(x): return x+1" }));
    const codeUser = (openai.fake.requests.findLast((r) => r.path.endsWith("/chat/completions"))!.body as any).messages.at(-1).content as string;
    expect(codeUser).toContain("error handling: errors raised");
  });

  test("JSON inside a code fence with prose around it, or after a <think> block, is parsed", async () => {
    const fenced = await judge(pair("case:fenced"));
    expect((fenced.out as Doc).scores.equivalence).toBe(0.93);
    expect(((fenced.out as Doc).meta.equivalence as any).judges[A].verdict).toBe("equivalent");
    const think = await judge(pair("case:think"));
    expect((think.out as Doc).scores.equivalence).toBe(0.88);
  });

  test("malformed output is repaired by exactly one more call that carries the bad answer and the error", async () => {
    const ctx = testContext({ name: plugin.name });
    const before = openai.fake.completions;
    const { out } = await judge(pair("case:repairable"), {}, ctx);
    expect(openai.fake.completions - before).toBe(2);
    expect((out as Doc).scores.equivalence).toBe(0.91);
    expect(((out as Doc).meta.equivalence as any).judges[A].repaired).toBe(true);
    const repair = (openai.fake.requests.findLast((r) => r.path.endsWith("/chat/completions"))!.body as any).messages.at(-1).content as string;
    expect(repair).toContain("<previous_answer>\nThe compressed text is equivalent; I would give it 0.9.\n</previous_answer>");
    expect(repair).toContain("Why it could not be used: no JSON object found");
    expect(ctx.counters.judge_repaired).toBe(1);
    // A score out of [0, 1] is malformed too, and repaired the same way.
    const range = await judge(pair("case:out-of-range"));
    expect((range.out as Doc).scores.equivalence).toBe(0.91);
  });

  test("still malformed after the repair -> judge_error, never a score", async () => {
    const ctx = testContext({ name: plugin.name });
    const before = openai.fake.completions;
    const { out, doc } = await judge(pair("case:unrepairable"), {}, ctx);
    expect(openai.fake.completions - before).toBe(2);
    expect(isReject(out) && out.reason).toBe("judge_error");
    expect((out as Reject).detail).toContain("after the repair request");
    expect(doc.scores.equivalence).toBeUndefined();
    expect((doc.meta.equivalence as any).judges[A].kind).toBe("malformed");
    expect(ctx.counters).toMatchObject({ judge_error: 1, "judge_error:malformed": 1 });
    expect(ctx.counters.pass ?? 0).toBe(0);
    // The answers were paid for and cached: asking again returns the same, so not retryable.
    expect((out as Reject).retryable).toBeUndefined();
  });

  test("a refusal is a judge_error at once (no repair call)", async () => {
    const ctx = testContext({ name: plugin.name });
    const before = openai.fake.completions;
    const { out } = await judge(pair("case:refusal"), {}, ctx);
    expect(openai.fake.completions - before).toBe(1);
    expect(isReject(out) && out.reason).toBe("judge_error");
    expect((out as Reject).detail).toContain("refused");
    expect(ctx.counters["judge_error:refusal"]).toBe(1);
  });

  test("a provider failure after the SDK's retries is a judge_error naming the judge, not a crash", async () => {
    const ctx = testContext({ name: plugin.name });
    openai.fake.faults.push({ kind: "500" });
    const { out } = await judge(pair("provider"), {}, ctx);
    expect(isReject(out) && out.reason).toBe("judge_error");
    expect((out as Reject).detail).toContain(`${A} provider`);
    expect((out as Reject).detail).toContain("HTTP 500");
    expect((out as Reject).detail).not.toContain(KEY);
    expect(ctx.counters["judge_error:provider"]).toBe(1);
    // Never cached: the next run asks again (see isRetryable, docs/reliability.md).
    expect((out as Reject).retryable).toBe(true);
  });

  test("two judges that disagree: the minimum decides, the disagreement is recorded", async () => {
    const ctx = testContext({ name: plugin.name });
    const { out, doc } = await judge(pair("case:disagree"), { judges: [A, B] }, ctx);
    expect(isReject(out) && out.reason).toBe("not_equivalent");
    expect((out as Reject).detail).toContain("min score 0.6 < 0.8");
    expect((out as Reject).detail).toContain("missing: the bridge is not a toll road");
    // The rejected doc carries the verdicts (the runner writes it to rejected.jsonl).
    expect(doc.scores).toMatchObject({ equivalence: 0.6, [`equivalence.${A}`]: 0.95, [`equivalence.${B}`]: 0.6, judge_disagreement: 0.35 });
    const meta = doc.meta.equivalence as any;
    expect(meta.passed).toBe(false);
    expect(meta.missing_facts).toEqual(["the bridge is not a toll road"]);
    expect(meta.judges[B]).toMatchObject({ verdict: "partial", confidence: 0.7, rationale: "negation lost" });
    expect(ctx.counters).toMatchObject({ fail: 1, judges_disagree: 1, [`judge:${B}:fail`]: 1 });
    expect(ctx.counters[`judge:${A}:fail`]).toBeUndefined();
    // Both above the threshold: they differ in score but agree on pass.
    const both = await judge(pair("case:both-pass"), { judges: [A, B] }, ctx);
    expect((both.out as Doc).scores).toMatchObject({ equivalence: 0.85, judge_disagreement: 0.12 });
    expect(ctx.counters).toMatchObject({ pass: 1, judges_disagree: 1 });
  });

  test("a judge error of one judge rejects the pair even when the other passes it", async () => {
    anthropic.fake.faults.push({ kind: "500" });
    const { out, doc } = await judge(pair("one-fails"), { judges: [A, B] });
    expect(isReject(out) && out.reason).toBe("judge_error");
    expect((out as Reject).detail).toContain(`other judges: ${A} 0.9`);
    expect(doc.scores[`equivalence.${A}`]).toBe(0.9);
    expect(doc.scores.equivalence).toBeUndefined();
  });

  test("blank texts and missing compressions are rejected without asking anyone", async () => {
    const before = completions();
    expect(await plugin.filter(pair("blank", { compressed: "  " }), parse(), testContext())).toMatchObject({ reason: "empty" });
    const { compressed: _c, ...bare } = pair("none");
    expect(await plugin.filter(bare as Doc, parse(), testContext())).toMatchObject({ reason: "no_compressed" });
    expect(completions()).toBe(before);
  });
});

describe("stats.json", () => {
  test("pass/fail, judge errors, mean and min, and equivalence by compression-ratio bucket", async () => {
    const ctx = testContext({ name: plugin.name });
    const o = {};
    await judge(pair("s1", { ratio: 0.2 }), o, ctx); // 0.9 pass, <0.3
    await judge(pair("case:both-fail s2", { ratio: 0.25 }), o, ctx); // 0.3 fail, <0.3
    await judge(pair("case:both-fail s3", { ratio: 0.4 }), o, ctx); // 0.3 fail, <0.5
    await judge(pair("case:fenced s4", { ratio: 0.6 }), o, ctx); // 0.93 pass, <0.7
    await judge(pair("s5", { ratio: 0.7 }), o, ctx); // 0.9 pass, >=0.7
    await judge(pair("case:refusal s6", { ratio: 0.2 }), o, ctx); // judge_error: in no bucket
    expect(ctx.counters).toMatchObject({
      pass: 3,
      fail: 2,
      judge_error: 1,
      judged: 5,
      equivalence_sum_milli: 900 + 300 + 300 + 930 + 900,
      equivalence_min_milli: 300,
      "bucket:<0.3:n": 2,
      "bucket:<0.3:sum_milli": 1200,
      "bucket:<0.3:fail": 1,
      "bucket:<0.5:n": 1,
      "bucket:<0.5:fail": 1,
      "bucket:<0.7:n": 1,
      "bucket:<0.7:sum_milli": 930,
      "bucket:>=0.7:n": 1,
    });
    expect(ctx.counters["bucket:<0.7:fail"]).toBeUndefined();
  });

  test("without a token_ratio score, the ratio is counted with the student's tokenizer", async () => {
    const ctx = testContext({ name: plugin.name });
    const doc = pair("ratio", { text: `word `.repeat(200) + `#${n++}`, compressed: "word" });
    const { out } = await judge(doc, {}, ctx);
    expect(((out as Doc).meta.equivalence as any).ratio).toBeLessThan(0.3);
    expect(ctx.counters["bucket:<0.3:n"]).toBe(1);
  });
});

describe("tasks method", () => {
  test("each judge answers both tasks from both texts, then compares: 5 calls per judge", async () => {
    const ctx = testContext({ name: plugin.name });
    const before = { a: openai.fake.completions, b: anthropic.fake.completions };
    const { out } = await judge(pair("tasks-keep"), { method: "tasks", judges: [A, B] }, ctx);
    expect({ a: openai.fake.completions - before.a, b: anthropic.fake.completions - before.b }).toEqual({ a: 5, b: 5 });
    expect((out as Doc).scores.equivalence).toBe(0.95);
    expect(((out as Doc).meta.equivalence as any).method).toBe("tasks");
    const users = openai.fake.requests.slice(-5).map((r) => (r.body as any).messages.at(-1).content as string);
    expect(users.filter((u) => u.startsWith("List every fact")).length).toBe(2);
    expect(users.filter((u) => u.startsWith("What follows from")).length).toBe(2);
    expect(users.at(-1)).toContain("Task 1 (qa): list every fact stated in the text");
    expect(ctx.counters.judge_calls).toBe(10);
  });

  test("a compression that drops a number fails: the answers differ and the comparison lists it", async () => {
    const { out } = await judge(pair("tasks-drop", { compressed: "bridge 1932 | ¬toll road" }), { method: "tasks" });
    expect(isReject(out) && out.reason).toBe("not_equivalent");
    expect((out as Reject).detail).toContain("the number 503");
  });

  test("code pairs get the explain and re-implement tasks", async () => {
    const before = openai.fake.requests.length;
    await judge(pair("tasks-code", { domain: "code", text: `def f(x):\n    return x + ${n++}\n`, compressed: "def f(x): return x+1" }), { method: "tasks" });
    const users = openai.fake.requests.slice(before).map((r) => (r.body as any).messages.at(-1).content as string);
    expect(users.filter((u) => u.startsWith("Explain the behaviour")).length).toBe(2);
    expect(users.filter((u) => u.startsWith("Re-implement")).length).toBe(2);
  });

  test("a refused task answer is a judge_error", async () => {
    const { out } = await judge(pair("case:task-refusal", { compressed: "bridge <<c>> 1932 503 case:task-refusal" }), { method: "tasks" });
    expect(isReject(out) && out.reason).toBe("judge_error");
    expect((out as Reject).detail).toContain("refused");
  });
});

/** A context on a SQLite file, as a real run has. */
function fileContext(dir: string): StageContext & { store: Store; counters: Record<string, number> } {
  const store = new Store(join(dir, "ctxc.sqlite"));
  const counters: Record<string, number> = {};
  const ctx = createStageContext({
    stage: { index: 2, name: plugin.name, use: plugin.name, label: "02-filter-equivalence" },
    paths: { root: dir, out: dir, stage: dir },
    store,
    pipeline: "test",
    signal: new AbortController().signal,
    counters,
  });
  return Object.assign(ctx, { store, counters });
}

describe("cache and keys", () => {
  test("a re-run on the same workspace database sends zero requests and decides the same; no key in any file", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ctxc-judge-"));
    const docs = [pair("cache-1"), pair("case:repairable cache-2"), pair("case:disagree cache-3"), pair("case:unrepairable cache-4")];
    const run = async (method: string) => {
      const ctx = fileContext(dir);
      const out = [];
      for (const d of docs) out.push(await plugin.filter(structuredClone(d), parse({ judges: [A, B], method }), ctx));
      ctx.store.close();
      return out.map((o) => (isReject(o) ? o.reason : o.scores.equivalence));
    };
    for (const method of ["direct", "tasks"]) {
      const before = completions();
      const first = await run(method);
      expect(completions()).toBeGreaterThan(before);
      const sent = completions();
      expect(await run(method)).toEqual(first);
      expect(completions()).toBe(sent);
    }
    // The fake only answers the configured key (401 otherwise), so the key was sent — and stored nowhere.
    expect(openai.fake.requests.at(-1)!.auth).toBe(KEY);
    for (const f of readdirSync(dir)) {
      const bytes = readFileSync(join(dir, f)).toString("latin1");
      expect({ f, key: bytes.includes(KEY) }).toEqual({ f, key: false });
    }
  });
});

describe("batch mode", () => {
  for (const [judgeName, server] of [[A, openai], [B, anthropic]] as const) {
    test(`${judgeName.split(":")[0]}: a batch per judge model, scripted verdicts read back from the results`, async () => {
      const ctx = testContext({ name: plugin.name });
      const o = parse({ judges: [judgeName], batch: true, batch_size: 3, batch_poll_seconds: 0.01 });
      expect(o.concurrency).toBe(3);
      const before = { batches: server.fake.batchesCreated, calls: server.fake.completions };
      const docs = [pair("batch-1"), pair("case:both-fail batch-2"), pair("case:fenced batch-3")];
      const out = await Promise.all(docs.map((d) => plugin.filter(structuredClone(d), o, ctx)));
      expect(server.fake.batchesCreated - before.batches).toBe(1);
      expect(server.fake.completions).toBe(before.calls);
      expect(out.map((r) => (isReject(r) ? r.reason : r.scores.equivalence))).toEqual([0.9, "not_equivalent", 0.93]);
      expect(ctx.store.ledger().every((r) => r.batch)).toBe(true);
    });
  }
});

describe("preflight and options", () => {
  test("a missing key names the variable of that judge, never a key's value", () => {
    const env = { OPENAI_API_KEY: "sk-secret-value" };
    const problems = plugin.preflight!(parse({ judges: [A, B, "ollama:qwen3:8b"] }), { root: ".", env }) ?? [];
    expect(problems).toEqual([expect.stringMatching(/^judges\[1\] "anthropic:claude-haiku-4-5" needs the environment variable ANTHROPIC_API_KEY/)]);
    expect(problems.join(" ")).not.toContain("sk-secret-value");
    expect(plugin.preflight!(parse({ judges: ["nope:x"] }), { root: ".", env })?.[0]).toContain("unknown provider");
  });

  test("a base_urls typo, a non-URL and an Anthropic judge above temperature 1 are preflight problems", () => {
    const env = { OPENAI_API_KEY: "k", ANTHROPIC_API_KEY: "k" };
    const problems = plugin.preflight!(parse({ judges: [A, B], temperature: 1.5, base_urls: { openai: openai.url, antrhopic: "http://x", ollama: "localhost:11434" } }), { root: ".", env }) ?? [];
    expect(problems).toEqual([
      expect.stringMatching(/^judges\[1\] "anthropic:claude-haiku-4-5": Anthropic accepts temperature 0 to 1, not 1.5/),
      expect.stringContaining('base_urls.antrhopic: no provider is called "antrhopic"; did you mean "anthropic"?'),
      expect.stringContaining('base_urls.ollama: "localhost:11434" is not an http:// or https:// URL'),
    ]);
  });

  test("prompt files: own prompts replace ours; a missing file or {input} is a preflight problem", async () => {
    const root = mkdtempSync(join(tmpdir(), "ctxc-judge-prompts-"));
    writeFileSync(join(root, "nl.txt"), "MY JUDGE {input} END");
    writeFileSync(join(root, "bad.txt"), "no slot");
    expect(plugin.preflight!(parse({ prompts: { nl: "bad.txt", code: "missing.txt" } }), { root, env: process.env })).toEqual([
      expect.stringContaining("prompts.code: file not found"),
      expect.stringContaining("prompts.nl: " + join(root, "bad.txt") + " has no {input} placeholder"),
    ]);
    const doc = pair("own-prompt");
    await plugin.filter(structuredClone(doc), parse({ prompts: { nl: "nl.txt" } }), testContext({ name: plugin.name, root }));
    const user = (openai.fake.requests.findLast((r) => r.path.endsWith("/chat/completions"))!.body as any).messages.at(-1).content as string;
    expect(user).toStartWith("MY JUDGE <original>\n");
  });

  test("options: defaults, validation, every option described", () => {
    const o = parse();
    expect(o).toMatchObject({ threshold: 0.8, method: "direct", temperature: 0, concurrency: 8, batch: false });
    expect(() => parse({ judges: [] })).toThrow();
    expect(() => parse({ judges: [A, A] })).toThrow("listed twice");
    expect(() => parse({ threshold: 1.5 })).toThrow();
    expect(() => parse({ method: "vibes" })).toThrow();
    const entries = (plugin.options as any).pipe[0].entries as Record<string, any>;
    for (const [key, schema] of Object.entries(entries)) {
      const inner = schema.type === "optional" ? schema.wrapped : schema;
      const described = inner.pipe?.some((a: any) => a.type === "description") || key === "prompts";
      expect({ key, described }).toEqual({ key, described: true });
    }
    const body = (openai.fake.requests.findLast((r) => r.path.endsWith("/chat/completions"))?.body ?? {}) as any;
    expect(body.temperature).toBe(0);
  });
});

describe("estimate", () => {
  async function* stream(docs: Doc[]) {
    yield* docs;
  }
  test("direct: one call per judge per doc, priced; cached pairs are free; nothing is sent", async () => {
    const ctx = testContext({ name: plugin.name });
    const docs = [pair("est-1"), pair("est-2"), pair("est-blank", { compressed: " " })];
    const o = parse({ judges: [A, B] });
    const before = completions();
    const [ea, eb] = await plugin.estimate!(stream(docs), o, ctx);
    expect(completions()).toBe(before);
    expect(ea).toMatchObject({ model: A, calls: 2, cached: 0, tokensOutEstimate: 2 * 1024 });
    expect(eb).toMatchObject({ model: B, calls: 2, cached: 0 });
    expect(ea!.usd).toBeGreaterThan(0);
    await plugin.filter(structuredClone(docs[0]!), o, ctx);
    const [after] = await plugin.estimate!(stream(docs), o, ctx);
    expect(after).toMatchObject({ calls: 1, cached: 1 });
  });

  test("tasks: answers and the comparison per judge; docs not yet compressed are priced with the original", async () => {
    const ctx = testContext({ name: plugin.name });
    const { compressed: _c, ...bare } = pair("est-tasks");
    const o = parse({ method: "tasks" });
    const [e] = await plugin.estimate!(stream([bare as Doc]), o, ctx);
    expect(e).toMatchObject({ model: A, calls: 5, cached: 0 });
    const doc = pair("est-tasks-run");
    await plugin.filter(structuredClone(doc), o, ctx);
    const [again] = await plugin.estimate!(stream([doc]), o, ctx);
    // With the answers cached, the exact comparison request is known — and cached too.
    expect(again).toMatchObject({ calls: 0, cached: 5 });
  });
});

describe("in a pipeline (ctxc run, a child process)", () => {
  test("stats.json, rejected.jsonl with the verdicts, --estimate, and no key in any file", async () => {
    const { ctxc, workspace } = await import("../../helpers/cli.ts");
    const rows = [
      { text: "The bridge opened in 1932 and is not a toll road (run-a).", compressed: "bridge 1932 | ¬toll (run-a)", domain: "nl", scores: { token_ratio: 0.4 } },
      { text: "The bridge opened in 1932 and is not a toll road (case:disagree run-b).", compressed: "bridge 1932 (case:disagree run-b)", domain: "nl", scores: { token_ratio: 0.2 } },
      { text: "The bridge opened in 1932 and is not a toll road (case:refusal run-c).", compressed: "bridge 1932 ¬toll (case:refusal run-c)", domain: "nl", scores: { token_ratio: 0.8 } },
    ];
    const toml = [
      'name = "judge-e2e"',
      'out = "out"',
      "[[stages]]",
      'use = "loader/jsonl"',
      'paths = ["pairs.jsonl"]',
      "[[stages]]",
      'use = "filter/equivalence"',
      `judges = ["${A}", "${B}"]`,
      `base_urls = { openai = "${openai.url}", anthropic = "${anthropic.url}" }`,
      "max_retries = 0",
      "",
    ].join("\n");
    const dir = await workspace({ "pipeline.toml": toml, "pairs.jsonl": rows.map((r) => JSON.stringify(r)).join("\n") + "\n" });
    const env = { OPENAI_API_KEY: KEY, ANTHROPIC_API_KEY: KEY };

    const est = await ctxc(["run", "pipeline.toml", "--estimate"], { cwd: dir, env });
    expect(est.code).toBe(0);
    expect(est.stdout + est.stderr).toContain("gpt-4.1-mini");

    const before = completions();
    const r = await ctxc(["run", "pipeline.toml"], { cwd: dir, env });
    expect({ code: r.code, err: r.code ? r.stderr : "" }).toEqual({ code: 0, err: "" });
    expect(completions() - before).toBe(6);
    const stage = join(dir, "out", readdirSync(join(dir, "out")).find((d) => d.includes("equivalence"))!);
    const stats = JSON.parse(readFileSync(join(stage, "stats.json"), "utf8"));
    expect(JSON.stringify(stats)).toContain('"bucket:<0.5:n":1');
    expect(JSON.stringify(stats)).toContain('"judges_disagree":1');
    const rejected = readFileSync(join(stage, "rejected.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(rejected.map((x) => x.reason).sort()).toEqual(["judge_error", "not_equivalent"]);
    const ne = rejected.find((x) => x.reason === "not_equivalent");
    expect(ne.scores).toMatchObject({ equivalence: 0.6, judge_disagreement: 0.35 });
    expect(ne.meta.equivalence.missing_facts).toEqual(["the bridge is not a toll road"]);
    const kept = readFileSync(join(stage, "out.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(kept.map((x) => x.scores.equivalence)).toEqual([0.9]);

    const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
    for (const f of walk(dir)) expect({ f, key: readFileSync(f).toString("latin1").includes(KEY) }).toEqual({ f, key: false });
    expect(r.stdout + r.stderr).not.toContain(KEY);
  }, 60_000);
});
