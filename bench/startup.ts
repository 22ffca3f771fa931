// Start-up: median wall time of `./ctxc --version` and `./ctxc validate <quickstart>` over
// repeated runs of the compiled binary (build it first: bun run build:host). Target < 50 ms.
//   bun bench/startup.ts [runs=30]
import { resolve } from "node:path";
import { measure, median } from "./_measure.ts";

const REPO = resolve(import.meta.dir, "..");
const runs = Number(process.argv[2] ?? 30);
const bin = resolve(REPO, "ctxc");
if (!(await Bun.file(bin).exists())) throw new Error("no ./ctxc: run `bun run build:host` first");

for (const args of [["--version"], ["validate", "examples/quickstart/pipeline.toml"], ["--help"]]) {
  const times: number[] = [];
  let rss = 0;
  for (let i = 0; i < runs + 2; i++) {
    const m = await measure([bin, ...args], { cwd: REPO });
    if (m.code !== 0) throw new Error(`ctxc ${args.join(" ")} exited ${m.code}: ${m.stderr}`);
    if (i >= 2) times.push(m.seconds * 1000); // the first runs warm the page cache
    rss = Math.max(rss, m.peakRssMb);
  }
  console.log(`ctxc ${args.join(" ")}: median ${median(times).toFixed(1)} ms, min ${Math.min(...times).toFixed(1)} ms over ${runs} runs, peak RSS ${rss.toFixed(0)} MB`);
}
