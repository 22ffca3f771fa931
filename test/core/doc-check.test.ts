// The runner checks every doc a generator or filter returns, and rejects a malformed one as
// `plugin_error` naming the field, instead of passing it on to break the dataset step later.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { readPipelineFile } from "../../src/core/config.ts";
import { checkDoc } from "../../src/core/doc-check.ts";
import { buildPlan } from "../../src/core/plan.ts";
import { runPipeline } from "../../src/core/runner.ts";
import { makeDoc } from "../../src/sdk/doc.ts";
import type { Doc } from "../../src/sdk/types.ts";
import { docsJsonl, workspace } from "../helpers/cli.ts";

const good = () => makeDoc({ text: "hello", domain: "nl", source: { path: "a" } });

describe("checkDoc", () => {
  test("names the field that is wrong", () => {
    expect(checkDoc(good())).toBeUndefined();
    expect(checkDoc({ ...good(), compressed: "ok" })).toBeUndefined();
    const cases: Array<[Partial<Record<keyof Doc, unknown>>, string]> = [
      [{ compressed: 12345 }, "compressed is 12345, not a string"],
      [{ id: "" }, 'id is "", not a non-empty string'],
      [{ id: 7 }, "id is 7, not a non-empty string"],
      [{ text: null }, "text is null, not a string"],
      [{ domain: "prose" }, 'domain is "prose", not "code", "nl" or "mixed"'],
      [{ scores: [1] }, "scores is an array, not an object of numbers"],
      [{ scores: { ratio: "0.5" } }, 'scores.ratio is "0.5", not a number'],
      [{ meta: "x" }, 'meta is "x", not an object'],
      [{ meta: undefined }, "meta is undefined, not an object"],
    ];
    for (const [patch, message] of cases) expect(checkDoc({ ...good(), ...patch } as Doc)).toBe(message);
  });
});

const BAD_GENERATOR = `import { defineGenerator } from "ctxc";
export default defineGenerator({
  name: "generator/bad", version: "1",
  generate(doc) { return doc.text.endsWith("3") ? { ...doc, compressed: 12345 } : { ...doc, compressed: doc.text.toUpperCase() }; },
});
`;
// Maps every id onto one of two: the third doc on repeats an id an earlier doc already has.
const DUP_FILTER = `import { defineFilter } from "ctxc";
export default defineFilter({
  name: "filter/dup-ids", version: "1",
  filter(doc) { return { ...doc, id: "same-" + (doc.text.length % 2) }; },
});
`;

test("the runner rejects a bad doc as plugin_error naming the field, and an id turned into a duplicate", async () => {
  const dir = await workspace({
    "data/a.jsonl": docsJsonl(["doc 1", "doc 2", "doc 3", "doc 44", "doc 55"]),
    "bad.ts": BAD_GENERATOR,
    "dup.ts": DUP_FILTER,
    "p.toml": 'name = "shape"\nout = "out"\n[[stages]]\nuse = "loader/jsonl"\npaths = ["data/*.jsonl"]\ndomain = "nl"\n[[stages]]\nuse = "./bad.ts"\n[[stages]]\nuse = "./dup.ts"\n',
  });
  const s = await runPipeline(await buildPlan(await readPipelineFile(join(dir, "p.toml"))), { progress: false });
  expect(s.stages[1]).toMatchObject({ out: 4, rejected: { plugin_error: 1 } });
  expect(s.stages[2]).toMatchObject({ in: 4, out: 2, rejected: { plugin_error: 2 } });
  const rows = (p: string) => readFileSync(join(dir, "out", p), "utf8").trim().split("\n").map((l) => JSON.parse(l));
  expect(rows("02-generator-bad/rejected.jsonl")[0]).toMatchObject({ text: "doc 3", reason: "plugin_error", detail: "generator/bad: returned a doc whose compressed is 12345, not a string" });
  const dups = rows("03-filter-dup-ids/rejected.jsonl");
  expect(dups.map((r) => r.detail)).toEqual([
    expect.stringMatching(/^filter\/dup-ids: changed the id "[0-9a-f]+" into "same-1", which it already gave to an earlier doc of this stage$/),
    expect.stringMatching(/^filter\/dup-ids: changed the id "[0-9a-f]+" into "same-0", which it already gave to an earlier doc of this stage$/),
  ]);
  expect(new Set(rows("03-filter-dup-ids/out.jsonl").map((d) => d.id)).size).toBe(2);
}, 30_000);
