// `ctxc serve --model RUN|SPEC`: one compressor behind a small HTTP API (src/serve/app.ts) until
// Ctrl-C or SIGTERM, which stop the server and the compressor's backend (an mlx_lm.server, …).
import { defineCommand } from "citty";
import { openCompressor } from "../compress/open.ts";
import { CompressorError } from "../compress/types.ts";
import { CtxcError, EXIT } from "../core/errors.ts";
import { createServeApp, DEFAULT_LIMITS } from "../serve/app.ts";
import { checkBinding, listen } from "../serve/listen.ts";
import { primaryGone, startWorkers, WORKER_ENV, type Workers } from "../serve/workers.ts";
import { applyVerbosity, log, verbosityArgs } from "./_shared.ts";

export const DEFAULT_PORT = 8377;

/** Backends whose work happens in a model server or a remote API, not in ctxc's process. */
const GENERATIVE = ["mlx", "tinker", "llm"];

/** The command line of a worker: the same model, binding and limits, on the port now bound. */
function workerArgs(args: Record<string, unknown>, port: number): string[] {
  const out = ["serve", "--model", String(args.model), "--host", String(args.host), "--port", String(port), "-q"];
  for (const k of ["token-env", "max-body", "max-texts", "concurrency", "queue"]) if (args[k] !== undefined) out.push(`--${k}`, String(args[k]));
  return out;
}

export const examples = [
  "ctxc serve --model rules                                  the rules baseline on 127.0.0.1:8377",
  "ctxc serve --model models/runs/mlx/2026-12-01T10-00-00-000Z   a trained student (starts mlx_lm.server)",
  "ctxc serve --model anthropic:claude-sonnet-4-6 --port 9000    the teacher as a reference",
  "CTXC_TOKEN=secret ctxc serve --model default --host 0.0.0.0 --token-env CTXC_TOKEN",
  `curl -s localhost:${DEFAULT_PORT}/v1/compress -d '{"text":"..."}'`,
];

function whole(name: string, raw: unknown, min: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new CtxcError(`--${name} must be a whole number ≥ ${min}, not "${raw}"`, { exitCode: EXIT.invalid });
  return n;
}

export default defineCommand({
  meta: { name: "serve", description: "Serve a compressor over HTTP: POST /v1/compress, GET /v1/models, GET /health" },
  args: {
    model: { type: "string", alias: "m", description: "What compresses: default | rules | a run folder | run:PATH | mlx-lm:MODEL#ADAPTER | provider:model", default: "default" },
    port: { type: "string", alias: "p", description: `Port (0: any free port; default ${DEFAULT_PORT})`, default: String(DEFAULT_PORT), valueHint: "N" },
    host: { type: "string", description: "Address to bind (default 127.0.0.1; any other needs --token-env)", default: "127.0.0.1" },
    "token-env": { type: "string", description: "Name of the environment variable holding the bearer token clients must send", valueHint: "VAR" },
    "max-body": { type: "string", description: `Largest request body in bytes (default ${DEFAULT_LIMITS.maxBodyBytes})`, valueHint: "N" },
    "max-texts": { type: "string", description: `Most texts in one request (default ${DEFAULT_LIMITS.maxTexts})`, valueHint: "N" },
    concurrency: { type: "string", description: `Requests compressed at once (default ${DEFAULT_LIMITS.concurrency})`, valueHint: "N" },
    queue: { type: "string", description: `Requests waiting beyond that before 429 (default ${DEFAULT_LIMITS.queue})`, valueHint: "N" },
    workers: { type: "string", description: "Processes sharing the port (Linux SO_REUSEPORT) for CPU-bound compressors (default, rules, extractive runs); limits apply per process (default 1)", default: "1", valueHint: "N" },
    ...verbosityArgs,
  },
  async run({ args }) {
    applyVerbosity(args);
    const port = whole("port", args.port, 0);
    if (port > 65535) throw new CtxcError(`--port must be at most 65535, not ${port}`, { exitCode: EXIT.invalid });
    const limits = {
      maxBodyBytes: args["max-body"] === undefined ? DEFAULT_LIMITS.maxBodyBytes : whole("max-body", args["max-body"], 1),
      maxTexts: args["max-texts"] === undefined ? DEFAULT_LIMITS.maxTexts : whole("max-texts", args["max-texts"], 1),
      concurrency: args.concurrency === undefined ? DEFAULT_LIMITS.concurrency : whole("concurrency", args.concurrency, 1),
      queue: args.queue === undefined ? DEFAULT_LIMITS.queue : whole("queue", args.queue, 0),
    };
    let token: string | undefined;
    const tokenEnv = args["token-env"];
    if (tokenEnv !== undefined) {
      token = process.env[tokenEnv]?.trim();
      if (!token) throw new CtxcError(`--token-env ${tokenEnv}: the variable is not set or empty`, { hint: `export ${tokenEnv}=$(openssl rand -hex 16), then give clients the same value`, exitCode: EXIT.invalid });
    }
    const workers = whole("workers", args.workers, 1);
    const isWorker = process.env[WORKER_ENV] === "1";
    checkBinding(args.host, token); // before a model server is started for nothing
    const stop = new AbortController();
    const onSignal = () => stop.abort();
    process.once("SIGINT", onSignal);
    process.once("SIGTERM", onSignal);
    if (isWorker) void primaryGone().then(onSignal);
    let compressor;
    try {
      compressor = await openCompressor(args.model, { root: process.cwd(), signal: stop.signal });
    } catch (e) {
      if (stop.signal.aborted) return EXIT.interrupted; // Ctrl-C while a model server was starting
      if (e instanceof CompressorError) throw new CtxcError(e.message, { hint: e.hint, exitCode: EXIT.invalid });
      throw e;
    } finally {
      if (!compressor) {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
    }
    let extra: Workers | undefined;
    try {
      if (workers > 1 && GENERATIVE.includes(compressor.kind)) {
        throw new CtxcError(`--workers ${workers}: the ${compressor.kind} backend is not CPU-bound in ctxc (its model server batches requests itself); more processes would only start more servers`, { hint: "drop --workers for mlx, tinker and provider:model compressors", exitCode: EXIT.invalid });
      }
      const reusePort = workers > 1 || isWorker;
      const server = listen(createServeApp(compressor, { limits, token }), { host: args.host, port, token, limits, reusePort });
      if (workers > 1) extra = await startWorkers(workers - 1, workerArgs(args, server.port!));
      const url = `http://${server.hostname?.includes(":") ? `[${server.hostname}]` : server.hostname}:${server.port}`;
      process.stdout.write(`ctxc serve: ${compressor.spec} at ${url} (POST /v1/compress${workers > 1 ? `, ${workers} processes` : ""})\n`);
      if (!isWorker) log.info(`Ctrl-C stops it${token ? "; clients send Authorization: Bearer <token>" : ""}`);
      if (!stop.signal.aborted) await new Promise((resolve) => stop.signal.addEventListener("abort", resolve, { once: true }));
      if (!isWorker) log.info("stopping");
      await extra?.stop();
      await server.stop();
    } finally {
      await extra?.stop();
      await compressor.close?.();
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    }
    return EXIT.ok;
  },
});
