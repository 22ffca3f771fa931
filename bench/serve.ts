// `ctxc serve` under load, measured against the compiled binary (build it first: bun run build:host).
//   bun bench/serve.ts [seconds=10] [clients=32] [models=rules,default,default*2] [--mlx]
// (`MODEL*N` serves with --workers N: N processes sharing the port)
// Part 1, per model: ./ctxc serve --model M --port 0; CLIENTS concurrent clients (in this process)
// each POST one paragraph at a time (paragraphs of the shared v1 valid split, 200–1200 chars) for
// SECONDS after a 2 s warm-up; prints requests/s and p50/p95 latency. The load generator shares
// the machine's cores with the server, so the numbers are a floor for a separate client machine.
// Part 2 (--mlx, needs the venv): the mlx backend on the tiny random Qwen3 model + a LoRA adapter —
// start-up (spawn → model loaded → ready), then per-request latency through ctxc (in process and
// through ./ctxc serve) against the same request sent straight to mlx_lm.server: the difference
// is ctxc's overhead. Output is noise; every request generates exactly max_tokens tokens.
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { median, quantile } from "./_measure.ts";

const REPO = resolve(import.meta.dir, "..");
const BIN = resolve(REPO, "ctxc");
const args = process.argv.slice(2).filter((a) => !a.startsWith("--"));
const SECONDS = Number(args[0] ?? 10);
const CLIENTS = Number(args[1] ?? 32);
const MODELS = (args[2] ?? "rules,default,rules*2,default*2").split(",");
if (!(await Bun.file(BIN).exists())) throw new Error("no ./ctxc: run `bun run build:host` first");

function paragraphs(): string[] {
  const out: string[] = [];
  for (const line of readFileSync(resolve(REPO, "data/compression-layer-v1/valid.jsonl"), "utf8").split("\n")) {
    if (!line.trim()) continue;
    const user = (JSON.parse(line) as { messages: Array<{ role: string; content: string }> }).messages.find((m) => m.role === "user")!.content.replace(/^Compress:\n/, "");
    for (const p of user.split(/\n\s*\n/)) if (p.length >= 200 && p.length <= 1200) out.push(p);
  }
  return out;
}

async function startServe(spec: string, env: Record<string, string | undefined> = {}) {
  const [model, workers = "1"] = spec.split("*") as [string, string?];
  const t0 = performance.now();
  const proc = Bun.spawn([BIN, "serve", "--model", model, "--port", "0", "--queue", "1024", "--workers", workers, "-q"], { cwd: REPO, env: { ...process.env, ...env }, stdout: "pipe", stderr: "inherit" });
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  let out = "";
  while (!/http:\/\/\S+/.test(out)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`ctxc serve --model ${model} exited ${await proc.exited}`);
    out += new TextDecoder().decode(value);
  }
  return { proc, url: out.match(/(http:\/\/\S+)/)![1]!, startMs: performance.now() - t0 };
}

async function load(url: string, texts: string[], seconds: number, clients: number) {
  const lat: number[] = [];
  let errors = 0;
  let stopAt = 0;
  let recording = false;
  const client = async (k: number) => {
    for (let i = k; Date.now() < stopAt; i += clients) {
      const t0 = performance.now();
      const res = await fetch(`${url}/v1/compress`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ text: texts[i % texts.length] }) });
      await res.arrayBuffer();
      if (!res.ok) errors++;
      else if (recording) lat.push(performance.now() - t0);
    }
  };
  stopAt = Date.now() + 2000; // warm-up
  await Promise.all(Array.from({ length: clients }, (_, k) => client(k)));
  recording = true;
  const t0 = performance.now();
  stopAt = Date.now() + seconds * 1000;
  await Promise.all(Array.from({ length: clients }, (_, k) => client(k)));
  const wall = (performance.now() - t0) / 1000;
  return { rps: lat.length / wall, p50: quantile(lat, 0.5), p95: quantile(lat, 0.95), n: lat.length, errors };
}

