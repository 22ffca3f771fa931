import { describe, expect, test } from "bun:test";
import { symlinkSync, utimesSync } from "node:fs";
import { join } from "node:path";
import * as v from "valibot";
import plugin from "../../../plugins/loaders/code/index.ts";
import type { Doc } from "../../../src/sdk/types.ts";
import { testContext } from "../../helpers/context.ts";
import { loadDocs, testLoaderConformance } from "../_conformance.ts";
import { tempTrees } from "./_tree.ts";
import { parserChildren } from "./_processes.ts";
import { workspace } from "../../helpers/cli.ts";

const FIXTURES = join(import.meta.dir, "../../fixtures/loaders/code");

testLoaderConformance(plugin, { paths: ["src/**/*", "tests/**"] }, FIXTURES);

const load = (root: string, options: Record<string, unknown>) => loadDocs(plugin, root, options);

const row = (d: Doc) => [d.source.path, d.source.unit, d.source.name, d.source.start, d.source.end, d.meta.class ?? null];

const tree = tempTrees("ctxc-code-");

const LONG_BODY = ["    a = 1", "    b = a + 1", "    c = b * 2", "    d = c - 3", "    return a + b + c + d  # enough characters here"].join("\n");

describe("units per language", () => {
  test("the fixtures give exactly these units, sorted by path then position", async () => {
    const { docs, ctx } = await load(FIXTURES, { paths: ["src/**/*", "tests/**"] });
    expect(docs.map(row)).toEqual([
      ["src/Inventory.java", "class", "Inventory", 6, 25, null],
      ["src/Inventory.java", "method", "Inventory", 10, 15, "Inventory"],
      ["src/Inventory.java", "method", "toString", 17, 24, "Inventory"],
      ["src/app.js", "function", "renderList", 1, 6, null],
      ["src/app.js", "class", "Store", 8, 21, null],
      ["src/app.js", "method", "add", 15, 20, "Store"],
      ["src/lib.rs", "function", "add_numbers", 7, 13, null],
      ["src/lib.rs", "method", "new", 16, 21, "Counter"],
      ["src/lib.rs", "method", "increment", 23, 29, "Counter"],
      ["src/server.go", "function", "NewServer", 10, 15, null],
      ["src/server.go", "method", "Address", 17, 22, "Server"],
      ["src/shapes.py", "function", "area_of_circle", 5, 9, null],
      ["src/shapes.py", "function", "perimeter", 13, 19, null],
      ["src/shapes.py", "class", "Shape", 22, 46, null],
      ["src/shapes.py", "method", "label", 31, 36, "Shape"],
      ["src/shapes.py", "function", "fetch_all", 49, 53, null],
      ["src/view.tsx", "function", "Greeting", 3, 11, null],
      ["src/widgets.ts", "function", "formatPrice", 3, 8, null],
      ["src/widgets.ts", "function", "sumAll", 10, 15, null],
      ["src/widgets.ts", "class", "Widget", 17, 34, null],
      ["src/widgets.ts", "method", "constructor", 21, 25, "Widget"],
      ["src/widgets.ts", "method", "render", 27, 33, "Widget"],
    ]);
    for (const d of docs) expect(d.domain).toBe("code");
    expect(docs.find((d) => d.source.name === "render")!.source.lang).toBe("typescript");
    expect(docs.find((d) => d.source.name === "Greeting")!.source.lang).toBe("tsx");
    // tests/test_shapes.py (file), Shape.test_helper (name), #[test] fn checks_addition (attribute)
    expect(ctx.counters["skipped:test"]).toBe(3);
    expect(ctx.counters["skipped:dunder"]).toBe(1); // Shape.__init__
    expect(ctx.counters["skipped:trivial"]).toBe(1); // Shape.stub
    expect(ctx.counters["skipped:syntax_error"]).toBe(1); // def broken(x:
  });

  test("a unit starts at its first decorator and ends at its last body line, not at trailing comments", async () => {
    const { docs } = await load(FIXTURES, { paths: ["src/shapes.py"] });
    const perimeter = docs.find((d) => d.source.name === "perimeter")!;
    expect(perimeter.text.split("\n")[0]).toBe("@staticmethod");
    const area = docs.find((d) => d.source.name === "area_of_circle")!;
    expect(area.text.endsWith("return math.pi * radius ** 2")).toBe(true);
    // Methods are dedented to read like top-level code.
    expect(docs.find((d) => d.source.name === "label")!.text.startsWith("@property\ndef label(self):\n    prefix")).toBe(true);
  });

  test("options: units, languages, skip switches, line limits", async () => {
    const methods = await load(FIXTURES, { paths: ["src"], units: ["method"], languages: ["go", "rust"] });
    expect(methods.docs.map((d) => d.source.name)).toEqual(["new", "increment", "Address"]);
    const all = await load(FIXTURES, { paths: ["src/shapes.py"], skip_tests: false, skip_dunders: false, skip_trivial: false, min_lines: 1, min_chars: 0 });
    expect(all.docs.map((d) => d.source.name)).toEqual(["area_of_circle", "perimeter", "Shape", "__init__", "label", "stub", "test_helper", "fetch_all", "tiny"]);
    const short = await load(FIXTURES, { paths: ["src/shapes.py"], max_lines: 6 });
    expect(short.docs.map((d) => d.source.name)).toEqual(["area_of_circle", "label", "fetch_all"]);
    expect(short.ctx.counters["skipped:too_long"]).toBe(2);
  });
});

