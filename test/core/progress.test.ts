import { expect, test } from "bun:test";
import { Progress } from "../../src/core/progress.ts";
import type { StageRun } from "../../src/core/stage-run.ts";

const run = (label: string, kind: string, counts: { in: number; out: number }) =>
  ({ stage: { label, plugin: { kind } }, counts: { ...counts, rejected: {} } }) as unknown as StageRun;

test("the progress line shows each stage's output, done/total, rate, ETA and spend", async () => {
  const runs = [run("02-generator-compress", "generator", { in: 500, out: 490 }), run("03-filter-ratio", "filter", { in: 490, out: 450 })];
  const p = new Progress(runs, { enabled: false, total: 2000, spent: () => 1.234, tty: false });
  await Bun.sleep(20);
  const line = p.line();
  expect(line).toContain("02-generator-compress 490 → 03-filter-ratio 450");
  expect(line).toMatch(/\| 500\/2,000 docs, [\d,]+\/s, ETA \d+s, \$1\.23 spent$/);
});

test("without a known total or spend, the line has neither", () => {
  const p = new Progress([run("01-loader-jsonl", "loader", { in: 0, out: 1234 })], { enabled: false, spent: () => 0, tty: false });
  expect(p.line()).toMatch(/^01-loader-jsonl 1,234 \| 1,234 docs, [\d,]+\/s$/);
});
