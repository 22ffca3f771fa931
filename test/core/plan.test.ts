import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { readPipelineFile } from "../../src/core/config.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { buildPlan } from "../../src/core/plan.ts";
import { docsJsonl, workspace } from "../helpers/cli.ts";

async function planOf(files: Record<string, string>) {
  const dir = await workspace({ "data/a.jsonl": docsJsonl(["hello world"]), ...files });
  return buildPlan(await readPipelineFile(join(dir, "pipeline.toml")));
}

async function problemsOf(files: Record<string, string>): Promise<string> {
  try {
    await planOf(files);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    expect((e as ConfigError).exitCode).toBe(2);
    return (e as Error).message;
  }
  throw new Error("expected the plan to be invalid");
}

const LOADER = '[[stages]]\nuse = "loader/jsonl"\npaths = ["data/*.jsonl"]\n';

describe("plan: plugins and options", () => {
  test("a valid pipeline resolves plugins, applies defaults, and names stage folders", async () => {
    const plan = await planOf({ "pipeline.toml": `${LOADER}\n[[stages]]\nuse = "generator/rules"\nname = "Baseline"\n` });
    expect(plan.stages.map((s) => s.label)).toEqual(["01-loader-jsonl", "02-baseline"]);
    expect(plan.stages[0]!.options.prefix).toBe("Compress:\n");
    expect(plan.recordStages.length).toBe(2);
  });

  test("an unknown plugin suggests the nearest built-in, with line", async () => {
    const msg = await problemsOf({ "pipeline.toml": `${LOADER}\n[[stages]]\nuse = "generator/rulez"\n` });
    expect(msg).toContain("pipeline.toml:6");
    expect(msg).toContain("stage 2 (generator/rulez)");
    expect(msg).toContain("unknown plugin `generator/rulez`");
    expect(msg).toContain("did you mean `generator/rules`?");
  });

  test("an unknown option key names stage, plugin, key and line, and suggests", async () => {
    const msg = await problemsOf({ "pipeline.toml": '[[stages]]\nuse = "loader/jsonl"\npaths = ["data/*.jsonl"]\nprefx = "x"\n' });
    expect(msg).toContain("pipeline.toml:4");
    expect(msg).toContain("stage 1 (loader/jsonl)");
    expect(msg).toContain("option `prefx`");
    expect(msg).toContain("did you mean `prefix`?");
  });

  test("an option of the wrong type names the key and the types", async () => {
    const msg = await problemsOf({ "pipeline.toml": '[[stages]]\nuse = "loader/jsonl"\npaths = "data/a.jsonl"\n' });
    expect(msg).toContain("option `paths`");
    expect(msg).toMatch(/Expected Array/i);
  });

  test("a missing required option is reported", async () => {
    const msg = await problemsOf({ "pipeline.toml": '[[stages]]\nuse = "loader/jsonl"\n' });
    expect(msg).toContain("option `paths`");
    expect(msg).toContain("required");
  });

  test("every problem is reported at once", async () => {
    const msg = await problemsOf({ "pipeline.toml": `[[stages]]\nuse = "loader/jsonl"\n\n[[stages]]\nuse = "filter/nope"\n\n[[stages]]\nuse = "generator/rules"\nbogus = 1\n` });
    expect(msg).toContain("stage 1");
    expect(msg).toContain("stage 2");
    expect(msg).toContain("stage 3");
  });
});

describe("plan: stage order", () => {
  const trainer = 'import { defineTrainer } from "ctxc";\nexport default defineTrainer({ name: "trainer/fake", version: "1", async train(d) { return { trainer: "trainer/fake", status: "completed", dir: ".", baseModel: "x", datasetFingerprint: d.fingerprint }; } });\n';
  test("a pipeline must start with a loader", async () => {
    const msg = await problemsOf({ "pipeline.toml": `[[stages]]\nuse = "generator/rules"\n\n${LOADER}` });
    expect(msg).toContain("starts with a loader");
  });

  test("a trainer before a record stage is misplaced", async () => {
    const msg = await problemsOf({
      "t.ts": trainer,
      "pipeline.toml": `${LOADER}\n[[stages]]\nuse = "./t.ts"\n\n[[stages]]\nuse = "generator/rules"\n`,
    });
    expect(msg).toContain("stage 3 (generator/rules)");
    expect(msg).toContain("cannot come after the trainer in stage 2");
  });

  test("two trainers are refused", async () => {
    const msg = await problemsOf({ "t.ts": trainer, "pipeline.toml": `${LOADER}\n[[stages]]\nuse = "./t.ts"\n\n[[stages]]\nuse = "./t.ts"\n` });
    expect(msg).toContain("at most one trainer");
  });
});

