// Correctness check for loader/code: on CPython's whole standard library (site-packages left
// out), with Python only and default options, the (file, name, start, end, kind) units must be
// exactly those that ast_units.py finds with Python's own ast module under the same rules.
// Runs in a few seconds (~12 MB, ~740 files, in parser processes); skipped only when no python3
// is installed. A subset is also loaded in parser processes and in the test process: same docs.
import { expect, test } from "bun:test";
import * as v from "valibot";
import plugin from "../../../plugins/loaders/code/index.ts";
import { testContext } from "../../helpers/context.ts";

const python = Bun.which("python3");
const stdlib = python
  ? Bun.spawnSync([python, "-c", "import sysconfig; print(sysconfig.get_paths()['stdlib'])"]).stdout.toString().trim()
  : "";

test.skipIf(!stdlib)("CPython stdlib: loader/code units equal the Python ast reference", async () => {
  const ref = Bun.spawn([python!, `${import.meta.dir}/ast_units.py`, stdlib, "--exclude-dir", "site-packages"], { stdout: "pipe" });
  const ctx = testContext({ root: stdlib, name: plugin.name });
  const opts = v.parse(plugin.options!, { paths: ["**/*.py"], exclude: ["site-packages/**"], languages: ["python"] });
  const mine: string[] = [];
  for await (const d of plugin.load(opts as never, ctx)) {
    mine.push([d.source.path, d.source.name, d.source.start, d.source.end, d.source.unit].join("|"));
  }
  const expected = JSON.parse(await new Response(ref.stdout).text()) as { units: unknown[][]; stats: Record<string, number> };
  expect(await ref.exited).toBe(0);
  const theirs = expected.units.map((u) => u.join("|"));
  expect(mine.length).toBeGreaterThan(5000);
  // Set equality first, so a failure lists the differing units; then the order.
  const a = new Set(mine);
  const b = new Set(theirs);
  expect(mine.filter((u) => !b.has(u))).toEqual([]);
  expect(theirs.filter((u) => !a.has(u))).toEqual([]);
  expect(mine).toEqual(theirs);
  for (const reason of ["dunder", "trivial", "duplicate", "test"]) {
    expect(ctx.counters[`skipped:${reason}`]).toBe(expected.stats[reason]!);
  }
}, 120_000);

test.skipIf(!stdlib)("CPython stdlib subset: parser processes and this process give the same docs and counters", async () => {
  const run = async (threads: number) => {
    const ctx = testContext({ root: stdlib, name: plugin.name });
    const opts = v.parse(plugin.options!, { paths: ["{email,json,asyncio,concurrent}/**/*.py"], threads });
    const docs = [];
    for await (const d of plugin.load(opts as never, ctx)) docs.push(d);
    return { docs, counters: ctx.counters };
  };
  const here = await run(1);
  const children = await run(2);
  expect(here.docs.length).toBeGreaterThan(500);
  expect(children.docs).toEqual(here.docs);
  expect(children.counters).toEqual(here.counters);
}, 120_000);
