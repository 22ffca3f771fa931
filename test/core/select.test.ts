import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { readPipelineFile } from "../../src/core/config.ts";
import { buildPlan } from "../../src/core/plan.ts";
import { selectStage } from "../../src/core/select.ts";
import { docsJsonl, workspace } from "../helpers/cli.ts";

const PIPELINE = '[[stages]]\nuse = "loader/jsonl"\npaths = ["data/*.jsonl"]\n\n[[stages]]\nuse = "filter/length"\n\n[[stages]]\nuse = "filter/length"\nname = "long-only"\n';

async function plan() {
  const dir = await workspace({ "data/a.jsonl": docsJsonl(["hello world"]), "pipeline.toml": PIPELINE });
  return buildPlan(await readPipelineFile(join(dir, "pipeline.toml")));
}

describe("selectStage (--only / --from)", () => {
  test("a stage is found by number, folder, name or use; `dataset` is the dataset step", async () => {
    const p = await plan();
    expect(selectStage(p, "2")).toBe(p.stages[1]!);
    expect(selectStage(p, "03-long-only")).toBe(p.stages[2]!);
    expect(selectStage(p, "long-only")).toBe(p.stages[2]!);
    expect(selectStage(p, "loader/jsonl")).toBe(p.stages[0]!);
    expect(selectStage(p, "dataset")).toBe("dataset");
  });

  test("a use shared by two stages is ambiguous: the error lists both and says how to pick one", async () => {
    const p = await plan();
    let err: unknown;
    try {
      selectStage(p, "filter/length");
    } catch (e) {
      err = e;
    }
    expect(err).toMatchObject({ message: "`filter/length` matches several stages: 02-filter-length, 03-long-only", hint: "name the stage by its number or folder name", exitCode: 2 });
  });

  test("an unknown stage suggests the nearest name and lists them all", async () => {
    const p = await plan();
    expect(() => selectStage(p, "long-onyl")).toThrow(/no stage `long-onyl`/);
  });
});
