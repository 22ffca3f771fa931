import { describe, expect, test } from "bun:test";
import { errorJson, exitCodeOf } from "../../src/cli/_shared.ts";
import { ConfigError, CtxcError } from "../../src/core/errors.ts";
import { ctxc, docsJsonl, workspace } from "../helpers/cli.ts";

const LOADER = '[[stages]]\nuse = "loader/jsonl"\npaths = ["data/*.jsonl"]\n';
// A plugin whose preflight hook itself crashes: not a problem in the pipeline file, a bug.
const CRASHING = `import { defineFilter } from "ctxc";
export default defineFilter({ name: "filter/crash", version: "1", preflight() { throw new TypeError("oops"); }, filter: (d) => d });
`;

describe("errorJson / exitCodeOf", () => {
  test("a ConfigError keeps every problem and exits 2; a CtxcError is one problem with its code; anything else is a bug (1)", () => {
    const config = new ConfigError([{ where: "p.toml:3", key: "x", message: "unknown option `x`" }, { where: "p.toml:9", message: "bad order" }]);
    expect(exitCodeOf(config)).toBe(2);
    expect(errorJson(config).problems).toEqual([{ where: "p.toml:3", key: "x", message: "unknown option `x`" }, { where: "p.toml:9", message: "bad order" }]);
    const ctxcErr = new CtxcError("no such file", { hint: "check the path", exitCode: 2 });
    expect(exitCodeOf(ctxcErr)).toBe(2);
    expect(errorJson(ctxcErr)).toEqual({ error: "no such file", hint: "check the path", problems: [{ message: "no such file", hint: "check the path" }] });
    const bug = new TypeError("x is undefined");
    expect(exitCodeOf(bug)).toBe(1);
    expect(errorJson(bug).hint).toMatch(/bug in ctxc/);
  });
});

describe("validate and run report a bad pipeline the same way", () => {
  test("--json: both list the file's problems and exit 2", async () => {
    const dir = await workspace({ "data/a.jsonl": docsJsonl(["hi there"]), "bad.toml": `${LOADER}bogus = 1\n\n[[stages]]\nuse = "filter/nope"\n` });
    const v = await ctxc(["validate", "bad.toml", "--json"], { cwd: dir });
    const r = await ctxc(["run", "bad.toml", "--json"], { cwd: dir });
    expect([v.code, r.code]).toEqual([2, 2]);
    const vj = JSON.parse(v.stdout);
    const rj = JSON.parse(r.stdout);
    expect(vj.valid).toBe(false);
    expect(rj.status).toBe("failed");
    expect(vj.problems).toHaveLength(2);
    expect(rj.problems).toEqual(vj.problems);
    expect(rj.problems[0]).toMatchObject({ where: "bad.toml:4", key: "bogus" });
  });

  test("--json: a crash that is not a pipeline problem exits 1 from both", async () => {
    const dir = await workspace({ "data/a.jsonl": docsJsonl(["hi there"]), "crash.ts": CRASHING, "p.toml": `${LOADER}\n[[stages]]\nuse = "./crash.ts"\n` });
    const v = await ctxc(["validate", "p.toml", "--json"], { cwd: dir });
    const r = await ctxc(["run", "p.toml", "--json"], { cwd: dir });
    expect([v.code, r.code]).toEqual([1, 1]);
    expect(JSON.parse(v.stdout)).toMatchObject({ valid: false, error: "oops", problems: [{ message: "oops" }] });
    expect(JSON.parse(r.stdout)).toMatchObject({ status: "failed", error: "oops" });
  });
});
