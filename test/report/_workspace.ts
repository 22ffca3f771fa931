// A workspace with every section report.html can show: the quickstart pipeline run for real
// (funnel, dataset), a trainer stage pointing at a fake run folder with a metrics.jsonl in the
// shim's event format (loss, learning rate), evaluator/heuristics run on the test split (student,
// teacher, rules) and evaluator/equivalence against a scripted fake OpenAI judge.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import equivalence from "../../plugins/evaluators/equivalence.ts";
import heuristics from "../../plugins/evaluators/heuristics.ts";
import type { Doc } from "../../src/sdk/types.ts";
import { readJsonl } from "../../src/text/jsonl.ts";
import { testContext } from "../helpers/context.ts";
import { ctxc } from "../helpers/cli.ts";
import { fakeRun } from "../helpers/fake-compressor.ts";
import { startFakeJudge, verdictJson } from "../helpers/fake-judge.ts";

export async function fullWorkspace(): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), "ctxc-report-"));
  const r = await ctxc(["run", "examples/quickstart/pipeline.toml", "--out", out, "--quiet"]);
  if (r.code !== 0) throw new Error(`the quickstart failed (${r.code}): ${r.stderr}`);
  const run = await fakeRun(0.4);
  const events: string[] = [];
  for (let step = 10; step <= 100; step += 10) {
    events.push(JSON.stringify({ event: "metric", step, split: "train", loss: 3 / Math.sqrt(step), learning_rate: 1e-4 * Math.min(1, step / 30), t: step }));
    if (step % 20 === 0) events.push(JSON.stringify({ event: "metric", step, split: "val", loss: 3.2 / Math.sqrt(step), t: step }));
  }
  writeFileSync(join(run.dir, "metrics.jsonl"), `${JSON.stringify({ event: "start", backend: "fake", versions: {} })}\n${events.join("\n")}\n`);
  const manifest = JSON.parse(await Bun.file(join(out, "manifest.json")).text());
  manifest.stages["07-trainer-fake"] = { label: "07-trainer-fake", use: "trainer/fake", plugin: "trainer/fake", version: "1", fingerprint: "x", inputHash: "", status: "done", seconds: 1 };
  writeFileSync(join(out, "manifest.json"), JSON.stringify(manifest));
  mkdirSync(join(out, "07-trainer-fake"), { recursive: true });
  writeFileSync(join(out, "07-trainer-fake", "run.json"), JSON.stringify(run));
  const testDocs: Doc[] = [];
  for await (const { value } of readJsonl<Doc>(join(out, "dataset", "test.docs.jsonl"))) testDocs.push(value);
  const heur = await heuristics.evaluate(testDocs, run, v.parse(heuristics.options!, {}), testContext({ name: heuristics.name }));
  const report: Record<string, unknown> = { pipeline: "quickstart", model: run };
  // evaluator/equivalence for real, against a scripted fake OpenAI judge (score by kept numbers).
  process.env.OPENAI_API_KEY ??= "sk-report-fixture";
  const judge = startFakeJudge("openai", (user) => {
    const pick = (tag: string) => user.match(new RegExp(`<${tag}>\\n([\\s\\S]*?)\\n</${tag}>`))?.[1] ?? "";
    const compressed = pick("compressed");
    const lost = (pick("original").match(/\d+/g) ?? []).filter((n) => !compressed.includes(n));
    return verdictJson(lost.length ? 0.5 : 0.9, { missing: lost });
  });
  try {
    const opts = v.parse(equivalence.options!, { judges: ["openai:gpt-4.1-mini"], base_urls: { openai: judge.url }, max_retries: 0 });
    const eq = await equivalence.evaluate(testDocs, run, opts, testContext({ name: equivalence.name }));
    report.reports = [heur, eq];
  } finally {
    judge.stop();
  }
  writeFileSync(join(out, "report.json"), JSON.stringify(report));
  return out;
}
