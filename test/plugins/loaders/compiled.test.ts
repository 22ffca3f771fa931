// loader/code and loader/markdown inside `bun build --compile` binaries run from another folder:
// the .wasm grammars must be embedded, and the parser processes — the binary itself, started as
// `ctxc __worker NAME` — must start and answer. A binary that is not ctxc (no `__worker`
// command) must fall back to parsing in its own process, with a warning.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const REPO = join(import.meta.dir, "../../..");
const FIXTURES = join(REPO, "test/fixtures/loaders");
const out = mkdtempSync(join(tmpdir(), "ctxc-compiled-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function build(entry: string, outfile: string): void {
  const r = Bun.spawnSync([process.execPath, "build", "--compile", "--bytecode", "--format=esm", entry, "--outfile", outfile], { cwd: REPO, stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`bun build failed: ${r.stderr.toString()}`);
}

const lines = (file: string) => readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));

test("the compiled ctxc parses in its own parser processes (ctxc __worker), from another folder", () => {
  const bin = join(out, "ctxc");
  build("src/cli/main.ts", bin);
  const pipeline = join(out, "pipeline.toml");
  writeFileSync(
    pipeline,
    [
      'name = "compiled"',
      'out = "runs/compiled"',
      "[[stages]]",
      'use = "loader/code"',
      `paths = ["${FIXTURES}/code/src/**/*"]`,
      "threads = 2",
      "[[stages]]",
      'use = "loader/markdown"',
      `paths = ["${FIXTURES}/markdown/**/*"]`,
      "threads = 2",
    ].join("\n"),
  );
  const r = Bun.spawnSync([bin, "run", pipeline, "--json"], { cwd: tmpdir(), stderr: "pipe", stdout: "pipe" });
  const stderr = r.stderr.toString();
  expect(r.exitCode, stderr).toBe(0);
  expect(stderr).not.toContain("parsing in this process");
  const code = lines(join(out, "runs/compiled/01-loader-code/out.jsonl"));
  expect(code).toHaveLength(22);
  const md = lines(join(out, "runs/compiled/02-loader-markdown/out.jsonl"));
  expect(md.filter((d) => d.domain === "nl")).toHaveLength(8);
  // The worker command answers with its hello, and is not listed in --help.
  const hello = Bun.spawnSync([bin, "__worker", "code"], { stdin: "ignore", stdout: "pipe" });
  expect(hello.stdout.toString()).toStartWith('{"hello":"ctxc-worker/');
  expect(Bun.spawnSync([bin, "--help"]).stdout.toString()).not.toContain("__worker");
}, 180_000);

test("a compiled program without the __worker command parses in its own process, with a warning", () => {
  const bin = join(out, "loaders");
  build("test/fixtures/loaders/compiled/main.ts", bin);
  const r = Bun.spawnSync([bin, join(FIXTURES, "code"), "code", "src/**/*"], { cwd: out, stderr: "pipe", env: { ...process.env, THREADS: "2" } });
  expect(r.exitCode, r.stderr.toString()).toBe(0);
  const result = JSON.parse(r.stdout.toString()) as { docs: number; warnings: string[] };
  expect(result.docs).toBe(22);
  expect(result.warnings).toHaveLength(1);
  expect(result.warnings[0]).toStartWith("parsing in this process: parser process");
  expect(result.warnings[0]).toContain("did not start");
}, 180_000);