describe("bad input never stops a run", () => {
  test("invalid UTF-8, binary, empty, oversized, syntax errors and symlink loops are counted and logged", async () => {
    const root = tree({
      "good.py": `def good():\n${LONG_BODY}\n`,
      "latin1.py": new Uint8Array([...new TextEncoder().encode("def f():\n    return '"), 0xe9, 0x27, 0x0a]),
      "binary.py": new Uint8Array([0x64, 0x65, 0x66, 0x00, 0x01]),
      "empty.py": "",
      "huge.py": `def huge():\n${LONG_BODY}\n` + "# pad\n".repeat(400),
      "broken.py": `def fine():\n${LONG_BODY}\n\nclass Broken:\n    def m(self:\n${LONG_BODY}\n`,
      "zz_copy.py": `def good():\n${LONG_BODY}\n`,
      "sub/other.py": `def other():\n${LONG_BODY.replace("enough", "other")}\n`,
    });
    symlinkSync(root, join(root, "sub", "loop"));
    const { docs, ctx, debug } = await load(root, { paths: ["**/*.py"], max_file_bytes: 1000 });
    expect(docs.map((d) => d.source.name)).toEqual(["fine", "good", "other"]);
    expect(ctx.counters).toMatchObject({
      "skipped:invalid_utf8": 1,
      "skipped:binary": 1,
      "skipped:empty": 1,
      "skipped:too_large": 1,
      "skipped:symlink_loop": 1,
    });
    // broken.py: fine() is kept, class Broken holds an ERROR; zz_copy.py repeats good().
    expect(ctx.counters["skipped:syntax_error"]).toBeGreaterThanOrEqual(1);
    expect(ctx.counters["skipped:duplicate"]).toBe(1);
    for (const reason of ["invalid_utf8", "binary", "empty", "too_large", "symlink_loop", "duplicate"]) {
      expect(debug.some((m) => m.includes(reason))).toBe(true);
    }
  });

  test("a glob that matches nothing is an error naming the glob and the folder", async () => {
    const root = tree({ "a.py": "x = 1\n" });
    expect(load(root, { paths: ["src/**/*.py"] })).rejects.toThrow(`"src/**/*.py" matches no`);
    expect(load(root, { paths: ["src/**/*.py"] })).rejects.toThrow(`resolved from ${root}`);
  });
});

