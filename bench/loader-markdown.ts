// Benchmark: loader/markdown (default options) on the Node.js API docs that Debian's nodejs
// package installs (`dpkg -L nodejs | grep '/api/.*\.md$'`, ~3.5 MB). Each configuration runs
// as a child process, several rounds; medians are reported, with the load average before and
// after (the machine may be shared). Target: >= 2 MB/s by default.
// Then, in ONE process on the same files, raw remark-parse (unified + remark-parse, nothing else)
// and the loader in that process (threads = 1), alternated round by round: the ratio of their
// throughputs says how much the loader adds to the parser (issue 14: it should be close to 1),
// whatever the machine's load at the time.
//
//   node_modules/.bin/bun bench/loader-markdown.ts [--rounds 5] [--dir /usr/share/doc/nodejs/api]
import { readFileSync, statSync } from "node:fs";
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
    compare: { type: "boolean", default: false },
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

/** Raw remark-parse and the loader (threads = 1), alternated in this one process. */
async function compare(dir: string): Promise<void> {
  const { unified } = await import("unified");
  const { default: remarkParse } = await import("remark-parse");
  const files = (await Array.fromAsync(new Bun.Glob("*.md").scan({ cwd: dir }))).sort().map((f) => `${dir}/${f}`);
  const parser = unified().use(remarkParse).freeze();
  const raw = () => {
    for (const f of files) parser.parse(readFileSync(f, "utf8"));
  };
  // The loader's parser setup alone (remark-parse + front matter + GFM tables and strikethrough).
  const { parseMarkdown } = await import("../plugins/loaders/markdown/parse.ts");
  const configured = () => {
    for (const f of files) parseMarkdown(readFileSync(f, "utf8"));
  };
  const opts = v.parse(plugin.options!, { paths: ["*.md"], threads: 1 });
  const loader = async () => {
    const ctx = testContext({ root: dir, name: plugin.name });
    for await (const _ of plugin.load(opts as never, ctx));
  };
  // CPU seconds of this process (user + system): on a shared machine, wall time mostly measures
  // the other jobs; every variant here runs in this one thread, so CPU time compares them fairly.
  const time = async (f: () => unknown) => {
    const c0 = process.cpuUsage();
    await f();
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1e6;
  };
  await time(raw);
  await time(configured);
  await time(loader);
  const rawS: number[] = [];
  const configuredS: number[] = [];
  const loaderS: number[] = [];
  for (let r = 0; r < Number(args.rounds); r++) {
    rawS.push(await time(raw));
    configuredS.push(await time(configured));
    loaderS.push(await time(loader));
  }
  console.log(JSON.stringify({ raw: median(rawS), configured: median(configuredS), loader: median(loaderS), rawRounds: rawS, configuredRounds: configuredS, loaderRounds: loaderS }));
}

async function timed(threads: string, dir: string) {
  const run = await runTree([process.execPath, import.meta.path, "--child", "--dir", dir, "--threads", threads]);
  return { ...run, out: JSON.parse(run.stdout) };
}

async function main(): Promise<void> {
  const dir = await docsDir();
  if (args.child) return child(dir);
  if (args.compare) return compare(dir);
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
  const cmp = JSON.parse((await runTree([process.execPath, import.meta.path, "--compare", "--dir", dir, "--rounds", args.rounds!])).stdout);
  lines.push("  one process, same files, alternated (medians of CPU seconds): raw unified + remark-parse vs the loader (threads = 1)");
  lines.push(`    raw remark-parse ${(mb / cmp.raw).toFixed(2)} MB per CPU-s (${cmp.raw.toFixed(2)} s), loader ${(mb / cmp.loader).toFixed(2)} MB per CPU-s (${cmp.loader.toFixed(2)} s): loader/raw ${(cmp.loader / cmp.raw).toFixed(2)}`);
  lines.push(`    the loader's parser setup alone (+ front matter, GFM tables, strikethrough) ${(mb / cmp.configured).toFixed(2)} MB per CPU-s (${cmp.configured.toFixed(2)} s): setup/raw ${(cmp.configured / cmp.raw).toFixed(2)}, loader/setup ${(cmp.loader / cmp.configured).toFixed(2)}`);
  console.log(`loader/markdown on ${dir}: ${files.length} files, ${mb.toFixed(2)} MB (${args.rounds} rounds, medians; ${navigator.hardwareConcurrency} cores; load average ${loadBefore} before, ${loadAverage()} after)`);
  for (const line of lines) console.log(line);
}

await main();
