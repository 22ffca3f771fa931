// Benchmark: loader/markdown (default options) on the Node.js API docs that Debian's nodejs
// package installs (`dpkg -L nodejs | grep '/api/.*\.md$'`, ~3.5 MB). Each configuration runs
// as a child process, several rounds; medians are reported, with the load average before and
// after (the machine may be shared). Target: >= 2 MB/s by default.
//
//   node_modules/.bin/bun bench/loader-markdown.ts [--rounds 5] [--dir /usr/share/doc/nodejs/api]
import { statSync } from "node:fs";
import { parseArgs } from "node:util";
import * as v from "valibot";
import plugin from "../plugins/loaders/markdown/index.ts";
import { testContext } from "../test/helpers/context.ts";
import { loadAverage, median, runTree } from "./loader-tree-rss.ts";

const { values: args } = parseArgs({
  options: {
    rounds: { type: "string", default: "5" },
    dir: { type: "string" },
    threads: { type: "string", default: "0" },
    child: { type: "boolean", default: false },
  },
});

async function docsDir(): Promise<string> {
  if (args.dir) return args.dir;
  const list = await Bun.$`dpkg -L nodejs`.nothrow().quiet().text();
  const first = list.split("\n").find((l) => /\/api\/.*\.md$/.test(l));
  if (!first) throw new Error("no Node.js API docs: install Debian's nodejs (or nodejs-doc) package, or pass --dir");
  return first.slice(0, first.lastIndexOf("/"));
}

async function child(dir: string): Promise<void> {
  const t0 = performance.now();
  const ctx = testContext({ root: dir, name: plugin.name });
  const opts = v.parse(plugin.options!, { paths: ["*.md"], threads: Number(args.threads) });
  let chunks = 0;
  let chars = 0;
  for await (const d of plugin.load(opts as never, ctx)) {
    chunks++;
    chars += d.text.length;
  }
  console.log(JSON.stringify({ seconds: (performance.now() - t0) / 1000, chunks, chars, counters: ctx.counters }));
}

async function timed(threads: string, dir: string) {
  const run = await runTree([process.execPath, import.meta.path, "--child", "--dir", dir, "--threads", threads]);
  return { ...run, out: JSON.parse(run.stdout) };
}

async function main(): Promise<void> {
  const dir = await docsDir();
  if (args.child) return child(dir);
  const files = (await Array.fromAsync(new Bun.Glob("*.md").scan({ cwd: dir }))).map((f) => `${dir}/${f}`);
  const mb = files.reduce((n, f) => n + statSync(f).size, 0) / 1e6;
  const loadBefore = loadAverage();
  const lines: string[] = [];
  for (const threads of [args.threads!, "1"]) {
    const runs = [];
    for (let r = 0; r < Number(args.rounds); r++) runs.push(await timed(threads, dir));
    const wall = median(runs.map((r) => r.wall));
    const last = runs.at(-1)!.out;
    const label = threads === "0" ? "default (threads = 0: parser processes, one per core)" : threads === "1" ? "in one process (threads = 1)" : `threads = ${threads}`;
    lines.push(`  ${label}`);
    lines.push(`    wall ${wall.toFixed(2)} s (rounds ${runs.map((r) => r.wall.toFixed(2)).join(" ")}), cpu ${median(runs.map((r) => r.cpu)).toFixed(2)} s`);
    lines.push(`    ${(mb / wall).toFixed(2)} MB/s (target >= 2), ${last.chunks} chunks, ${(last.chars / 1e6).toFixed(2)} M chars out`);
    lines.push(`    peak RSS ${median(runs.map((r) => r.treeMB)).toFixed(0)} MB in all (largest process ${median(runs.map((r) => r.maxMB)).toFixed(0)} MB); ${JSON.stringify(last.counters)}`);
  }
  console.log(`loader/markdown on ${dir}: ${files.length} files, ${mb.toFixed(2)} MB (${args.rounds} rounds, medians; ${navigator.hardwareConcurrency} cores; load average ${loadBefore} before, ${loadAverage()} after)`);
  for (const line of lines) console.log(line);
}

await main();
