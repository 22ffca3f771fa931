import { describe, expect, test } from "bun:test";
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { readPipelineFile } from "../../src/core/config.ts";
import { CtxcError } from "../../src/core/errors.ts";
import { buildPlan } from "../../src/core/plan.ts";
import { runPipeline, type RunOptions } from "../../src/core/runner.ts";
import { docsJsonl, workspace } from "../helpers/cli.ts";

// A generator that records every call in a file, so tests can count what a run recomputed.
const COUNTING_GEN = `import { defineGenerator, v } from "ctxc";
import { appendFileSync } from "node:fs";
export default defineGenerator({
  name: "generator/upper", version: "1", concurrency: 8,
  options: v.object({ log: v.string(), suffix: v.optional(v.string(), "") }),
  async generate(doc, opts) {
    appendFileSync(opts.log, doc.id + "\\n");
    await Bun.sleep((doc.text.length * 7) % 13);
    if (doc.text.includes("BOOM")) throw new Error("cannot compress BOOM");
    return { ...doc, compressed: doc.text.toUpperCase() + opts.suffix };
  },
});
`;
const DROP_FILTER = `import { defineFilter, v } from "ctxc";
export default defineFilter({
  name: "filter/drop-short", version: "1",
  options: v.object({ min: v.optional(v.number(), 3) }),
  filter(doc, opts, ctx) {
    ctx.stat("seen");
    return doc.text.length < opts.min ? ctx.reject("too_short", String(doc.text.length)) : doc;
  },
});
`;

const TEXTS = Array.from({ length: 40 }, (_, i) => (i % 10 === 3 ? "x" : `document number ${i} with some words`));

async function setup(extraToml = "", texts = TEXTS) {
  const dir = await workspace({
    "data/a.jsonl": docsJsonl(texts),
    "gen.ts": COUNTING_GEN,
    "drop.ts": DROP_FILTER,
    "pipeline.toml": `name = "t"\nout = "out"\n${extraToml}\n[[stages]]\nuse = "loader/jsonl"\npaths = ["data/*.jsonl"]\ndomain = "nl"\n\n[[stages]]\nuse = "./drop.ts"\n\n[[stages]]\nuse = "./gen.ts"\nlog = "calls.log"\n`,
  });
  // The generator's log path is relative to the test process, so make it absolute.
  const toml = readFileSync(join(dir, "pipeline.toml"), "utf8").replace('log = "calls.log"', `log = "${join(dir, "calls.log")}"`);
  await Bun.write(join(dir, "pipeline.toml"), toml);
  return dir;
}

async function run(dir: string, opts: RunOptions = {}) {
  const plan = await buildPlan(await readPipelineFile(join(dir, "pipeline.toml")));
  return runPipeline(plan, { progress: false, ...opts });
}

