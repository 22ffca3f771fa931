// A stage with retryable failures (provider errors after the SDK's retries) is not recorded as
// finished for good: the next run runs it again, and only the failed docs reach the provider
// (the call cache answers the rest). A paid stage whose every doc failed fails the run.
import { afterAll, describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readPipelineFile } from "../../src/core/config.ts";
import { buildPlan } from "../../src/core/plan.ts";
import { runPipeline } from "../../src/core/runner.ts";
import { docsJsonl, workspace } from "../helpers/cli.ts";
import { startFakeOpenAI } from "../helpers/fake-openai.ts";

const KEY = "fake-openai-key-retry-123456789";
process.env.OPENAI_API_KEY = KEY;
const server = startFakeOpenAI({ expectKey: KEY });
afterAll(() => server.stop());

const TEXTS = Array.from({ length: 10 }, (_, i) => `document ${i} says something worth compressing into fewer words`);

async function setup() {
  return workspace({
    "data/a.jsonl": docsJsonl(TEXTS),
    "pipeline.toml": [
      'name = "retry"',
      'out = "out"',
      "[[stages]]",
      'use = "loader/jsonl"',
      'paths = ["data/*.jsonl"]',
      'domain = "nl"',
      "[[stages]]",
      'use = "generator/compress"',
      'teacher = "openai:gpt-4.1-mini"',
      `base_urls = { openai = "${server.url}" }`,
      "max_retries = 0",
      "concurrency = 1",
      "",
    ].join("\n"),
  });
}

async function run(dir: string) {
  return runPipeline(await buildPlan(await readPipelineFile(join(dir, "pipeline.toml"))), { progress: false });
}

const completions = () => server.requests.filter((r) => r.path.endsWith("/chat/completions")).length;
const manifest = (dir: string) => JSON.parse(readFileSync(join(dir, "out/manifest.json"), "utf8"));

describe("retryable failures", () => {
  test("a stage with teacher errors runs again next time, asking only for the failed docs", async () => {
    const dir = await setup();
    server.faults.push({ kind: "500" }, { kind: "500" }, { kind: "500" });
    const before = completions();
    const first = await run(dir);
    expect(first.status).toBe("completed");
    expect(first.stages[1]).toMatchObject({ outcome: "ran", out: 7, rejected: { teacher_error: 3 } });
    expect(completions() - before).toBe(10);
    expect(manifest(dir).stages["02-generator-compress"]).toMatchObject({ status: "done", retryable: 3 });
    const rejected = readFileSync(join(dir, "out/02-generator-compress/rejected.jsonl"), "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(rejected.every((r) => r.retryable === true && r.reason === "teacher_error")).toBe(true);

    // The server is back: the stage is not skipped, and only the 3 failed docs are sent.
    const mid = completions();
    const second = await run(dir);
    expect(second.stages[1]).toMatchObject({ outcome: "ran", out: 10, rejected: {} });
    expect(completions() - mid).toBe(3);
    expect(manifest(dir).stages["02-generator-compress"].retryable).toBeUndefined();

    // Nothing left to retry: now it is skipped, and nothing is sent.
    const end = completions();
    const third = await run(dir);
    expect(third.stages.map((s) => s.outcome)).toEqual(["skipped", "skipped"]);
    expect(completions()).toBe(end);
  }, 30_000);

  test("a paid stage whose every doc failed fails the run with the provider's reason", async () => {
    const dir = await setup();
    for (let i = 0; i < TEXTS.length; i++) server.faults.push({ kind: "500" });
    const err = await run(dir).then(
      () => undefined,
      (e: Error) => e,
    );
    expect(err?.message).toMatch(/^02-generator-compress \(generator\/compress\): all 10 docs failed — teacher_error: .*HTTP 500/);
    expect(manifest(dir).stages["02-generator-compress"].status).toBe("failed");
  }, 30_000);
});