describe("plan: user plugin files", () => {
  test("a missing file says where it looked", async () => {
    const msg = await problemsOf({ "pipeline.toml": `${LOADER}\n[[stages]]\nuse = "./plugins/none.ts"\n` });
    expect(msg).toContain("plugin file not found: ./plugins/none.ts");
    expect(msg).toContain("ctxc plugin new");
  });

  test("a syntax error is reported with the file", async () => {
    const msg = await problemsOf({ "bad.ts": "export default {{{ ;\n", "pipeline.toml": `${LOADER}\n[[stages]]\nuse = "./bad.ts"\n` });
    expect(msg).toContain("could not load plugin file ./bad.ts");
  });

  test("a file that exports nothing", async () => {
    const msg = await problemsOf({ "none.ts": "export const x = 1;\n", "pipeline.toml": `${LOADER}\n[[stages]]\nuse = "./none.ts"\n` });
    expect(msg).toContain("exports no plugin");
    expect(msg).toContain("export default defineFilter");
  });

  test("a file that exports the wrong kind or shape", async () => {
    const msg = await problemsOf({
      "weird.ts": 'export default { kind: "transformer", name: "x", version: "1" };\n',
      "nofn.ts": 'export default { kind: "filter", name: "filter/nofn", version: "1" };\n',
      "pipeline.toml": `${LOADER}\n[[stages]]\nuse = "./weird.ts"\n\n[[stages]]\nuse = "./nofn.ts"\n`,
    });
    expect(msg).toContain("unknown kind `transformer`");
    expect(msg).toContain("a filter without filter()");
  });

  test("a good user plugin imports from the virtual module ctxc and validates its options", async () => {
    const plugin = 'import { defineFilter, v } from "ctxc";\nexport default defineFilter({ name: "filter/mine", version: "1", options: v.object({ n: v.optional(v.number(), 3) }), filter: (d) => d });\n';
    const plan = await planOf({ "mine.ts": plugin, "pipeline.toml": `${LOADER}\n[[stages]]\nuse = "./mine.ts"\nn = 5\n` });
    expect(plan.stages[1]!.plugin.name).toBe("filter/mine");
    expect(plan.stages[1]!.options).toEqual({ n: 5 });
    expect(plan.stages[1]!.codeHash).toMatch(/^[0-9a-f]{64}$/);
    const msg = await problemsOf({ "mine.ts": plugin, "pipeline.toml": `${LOADER}\n[[stages]]\nuse = "./mine.ts"\nn = "five"\n` });
    expect(msg).toContain("stage 2 (filter/mine): option `n`");
  });
});

describe("plan: the runner's concurrency key", () => {
  test("a loader has none; a generator or filter needs a whole number ≥ 1; a valid one is used", async () => {
    const onLoader = await problemsOf({ "pipeline.toml": `${LOADER}concurrency = 4\n` });
    expect(onLoader).toContain("stage 1 (loader/jsonl): option `concurrency`: a loader has no concurrency setting");
    for (const bad of ["0", "1.5", '"8"']) {
      const msg = await problemsOf({ "pipeline.toml": `${LOADER}\n[[stages]]\nuse = "filter/length"\nconcurrency = ${bad}\n` });
      expect(msg).toContain(`pipeline.toml:7: stage 2 (filter/length): option \`concurrency\`: must be a whole number ≥ 1, got ${bad}`);
    }
    const plan = await planOf({ "pipeline.toml": `${LOADER}\n[[stages]]\nuse = "filter/length"\nconcurrency = 3\n` });
    expect(plan.stages[1]!.concurrency).toBe(3);
    expect(plan.stages[1]!.options.concurrency).toBeUndefined();
  });
});
