// The dataset step on real pairs, as a user runs it: the compiled ./ctxc, `run --only dataset`.
// 19,780 rows: the 1,978 pairs of data/compression-layer-v1 ten times, each copy's originals
// prefixed "[k] " (so the copies are near-duplicates, grouped by MinHash, not exact ones). Prose and
// code, teacher outputs full of notation (→ ≈ |): the non-ASCII paths the synthetic rows of
// bench/run-costs.ts never take. Five runs on two threads and five on one (CTXC_DATASET_THREADS=1),
// alternating; the step's own seconds (manifest), peak RSS of the process.
//
//   npm run build:host && bun bench/dataset.ts [REPS=5]
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { measure, median } from "./_measure.ts";
import { loadAverage } from "./loader-tree-rss.ts";

const REPO = resolve(import.meta.dir, "..");
const BIN = process.env.CTXC_BIN ? resolve(process.env.CTXC_BIN) : join(REPO, "ctxc");
const reps = Number(process.argv[2] ?? 5);
const dir = join(REPO, "bench/out/dataset");
rmSync(dir, { recursive: true, force: true });
mkdirSync(dir, { recursive: true });

const pairs = ["train", "valid"].flatMap((split) =>
  readFileSync(join(REPO, "data/compression-layer-v1", `${split}.jsonl`), "utf8").trim().split("\n").map((l) => JSON.parse(l).messages as Array<{ content: string }>),
);
const rows: string[] = [];
for (let k = 0; k < 10; k++) {
  for (const [, user, assistant] of pairs) {
    const text = user!.content.replace(/^Compress:\n/, "");
    rows.push(JSON.stringify({ id: `r${rows.length}`, domain: /^\s*(def |class |import |function |const |#include)/m.test(text) ? "code" : "nl", text: `[${k}] ${text}`, compressed: assistant!.content }));
  }
}
writeFileSync(join(dir, "pairs.jsonl"), rows.join("\n") + "\n");
const bytes = rows.reduce((n, r) => n + Buffer.byteLength(r) + 1, 0);
writeFileSync(join(dir, "pipeline.toml"), `name = "bench-dataset"\nout = "runs/real"\n\n[[stages]]\nuse = "loader/jsonl"\npaths = ["pairs.jsonl"]\n`);

const first = await measure([BIN, "run", "pipeline.toml", "--quiet"], { cwd: dir });
if (first.code !== 0) throw new Error(`ctxc run failed: ${first.stderr}`);
console.log(`compiled ${BIN}; ${rows.length.toLocaleString("en-US")} rows, ${(bytes / 1048576).toFixed(1)} MB; load average ${loadAverage()} (${navigator.hardwareConcurrency} cores)`);

const runs: Record<"two" | "one", Array<{ step: number; rss: number }>> = { two: [], one: [] };
for (let i = 0; i < reps; i++) {
  for (const [key, env] of [["two", {}], ["one", { CTXC_DATASET_THREADS: "1" }]] as const) {
    const r = await measure([BIN, "run", "pipeline.toml", "--only", "dataset", "--quiet"], { cwd: dir, env });
    if (r.code !== 0) throw new Error(`ctxc run --only dataset failed: ${r.stderr}`);
    const manifest = JSON.parse(readFileSync(join(dir, "runs/real/manifest.json"), "utf8"));
    runs[key].push({ step: manifest.stages.dataset.seconds, rss: r.peakRssMb });
  }
}
for (const [key, label] of [["two", "two threads (default)"], ["one", "one thread"]] as const) {
  const steps = runs[key].map((r) => r.step);
  const m = median(steps);
  console.log(`${label.padEnd(22)} step ${m.toFixed(3)} s median (${Math.min(...steps).toFixed(3)}–${Math.max(...steps).toFixed(3)}) = ${Math.round(rows.length / m).toLocaleString("en-US")} rows/s; peak RSS ${median(runs[key].map((r) => r.rss)).toFixed(0)} MB`);
}
console.log(`two threads take ${(median(runs.two.map((r) => r.step)) / median(runs.one.map((r) => r.step))).toFixed(2)}× one thread's time; load average at the end ${loadAverage()}`);
