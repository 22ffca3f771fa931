// Benchmark: loader/code (Python, default options) on CPython's standard library versus the
// Python `ast` reference script (test/plugins/loaders/ast_units.py) applying the same rules.
// Both run as child processes, alternately, several rounds; medians are reported.
//
//   node_modules/.bin/bun bench/loader-code.ts [--rounds 5] [--stdlib DIR] [--threads N]
//
// Prints units, files, files/s, MB/s, wall and CPU times, the ctxc/ast wall-time ratio (target
// <= 0.6), peak RSS (the loader plus its parser processes), the load average before and after,
// and whether the two unit sets are identical. --threads 1 times parsing in one process.
import { parseArgs } from "node:util";
import * as v from "valibot";
import { testContext } from "../test/helpers/context.ts";
import plugin from "../plugins/loaders/code/index.ts";
import { isTestPath } from "../plugins/loaders/code/rules.ts";
import { findCorpusFiles } from "../src/text/corpus-files.ts";
import { loadAverage, median, runTree, type TreeRun } from "./loader-tree-rss.ts";

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    stdlib: { type: "string" },
    threads: { type: "string", default: "0" },
    child: { type: "boolean", default: false },
  },
});

const REF = new URL("../test/plugins/loaders/ast_units.py", import.meta.url).pathname;

async function stdlibDir(): Promise<string> {
  if (args.stdlib) return args.stdlib;
  const out = await Bun.$`python3 -c "import sysconfig; print(sysconfig.get_paths()['stdlib'])"`.text();
  return out.trim();
}

/** In the child: load the stdlib and print a JSON summary. */
async function child(dir: string): Promise<void> {
  const t0 = performance.now();
  const ctx = testContext({ root: dir, name: "loader/code" });
  const opts = v.parse(plugin.options!, {
    paths: ["**/*.py"],
    exclude: ["site-packages/**"],
    languages: ["python"],
    threads: Number(args.threads),
  });
  const units: string[] = [];
  for await (const d of plugin.load(opts as never, ctx)) units.push(`${d.source.path}|${d.source.name}|${d.source.start}|${d.source.end}`);
  const seconds = (performance.now() - t0) / 1000;
  const files = ctx.counters.files ?? 0;
  console.log(JSON.stringify({ seconds, files, units, counters: ctx.counters }));
}

interface Run extends TreeRun {
  out: any;
}

async function timed(cmd: string[]): Promise<Run> {
  const run = await runTree(cmd);
  return { ...run, out: JSON.parse(run.stdout) };
}

async function main(): Promise<void> {
  const dir = await stdlibDir();
  if (args.child) return child(dir);
  const rounds = Number(args.rounds);
  const bun = process.execPath;
  const loadBefore = loadAverage();
  const ctxcRuns: Run[] = [];
  const astRuns: Run[] = [];
  for (let r = 0; r < rounds; r++) {
    astRuns.push(await timed(["python3", REF, dir, "--exclude-dir", "site-packages"]));
    ctxcRuns.push(await timed([bun, import.meta.path, "--child", "--stdlib", dir, "--threads", args.threads!]));
  }
  const last = ctxcRuns.at(-1)!.out;
  const ref = astRuns.at(-1)!.out;
  const mine = new Set<string>(last.units);
  const theirs = new Set<string>(ref.units.map((u: unknown[]) => u.slice(0, 4).join("|")));
  const onlyCtxc = [...mine].filter((u) => !theirs.has(u));
  const onlyAst = [...theirs].filter((u) => !mine.has(u));
  const corpus = findCorpusFiles({ root: dir, paths: ["**/*.py"], exclude: ["site-packages/**"] }).filter((f) => !isTestPath(f.local));
  const mb = corpus.reduce((n, f) => n + f.size, 0) / 1e6;
  const ctxcWall = median(ctxcRuns.map((r) => r.wall));
  const astWall = median(astRuns.map((r) => r.wall));
  const f = (xs: number[], digits = 2) => xs.map((x) => x.toFixed(digits)).join(" ");
  console.log(`loader/code on ${dir} (site-packages excluded; ${rounds} rounds, medians; ${navigator.hardwareConcurrency} cores; load average ${loadBefore} before, ${loadAverage()} after)`);
  console.log(`  files parsed     ${last.files} (test files skipped: ${last.counters["skipped:test"] ?? 0} files+units)`);
  console.log(`  units            ctxc ${mine.size}   ast ${theirs.size}   identical: ${onlyCtxc.length === 0 && onlyAst.length === 0}`);
  console.log(`  wall time        ctxc ${ctxcWall.toFixed(2)} s   ast ${astWall.toFixed(2)} s   ratio ${(ctxcWall / astWall).toFixed(2)} (target <= 0.6)`);
  console.log(`  all rounds       ctxc ${f(ctxcRuns.map((r) => r.wall))}   ast ${f(astRuns.map((r) => r.wall))}   ratios ${f(ctxcRuns.map((r, k) => r.wall / astRuns[k]!.wall))}`);
  console.log(`  cpu time         ctxc ${median(ctxcRuns.map((r) => r.cpu)).toFixed(2)} s (parser processes included)   ast ${median(astRuns.map((r) => r.cpu)).toFixed(2)} s`);
  console.log(`  throughput       ${(last.files / ctxcWall).toFixed(0)} files/s, ${(mb / ctxcWall).toFixed(1)} MB/s (${mb.toFixed(1)} MB of non-test *.py)`);
  console.log(`  peak RSS         ctxc ${median(ctxcRuns.map((r) => r.treeMB)).toFixed(0)} MB in all (largest process ${median(ctxcRuns.map((r) => r.maxMB)).toFixed(0)} MB)   ast ${median(astRuns.map((r) => r.maxMB)).toFixed(0)} MB`);
  console.log(`  skips            ${JSON.stringify(last.counters)}`);
  if (onlyCtxc.length || onlyAst.length) console.log(`  only ctxc: ${onlyCtxc.slice(0, 20).join(", ")}\n  only ast: ${onlyAst.slice(0, 20).join(", ")}`);
}

await main();
