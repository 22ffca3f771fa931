// Large pipeline files: every unknown key is reported at its own line, and a syntax error deep in
// a big file is located exactly. (Speed is measured by bench/validate-large.ts, not asserted here:
// these inputs took minutes with the old quadratic parse and locator.)
import { describe, expect, test } from "bun:test";
import { parsePipeline } from "../../src/core/config.ts";
import { ConfigError } from "../../src/core/errors.ts";
import { errorOf } from "../helpers/errors.ts";
import { buildPlan } from "../../src/core/plan.ts";
import { parseToml } from "../../src/core/toml.ts";

const N = 5000;
const STAGE = '[[stages]]\nuse = "loader/jsonl"\npaths = ["x.jsonl"]\n';

describe("large pipeline files", () => {
  test(`${N} unknown stage options are each reported at their own line`, async () => {
    const keys = Array.from({ length: N }, (_, i) => `unknown_key_${i} = ${i}\n`).join("");
    const config = parsePipeline(`name = "q"\n${STAGE}${keys}`, "p.toml", "/tmp/p.toml");
    const e = await buildPlan(config).then(() => undefined, (x) => x as ConfigError);
    expect(e).toBeInstanceOf(ConfigError);
    expect(e!.problems).toHaveLength(N);
    e!.problems.forEach((p, i) => {
      expect(p.where).toEndWith(`p.toml:${i + 5}`);
      expect(p.key).toBe(`unknown_key_${i}`);
    });
  });

  test("an unknown top-level key among thousands of lines names its line", () => {
    const filler = Array.from({ length: N }, (_, i) => `# comment ${i}\n`).join("");
    const e = errorOf(() => parsePipeline(`name = "q"\n${filler}nmae = 1\n${STAGE}`, "p.toml", "/tmp/p.toml")) as ConfigError;
    expect(e.problems[0]!.where).toBe(`p.toml:${N + 2}`);
    expect(e.problems[0]!.hint).toContain("did you mean `name`?");
  });

  test("a syntax error at the end of a large file names its line and column", () => {
    const keys = Array.from({ length: N }, (_, i) => `k${i} = ${i}\n`).join("");
    const e = errorOf(() => parseToml(`${keys}broken = \n`, "p.toml"));
    expect(e.message).toStartWith(`p.toml:${N + 1}:`);
    expect(e.message).toContain("TOML syntax error");
    expect(e.message).toContain("    broken = ");
    expect(e.exitCode).toBe(2);
  });

  test("a syntax error mid-line points at its column", () => {
    const e = errorOf(() => parseToml('a = 1\nb = [1, 2,, 3]\n', "p.toml"));
    expect(e.message).toMatch(/^p\.toml:2:\d+: TOML syntax error: /);
    const column = Number(/^p\.toml:2:(\d+)/.exec(e.message)![1]);
    expect(column).toBeGreaterThanOrEqual(10);
    expect(column).toBeLessThanOrEqual(12);
  });
});