const calls = (dir: string) => (existsSync(join(dir, "calls.log")) ? readFileSync(join(dir, "calls.log"), "utf8").trim().split("\n").filter(Boolean).length : 0);
const lines = (path: string) => readFileSync(path, "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));

describe("runner", () => {
  test("writes per-stage outputs, rejections with reasons, stats, manifest and the dataset", async () => {
    const dir = await setup();
    const s = await run(dir);
    expect(s.status).toBe("completed");
    const out = join(dir, "out");
    expect(lines(join(out, "01-loader-jsonl/out.jsonl")).length).toBe(40);
    const rejected = lines(join(out, "02-filter-drop-short/rejected.jsonl"));
    expect(rejected.length).toBe(4);
    expect(rejected[0]).toMatchObject({ text: "x", reason: "too_short", detail: "1", stage: "02-filter-drop-short" });
    const stats = JSON.parse(readFileSync(join(out, "02-filter-drop-short/stats.json"), "utf8"));
    expect(stats).toMatchObject({ in: 40, out: 36, rejected: { too_short: 4 }, stats: { seen: 40 }, status: "done" });
    const gen = lines(join(out, "03-generator-upper/out.jsonl"));
    expect(gen.map((d) => d.text)).toEqual(TEXTS.filter((t) => t.length >= 3)); // order kept despite random delays
    expect(gen[0].compressed).toBe(gen[0].text.toUpperCase());
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stages)).toEqual(["01-loader-jsonl", "02-filter-drop-short", "03-generator-upper", "dataset"]);
    expect(manifest.stages["03-generator-upper"]).toMatchObject({ use: "./gen.ts", status: "done", counts: { in: 36, out: 36 } });
    const train = lines(join(out, "dataset/train.jsonl"));
    const valid = lines(join(out, "dataset/valid.jsonl"));
    const test_ = lines(join(out, "dataset/test.jsonl"));
    expect(train.length + valid.length + test_.length).toBe(36);
    expect(train[0].messages.map((m: { role: string }) => m.role)).toEqual(["system", "user", "assistant"]);
  });

  test("a re-run skips unchanged stages and recomputes from the first changed one", async () => {
    const dir = await setup();
    await run(dir);
    expect(calls(dir)).toBe(36);
    const again = await run(dir);
    expect(again.stages.map((x) => x.outcome)).toEqual(["skipped", "skipped", "skipped"]);
    expect(again.dataset?.outcome).toBe("skipped");
    expect(calls(dir)).toBe(36);
    // Change the filter's options: the filter and everything after it re-run.
    await Bun.write(join(dir, "pipeline.toml"), readFileSync(join(dir, "pipeline.toml"), "utf8").replace('use = "./drop.ts"', 'use = "./drop.ts"\nmin = 2'));
    const changed = await run(dir);
    expect(changed.stages.map((x) => x.outcome)).toEqual(["skipped", "ran", "ran"]);
    expect(calls(dir)).toBe(72);
  });

  test("a changed input file re-runs the loader; identical loader output would still be detected", async () => {
    const dir = await setup();
    await run(dir);
    await Bun.write(join(dir, "data/a.jsonl"), docsJsonl([...TEXTS, "one more document here"]));
    const s = await run(dir);
    expect(s.stages.map((x) => x.outcome)).toEqual(["ran", "ran", "ran"]);
  });

  test("--force re-runs all, --only one stage, --from a stage and the rest", async () => {
    const dir = await setup();
    await run(dir);
    expect((await run(dir, { force: true })).stages.map((x) => x.outcome)).toEqual(["ran", "ran", "ran"]);
    expect((await run(dir, { only: "2" })).stages.map((x) => x.outcome)).toEqual(["skipped", "ran"]);
    const from = await run(dir, { from: "generator/upper" });
    expect(from.stages.map((x) => x.outcome)).toEqual(["skipped", "skipped", "ran"]);
    expect(from.dataset?.outcome).toBe("ran");
    await expect(run(dir, { only: "nope" })).rejects.toThrow(/no stage `nope`/);
  });

  test("a plugin that throws on one record rejects that record and the run goes on; --fail-fast stops", async () => {
    const dir = await setup("", [...TEXTS, "this one goes BOOM"]);
    const s = await run(dir);
    expect(s.status).toBe("completed");
    const rej = lines(join(dir, "out/03-generator-upper/rejected.jsonl"));
    expect(rej).toHaveLength(1);
    expect(rej[0]).toMatchObject({ reason: "plugin_error", detail: "generator/upper: cannot compress BOOM" });
    const dir2 = await setup("", [...TEXTS, "this one goes BOOM"]);
    await expect(run(dir2, { failFast: true })).rejects.toThrow(/03-generator-upper \(generator\/upper\) failed: cannot compress BOOM/);
    // Earlier stages' outputs are kept; the failed stage is marked failed.
    const manifest = JSON.parse(readFileSync(join(dir2, "out/manifest.json"), "utf8"));
    expect(manifest.stages["03-generator-upper"].status).toBe("failed");
  });

  test("a stage that fails mid-stream is named, not the stage before it; its segment's outputs are not kept as finished", async () => {
    const dir = await setup();
    // A doc that cannot be written (cyclic), returned after others were written, fails the
    // generator's stage, not a stage before it.
    await Bun.write(join(dir, "gen.ts"), COUNTING_GEN.replace("return { ...doc, compressed: doc.text.toUpperCase() + opts.suffix };", "const d = { ...doc, compressed: doc.text.toUpperCase() }; if (doc.text.includes(\"number 25 \")) d.meta = { self: d }; return d;"));
    const err = await run(dir).then(() => undefined, (e) => e as CtxcError);
    expect(err).toBeInstanceOf(CtxcError);
    expect(err!.message).toMatch(/^03-generator-upper \(generator\/upper\) failed: /);
    expect(err!.hint).toMatch(/start over/);
    const manifest = JSON.parse(readFileSync(join(dir, "out/manifest.json"), "utf8"));
    expect(manifest.stages["03-generator-upper"].status).toBe("failed");
    expect(manifest.stages["02-filter-drop-short"].status).toBe("failed");
    expect(existsSync(join(dir, "out/02-filter-drop-short/out.jsonl"))).toBe(false);
  });

  test("a loader that throws is named in the error", async () => {
    const dir = await setup();
    await Bun.write(join(dir, "bad-loader.ts"), `import { defineLoader } from "ctxc";
export default defineLoader({ name: "loader/bad", version: "1", async *load() { yield { id: "a", text: "some text here", domain: "nl" }; throw new Error("disk gone"); } });
`);
    await Bun.write(join(dir, "pipeline.toml"), readFileSync(join(dir, "pipeline.toml"), "utf8").replace('use = "loader/jsonl"\npaths = ["data/*.jsonl"]\ndomain = "nl"', 'use = "./bad-loader.ts"'));
    await expect(run(dir)).rejects.toThrow(/^01-loader-bad \(loader\/bad\) failed: disk gone/);
  });

  test("a loader's fingerprint hook is asked once, before it loads, and that value is saved", async () => {
    const dir = await setup();
    // The hook reads a stamp; loading changes the stamp, as files edited during a long load would.
    await Bun.write(join(dir, "stamp-loader.ts"), `import { defineLoader, v } from "ctxc";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";
export default defineLoader({
  name: "loader/stamped", version: "1",
  options: v.object({ dir: v.string() }),
  fingerprint(opts) {
    appendFileSync(opts.dir + "/fingerprints.log", "x\\n");
    return readFileSync(opts.dir + "/stamp", "utf8");
  },
  *load(opts) {
    yield { id: "a", text: "some text here", domain: "nl" };
    writeFileSync(opts.dir + "/stamp", "changed while loading");
  },
});
`);
    await Bun.write(join(dir, "stamp"), "before");
    await Bun.write(join(dir, "pipeline.toml"), readFileSync(join(dir, "pipeline.toml"), "utf8").replace('use = "loader/jsonl"\npaths = ["data/*.jsonl"]\ndomain = "nl"', `use = "./stamp-loader.ts"\ndir = "${dir}"`));
    const first = await run(dir);
    expect(first.status).toBe("completed");
    expect(readFileSync(join(dir, "fingerprints.log"), "utf8").trim().split("\n")).toHaveLength(1);
    // The input changed during the first load, so the second run must load again, not skip.
    const second = await run(dir);
    expect(second.stages[0]!.outcome).toBe("ran");
    // Nothing changed during the second load (same stamp written): the third run skips it.
    const third = await run(dir);
    expect(third.stages.map((x) => x.outcome)).toEqual(["skipped", "skipped", "skipped"]);
    expect(readFileSync(join(dir, "fingerprints.log"), "utf8").trim().split("\n")).toHaveLength(3);
  });

  test("folders of stages no longer in the pipeline are removed, with their manifest entries; other folders stay", async () => {
    const dir = await setup();
    await run(dir);
    const out = join(dir, "out");
    mkdirSync(join(out, "notes"));
    mkdirSync(join(out, "2024-report"));
    // Drop the generator (stage 3) from the pipeline.
    await Bun.write(join(dir, "pipeline.toml"), readFileSync(join(dir, "pipeline.toml"), "utf8").replace(/\n\[\[stages\]\]\nuse = "\.\/gen\.ts"[^]*$/, "\n"));
    const s = await run(dir);
    expect(s.stages.map((x) => x.label)).toEqual(["01-loader-jsonl", "02-filter-drop-short"]);
    expect(existsSync(join(out, "03-generator-upper"))).toBe(false);
    for (const kept of ["01-loader-jsonl", "02-filter-drop-short", "notes", "2024-report", "dataset"]) expect(existsSync(join(out, kept))).toBe(true);
    const manifest = JSON.parse(readFileSync(join(out, "manifest.json"), "utf8"));
    expect(Object.keys(manifest.stages)).not.toContain("03-generator-upper");
  });

  test("--only a stage whose input was never produced (or was deleted) is a clear error naming that input", async () => {
    const fresh = await setup();
    await expect(run(fresh, { only: "3" })).rejects.toMatchObject({
      message: "01-loader-jsonl has no finished output to start from",
      hint: expect.stringContaining("run the earlier stages first"),
    });
    const dir = await setup();
    await run(dir);
    rmSync(join(dir, "out/02-filter-drop-short/out.jsonl"));
    await expect(run(dir, { only: "3" })).rejects.toThrow(/^02-filter-drop-short has no finished output to start from \(its out.jsonl is missing/);
  });

  test("an abort (Ctrl-C) stops cleanly: status interrupted, partial output kept, next run resumes", async () => {
    const dir = await setup("", Array.from({ length: 2000 }, (_, i) => `doc ${i} text`));
    const ac = new AbortController();
    const timer = setInterval(() => {
      if (calls(dir) >= 50) ac.abort();
    }, 5);
    const s = await run(dir, { signal: ac.signal });
    clearInterval(timer);
    expect(s.status).toBe("interrupted");
    const manifest = JSON.parse(readFileSync(join(dir, "out/manifest.json"), "utf8"));
    expect(manifest.stages["03-generator-upper"].status).toBe("interrupted");
    expect(existsSync(join(dir, "out/03-generator-upper/out.jsonl.partial"))).toBe(true);
    const before = calls(dir);
    expect(before).toBeLessThan(2000);
    const resumed = await run(dir);
    expect(resumed.status).toBe("completed");
    expect(lines(join(dir, "out/03-generator-upper/out.jsonl"))).toHaveLength(2000);
  });

  test("a torn last line in the input is reported and the rest is loaded", async () => {
    const dir = await setup();
    await Bun.write(join(dir, "data/a.jsonl"), docsJsonl(TEXTS) + '{"text": "cut off mid-wri');
    const s = await run(dir);
    expect(s.status).toBe("completed");
    const stats = JSON.parse(readFileSync(join(dir, "out/01-loader-jsonl/stats.json"), "utf8"));
    expect(stats.stats["skipped:torn_line"]).toBe(1);
    expect(stats.out).toBe(40);
  });

  test("an output folder that is not writable is a clear error", async () => {
    if (process.getuid?.() === 0) {
      // root ignores permissions; use a path under a file instead, which no one can create.
      const dir = await setup();
      await Bun.write(join(dir, "blocker"), "");
      const plan = await buildPlan(await readPipelineFile(join(dir, "pipeline.toml")));
      plan.config.out = join(dir, "blocker", "out");
      await expect(runPipeline(plan, { progress: false })).rejects.toThrow(/is not writable/);
      return;
    }
    const dir = await setup();
    const ro = join(dir, "ro");
    await Bun.write(join(ro, ".keep"), "");
    chmodSync(ro, 0o500);
    const plan = await buildPlan(await readPipelineFile(join(dir, "pipeline.toml")));
    plan.config.out = join(ro, "out");
    await expect(runPipeline(plan, { progress: false })).rejects.toThrow(/is not writable/);
  });

  test("[budget] max_usd stops the run when spending reaches it", async () => {
    const dir = await setup("[budget]\nmax_usd = 0.05\n", Array.from({ length: 500 }, (_, i) => `doc ${i} text`));
    const paid = COUNTING_GEN.replace("await Bun.sleep", 'if (ctx.signal.aborted) throw Object.assign(new Error("stopped"), { reason: "stopped" });\n    ctx.costs.record({ model: "m", tokensIn: 10, tokensOut: 5, usd: 0.001 });\n    await Bun.sleep').replace("async generate(doc, opts)", "async generate(doc, opts, ctx)");
    expect(paid).toContain("ctx.costs.record");
    await Bun.write(join(dir, "gen.ts"), paid);
    const s = await run(dir);
    expect(s.status).toBe("budget");
    expect(s.spentUsd).toBeGreaterThanOrEqual(0.05);
    expect(calls(dir)).toBeLessThan(500);
    // Calls refused because the run was stopping are not rejections: the next run does them.
    const gen = s.stages.find((x) => x.label === "03-generator-upper")!;
    expect(gen.outcome).toBe("budget" === s.status ? "interrupted" : "ran");
    expect(gen.rejected).toEqual({});
  });
});

