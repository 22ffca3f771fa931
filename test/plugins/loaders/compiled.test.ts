// loader/code and loader/markdown inside a `bun build --compile` binary run from another folder:
// the .wasm grammars must be embedded, and the worker entrypoints (passed to the build as extra
// entrypoints, as build/build.ts must) must start; without them the loaders fall back to
// parsing in the main thread and say so.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const REPO = join(import.meta.dir, "../../..");
const FIXTURES = join(REPO, "test/fixtures/loaders");
const out = mkdtempSync(join(tmpdir(), "ctxc-compiled-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

function build(outfile: string, workers: boolean): void {
  const entries = ["test/fixtures/loaders/compiled/main.ts"];
  if (workers) entries.push("plugins/loaders/code/worker.ts", "plugins/loaders/markdown/worker.ts");
  const r = Bun.spawnSync([process.execPath, "build", "--compile", ...entries, "--outfile", outfile], { cwd: REPO, stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`bun build failed: ${r.stderr.toString()}`);
}

function run(bin: string, ...args: string[]): { docs: number; counters: Record<string, number>; warnings: string[] } {
  const r = Bun.spawnSync([bin, ...args], { cwd: out, stderr: "pipe", env: { ...process.env, THREADS: "2" } });
  if (r.exitCode !== 0) throw new Error(`${bin} failed: ${r.stderr.toString()}`);
  return JSON.parse(r.stdout.toString());
}

test("compiled binary with worker entrypoints: embedded grammars, workers used", () => {
  const bin = join(out, "loaders");
  build(bin, true);
  const code = run(bin, join(FIXTURES, "code"), "code", "src/**/*");
  expect(code.docs).toBe(22);
  expect(code.warnings).toEqual([]);
  const md = run(bin, join(FIXTURES, "markdown"), "markdown", "**/*");
  expect(md.docs).toBe(8);
  expect(md.warnings).toEqual([]);
}, 120_000);

test("compiled binary without worker entrypoints falls back to the main thread", () => {
  const bin = join(out, "loaders-noworker");
  build(bin, false);
  const code = run(bin, join(FIXTURES, "code"), "code", "src/**/*");
  expect(code.docs).toBe(22);
  expect(code.warnings).toEqual(["parsing in the main thread: no worker module plugins/loaders/code/worker in this build"]);
}, 120_000);
