// A user plugin that does not compile is reported with file, line, column, the line and a caret —
// every error of the file, not "2 errors building …".
import { expect, test } from "bun:test";
import { describeLoadError } from "../../src/core/load-errors.ts";
import { ctxc, workspace } from "../helpers/cli.ts";

const PIPELINE = 'name = "p"\nout = "ws"\n[[stages]]\nuse = "loader/jsonl"\npaths = ["d.jsonl"]\n[[stages]]\nuse = "./plugins/bad.ts"\n';

test("one syntax error: file:line:column, message, the line and a caret", async () => {
  const dir = await workspace({
    "d.jsonl": '{"text":"x"}\n',
    "pipeline.toml": PIPELINE,
    "plugins/bad.ts": 'import { defineFilter } from "ctxc";\nexport default defineFilter({\n  name: "x", version: "1",\n  filter(doc) { return doc +++ ; }\n});\n',
  });
  const r = await ctxc(["validate", "pipeline.toml"], { cwd: dir });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("could not load plugin file ./plugins/bad.ts: plugins/bad.ts:4:32: Unexpected ;\n      filter(doc) { return doc +++ ; }\n                                   ^\n");
});

test("several errors: each is listed with its position", async () => {
  const dir = await workspace({ "d.jsonl": '{"text":"x"}\n', "pipeline.toml": PIPELINE, "plugins/bad.ts": 'const x: number = "a" as;\nlet y = ;\n' });
  const r = await ctxc(["validate", "pipeline.toml"], { cwd: dir });
  expect(r.code).toBe(2);
  expect(r.stderr).toContain("2 errors:\nplugins/bad.ts:1:25: Unexpected ;");
  expect(r.stderr).toContain("plugins/bad.ts:2:9: Unexpected ;\n    let y = ;\n            ^");
  expect(r.stderr).not.toContain("errors building");
});

test("an AggregateError of build messages (the compiled binary's shape) and a plain error", () => {
  const msg = (line: number, column: number, lineText: string) => ({ message: "Unexpected }", position: { file: "/abs/p.ts", line, column, lineText } });
  const agg = Object.assign(new AggregateError([msg(3, 2, "\t}"), msg(9, 1, "}")], "2 errors building \"/abs/p.ts\""));
  expect(describeLoadError(agg)).toBe("2 errors:\n/abs/p.ts:3:2: Unexpected }\n    \t}\n    \t^\n/abs/p.ts:9:1: Unexpected }\n    }\n    ^");
  expect(describeLoadError(new Error("Cannot find module 'x'"))).toBe("Cannot find module 'x'");
});