describe("runner --estimate", () => {
  test("runs the free stages, asks paid stages for estimates, spends and writes nothing for them", async () => {
    const dir = await setup();
    const withEstimate = COUNTING_GEN.replace(
      "async generate(doc, opts)",
      `async estimate(docs, opts) {
    let calls = 0, tokensIn = 0;
    for await (const d of docs) { calls++; tokensIn += d.text.length; }
    return [{ model: "fake:m", calls, cached: 0, tokensIn, tokensOutEstimate: tokensIn, usd: calls * 0.01 }];
  },
  async generate(doc, opts)`,
    );
    await Bun.write(join(dir, "gen.ts"), withEstimate);
    const s = await run(dir, { estimate: true });
    expect(s.stages.map((x) => x.label)).toEqual(["01-loader-jsonl", "02-filter-drop-short"]);
    expect(s.estimates).toEqual([expect.objectContaining({ stage: "03-generator-upper", model: "fake:m", calls: 36 })]);
    expect(s.estimates![0]!.usd).toBeCloseTo(0.36);
    expect(calls(dir)).toBe(0);
    expect(existsSync(join(dir, "out/03-generator-upper"))).toBe(false);
  });
});

describe("runner: trainer and evaluators", () => {
  const TRAINER = `import { defineTrainer } from "ctxc";
import { appendFileSync, readFileSync } from "node:fs";
export default defineTrainer({
  name: "trainer/fake", version: "1",
  async train(dataset, _opts, ctx) {
    appendFileSync(ctx.paths.root + "/trained.log", dataset.fingerprint + "\\n");
    const rows = readFileSync(dataset.train, "utf8").trim().split("\\n").length;
    return { trainer: "trainer/fake", status: "completed", dir: ctx.paths.stage, baseModel: "tiny", datasetFingerprint: dataset.fingerprint, metrics: { rows } };
  },
});
`;
  const EVALUATOR = `import { defineEvaluator } from "ctxc";
export default defineEvaluator({
  name: "evaluator/fake", version: "1",
  async evaluate(testDocs, model) {
    const ratio = testDocs.reduce((a, d) => a + (d.compressed ?? "").length / d.text.length, 0) / testDocs.length;
    return { evaluator: "evaluator/fake", metrics: { docs: testDocs.length, ratio, trainedRows: model?.metrics?.rows ?? -1 } };
  },
});
`;
  test("the trainer gets the dataset, evaluators the test docs and the run record; both skip when unchanged", async () => {
    const dir = await setup();
    await Bun.write(join(dir, "train.ts"), TRAINER);
    await Bun.write(join(dir, "eval.ts"), EVALUATOR);
    await Bun.write(join(dir, "pipeline.toml"), readFileSync(join(dir, "pipeline.toml"), "utf8") + '\n[[stages]]\nuse = "./train.ts"\n\n[[stages]]\nuse = "./eval.ts"\n');
    const s = await run(dir);
    expect(s.status).toBe("completed");
    expect(s.stages.map((x) => [x.label, x.outcome])).toEqual([
      ["01-loader-jsonl", "ran"], ["02-filter-drop-short", "ran"], ["03-generator-upper", "ran"], ["04-trainer-fake", "ran"], ["05-evaluator-fake", "ran"],
    ]);
    const runRecord = JSON.parse(readFileSync(join(dir, "out/04-trainer-fake/run.json"), "utf8"));
    expect(runRecord).toMatchObject({ status: "completed", baseModel: "tiny", metrics: { rows: s.dataset!.counts!.train } });
    const report = JSON.parse(readFileSync(join(dir, "out/report.json"), "utf8"));
    expect(report.reports[0].metrics).toMatchObject({ docs: s.dataset!.counts!.test, trainedRows: s.dataset!.counts!.train });
    expect(report.reports[0].metrics.ratio).toBe(1); // upper-casing keeps the length
    const again = await run(dir);
    expect(again.stages.map((x) => x.outcome)).toEqual(["skipped", "skipped", "skipped", "skipped", "skipped"]);
    expect(readFileSync(join(dir, "trained.log"), "utf8").trim().split("\n")).toHaveLength(1);
    // A new dataset seed changes the dataset fingerprint: the trainer and evaluator run again.
    await Bun.write(join(dir, "pipeline.toml"), readFileSync(join(dir, "pipeline.toml"), "utf8").replace('out = "out"', 'out = "out"\n[dataset]\nseed = 7'));
    const reseeded = await run(dir);
    expect(reseeded.stages.map((x) => x.outcome)).toEqual(["skipped", "skipped", "skipped", "ran", "ran"]);
  });
  test("an evaluator stopped by Ctrl-C is 'interrupted', not an error, writes no report, and runs again next time", async () => {
    const dir = await setup();
    // Waits for the abort, then throws as an evaluator whose calls were cancelled would.
    await Bun.write(join(dir, "eval.ts"), `import { defineEvaluator } from "ctxc";
export default defineEvaluator({
  name: "evaluator/slow", version: "1",
  async evaluate(testDocs, _model, _opts, ctx) {
    if (!process.env.SLOW_EVAL) return { evaluator: "evaluator/slow", metrics: { docs: testDocs.length } };
    if (!ctx.signal.aborted) await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
    throw new Error("request aborted");
  },
});
`);
    await Bun.write(join(dir, "pipeline.toml"), readFileSync(join(dir, "pipeline.toml"), "utf8") + '\n[[stages]]\nuse = "./eval.ts"\n');
    const ac = new AbortController();
    process.env.SLOW_EVAL = "1";
    const timer = setInterval(() => existsSync(join(dir, "out/04-evaluator-slow")) && ac.abort(), 20);
    try {
      const s = await run(dir, { signal: ac.signal });
      expect(s.status).toBe("interrupted");
      expect(s.stages.at(-1)).toMatchObject({ label: "04-evaluator-slow", outcome: "interrupted" });
    } finally {
      clearInterval(timer);
      delete process.env.SLOW_EVAL;
    }
    const manifest = JSON.parse(readFileSync(join(dir, "out/manifest.json"), "utf8"));
    expect(manifest.stages["04-evaluator-slow"].status).toBe("interrupted");
    expect(existsSync(join(dir, "out/04-evaluator-slow/report.json"))).toBe(false);
    expect(existsSync(join(dir, "out/report.json"))).toBe(false);
    const again = await run(dir);
    expect(again.status).toBe("completed");
    expect(again.stages.at(-1)).toMatchObject({ label: "04-evaluator-slow", outcome: "ran" });
  });
});
