// A plugin whose promise never settles: ctxc reports the stalled plugin (and doc), exits non-zero,
// keeps the docs finished before it, and prints exactly one JSON object with --json. Before,
// Bun exited 0 with no output once its event loop emptied.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ctxc, docsJsonl, workspace } from "../helpers/cli.ts";

const HANG_IN_FILTER = `import { defineFilter } from "ctxc";
export default defineFilter({
  name: "filter/hang", version: "1",
  async filter(doc) {
    if (doc.text === "doc 7") await new Promise(() => {});
    return doc;
  },
});
`;
const HANG_AT_IMPORT = `import { defineFilter } from "ctxc";
await new Promise(() => {});
export default defineFilter({ name: "filter/tla", version: "1", filter: (doc) => doc });
`;
const HANG_IN_LOADER = `import { defineLoader } from "ctxc";
export default defineLoader({
  name: "loader/hang", version: "1",
  async *load() {
    yield { id: "a", text: "first", domain: "nl", source: { path: "x" }, scores: {}, meta: {} };
    await new Promise(() => {});
  },
});
`;

const pipeline = (stages: string) => `name = "stall"\nout = "out"\n${stages}`;
const LOADER = '[[stages]]\nuse = "loader/jsonl"\npaths = ["data/*.jsonl"]\ndomain = "nl"\n';

async function setup() {
  return workspace({
    "data/a.jsonl": docsJsonl(Array.from({ length: 20 }, (_, i) => `doc ${i}`)),
    "hang.ts": HANG_IN_FILTER,
    "tla.ts": HANG_AT_IMPORT,
    "loader.ts": HANG_IN_LOADER,
    "filter.toml": pipeline(`${LOADER}[[stages]]\nuse = "./hang.ts"\n`),
    "import.toml": pipeline(`${LOADER}[[stages]]\nuse = "./tla.ts"\n`),
    "loader.toml": pipeline('[[stages]]\nuse = "./loader.ts"\n'),
  });
}

describe("a promise that never settles", () => {
  test("in filter() on one doc: run fails naming the plugin and the doc; the docs before it are kept", async () => {
    const dir = await setup();
    const r = await ctxc(["run", "filter.toml"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/stalled: 02-filter-hang \(filter\/hang\) on doc "[0-9a-f]+" never finished/);
    const kept = readFileSync(join(dir, "out/02-filter-hang/out.jsonl.partial"), "utf8").trim().split("\n").map((l) => JSON.parse(l).text);
    expect(kept).toEqual(Array.from({ length: 7 }, (_, i) => `doc ${i}`));
    const m = JSON.parse(readFileSync(join(dir, "out/manifest.json"), "utf8"));
    expect(m.stages["02-filter-hang"].status).toBe("failed");

    const json = await ctxc(["run", "filter.toml", "--json"], { cwd: dir });
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: "failed", error: expect.stringContaining("02-filter-hang (filter/hang) on doc") });
  });

  test("at import: validate and run fail (exit 2) naming the file; --json prints one object", async () => {
    const dir = await setup();
    for (const cmd of ["validate", "run"]) {
      const r = await ctxc([cmd, "import.toml"], { cwd: dir });
      expect({ cmd, code: r.code }).toEqual({ cmd, code: 2 });
      expect(r.stderr).toContain("importing the plugin file ./tla.ts never finished");
      const json = await ctxc([cmd, "import.toml", "--json"], { cwd: dir });
      expect(json.code).toBe(2);
      expect(JSON.parse(json.stdout).error).toContain("./tla.ts");
    }
  });

  test("in a loader: the run fails naming the loader", async () => {
    const dir = await setup();
    const r = await ctxc(["run", "loader.toml"], { cwd: dir });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("01-loader-hang (loader/hang) loading never finished");
  });
});
