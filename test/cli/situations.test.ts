// The user's situation is not "a bug in ctxc": a glob matching nothing, a symlink loop, `init`
// over an existing file, a locked database and `tokens` on a folder each get a hint of their own.
import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { reportError } from "../../src/cli/_shared.ts";
import { userError } from "../../src/text/user-error.ts";
import { ctxc, tempDir, workspace } from "../helpers/cli.ts";

const BUG = "bug in ctxc";
const LOADER = (paths: string) => `name = "s"\nout = "ws"\n[[stages]]\nuse = "loader/jsonl"\npaths = ["${paths}"]\n`;

function captureStderr(fn: () => number): { code: number; err: string } {
  const write = process.stderr.write.bind(process.stderr);
  let err = "";
  process.stderr.write = ((c: string) => ((err += c), true)) as typeof process.stderr.write;
  try {
    return { code: fn(), err };
  } finally {
    process.stderr.write = write;
  }
}

describe("user situations get a hint, not the bug hint", () => {
  test("validate reports a glob that matches nothing (exit 2), and run refuses it before writing", async () => {
    const dir = await workspace({ "p.toml": LOADER("data/*.jsonl") });
    for (const cmd of ["validate", "run"]) {
      const r = await ctxc([cmd, "p.toml"], { cwd: dir });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("the glob `data/*.jsonl` matches no file");
      expect(r.stderr).not.toContain(BUG);
    }
    expect(existsSync(join(dir, "ws"))).toBe(false);
  });

  test("an error made with userError (src/text, plugins) is reported with its hint and exit code", () => {
    const { code, err } = captureStderr(() => reportError(userError("the thing is wrong", "fix the thing")));
    expect(code).toBe(2);
    expect(err).toBe("error: the thing is wrong\n  hint: fix the thing\n");
  });

  test("a symlink loop in paths is named as one", async () => {
    const dir = await workspace({ "p.toml": LOADER("loop-a") });
    symlinkSync(join(dir, "loop-b"), join(dir, "loop-a"));
    symlinkSync(join(dir, "loop-a"), join(dir, "loop-b"));
    const r = await ctxc(["validate", "p.toml"], { cwd: dir });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("`loop-a` is a symbolic link loop");
    const t = await ctxc(["tokens", "loop-a"], { cwd: dir });
    expect(t.stderr).toContain("symbolic link loop");
    expect(t.stderr).not.toContain(BUG);
  });

  test("init over an existing file, or where pipeline.toml is a folder", async () => {
    const dir = tempDir();
    writeFileSync(join(dir, "notes.txt"), "x");
    mkdirSync(join(dir, "d", "pipeline.toml"), { recursive: true });
    const overFile = await ctxc(["init", "notes.txt"], { cwd: dir });
    expect(overFile.code).toBe(2);
    expect(overFile.stderr).toContain("notes.txt is a file, not a folder");
    const overFolder = await ctxc(["init", "d"], { cwd: dir });
    expect(overFolder.code).toBe(2);
    expect(overFolder.stderr).toContain("pipeline.toml is a folder");
    expect(overFile.stderr + overFolder.stderr).not.toContain(BUG);
  });

  test("a locked workspace database (a real SQLITE_BUSY) says who to wait for", () => {
    const path = join(tempDir(), "ctxc.sqlite");
    const holder = new Database(path, { create: true });
    holder.run("CREATE TABLE t (x)");
    holder.run("BEGIN EXCLUSIVE");
    const other = new Database(path);
    other.run("PRAGMA busy_timeout = 0");
    let error: unknown;
    try {
      other.run("INSERT INTO t VALUES (1)");
    } catch (e) {
      error = e;
    } finally {
      holder.run("ROLLBACK");
      holder.close();
      other.close();
    }
    expect((error as { code?: string }).code).toStartWith("SQLITE_BUSY");
    const { code, err } = captureStderr(() => reportError(error));
    expect(code).toBe(1);
    expect(err).toContain("locked by another process");
    expect(err).not.toContain(BUG);
  });

  test("tokens on a folder says it is not a regular file", async () => {
    const r = await ctxc(["tokens", tempDir()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("is a folder, not a text file");
    expect(r.stderr).not.toContain("no such file");
  });
});
