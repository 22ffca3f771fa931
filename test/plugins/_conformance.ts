// Conformance suites, one per plugin kind (as unstorage's testDriver): every plugin's test calls
// the suite for its kind, so each plugin keeps the contract the runner relies on.
import { expect, test } from "bun:test";
import * as v from "valibot";
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { readRun } from "../../src/runs/run-file.ts";
import { isReject, makeDoc } from "../../src/sdk/doc.ts";
import type { Dataset, Doc, EvaluatorPlugin, FilterPlugin, GeneratorPlugin, LoaderPlugin, Plugin, RunRecord, TrainerPlugin } from "../../src/sdk/types.ts";
import { testContext, type TestContext } from "../helpers/context.ts";

const DOMAINS = ["code", "nl", "mixed"];

export function expectValidDoc(doc: Doc): void {
  expect(typeof doc.id).toBe("string");
  expect(doc.id.length).toBeGreaterThan(0);
  expect(DOMAINS).toContain(doc.domain);
  expect(typeof doc.text).toBe("string");
  expect(typeof doc.source?.path).toBe("string");
  expect(typeof doc.scores).toBe("object");
  expect(typeof doc.meta).toBe("object");
  if (doc.compressed !== undefined) expect(typeof doc.compressed).toBe("string");
  // Docs are written as JSON lines: they must survive a round trip unchanged.
  expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
}

function parseOptions(plugin: Plugin, options: Record<string, unknown>): any {
  if (!plugin.options) return {};
  return v.parse(plugin.options as any, options);
}

function testMeta(plugin: Plugin, kind: Plugin["kind"]): void {
  test(`${plugin.name}: identity`, () => {
    expect(plugin.kind).toBe(kind);
    expect(plugin.name).toMatch(new RegExp(`^${kind}/[a-z0-9-]+$`));
    expect(plugin.version).toMatch(/^\d+(\.\d+)*$/);
    if (plugin.options) expect((plugin.options as any).type).toBe("object");
  });
}

/** Sample docs covering both domains and awkward text (empty lines, unicode, braces). */
export function sampleDocs(): Doc[] {
  return [
    makeDoc({ text: "def add(a, b):\n    # sum\n    return a + b\n", domain: "code", source: { path: "a.py" }, compressed: "def add(a,b): return a+b" }),
    makeDoc({ text: "The bridge, which opened in 1932, is not a toll road. It spans 503 metres.", domain: "nl", source: { path: "b.md" }, compressed: "Bridge opened 1932 | not toll road | spans 503 m" }),
    makeDoc({ text: "Ünïcödé — emoji 🚀 {braces} $1 {input}", domain: "mixed", source: { path: "c.txt" }, compressed: "Ünïcödé 🚀 {braces} $1 {input}" }),
  ];
}

/**
 * Runs a loader on `root` with raw options (validated as the runner does) and returns its docs,
 * its context (counters in `ctx.counters`) and the debug lines it logged (skipped files).
 */
export async function loadDocs(plugin: LoaderPlugin<any>, root: string, options: Record<string, unknown>): Promise<{ docs: Doc[]; ctx: TestContext; debug: string[] }> {
  const ctx = testContext({ root, name: plugin.name });
  const debug: string[] = [];
  ctx.log = { ...ctx.log, debug: (m: string) => void debug.push(m) };
  const docs: Doc[] = [];
  for await (const d of plugin.load(parseOptions(plugin, options), ctx)) docs.push(d);
  return { docs, ctx, debug };
}

export function testLoaderConformance(plugin: LoaderPlugin<any>, options: Record<string, unknown>, root: string): void {
  testMeta(plugin, "loader");
  test(`${plugin.name}: yields valid docs with stable ids, in a stable order`, async () => {
    const a = await loadDocs(plugin, root, options);
    const b = await loadDocs(plugin, root, options);
    expect(a.docs.length).toBeGreaterThan(0);
    for (const d of a.docs) expectValidDoc(d);
    expect(a.docs.map((d) => d.id)).toEqual(b.docs.map((d) => d.id));
    expect(new Set(a.docs.map((d) => d.id)).size).toBe(a.docs.length);
  });
  if (plugin.fingerprint) {
    test(`${plugin.name}: fingerprint is stable`, async () => {
      const ctx = testContext({ root, name: plugin.name });
      const o = parseOptions(plugin, options);
      expect(await plugin.fingerprint!(o, ctx)).toBe(await plugin.fingerprint!(o, ctx));
    });
  }
}

export function testGeneratorConformance(plugin: GeneratorPlugin<any>, options: Record<string, unknown>, docs: Doc[] = sampleDocs()): void {
  testMeta(plugin, "generator");
  test(`${plugin.name}: sets compressed, keeps identity and original`, async () => {
    const ctx = testContext({ name: plugin.name });
    const o = parseOptions(plugin, options);
    for (const input of docs) {
      const { compressed: _drop, ...bare } = input;
      const out = await plugin.generate(structuredClone(bare) as Doc, o, ctx);
      expectValidDoc(out);
      expect(out.id).toBe(input.id);
      expect(out.text).toBe(input.text);
      expect(typeof out.compressed).toBe("string");
    }
  });
}

