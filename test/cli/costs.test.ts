import { expect, test } from "bun:test";
import { checkArgv } from "../../src/cli/strict-args.ts";
import { runCommand } from "citty";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import costs from "../../src/cli/costs.ts";
import { Store } from "../../src/core/store.ts";
import { captureStdout } from "../helpers/cli.ts";

const capture = async (fn: () => Promise<{ result: unknown }>) => {
  const { out, result } = await captureStdout(fn);
  return { out, result: result.result };
};

function workspace(): string {
  const out = mkdtempSync(join(tmpdir(), "ctxc-costs-"));
  const store = new Store(join(out, "ctxc.sqlite"));
  store.recordCost("p", "02-generator-compress", { model: "anthropic:claude-haiku-4-5", tokensIn: 1000, tokensOut: 100, usd: 0.0015 });
  store.recordCost("p", "02-generator-compress", { model: "anthropic:claude-haiku-4-5", tokensIn: 1000, tokensOut: 100, usd: 0, cached: true });
  store.recordCost("p", "04-filter-equivalence", { model: "openai:gpt-new", tokensIn: 500, tokensOut: 10, usd: null });
  store.recordCost("p", "04-filter-equivalence", { model: "openai:gpt-4.1-mini", tokensIn: 500, tokensOut: 10, usd: 0.0002, batch: true });
  store.close();
  return out;
}

test("--by stage and --by model total the ledger; unknown prices are counted apart", async () => {
  const out = workspace();
  const { out: text, result } = await capture(() => runCommand(costs, { rawArgs: ["--out", out] }));
  expect(result).toBe(0);
  expect(text).toContain("02-generator-compress");
  expect(text).toMatch(/04-filter-equivalence .*\$0\.0002 \+ 1 unpriced/);
  expect(text).toContain("total: 4 calls, $0.0017 (+ 1 calls of unknown price)");
  const { out: json } = await capture(() => runCommand(costs, { rawArgs: ["--out", out, "--by", "model", "--json"] }));
  const rows = JSON.parse(json);
  expect(rows.map((r: { key: string }) => r.key)).toEqual(["anthropic:claude-haiku-4-5", "openai:gpt-4.1-mini", "openai:gpt-new"]);
  expect(rows[0]).toMatchObject({ calls: 2, cached: 1, tokensIn: 2000, usd: 0.0015, unpriced: 0 });
  const { out: days } = await capture(() => runCommand(costs, { rawArgs: ["--out", out, "--by", "day", "--json"] }));
  expect(JSON.parse(days)[0].key).toMatch(/^\d{4}-\d{2}-\d{2}$/);
});

test("a pipeline file finds its workspace; a bad --by or missing workspace is a clear error", async () => {
  const out = workspace();
  const dir = mkdtempSync(join(tmpdir(), "ctxc-pipe-"));
  writeFileSync(join(dir, "pipeline.toml"), `out = ${JSON.stringify(out)}\n[[stages]]\nuse = "loader/jsonl"\npaths = ["x.jsonl"]\n`);
  const { out: text } = await capture(() => runCommand(costs, { rawArgs: [join(dir, "pipeline.toml"), "--by", "pipeline"] }));
  expect(text).toMatch(/^pipeline/);
  await expect(checkArgv(costs, ["--out", out, "--by", "week"], "ctxc costs")).rejects.toThrow('--by must be one of stage, model, day, pipeline, not "week"');
  await expect(runCommand(costs, { rawArgs: ["--out", dir] })).rejects.toThrow("no ctxc database");
  await expect(runCommand(costs, { rawArgs: [] })).rejects.toThrow("which workspace?");
});
