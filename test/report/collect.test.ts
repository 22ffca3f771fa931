import { expect, test } from "bun:test";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { collectReport } from "../../src/report/collect.ts";
import { tempDir } from "../helpers/cli.ts";

/** A workspace whose manifest names a trainer stage and whose run wrote `lines` as metrics.jsonl. */
function workspaceWithMetrics(lines: object[]): string {
  const out = tempDir("ctxc-collect-");
  const run = join(out, "run");
  mkdirSync(run);
  mkdirSync(join(out, "03-trainer-x"));
  writeFileSync(join(run, "metrics.jsonl"), lines.map((l) => JSON.stringify(l)).join("\n") + "\n");
  writeFileSync(join(out, "03-trainer-x", "run.json"), JSON.stringify({ trainer: "trainer/x", dir: run }));
  writeFileSync(join(out, "manifest.json"), JSON.stringify({ version: 1, pipeline: "p", stages: { "01-loader-jsonl": { label: "01-loader-jsonl", use: "loader/jsonl", counts: { in: 0, out: 5, rejected: {} } }, "03-trainer-x": { label: "03-trainer-x", use: "trainer/x", plugin: "trainer/x" } } }));
  return out;
}

test("shim events: metric lines with step, split, loss, learning rate; other events ignored", async () => {
  const d = await collectReport(workspaceWithMetrics([
    { event: "start", backend: "mlx" },
    { event: "metric", step: 1, split: "train", loss: 2, learning_rate: 1e-5 },
    { event: "metric", step: 2, split: "val", loss: 1.5 },
    { event: "checkpoint", step: 2, path: "a" },
    { event: "done", metrics: {} },
  ]));
  expect(d.training?.points).toEqual([
    { step: 1, split: "train", loss: 2, learning_rate: 1e-5 },
    { step: 2, split: "val", loss: 1.5, learning_rate: undefined },
  ]);
  expect(d.funnel).toEqual([{ stage: "01-loader-jsonl", use: "loader/jsonl", in: 0, out: 5, rejected: {} }]);
  expect(d.dataset).toBeUndefined();
  expect(d.evaluation).toBeUndefined();
});

test("trainer/extractive's per-epoch lines: train loss per epoch, the final val loss at the last epoch", async () => {
  const d = await collectReport(workspaceWithMetrics([
    { type: "train", epoch: 1, train_loss: 0.4 },
    { type: "train", epoch: 2, train_loss: 0.3 },
    { type: "final", train_loss: 0.29, val_loss: 0.35 },
  ]));
  expect(d.training?.points).toEqual([
    { step: 1, split: "train", loss: 0.4 },
    { step: 2, split: "train", loss: 0.3 },
    { step: 2, split: "val", loss: 0.35 },
  ]);
});