describe("parser processes", () => {
  const corpus = () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`m${String(i).padStart(2, "0")}.py`] = `def f${i}():\n${LONG_BODY.replace("enough", `file ${i}`)}\n`;
    files["broken.py"] = `def fine():\n${LONG_BODY}\n\nclass Broken:\n    def m(self:\n${LONG_BODY}\n`;
    files["zz_copy.py"] = `def f3():\n${LONG_BODY.replace("enough", "file 3")}\n`;
    return tree(files);
  };

  test("give the same docs, in the same order, and the same counters as parsing in this process", async () => {
    for (const [root, paths] of [[corpus(), ["*.py"]], [FIXTURES, ["src/**/*", "tests/**"]]] as const) {
      const here = await load(root, { paths, threads: 1 });
      const children = await load(root, { paths, threads: 3 });
      expect(children.docs.length).toBeGreaterThan(20);
      expect(children.docs).toEqual(here.docs);
      expect(children.ctx.counters).toEqual(here.ctx.counters);
    }
  });

  test("are children of the loader while it runs and gone when it ends", async () => {
    const ctx = testContext({ root: corpus(), name: plugin.name });
    const docs = plugin.load(v.parse(plugin.options!, { paths: ["*.py"], threads: 2 }) as never, ctx) as AsyncGenerator<Doc>;
    await docs.next();
    expect(parserChildren().length).toBeGreaterThan(0);
    while (!(await docs.next()).done);
    expect(parserChildren()).toEqual([]);
  });

  test("an aborted run stops them", async () => {
    const ctx = testContext({ root: corpus(), name: plugin.name });
    let n = 0;
    for await (const _ of plugin.load(v.parse(plugin.options!, { paths: ["*.py"], threads: 2 }) as never, ctx)) {
      n++;
      ctx.abort.abort();
    }
    expect(n).toBe(1);
    expect(parserChildren()).toEqual([]);
  });

  test("killed mid-run: their files are parsed again, the output is unchanged", async () => {
    const root = corpus();
    const here = await load(root, { paths: ["*.py"], threads: 1 });
    const ctx = testContext({ root, name: plugin.name });
    const docs: Doc[] = [];
    for await (const d of plugin.load(v.parse(plugin.options!, { paths: ["*.py"], threads: 2 }) as never, ctx)) {
      if (docs.push(d) === 1) for (const pid of parserChildren()) process.kill(pid, "SIGKILL");
    }
    expect(docs).toEqual(here.docs);
    expect(ctx.counters).toEqual(here.ctx.counters);
    expect(parserChildren()).toEqual([]);
  });
});

test("fingerprint changes when a file changes, not otherwise", async () => {
  const root = tree({ "a.py": `def a():\n${LONG_BODY}\n` });
  const ctx = testContext({ root, name: plugin.name });
  const opts = v.parse(plugin.options!, { paths: ["*.py"] }) as never;
  const first = await plugin.fingerprint!(opts, ctx);
  expect(await plugin.fingerprint!(opts, ctx)).toBe(first);
  utimesSync(join(root, "a.py"), new Date(), new Date(Date.now() + 5000));
  const touched = await plugin.fingerprint!(opts, ctx);
  expect(touched).not.toBe(first);
  // Options are hashed once, by the runner's stage fingerprint (test/core/manifest.test.ts); the
  // loader's own part covers only the files it would read.
  const other = v.parse(plugin.options!, { paths: ["*.py"], min_lines: 2 }) as never;
  expect(await plugin.fingerprint!(other, ctx)).toBe(touched);
});

test("preflight: min_lines above max_lines or min_chars above max_chars is a problem naming the keys", async () => {
  const root = await workspace({ "a.py": "def f():\n    return 1\n" });
  const check = (o: Record<string, unknown>) => plugin.preflight!(v.parse(plugin.options!, { paths: ["*.py"], ...o }) as never, { root, env: {} });
  expect(check({})).toBeUndefined();
  expect(check({ min_lines: 50, max_lines: 10, min_chars: 9000 })).toEqual([
    "min_lines (50) is larger than max_lines (10): nothing could be kept",
    "min_chars (9000) is larger than max_chars (8000): nothing could be kept",
  ]);
});
