// Teacher-generation throughput: 2,000 docs through generator/compress against a local
// OpenAI-compatible server (a child process) that answers each request after 200 ms, 64 in
// flight, with a real SQLite store file. Prints the wall time against the ideal
// 2000/64 × 0.2 s = 6.25 s, the client's CPU time per request, and the wall time of a re-run
// answered entirely from the cache.
//
//   node_modules/.bin/bun bench/generate.ts [DOCS] [CONCURRENCY] [DELAY_MS]
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as v from "valibot";
import plugin from "../plugins/generators/compress.ts";
import { createStageContext } from "../src/core/context.ts";
import { Store } from "../src/core/store.ts";
import { makeDoc } from "../src/sdk/doc.ts";
import type { Doc } from "../src/sdk/types.ts";

if (process.argv[2] === "--serve") {
  const { startFakeOpenAI } = await import("../test/helpers/fake-openai.ts");
  const server = startFakeOpenAI({ delayMs: Number(process.argv[3]) });
  process.stdout.write(`${server.url}\n`);
} else {
  await main();
}

async function main(): Promise<void> {
  const docs = Number(process.argv[2] ?? 2000);
  const concurrency = Number(process.argv[3] ?? 64);
  const delayMs = Number(process.argv[4] ?? 200);
  const server = Bun.spawn([process.execPath, import.meta.path, "--serve", String(delayMs)], { stdout: "pipe", stderr: "inherit" });
  const reader = server.stdout.getReader();
  const url = new TextDecoder().decode((await reader.read()).value).trim();
  const workspace = mkdtempSync(join(tmpdir(), "ctxc-bench-generate-"));
  try {
    const input = Array.from({ length: docs }, (_, i) => sampleDoc(i));
    const opts = v.parse(plugin.options!, { teacher: `openai-compatible:${url}#bench-model`, concurrency, max_retries: 0 });
    const store = new Store(join(workspace, "ctxc.sqlite"));

    const first = await run(store, input, opts, concurrency);
    const ideal = (docs / concurrency) * (delayMs / 1000);
    const second = await run(store, input, opts, concurrency);
    store.close();

    const line = (k: string, val: string) => process.stdout.write(`${k.padEnd(34)} ${val}\n`);
    line("docs / concurrency / server delay", `${docs} / ${concurrency} / ${delayMs} ms`);
    line("first run wall", `${first.wall.toFixed(2)} s (ideal ${ideal.toFixed(2)} s, ${(first.wall / ideal).toFixed(3)}×; target ≤ 1.25×)`);
    line("first run CPU per request", `${((first.cpu / docs) * 1000).toFixed(3)} ms (client process, user+system)`);
    line("first run errors", String(first.errors));
    line("cached re-run wall", `${second.wall.toFixed(3)} s (target < 2 s)`);
    line("cached re-run CPU per doc", `${((second.cpu / docs) * 1000).toFixed(3)} ms`);
  } finally {
    server.kill();
    rmSync(workspace, { recursive: true, force: true });
  }
}

/** Drive the generator as the runner does: a fixed number of docs in flight, one stage context. */
async function run(store: Store, docs: Doc[], opts: any, concurrency: number): Promise<{ wall: number; cpu: number; errors: number }> {
  const ctx = createStageContext({
    stage: { index: 2, name: plugin.name, use: plugin.name, label: "02-generator-compress" },
    paths: { root: process.cwd(), out: "", stage: "" },
    store,
    pipeline: "bench",
    signal: new AbortController().signal,
    counters: {},
  });
  (ctx.log as { level?: number }).level = 1;
  let next = 0;
  let errors = 0;
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const worker = async () => {
    while (next < docs.length) {
      const doc = docs[next++]!;
      await Promise.resolve(plugin.generate(doc, opts, ctx)).catch(() => errors++);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wall = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(cpu0);
  return { wall, cpu: (c.user + c.system) / 1e6, errors };
}

/** ~1.2 KB of Python-like code, different per doc. */
function sampleDoc(i: number): Doc {
  const body = Array.from({ length: 24 }, (_, j) => `    value_${j} = compute(item_${i}, ${j}) if flag else {"k": ${i * j}}`).join("\n");
  return makeDoc({ text: `def handler_${i}(item_${i}, flag=False):\n${body}\n    return value_0\n`, domain: "code", source: { path: `bench/${i}.py` } });
}
