// `run:PATH` as a teacher: generator/compress with a trained student. A trainer/tinker run
// against a local sampling server (fast), and a trainer/mlx run through the real mlx_lm.server.
import { afterAll, describe, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import * as v from "valibot";
import plugin from "../../plugins/generators/compress.ts";
import { parseModel, tokenizerFor } from "../../src/llm/model-name.ts";
import { closeRunTeachers } from "../../src/llm/run-teacher.ts";
import { makeDoc } from "../../src/sdk/doc.ts";
import { testContext } from "../helpers/context.ts";
import { startStreamServer } from "../helpers/fake-oai-stream.ts";
import { hasPython, testPython } from "../helpers/python.ts";
import { fakeRun, tinyAdapter } from "../helpers/tiny-adapter.ts";
import { tinyQwen3 } from "../helpers/tiny-model.ts";

const sampler = startStreamServer({ answer: (body) => [`dense(${body.messages.at(-1).content.length})`] });
process.env.TINKER_API_KEY = "tml-run-teacher-test";
process.env.TINKER_BASE_URL = sampler.url;
afterAll(async () => {
  await closeRunTeachers();
  sampler.stop();
});

const doc = (text: string) => makeDoc({ text, domain: "nl", source: { path: "raw.md" } });

test("run:PATH parses as a local, keyless model counted with the student's tokenizer", () => {
  expect(parseModel("run:models/runs/mlx/x")).toMatchObject({ provider: "run", model: "models/runs/mlx/x", protocol: "run", local: true, keyRequired: false });
  expect(tokenizerFor("run:models/runs/mlx/x")).toBe("qwen3");
  expect(() => parseModel("run:")).toThrow("run:PATH");
});

describe("generator/compress with teacher = run:PATH", () => {
  test("the student compresses, a repeat is cached, a new adapter misses the cache", async () => {
    const dir = await fakeRun({ baseModel: "Qwen/Qwen3-8B", samplerPath: "tinker://r1/sampler_weights/final", adapter: "adapter.bin" }, "trainer/tinker");
    writeFileSync(join(dir, "adapter.bin"), "weights v1");
    const root = dirname(dirname(dir));
    const teacher = `run:${relative(root, dir)}`; // relative to the pipeline folder
    const opts = v.parse(plugin.options!, { teacher });
    expect(plugin.preflight!(opts, { root, env: process.env })).toEqual([]);
    const ctx = testContext({ name: plugin.name, root });
    const out = await plugin.generate(doc("The queue drains every 5 seconds unless it is paused."), opts, ctx);
    expect(out.compressed).toMatch(/^dense\(\d+\)$/);
    expect(out.meta.teacher).toBe(teacher);
    const sent = sampler.requests.length;
    await plugin.generate(doc("The queue drains every 5 seconds unless it is paused."), opts, ctx);
    expect(sampler.requests.length).toBe(sent);
    expect(ctx.store.ledger().map((r) => r.cached)).toEqual([false, true]);
    // Retrained in place: the adapter's bytes changed, so the same input is asked again.
    writeFileSync(join(dir, "adapter.bin"), "weights v2");
    await closeRunTeachers();
    await plugin.generate(doc("The queue drains every 5 seconds unless it is paused."), opts, ctx);
    expect(sampler.requests.length).toBe(sent + 1);
  });

  test("preflight: a run: teacher that is not a run folder", () => {
    const opts = v.parse(plugin.options!, { teacher: "run:models/runs/mlx/missing" });
    const problems = plugin.preflight!(opts, { root: "/tmp", env: process.env }) ?? [];
    expect(problems).toEqual([expect.stringContaining("/tmp/models/runs/mlx/missing is not a training run")]);
  });

  test("a run that cannot be opened rejects the doc as teacher_error, naming the run", async () => {
    const dir = await fakeRun({ baseModel: "Qwen/Qwen3-8B", adapter: "adapter" }); // trainer/mlx, no adapter folder
    const ctx = testContext({ name: plugin.name });
    const e = await Promise.resolve(plugin.generate(doc("text"), v.parse(plugin.options!, { teacher: `run:${dir}` }), ctx)).catch((x: unknown) => x);
    expect((e as { reason?: string }).reason).toBe("teacher_error");
    expect((e as Error).message).toContain("the adapter is missing");
  });
});

describe.skipIf(!hasPython)("run:PATH with a trainer/mlx run (real mlx_lm.server)", () => {
  test("generates pairs from raw text through the student's server", async () => {
    process.env.CTXC_PYTHON = testPython();
    const dir = await fakeRun({ baseModel: tinyQwen3(), adapter: tinyAdapter() });
    const ctx = testContext({ name: plugin.name });
    const opts = v.parse(plugin.options!, { teacher: `run:${dir}` });
    const out = await plugin.generate(doc("Retries back off exponentially, capped at 60 seconds."), opts, ctx);
    expect(out.compressed!.length).toBeGreaterThan(0);
    expect(out.meta.usd).toBe(0);
  }, 120_000);
});
