// The run's fixed costs, measured as a user meets them: the compiled ./ctxc running a pipeline.
//   1. 2,000 docs through loader/jsonl → generator/compress against a local OpenAI-compatible
//      server (a child process) answering each request after 200 ms, concurrency 64: the
//      generator stage's wall time against the ideal 2000/64 × 0.2 s = 6.25 s, and the client CPU
//      (the whole ctxc process, user + system) per request.
//   2. The same pipeline with --force, every call a cache hit: end-to-end wall (target < 1 s).
//   3. The same pipeline again, unchanged: everything skipped (target < 0.2 s).
//   4. The dataset step's rows/s (from the manifest's own timing of the step; target ≥ 20,000/s).
//   5. `ctxc tokens` of a 12-byte file with the Qwen3 tokenizer (its load, target < 300 ms).
//   6. 20,000 docs through loader/jsonl → generator/rules (no server): stage and dataset seconds,
//      then the dataset step alone five times on two threads and five on one (alternating).
//
//   npm run build:host && bun bench/run-costs.ts [DOCS=2000] [CONCURRENCY=64] [DELAY_MS=200]
//   CTXC_BIN=/path/to/other/ctxc bun bench/run-costs.ts     (e.g. an older build, to compare)
import { mkdirSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { loadAverage } from "./loader-tree-rss.ts";

const REPO = resolve(import.meta.dir, "..");
const BIN = process.env.CTXC_BIN ? resolve(process.env.CTXC_BIN) : join(REPO, "ctxc");

await main();

async function main(): Promise<void> {
  const [docs = 2000, concurrency = 64, delayMs = 200] = process.argv.slice(2).map(Number);
  if (!(await Bun.file(BIN).exists())) throw new Error(`${BIN} not found: run \`npm run build:host\` first`);
  const dir = join(REPO, "bench/out", process.env.CTXC_BIN ? "run-costs-other" : "run-costs");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  // The fake server runs in its own process (bench/generate.ts --serve), so its CPU is not ctxc's.
  const server = Bun.spawn([process.execPath, join(import.meta.dir, "generate.ts"), "--serve", String(delayMs)], { stdout: "pipe", stderr: "inherit" });
  const url = new TextDecoder().decode((await server.stdout.getReader().read()).value).trim();
  const line = (k: string, val: string) => console.log(`${k.padEnd(40)} ${val}`);
  try {
    await writeDocs(join(dir, "docs.jsonl"), docs);
    const toml = join(dir, "generate.toml");
    await Bun.write(
      toml,
      `name = "bench-generate"\nout = "runs/generate"\n\n[[stages]]\nuse = "loader/jsonl"\npaths = ["docs.jsonl"]\n\n` +
        `[[stages]]\nuse = "generator/compress"\nteacher = "openai-compatible:${url}#bench-model"\nconcurrency = ${concurrency}\nmax_retries = 0\n`,
    );
    const ideal = (docs / concurrency) * (delayMs / 1000);
    console.log(`ctxc run, compiled ${BIN}; ${docs} docs, concurrency ${concurrency}, server delay ${delayMs} ms; load average ${loadAverage()} (${navigator.hardwareConcurrency} cores)`);

    const first = await ctxc(["run", toml, "--json", "--quiet"], dir);
    const gen = first.summary.stages.find((s: any) => s.use === "generator/compress");
    if (gen.out !== docs) throw new Error(`generator kept ${gen.out} of ${docs} docs: ${JSON.stringify(gen.rejected)}`);
    const firstDataset = await datasetSeconds(join(dir, "runs/generate"));
    line("generator stage (first run)", `${gen.seconds.toFixed(2)} s (ideal ${ideal.toFixed(2)} s, ${(gen.seconds / ideal).toFixed(3)}×; target ≤ 1.15×)`);
    line("whole first run", `${first.seconds.toFixed(2)} s (${(first.seconds / ideal).toFixed(3)}× the ideal)`);
    line("client CPU per request (whole process)", `${((first.cpu / docs) * 1000).toFixed(3)} ms`);
    line("dataset step (first run)", `${firstDataset.toFixed(3)} s = ${Math.round(docs / firstDataset).toLocaleString("en-US")} rows/s (target ≥ 20,000/s)`);

    const forced = await ctxc(["run", toml, "--json", "--quiet", "--force"], dir);
    const forcedGen = forced.summary.stages.find((s: any) => s.use === "generator/compress");
    const forcedDataset = await datasetSeconds(join(dir, "runs/generate"));
    line("cached --force re-run, end to end", `${forced.seconds.toFixed(3)} s wall, ${forced.cpu.toFixed(3)} s CPU (target < 1 s; generator ${forcedGen.seconds.toFixed(3)} s, dataset ${forcedDataset.toFixed(3)} s)`);

    const skipped = await ctxc(["run", toml, "--json", "--quiet"], dir);
    if (skipped.summary.stages.some((s: any) => s.outcome !== "skipped")) throw new Error("the unchanged re-run ran a stage");
    line("skipped re-run, end to end", `${skipped.seconds.toFixed(3)} s wall, ${skipped.cpu.toFixed(3)} s CPU (target < 0.2 s)`);

    // The dataset step alone (`--only dataset`): the process's CPU time bounds the step's CPU from
    // above (it adds start-up and the tokenizer load), which a loaded machine does not stretch.
    const only = await ctxc(["run", toml, "--json", "--quiet", "--only", "dataset"], dir);
    const onlyDataset = await datasetSeconds(join(dir, "runs/generate"));
    line("dataset step alone (--only dataset)", `${onlyDataset.toFixed(3)} s wall in the step = ${Math.round(docs / onlyDataset).toLocaleString("en-US")} rows/s; whole process ${only.seconds.toFixed(3)} s wall, ${only.cpu.toFixed(3)} s CPU = ${Math.round(docs / only.cpu).toLocaleString("en-US")} rows per CPU-s`);

    await Bun.write(join(dir, "small.txt"), "hello world\n");
    const tok = await ctxc(["tokens", join(dir, "small.txt"), "--tokenizer", "qwen3"], dir, false);
    const version = await ctxc(["--version"], dir, false);
    line("ctxc tokens (12 bytes, qwen3)", `${tok.seconds.toFixed(3)} s wall, ${tok.cpu.toFixed(3)} s CPU (ctxc --version ${version.seconds.toFixed(3)} s; target < 0.3 s)`);

    const n = docs * 10;
    await writeDocs(join(dir, "docs-rules.jsonl"), n);
    const rulesToml = join(dir, "rules.toml");
    await Bun.write(rulesToml, `name = "bench-rules"\nout = "runs/rules"\n\n[[stages]]\nuse = "loader/jsonl"\npaths = ["docs-rules.jsonl"]\n\n[[stages]]\nuse = "generator/rules"\n`);
    const rules = await ctxc(["run", rulesToml, "--json", "--quiet"], dir);
    const rulesGen = rules.summary.stages.find((s: any) => s.use === "generator/rules");
    const rulesDataset = await datasetSeconds(join(dir, "runs/rules"));
    line(`${n} docs → generator/rules`, `${rules.seconds.toFixed(2)} s end to end, ${rules.cpu.toFixed(2)} s CPU (stage ${rulesGen.seconds.toFixed(2)} s; dataset ${rulesDataset.toFixed(2)} s = ${Math.round(n / rulesDataset).toLocaleString("en-US")} rows/s)`);
    // The step alone, five times each way, alternating: two threads (the default for an input
    // this size) against CTXC_DATASET_THREADS=1, the same binary on the same rows.
    const reps: Record<"two" | "one", Array<{ step: number; cpu: number }>> = { two: [], one: [] };
    for (let i = 0; i < 5; i++) {
      for (const [key, threads] of [["two", undefined], ["one", "1"]] as const) {
        const r = await ctxc(["run", rulesToml, "--json", "--quiet", "--only", "dataset"], dir, true, threads ? { CTXC_DATASET_THREADS: threads } : {});
        reps[key].push({ step: await datasetSeconds(join(dir, "runs/rules")), cpu: r.cpu });
      }
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const two = median(reps.two.map((r) => r.step));
    const one = median(reps.one.map((r) => r.step));
    line(`${n} rows, dataset step alone (median of 5)`, `${two.toFixed(3)} s wall in the step = ${Math.round(n / two).toLocaleString("en-US")} rows/s (range ${Math.min(...reps.two.map((r) => r.step)).toFixed(3)}–${Math.max(...reps.two.map((r) => r.step)).toFixed(3)} s); whole process ${median(reps.two.map((r) => r.cpu)).toFixed(2)} s CPU`);
    line(`  the same on one thread`, `${one.toFixed(3)} s = ${Math.round(n / one).toLocaleString("en-US")} rows/s; two threads take ${(two / one).toFixed(2)}× its time`);
    console.log(`load average at the end: ${loadAverage()} (wall times above stretch with it; CPU times much less)`);
  } finally {
    server.kill();
  }
}

/** Run ./ctxc; wall seconds, the child's CPU seconds (rusage after exit) and its JSON summary. */
async function ctxc(args: string[], cwd: string, json = true, env: Record<string, string> = {}): Promise<{ seconds: number; cpu: number; summary: any }> {
  const t0 = performance.now();
  const p = Bun.spawn([BIN, ...args], { cwd, stdout: "pipe", stderr: "pipe", env: { ...process.env, ...env } });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  const seconds = (performance.now() - t0) / 1000;
  if (code !== 0) throw new Error(`ctxc ${args.join(" ")} exited ${code}: ${stderr || stdout}`);
  const u = p.resourceUsage();
  const cpu = u ? Number(u.cpuTime.user + u.cpuTime.system) / 1e6 : NaN;
  return { seconds, cpu, summary: json ? JSON.parse(stdout) : undefined };
}

async function datasetSeconds(out: string): Promise<number> {
  const manifest = await Bun.file(join(out, "manifest.json")).json();
  return manifest.stages.dataset.seconds;
}

/** ~1 KB of Python-like code per doc, different per doc (a dataset row of ~300 Qwen3 tokens, plus the system prompt). */
async function writeDocs(path: string, n: number): Promise<void> {
  const w = Bun.file(path).writer();
  for (let i = 0; i < n; i++) {
    const body = Array.from({ length: 12 }, (_, j) => `    value_${j} = compute(item_${i}, ${j}) if flag else {"k": ${i * j}}`).join("\n");
    const text = `def handler_${i}(item_${i}, flag=False):\n${body}\n    return value_0\n`;
    w.write(`${JSON.stringify({ id: `d${i}`, text, domain: "code" })}\n`);
  }
  await w.end();
}