const texts = paragraphs();
console.log(`${texts.length} paragraphs (200–1200 chars, median ${median(texts.map((t) => t.length))} chars); ${CLIENTS} clients, ${SECONDS} s per model, ./ctxc serve`);
for (const model of MODELS) {
  const s = await startServe(model);
  try {
    const r = await load(s.url, texts, SECONDS, CLIENTS);
    console.log(`serve --model ${model.replace("*", " --workers ")}: ${r.rps.toFixed(0)} req/s, p50 ${r.p50.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms (${r.n} requests, ${r.errors} errors; ready in ${s.startMs.toFixed(0)} ms)`);
  } finally {
    s.proc.kill("SIGTERM");
    await s.proc.exited;
  }
}

if (process.argv.includes("--mlx")) await benchMlx();

async function benchMlx(): Promise<void> {
  const { tinyQwen3 } = await import("../test/helpers/tiny-model.ts");
  const { fakeRun, tinyAdapter } = await import("../test/helpers/tiny-adapter.ts");
  const { testPython } = await import("../test/helpers/python.ts");
  const { openCompressor } = await import("../src/compress/open.ts");
  const { studentPrompt } = await import("../src/compress/student-prompt.ts");
  const python = testPython();
  if (!python) throw new Error("--mlx needs the venv (npm run setup:python)");
  const run = await fakeRun({ baseModel: tinyQwen3(), adapter: tinyAdapter() });
  const env = { ...process.env, CTXC_PYTHON: python };
  const text = texts[0]!;
  const REQS = 20;
  // In process: start-up, then compress() latency vs the same request straight to the server.
  let t0 = performance.now();
  const c = (await openCompressor(run, { root: REPO, env })) as Awaited<ReturnType<typeof openCompressor>> & { server: { url: string } };
  const startMs = performance.now() - t0;
  const viaCtxc: number[] = [];
  const direct: number[] = [];
  let tokensOut = 0;
  const first = await c.compress(text);
  const body = JSON.stringify({ model: tinyQwen3(), adapters: tinyAdapter(), chat_template_kwargs: { enable_thinking: false }, messages: [{ role: "system", content: studentPrompt().system }, { role: "user", content: text }], temperature: 0, max_tokens: Math.max(32, first.tokens_in), stream: true });
  for (let i = 0; i < REQS; i++) {
    t0 = performance.now();
    tokensOut = (await c.compress(text)).tokens_out;
    viaCtxc.push(performance.now() - t0);
    t0 = performance.now();
    await (await fetch(`${c.server.url}/v1/chat/completions`, { method: "POST", headers: { "content-type": "application/json" }, body })).text();
    direct.push(performance.now() - t0);
  }
  await c.close!();
  console.log(`mlx backend, tiny Qwen3 (2 layers, hidden 64) + LoRA, CPU: start-up ${startMs.toFixed(0)} ms (spawn → model and adapter loaded → 1-token answer)`);
  console.log(`  one paragraph (${first.tokens_in} tokens in, max_tokens ${Math.max(32, first.tokens_in)}, ~${tokensOut} Qwen3 tokens out): compress() p50 ${median(viaCtxc).toFixed(1)} ms vs mlx_lm.server direct p50 ${median(direct).toFixed(1)} ms → ctxc overhead ${(median(viaCtxc) - median(direct)).toFixed(1)} ms/request`);
  // Through ./ctxc serve: time to ready and latency of /v1/compress.
  const s = await startServe(run, env);
  try {
    const lat: number[] = [];
    for (let i = 0; i < REQS; i++) {
      t0 = performance.now();
      await (await fetch(`${s.url}/v1/compress`, { method: "POST", body: JSON.stringify({ text }) })).text();
      lat.push(performance.now() - t0);
    }
    console.log(`  ./ctxc serve --model <mlx run>: ready in ${s.startMs.toFixed(0)} ms; POST /v1/compress p50 ${median(lat).toFixed(1)} ms, p95 ${quantile(lat, 0.95).toFixed(1)} ms (${REQS} sequential requests)`);
  } finally {
    s.proc.kill("SIGTERM");
    await s.proc.exited;
  }
}
