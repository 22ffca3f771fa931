import { describe, expect, test } from "bun:test";
import { symlinkSync } from "node:fs";
import { join } from "node:path";
import { tempTrees } from "../plugins/loaders/_tree.ts";
import { findCorpusFiles, fingerprintFiles, readCorpusText, splitGlob, type SkipReason } from "../../src/text/corpus-files.ts";

/** A temp tree from { "a/b.py": "text" }; Uint8Array values are written as bytes. */
const tree = tempTrees("ctxc-corpus-");

function find(root: string, paths: string[], extra: Partial<Parameters<typeof findCorpusFiles>[0]> = {}) {
  const skips: Array<[SkipReason, string]> = [];
  const files = findCorpusFiles({ root, paths, respectGitignore: true, onSkip: (r, p) => skips.push([r, p]), ...extra });
  return { paths: files.map((f) => f.path), files, skips };
}

describe("splitGlob", () => {
  test("splits at the first magic segment", () => {
    expect(splitGlob("src/**/*.py", "/r")).toEqual({ base: "/r/src", pattern: "**/*.py" });
    expect(splitGlob("/abs/lib/*.ts", "/r")).toEqual({ base: "/abs/lib", pattern: "*.ts" });
    expect(splitGlob("notes.md", "/r")).toEqual({ base: "/r/notes.md", pattern: null });
  });
});

describe("findCorpusFiles", () => {
  test("globs resolve against the root; results sorted, each file once", () => {
    const root = tree({ "src/b.py": "x", "src/a.py": "x", "src/sub/c.py": "x", "other/d.py": "x", "src/e.txt": "x" });
    const r = find(root, ["src/**/*.py", "src/a.py"]);
    expect(r.paths).toEqual(["src/a.py", "src/b.py", "src/sub/c.py"]);
    expect(r.files[0]!.local).toBe("a.py");
    expect(r.files[2]!.local).toBe("sub/c.py");
  });

  test("a folder means every accepted file in it", () => {
    const root = tree({ "docs/a.md": "x", "docs/deep/b.md": "x", "docs/c.txt": "x" });
    expect(find(root, ["docs"], { accept: (l) => l.endsWith(".md") }).paths).toEqual(["docs/a.md", "docs/deep/b.md"]);
  });

  test("exclude globs match from the root and from the glob's folder, and prune folders", () => {
    const root = tree({ "lib/keep.py": "x", "lib/vendor/x.py": "x", "lib/gen/y.py": "x" });
    expect(find(root, ["lib/**/*.py"], { exclude: ["vendor/**", "lib/gen/**"] }).paths).toEqual(["lib/keep.py"]);
  });

  test("a glob matching nothing names the glob and the folder it was resolved from", () => {
    const root = tree({ "a.py": "x" });
    expect(() => find(root, ["src/**/*.py"])).toThrow(`"src/**/*.py" matches no files (resolved from ${root}`);
    expect(() => find(root, ["*.py"], { accept: () => false, describe: "Go files" })).toThrow("matches no Go files");
  });

  test(".gitignore: nested files, directory patterns and negation", () => {
    const root = tree({
      ".gitignore": "build/\n*.log.py\n",
      "a.py": "x",
      "build/gen.py": "x",
      "x.log.py": "x",
      "pkg/.gitignore": "secret.py\n!x.log.py\n",
      "pkg/secret.py": "x",
      "pkg/x.log.py": "x",
      "pkg/ok.py": "x",
    });
    expect(find(root, ["**/*.py"]).paths).toEqual(["a.py", "pkg/ok.py", "pkg/x.log.py"]);
    expect(find(root, ["**/*.py"], { respectGitignore: false }).paths.length).toBe(6);
  });

  test(".gitignore of the enclosing repository applies, unless the named folder itself is ignored", () => {
    const root = tree({ ".git/HEAD": "ref", ".gitignore": "*.tmp.py\n/vendored\n", "src/a.py": "x", "src/b.tmp.py": "x", "vendored/v.py": "x" });
    expect(find(join(root, "src"), ["*.py"]).paths).toEqual(["a.py"]);
    // Named explicitly: loaded although the repository ignores it (ripgrep does the same).
    expect(find(join(root, "vendored"), ["*.py"]).paths).toEqual(["v.py"]);
  });

  test("too large files are skipped with a reason; symlink loops do not hang the walk", () => {
    const root = tree({ "big.py": "x".repeat(2000), "small.py": "x", "d/e.py": "x" });
    symlinkSync(root, join(root, "d", "loop")); // d/loop -> root: a cycle
    symlinkSync(join(root, "self"), join(root, "self")); // a link to itself
    const r = find(root, ["**/*.py"], { maxFileBytes: 1000 });
    expect(r.paths).toEqual(["d/e.py", "small.py"]);
    expect(r.skips).toContainEqual(["too_large", "big.py"]);
    expect(r.skips.filter(([reason]) => reason === "symlink_loop").length).toBe(2);
  });
});

