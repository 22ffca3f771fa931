// `ctxc eval` as a user runs it: a workspace's test split, a compressor on --data, a run folder
// (run.json gets evaluation.ab), deterministic intervals, and each kind of bad input.
import { beforeAll, describe, expect, test } from "bun:test";
import { join } from "node:path";
import { writeRun } from "../../src/runs/run-file.ts";
import { RUN_FORMAT } from "../../src/runs/store.ts";
import { ctxc, tempDir, workspace } from "../helpers/cli.ts";

const chat = (text: string, compressed: string) => JSON.stringify({ messages: [{ role: "system", content: "s" }, { role: "user", content: `Compress:\n${text}` }, { role: "assistant", content: compressed }] });
let data = "";
let out = "";
let bare = "";

beforeAll(async () => {
  const rows = Array.from({ length: 40 }, (_, i) =>
    chat(`The station opened in ${1950 + i} and does not close at night; it has ${i + 2} platforms.\n\n\n    Trains run every ${i + 5} minutes.`, `station opened ${1950 + i} | ¬closes at night | ${i + 2} platforms | trains every ${i + 5} min`),
  );
  // A pipeline without a trainer: its workspace has a test split but no student.
  const project = await workspace({ "pairs.jsonl": `${rows.join("\n")}\n`, "pipeline.toml": 'name = "bare"\nout = "ws"\n[[stages]]\nuse = "loader/jsonl"\npaths = ["pairs.jsonl"]\n' });
  data = join(project, "pairs.jsonl");
  bare = join(project, "ws");
  expect((await ctxc(["run", join(project, "pipeline.toml"), "--quiet"])).code).toBe(0);
  // The quickstart trains the extractive student: its workspace has one.
  out = tempDir("ctxc-eval-ws-");
  expect((await ctxc(["run", "examples/quickstart/pipeline.toml", "--out", out, "--quiet"])).code).toBe(0);
}, 120_000);

async function rulesRun(status = "completed"): Promise<string> {
  const dir = tempDir("ctxc-eval-run-");
  await writeRun(dir, {
    trainer: "trainer/rules", dir, baseModel: "none", datasetFingerprint: "fp", format: RUN_FORMAT, id: "rules/1", status: status as "completed",
    createdAt: new Date(0).toISOString(), config: {}, dataset: { fingerprint: "fp", counts: { train: 0, valid: 0, test: 0 } }, backend: { name: "rules", versions: {} }, metrics: {},
  });
  return dir;
}

describe("ctxc eval", () => {
  test("a workspace without a trained run: --against compares on its test split", async () => {
    const r = await ctxc(["eval", bare, "--against", "teacher,rules", "--json"]);
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout);
    expect(e.compressors.map((c: any) => c.name)).toEqual(["teacher", "rules"]);
    expect(e.rows).toBeGreaterThan(0);
    expect((await Bun.file(join(bare, "report.json")).json()).ab.rows).toBe(e.rows);
  }, 30_000);

  test("a workspace with a trained run: it is the student; report.json keeps the pipeline's reports and gains ab; run.json gets evaluation.ab", async () => {
    const r = await ctxc(["eval", out, "--json"]);
    expect(r.code).toBe(0);
    const e = JSON.parse(r.stdout);
    expect(e.compressors.map((c: any) => c.name)).toEqual(["student", "teacher", "rules"]);
    expect(e.compressors[0].spec).toMatch(/^extractive:/);
    const report = await Bun.file(join(out, "report.json")).json();
    expect(report.ab.rows).toBe(e.rows);
    expect(report.reports[0].evaluator).toBe("evaluator/heuristics"); // the quickstart's own evaluator
    const run = await Bun.file(join(report.model.dir, "run.json")).json();
    expect(run.evaluation.ab.rows).toBe(e.rows);
    expect(run.evaluation.heuristics.rows).toBe(e.rows); // the pipeline's evaluator wrote its own
  }, 60_000);

  test("a compressor on --data (chat pairs): table with CIs and significance; the same seed gives the same intervals", async () => {
    const a = await ctxc(["eval", "rules", "--data", data, "--rows", "10", "--json"]);
    expect(a.code).toBe(0);
    const e = JSON.parse(a.stdout);
    expect(e.rows).toBe(10);
    expect(e.compressors.map((c: any) => c.name)).toEqual(["rules", "teacher"]);
    const ratio = e.comparisons.find((c: any) => c.metric === "token_ratio");
    expect(ratio.diff.n).toBe(10);
    expect(ratio.diff.lo).toBeLessThanOrEqual(ratio.diff.mean);
    expect(typeof ratio.diff.significant).toBe("boolean");
    const b = await ctxc(["eval", "rules", "--data", data, "--rows", "10", "--json"]);
    expect(JSON.parse(b.stdout).comparisons).toEqual(e.comparisons);
    const text = await ctxc(["eval", "rules", "--data", data, "--rows", "10"]);
    expect(text.stdout).toContain("ratio [95% CI]");
    expect(text.stdout).toMatch(/teacher − rules\s+token_ratio .*(significant: favours|not significant)/);
  }, 30_000);

  test("a run folder as RUN: the student is opened from run.json and the result lands in its evaluation.ab", async () => {
    const dir = await rulesRun();
    const r = await ctxc(["eval", dir, "--data", data, "--against", "teacher", "--json"]);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).compressors[0]).toMatchObject({ name: "student", spec: "rules" });
    const run = await Bun.file(join(dir, "run.json")).json();
    expect(run.evaluation.ab.rows).toBe(40);
    expect(run.evaluation.ab.comparisons.length).toBeGreaterThan(0);
  }, 30_000);

  test("bad input: clear message, hint, exit 2", async () => {
    const cases: Array<[string[], RegExp]> = [
      [["eval", "rules"], /not a workspace.*\n.*--data/],
      [["eval", "rules", "--data", "/nope/missing.jsonl"], /no such file/],
      [["eval", "rules", "--data", data, "--rows", "abc"], /--rows must be an integer/],
      [["eval", "rules", "--data", data, "--against", "rulez"], /unknown compressor "rulez"/],
      [["eval", "rules", "--data", data, "--against", "teacher,teacher"], /compared with itself/],
      [["eval", bare, "--against", "rules"], /no trained run/],
      [["eval", await rulesRun("failed"), "--data", data], /status is failed, not completed/],
    ];
    for (const [args, re] of cases) {
      const r = await ctxc(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(re);
      expect(r.stderr).toContain("hint:");
    }
  }, 60_000);
});

describe("ctxc report", () => {
  test("rebuilds report.html: self-contained (no script, no external URL)", async () => {
    const r = await ctxc(["report", out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(join(out, "report.html"));
    const html = await Bun.file(join(out, "report.html")).text();
    expect(html).toContain("<svg");
    expect(html).toContain("Filter funnel");
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(src|href)=["']?https?:/i);
  }, 30_000);

  test("not a workspace: exit 2 with a hint", async () => {
    const r = await ctxc(["report", tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/not a ctxc workspace[\s\S]*hint:/);
  });
});
