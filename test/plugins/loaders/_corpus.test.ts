// plugins/loaders/_corpus.ts: the file loaders' shared parse loop, with real parser processes
// (test/text/_process-pool-fixture.ts runs the real serve loop): what each failure is counted as.
import { expect, test } from "bun:test";
import { parseCorpus } from "../../../plugins/loaders/_corpus.ts";
import type { CorpusFile } from "../../../src/text/corpus-files.ts";
import { testContext } from "../../helpers/context.ts";
import { CHILD, runTask, type FixtureTask } from "../../text/_process-pool-fixture.ts";

const file = (path: string, size = 10): CorpusFile => ({ abs: `/nowhere/${path}`, path, local: path, size, mtimeMs: 0 });

test("parseCorpus: a file that crashes its parser twice is skipped:parse_crash, one that throws skipped:unreadable, a task's own skip is counted; the rest come in file order", async () => {
  const ctx = testContext({ name: "loader/test" });
  const debug: string[] = [];
  ctx.log = { ...ctx.log, debug: (m: string) => void debug.push(m) };
  const files = ["a.py", "b.py", "c.py", "d.py", "e.py"].map((p, i) => file(p, 10 + i));
  const tasks: FixtureTask[] = [{ echo: { n: 1 } }, { exit: 3 }, { fail: "cannot read c.py" }, { echo: { skip: "binary", detail: "contains NUL bytes" } }, { echo: { n: 5 } }];
  const out: Array<[string, unknown]> = [];
  const parsed = parseCorpus(files, tasks, { worker: "fixture", inProcess: runTask as (t: FixtureTask) => Promise<object>, minBytesPerProcess: 1, threads: 2, ctx, command: CHILD });
  for await (const { file, result } of parsed) out.push([file.path, result]);
  expect(out).toEqual([["a.py", { n: 1 }], ["e.py", { n: 5 }]]);
  expect(ctx.counters).toEqual({ "skipped:parse_crash": 1, "skipped:unreadable": 1, "skipped:binary": 1 });
  expect(debug.find((m) => m.startsWith("skipped b.py: parse_crash"))).toContain("exit code 3");
  expect(debug).toContain("skipped c.py: unreadable (cannot read c.py)");
  expect(debug).toContain("skipped d.py: binary (contains NUL bytes)");
});
