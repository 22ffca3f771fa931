// ctxc init: writes the starter, refuses to overwrite without --force, and reports a write that
// fails (here: pipeline.toml is a folder) as an error with a non-zero exit, not a crash.
import { describe, expect, test } from "bun:test";
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gitignoreToGlobs } from "../../src/cli/init-from.ts";
import { ctxc, tempDir, workspace } from "../helpers/cli.ts";

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

describe("init --from REPO", () => {
  async function repo(): Promise<string> {
    const unit = (name: string) => `def ${name}(first_value, second_value):\n    total = first_value + second_value\n    if total > 10:\n        return total * 2\n    return total - 1\n\n`;
    return workspace({
      ".gitignore": "# build output\nbuild/\n*.log\n/dist\nnode_modules\n!keep.log\ndocs/*.tmp\n",
      "pkg/a.py": unit("alpha") + unit("beta"),
      "pkg/b.py": unit("gamma"),
      "web/c.ts": "export function addNumbers(first: number, second: number): number {\n  const total = first + second;\n  if (total > 10) return total * 2;\n  return total - 1;\n}\n",
      "build/gen.py": unit("ignored"),
      "dist/out.ts": "export const x = 1;\n",
      "node_modules/m/index.js": "module.exports = 1;\n",
      "README.md": `# Demo\n\n${"This project adds numbers for a living and documents how it does so. ".repeat(6)}\n`,
      "docs/guide.md": `# Guide\n\n## Install\n\n${"Run the installer, then check the version it prints against the release notes. ".repeat(5)}\n`,
      "notes.txt": "not a source file",
    });
  }

  test("writes loaders for the languages and docs it finds, with counts and the .gitignore excludes; the pipeline validates and runs", async () => {
    const src = await repo();
    const out = join(tempDir("ctxc-init-"), "pipe");
    const r = await ctxc(["init", out, "--from", src]);
    expect(r.code).toBe(0);
    const text = readFileSync(join(out, "pipeline.toml"), "utf8");
    expect(text).toContain("python 2, typescript 1, Markdown 2");
    const toml = Bun.TOML.parse(text) as any;
    expect(toml.name).toBe("pipe");
    const [code, md] = toml.stages;
    expect(code.use).toBe("loader/code");
    expect(code.languages).toEqual(["python", "typescript"]);
    expect(code.paths.every((p: string) => p.startsWith("../") && /\*\*\/\*\.(py|ts)$/.test(p))).toBe(true);
    expect(code.exclude).toEqual(expect.arrayContaining(["**/build/**", "**/*.log", "dist", "dist/**", "**/node_modules", "**/node_modules/**", "docs/*.tmp"]));
    expect(text).toContain("!keep.log");
    expect(md.use).toBe("loader/markdown");
    expect(md.paths.some((p: string) => p.endsWith("**/*.md"))).toBe(true);
    expect(toml.stages.map((s: any) => s.use).slice(2)).toEqual(["filter/dedup", "generator/rules", "filter/strip-artifacts", "filter/sanitize", "filter/ratio"]);

    expect((await ctxc(["validate", join(out, "pipeline.toml")])).code).toBe(0);
    const run = await ctxc(["run", join(out, "pipeline.toml"), "--json"]);
    expect(run.code).toBe(0);
    const stages = JSON.parse(run.stdout).stages;
    // 3 Python units + 1 TypeScript function; build/ and dist/ are left out.
    expect(stages[0].out).toBe(4);
    expect(stages[1].out).toBeGreaterThan(4);
  }, 60_000);

  test("a folder with nothing to load, or no folder, is a clear error", async () => {
    const empty = await workspace({ "notes.txt": "hello" });
    const r = await ctxc(["init", join(tempDir(), "p"), "--from", empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("no source file loader/code parses");
    const missing = await ctxc(["init", join(tempDir(), "p"), "--from", join(empty, "nope")]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("no such folder");
  });

  test("gitignoreToGlobs: anchored, unanchored, folder-only, negated lines", () => {
    expect(gitignoreToGlobs("# c\n\nbuild/\n*.pyc\n/dist\nsrc/gen/\n!keep\n**/tmp\n")).toEqual({
      excludes: ["**/build/**", "**/*.pyc", "**/*.pyc/**", "dist", "dist/**", "src/gen/**", "**/tmp", "**/tmp/**"],
      untranslated: ["!keep"],
    });
  });
});
