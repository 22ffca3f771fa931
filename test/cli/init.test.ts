// ctxc init: writes the starter, refuses to overwrite without --force, and reports a write that
// fails (here: pipeline.toml is a folder) as an error with a non-zero exit, not a crash.
import { expect, test } from "bun:test";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { ctxc, tempDir } from "../helpers/cli.ts";

test("init --force onto a pipeline.toml that cannot be written fails cleanly", async () => {
  const dir = tempDir("ctxc-init-");
  mkdirSync(join(dir, "pipeline.toml"));
  const r = await ctxc(["init", dir, "--force"]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`${join(dir, "pipeline.toml")} is a folder`);
  expect(r.stderr).toContain("rename the folder or choose another one");
  expect(r.stdout + r.stderr).not.toContain("wrote");
  expect(r.stderr).not.toMatch(/^\s+at /m); // no stack trace without --verbose
});

test("init --force overwrites an existing pipeline.toml", async () => {
  const dir = tempDir("ctxc-init-");
  expect((await ctxc(["init", dir])).code).toBe(0);
  await Bun.write(join(dir, "pipeline.toml"), "old");
  expect((await ctxc(["init", dir, "--force"])).code).toBe(0);
  expect(readFileSync(join(dir, "pipeline.toml"), "utf8")).toContain("[[stages]]");
});