export function testFilterConformance(plugin: FilterPlugin<any>, options: Record<string, unknown>, docs: Doc[] = sampleDocs()): void {
  testMeta(plugin, "filter");
  test(`${plugin.name}: returns a valid doc or a rejection with a reason`, async () => {
    const ctx = testContext({ name: plugin.name });
    const o = parseOptions(plugin, options);
    const edge = [...docs, makeDoc({ text: "", domain: "nl", source: { path: "empty" }, compressed: "" })];
    for (const input of edge) {
      const out = await plugin.filter(structuredClone(input), o, ctx);
      if (isReject(out)) {
        expect(out.reason).toMatch(/^[a-z0-9_:.-]+$/);
      } else {
        expectValidDoc(out);
        expect(out.id).toBe(input.id);
      }
    }
  });
}

/** Evaluators: a report naming the evaluator, finite numeric metrics, JSON-serialisable. */
export function testEvaluatorConformance(plugin: EvaluatorPlugin<any>, options: Record<string, unknown>, docs: Doc[] = sampleDocs(), model: RunRecord | null = null): void {
  testMeta(plugin, "evaluator");
  test(`${plugin.name}: returns a report with finite metrics`, async () => {
    const ctx = testContext({ name: plugin.name });
    const report = await plugin.evaluate(structuredClone(docs), model, parseOptions(plugin, options), ctx);
    expect(report.evaluator).toBe(plugin.name);
    expect(Object.keys(report.metrics).length).toBeGreaterThan(0);
    for (const [k, x] of Object.entries(report.metrics)) {
      expect(typeof k).toBe("string");
      expect(Number.isFinite(x)).toBe(true);
    }
    expect(() => JSON.stringify(report)).not.toThrow();
  });
}

export interface ChatPair {
  original: string;
  compressed: string;
}

/** A dataset folder as the dataset step writes it (chat JSONL per split), for trainer tests. */
export async function writeChatDataset(dir: string, splits: { train: ChatPair[]; valid: ChatPair[]; test: ChatPair[] }, prefix = ""): Promise<Dataset> {
  mkdirSync(dir, { recursive: true });
  const system = "Compress the input.";
  const rows = (pairs: ChatPair[]) =>
    pairs.map((p) => JSON.stringify({ messages: [{ role: "system", content: system }, { role: "user", content: prefix + p.original }, { role: "assistant", content: p.compressed }] }) + "\n").join("");
  for (const split of ["train", "valid", "test"] as const) await Bun.write(join(dir, `${split}.jsonl`), rows(splits[split]));
  const counts = { train: splits.train.length, valid: splits.valid.length, test: splits.test.length };
  const fingerprint = Bun.hash.xxHash64(JSON.stringify(splits)).toString(16);
  return { dir, train: join(dir, "train.jsonl"), valid: join(dir, "valid.jsonl"), test: join(dir, "test.jsonl"), counts, fingerprint, systemPrompt: system, userPrefix: prefix };
}

/**
 * Every trainer: trains `dataset` into a run folder under the pipeline root whose run.json agrees
 * with the RunRecord it returns, and answers an empty dataset with a failed run (or an error)
 * that says what is wrong, never a crash or a "completed" run without a model.
 */
export function testTrainerConformance(plugin: TrainerPlugin<any>, options: Record<string, unknown>, fixture: () => Promise<{ root: string; dataset: Dataset }>): void {
  testMeta(plugin, "trainer");
  test(`${plugin.name}: trains into a run folder; run.json agrees with the returned record`, async () => {
    const { root, dataset } = await fixture();
    const ctx = testContext({ root, name: plugin.name });
    const rec = await plugin.train(dataset, parseOptions(plugin, options), ctx);
    expect(rec.trainer).toBe(plugin.name);
    expect(rec.status).toBe("completed");
    expect(rec.datasetFingerprint).toBe(dataset.fingerprint);
    expect(rec.dir.startsWith(root)).toBe(true);
    expect(JSON.parse(JSON.stringify(rec))).toEqual(rec);
    const run = await readRun(rec.dir);
    expect(run.trainer).toBe(plugin.name);
    expect(run.status).toBe("completed");
    expect(run.dataset.counts).toEqual(dataset.counts);
    expect(typeof run.id).toBe("string");
    for (const [k, x] of Object.entries(run.metrics)) {
      expect(typeof x, k).toBe("number");
      expect(Number.isFinite(x), k).toBe(true);
    }
    if (rec.adapter) expect(existsSync(join(rec.dir, rec.adapter))).toBe(true);
  }, 120_000);
  test(`${plugin.name}: an empty dataset fails with a message, not a crash`, async () => {
    const { root } = await fixture();
    const dataset = await writeChatDataset(join(root, "empty-dataset"), { train: [], valid: [], test: [] });
    const ctx = testContext({ root, name: plugin.name });
    ctx.log = { ...ctx.log, error: () => {}, warn: () => {} };
    let message = "";
    try {
      const rec = await plugin.train(dataset, parseOptions(plugin, options), ctx);
      expect(rec.status).toBe("failed");
      message = (await readRun(rec.dir)).error?.message ?? "";
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(/no (usable )?(training )?pairs|empty|no rows/i);
  }, 120_000);
}
