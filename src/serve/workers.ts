// `ctxc serve --workers N`: N-1 more `ctxc serve` processes bound to the same port with
// SO_REUSEPORT, so the kernel (Linux) spreads connections over N single-threaded JavaScript
// event loops — the CPU-bound compressors (extractive, rules) then use every core. Each worker
// is started with CTXC_SERVE_WORKER=1 and a stdin pipe from the primary; it stops when the pipe
// closes, so workers never outlive the primary, whatever ends it.
import { fileURLToPath } from "node:url";
import { isCompiled } from "../text/process-pool.ts";

export const WORKER_ENV = "CTXC_SERVE_WORKER";

export interface Workers {
  pids: number[];
  stop(): Promise<void>;
}

/** `ctxc ARGS`: the binary itself when compiled, else bun running src/cli/main.ts. */
function selfCommand(args: string[]): string[] {
  if (isCompiled()) return [process.execPath, ...args];
  return [process.execPath, fileURLToPath(new URL("../cli/main.ts", import.meta.url)), ...args];
}

/** Starts `count` workers running `ctxc serve ARGS`; resolves once each has printed its URL. */
export async function startWorkers(count: number, args: string[]): Promise<Workers> {
  const procs = Array.from({ length: count }, () =>
    Bun.spawn(selfCommand(args), { env: { ...process.env, [WORKER_ENV]: "1" }, stdin: "pipe", stdout: "pipe", stderr: "pipe" }),
  );
  const stop = async () => {
    for (const p of procs) {
      try {
        (p.stdin as import("bun").FileSink).end();
      } catch {
        // gone
      }
    }
    await Promise.all(procs.map((p) => Promise.race([p.exited, Bun.sleep(5000).then(() => p.kill("SIGKILL"))])));
  };
  try {
    await Promise.all(procs.map(ready));
  } catch (e) {
    await stop();
    throw e;
  }
  return { pids: procs.map((p) => p.pid), stop };
}

async function ready(p: ReturnType<typeof Bun.spawn>): Promise<void> {
  const reader = (p.stdout as ReadableStream<Uint8Array>).getReader();
  let out = "";
  while (!/http:\/\/\S+/.test(out)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`a serve worker exited (${await p.exited}): ${(await new Response(p.stderr as ReadableStream).text()).trim()}`);
    out += new TextDecoder().decode(value);
  }
  reader.releaseLock();
  // Keep draining its output so a chatty worker never blocks on a full pipe.
  void (p.stdout as ReadableStream<Uint8Array>).pipeTo(new WritableStream());
  void (p.stderr as ReadableStream<Uint8Array>).pipeTo(new WritableStream({ write: (c) => void process.stderr.write(c) }));
}

/** In a worker: resolve when the primary closes our stdin (it stopped or died). */
export async function primaryGone(): Promise<void> {
  try {
    for await (const _ of Bun.stdin.stream()) {
      // nothing is ever sent; only EOF matters
    }
  } catch {
    // closed
  }
}
