// The lifecycle of one real `mlx_lm.server` process for a command: a free loopback port, start,
// readiness, stop. Its /health answers before the model has loaded (the model loads on the
// generation thread), so readiness is a 1-token chat request with the model and adapter in the
// body. The server dies with ctxc whatever ends ctxc (mlx_server.py watches its stdin pipe), and
// an `exit` hook kills any server still running, so no server outlives its command.
import serverPy from "./mlx_server.py" with { type: "text" };

export interface MlxServerOptions {
  python: string;
  /** A local model folder or a Hugging Face id. */
  model: string;
  /** The adapter folder (adapter_config.json + adapters.safetensors). */
  adapter?: string;
  env?: Record<string, string | undefined>;
  /** How long the model may take to load (default 10 minutes: a large model from disk). */
  startTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface MlxServer {
  /** http://127.0.0.1:PORT */
  url: string;
  pid: number;
  /** The body fields that select this model and adapter (mlx-lm before dd7c91d ignored --adapter-path). */
  selectBody: Record<string, unknown>;
  alive(): boolean;
  /** Resolves when the process has exited. */
  exited: Promise<unknown>;
  /** The last lines the server wrote (stdout and stderr). */
  lastLines(n?: number): string[];
  /** "exited with code 1: <last stderr lines>" — for the error that ends a command. */
  exitReport(): string;
  stop(): Promise<void>;
}

export class MlxServerError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = "MlxServerError";
  }
}

const TAIL_LINES = 40;
const PORT_TRIES = 3;
const STOP_GRACE_MS = 3000;
const running = new Set<ReturnType<typeof Bun.spawn>>();
let exitHook = false;

/** Thinking off for Qwen3 (the student was trained on answers without a thinking block). */
export const CHAT_TEMPLATE_ARGS = { enable_thinking: false };

export async function startMlxServer(o: MlxServerOptions): Promise<MlxServer> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(o, await freePort());
    } catch (e) {
      // Another process took the port between our probe and the server's bind: try another.
      if (attempt < PORT_TRIES && e instanceof MlxServerError && /Address already in use/i.test(e.message)) continue;
      throw e;
    }
  }
}

async function startOnce(o: MlxServerOptions, port: number): Promise<MlxServer> {
  const args = ["-c", serverPy, "--model", o.model, "--host", "127.0.0.1", "--port", String(port), "--chat-template-args", JSON.stringify(CHAT_TEMPLATE_ARGS), "--log-level", "WARNING"];
  if (o.adapter) args.push("--adapter-path", o.adapter);
  let proc: ReturnType<typeof Bun.spawn>;
  try {
    proc = Bun.spawn([o.python, ...args], {
      env: { ...process.env, ...o.env, PYTHONUNBUFFERED: "1" },
      stdin: "pipe",
      stdout: "pipe",
      stderr: "pipe",
    });
  } catch (e) {
    throw new MlxServerError(`cannot start Python (${o.python}): ${(e as Error).message}`);
  }
  track(proc);
  const tail: string[] = [];
  const keep = (line: string) => {
    if (!line.trim()) return;
    tail.push(line);
    if (tail.length > TAIL_LINES) tail.shift();
  };
  void drain(proc.stdout as ReadableStream<Uint8Array>, keep);
  void drain(proc.stderr as ReadableStream<Uint8Array>, keep);
  const exitReport = () => {
    const how = proc.signalCode ? `was killed by ${proc.signalCode}` : `exited with code ${proc.exitCode}`;
    const last = tail.slice(-12).join("\n    ");
    return `mlx_lm.server ${how}${last ? `:\n    ${last}` : " (it wrote nothing)"}`;
  };
  const url = `http://127.0.0.1:${port}`;
  const selectBody = { model: o.model, ...(o.adapter ? { adapters: o.adapter } : {}), chat_template_kwargs: CHAT_TEMPLATE_ARGS };
  const server: MlxServer = {
    url,
    pid: proc.pid,
    selectBody,
    alive: () => proc.exitCode === null && proc.signalCode === null,
    exited: proc.exited,
    lastLines: (n = 12) => tail.slice(-n),
    exitReport,
    stop: () => stop(proc),
  };
  try {
    await waitReady(server, proc, o.startTimeoutMs ?? 600_000, o.signal);
  } catch (e) {
    await stop(proc);
    if (e instanceof MlxServerError) throw e;
    throw new MlxServerError(`mlx_lm.server did not start: ${(e as Error).message}`);
  }
  return server;
}

