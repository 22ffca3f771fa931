// A workspace with every section report.html can show: the quickstart run for real (funnel,
// dataset, trainer/extractive, evaluator/heuristics comparing student, teacher and rules), the
// run's metrics.jsonl rewritten in the shims' event format (loss, val loss, learning rate), and
// evaluator/equivalence against a scripted fake OpenAI judge.
import { mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import equivalence from "../../plugins/evaluators/equivalence.ts";
import type { Doc, RunRecord } from "../../src/sdk/types.ts";
import { readJsonl } from "../../src/text/jsonl.ts";
import { testContext } from "../helpers/context.ts";
import { ctxc } from "../helpers/cli.ts";
import { startFakeJudge, verdictJson } from "../helpers/fake-judge.ts";

export async function fullWorkspace(): Promise<string> {
  const out = mkdtempSync(join(tmpdir(), "ctxc-report-"));
  const r = await ctxc(["run", "examples/quickstart/pipeline.toml", "--out", out, "--quiet"]);
  if (r.code !== 0) throw new Error(`the quickstart failed (${r.code}): ${r.stderr}`);
  // The quickstart trained trainer/extractive; its run is the student. Its per-epoch metrics are
  // replaced by a longer curve in the Python shims' event format (loss, val loss, learning rate),
  // the format trainer/mlx and trainer/tinker write, so both shapes the report reads are drawn.
  const stage = readdirSync(out).find((d) => d.includes("trainer-"));
  if (!stage) throw new Error("the quickstart has no trainer stage any more");
  const run = JSON.parse(await Bun.file(join(out, stage, "run.json")).text()) as RunRecord;
  const events: string[] = [];
  for (let step = 10; step <= 100; step += 10) {
    events.push(JSON.stringify({ event: "metric", step, split: "train", loss: 3 / Math.sqrt(step), learning_rate: 1e-4 * Math.min(1, step / 30), t: step }));
    if (step % 20 === 0) events.push(JSON.stringify({ event: "metric", step, split: "val", loss: 3.2 / Math.sqrt(step), t: step }));
  }
  writeFileSync(join(run.dir, "metrics.jsonl"), `${JSON.stringify({ event: "start", backend: "fake", versions: {} })}\n${events.join("\n")}\n`);
  const testDocs: Doc[] = [];
  for await (const { value } of readJsonl<Doc>(join(out, "dataset", "test.docs.jsonl"))) testDocs.push(value);
  const report = JSON.parse(await Bun.file(join(out, "report.json")).text()) as { reports: unknown[] };
  // evaluator/equivalence for real, against a scripted fake OpenAI judge (score by kept numbers).
  process.env.OPENAI_API_KEY ??= "sk-report-fixture";
  const judge = startFakeJudge("openai", (user) => {
    const pick = (tag: string) => user.match(new RegExp(`<${tag}>\\n([\\s\\S]*?)\\n</${tag}>`))?.[1] ?? "";
    const compressed = pick("compressed");
    const lost = (pick("original").match(/\d+/g) ?? []).filter((n) => !compressed.includes(n));
    return verdictJson(lost.length ? 0.5 : 0.9, { missing: lost });
  });
  try {
    const opts = v.parse(equivalence.options!, { judges: ["openai:gpt-4.1-mini"], base_urls: { openai: judge.url }, max_retries: 0, rows: 20 });
    report.reports.push(await equivalence.evaluate(testDocs, run, opts, testContext({ name: equivalence.name })));
  } finally {
    judge.stop();
  }
  writeFileSync(join(out, "report.json"), JSON.stringify(report));
  return out;
}
