// loader/code and loader/markdown inside `bun build --compile` binaries run from another folder:
// the .wasm grammars must be embedded, and the parser processes — the binary itself, started as
// `ctxc __worker NAME` — must start and answer. A binary that is not ctxc (no `__worker`
// command) must fall back to parsing in its own process, with a warning. The dataset step's worker
// thread is the binary's own entry module too (src/cli/main.ts hands it to row-features-worker.ts).
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

let ctxc: string | undefined;
/** The compiled ctxc, built once for the tests that need it. */
function compiledCtxc(): string {
  if (!ctxc) build("src/cli/main.ts", (ctxc = join(out, "ctxc")));
  return ctxc;
}

test("the compiled ctxc parses in its own parser processes (ctxc __worker), from another folder", () => {
  const bin = compiledCtxc();
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

test("the compiled ctxc's dataset step runs its worker thread, with the same output as one thread", () => {
  const bin = compiledCtxc();
  const dir = mkdtempSync(join(out, "dataset-"));
  const rows = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: `d${i}`, domain: i % 3 ? "code" : "nl", text: `def f_${i}(x):\n    return x * ${i}  # über ${"word ".repeat(i % 50)}`, compressed: `f_${i}(x) = x*${i}` }));
  writeFileSync(join(dir, "pairs.jsonl"), rows.join("\n") + "\n");
  const outputs: string[] = [];
  for (const threads of ["2", "1"]) {
    writeFileSync(join(dir, "pipeline.toml"), `out = "runs/t${threads}"\n[[stages]]\nuse = "loader/jsonl"\npaths = ["pairs.jsonl"]\n`);
    const r = Bun.spawnSync([bin, "run", "pipeline.toml", "--verbose"], { cwd: dir, stderr: "pipe", stdout: "pipe", env: { ...process.env, CTXC_DATASET_THREADS: threads } });
    const log = r.stdout.toString() + r.stderr.toString();
    expect(r.exitCode, log).toBe(0);
    // The embedded WebAssembly module loads in the binary (else signatures fall back to JavaScript).
    expect(log).toContain("MinHash signatures with WebAssembly SIMD");
    if (threads === "2") expect(log).toContain("on 2 threads (worker thread ran;");
    else expect(log).not.toContain("on 2 threads");
    outputs.push(["train", "valid", "test"].map((s) => readFileSync(join(dir, `runs/t${threads}/dataset/${s}.jsonl`), "utf8")).join("") + readFileSync(join(dir, `runs/t${threads}/dataset/stats.json`), "utf8"));
  }
  expect(outputs[0]!.length).toBeGreaterThan(100_000);
  expect(outputs[0] === outputs[1]).toBe(true);
}, 180_000);