async function waitReady(server: MlxServer, proc: ReturnType<typeof Bun.spawn>, timeoutMs: number, signal?: AbortSignal): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const died = proc.exited.then(() => "exited" as const);
  const failed = () => {
    const report = server.exitReport();
    const missing = /No module named '?(mlx_lm|mlx)/.test(report);
    return new MlxServerError(`${report}`, missing ? "the Python ctxc found has no mlx-lm; run `npm run setup:python` or set CTXC_PYTHON" : "read the lines above; the model or adapter path may be wrong, or the adapter made for another base model");
  };
  // 1. The HTTP server is up (it answers /health before the model has loaded).
  for (;;) {
    if (signal?.aborted) throw new MlxServerError("stopped while mlx_lm.server was starting");
    if (!server.alive()) throw failed();
    if (Date.now() > deadline) throw new MlxServerError(`mlx_lm.server did not answer within ${Math.round(timeoutMs / 1000)} s`, "a large model takes long to load the first time; check the model path");
    const status = await health(server.url);
    if (status === 200) break;
    if (status === 503) throw unhealthy(server);
    await Promise.race([Bun.sleep(100), died]);
  }
  // 2. The model and adapter are loaded: a 1-token answer comes back. A model that fails to load
  // kills the server's generation thread, not the process: /health turns 503 and requests hang.
  const stopWatching = new AbortController();
  const watchHealth = (async () => {
    while (!stopWatching.signal.aborted) {
      await Bun.sleep(250);
      if ((await health(server.url)) === 503) return "unhealthy" as const;
    }
    return "ready" as const;
  })();
  const probe = fetch(`${server.url}/v1/chat/completions`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ ...server.selectBody, messages: [{ role: "user", content: "ping" }], max_tokens: 1, temperature: 0 }),
    signal: AbortSignal.any([AbortSignal.timeout(Math.max(1000, deadline - Date.now())), stopWatching.signal, ...(signal ? [signal] : [])]),
  }).then(async (r) => (r.ok ? ("ready" as const) : `HTTP ${r.status}: ${(await r.text()).slice(0, 300)}`), (e: Error) => e);
  const outcome = await Promise.race([probe, died, watchHealth]);
  stopWatching.abort();
  if (outcome === "ready") return;
  if (outcome === "exited" || !server.alive()) throw failed();
  if (outcome === "unhealthy") throw unhealthy(server);
  if (outcome instanceof Error) throw new MlxServerError(`mlx_lm.server did not load the model: ${outcome.message}`);
  throw new MlxServerError(`mlx_lm.server could not load the model: ${outcome}`, "check the base model and that the adapter was trained on it");
}

/** The /health status code, or 0 when nothing answers. */
async function health(url: string): Promise<number> {
  return fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) }).then((r) => r.status, () => 0);
}

function unhealthy(server: MlxServer): MlxServerError {
  const last = server.lastLines().join("\n    ");
  return new MlxServerError(`mlx_lm.server could not load the model (its generation thread died)${last ? `:\n    ${last}` : ""}`, "check the base model path or id, and that the adapter was trained on this base model");
}

/** Close its stdin (the watchdog exits at once), then SIGTERM, then SIGKILL. */
async function stop(proc: ReturnType<typeof Bun.spawn>): Promise<void> {
  running.delete(proc);
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  try {
    (proc.stdin as import("bun").FileSink).end();
  } catch {
    // already closed
  }
  const gone = await Promise.race([proc.exited.then(() => true), Bun.sleep(STOP_GRACE_MS).then(() => false)]);
  if (gone) return;
  proc.kill("SIGTERM");
  if (await Promise.race([proc.exited.then(() => true), Bun.sleep(STOP_GRACE_MS).then(() => false)])) return;
  proc.kill("SIGKILL");
  await proc.exited;
}

function track(proc: ReturnType<typeof Bun.spawn>): void {
  running.add(proc);
  void proc.exited.then(() => running.delete(proc));
  if (exitHook) return;
  exitHook = true;
  // On a normal exit (and after a caught Ctrl-C) kill what is left; SIGKILL of ctxc itself is
  // covered by the stdin watchdog.
  process.on("exit", () => {
    for (const p of running) p.kill("SIGKILL");
  });
}

async function freePort(): Promise<number> {
  const probe = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
  const port = probe.port;
  probe.stop(true);
  return port;
}

async function drain(stream: ReadableStream<Uint8Array>, fn: (line: string) => void): Promise<void> {
  const decoder = new TextDecoder();
  let carry = "";
  try {
    for await (const chunk of stream) {
      const lines = (carry + decoder.decode(chunk, { stream: true })).split("\n");
      carry = lines.pop()!;
      for (const l of lines) fn(l.replace(/\r$/, ""));
    }
  } catch {
    // the process is gone
  }
  if (carry) fn(carry);
}