describe("findCorpusFiles: walk depth, named files, own errors", () => {
  test("a glob without ** or braces does not walk deeper than it can match", () => {
    const root = tree({ "a.py": "x", "sub/b.py": "x", "sub/deep/c.py": "x" });
    symlinkSync(join(root, "sub"), join(root, "sub/deep/loop"));
    expect(find(root, ["*.py"])).toMatchObject({ paths: ["a.py"], skips: [] });
    expect(find(root, ["*/*.py"])).toMatchObject({ paths: ["sub/b.py"], skips: [] });
    const all = find(root, ["**/*.py"]);
    expect(all.paths).toEqual(["a.py", "sub/b.py", "sub/deep/c.py"]);
    expect(all.skips).toEqual([["symlink_loop", "sub/deep/loop"]]);
  });

  test("accept is told whether a file was named by its path", () => {
    const root = tree({ "notes.txt": "x", "d/other.txt": "x", "d/a.jsonl": "x" });
    const accept = (local: string, named: boolean) => named || local.endsWith(".jsonl");
    expect(find(root, ["notes.txt", "d"], { accept }).paths).toEqual(["d/a.jsonl", "notes.txt"]);
  });

  test("noMatch words the error", () => {
    const root = tree({ "a.py": "x" });
    expect(() => find(root, ["*.md"], { noMatch: (g) => `nothing for ${g}` })).toThrow("nothing for *.md");
  });
});

describe("readCorpusText", () => {
  const root = tree({
    "ok.py": "\ufeffa = 1\r\nb = 2\r\n",
    "bin.dat": new Uint8Array([1, 2, 0, 3]),
    "latin1.py": new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0x0a]),
    "empty.py": "",
    "blank.py": "  \n\n\t",
  });
  test("normalises line endings and drops the BOM", async () => {
    expect(await readCorpusText(join(root, "ok.py"))).toEqual({ text: "a = 1\nb = 2\n" });
  });
  test.each([
    ["bin.dat", "binary"],
    ["latin1.py", "invalid_utf8"],
    ["empty.py", "empty"],
    ["blank.py", "empty"],
    ["missing.py", "unreadable"],
  ])("%s -> %s", async (name, reason) => {
    expect(await readCorpusText(join(root, name))).toMatchObject({ skip: reason });
  });
  test("size cap", async () => {
    expect(await readCorpusText(join(root, "ok.py"), 3)).toMatchObject({ skip: "too_large" });
  });
});

test("fingerprintFiles changes with size, mtime, path or options", () => {
  const f = { abs: "/a", path: "a", local: "a", size: 1, mtimeMs: 10 };
  const base = fingerprintFiles([f], { x: 1 });
  expect(fingerprintFiles([f], { x: 1 })).toBe(base);
  expect(fingerprintFiles([{ ...f, size: 2 }], { x: 1 })).not.toBe(base);
  expect(fingerprintFiles([{ ...f, mtimeMs: 11 }], { x: 1 })).not.toBe(base);
  expect(fingerprintFiles([f], { x: 2 })).not.toBe(base);
});
