// The mlx backend against the REAL mlx_lm.server (CPU) on the tiny random-weight Qwen3 model and
// a hand-made LoRA adapter: output is noise; plumbing, streaming, reuse and shutdown are checked.
import { afterAll, beforeAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openCompressor } from "../../src/compress/open.ts";
import { CompressorError, type Compressor } from "../../src/compress/types.ts";
import { hasPython, testPython } from "../helpers/python.ts";
import { fakeRun, tinyAdapter } from "../helpers/tiny-adapter.ts";
import { tinyQwen3 } from "../helpers/tiny-model.ts";
import { alive } from "../helpers/processes.ts";

type WithServer = Compressor & { server: { pid: number; url: string } };


/** Waits for a process to be gone (a zombie of ours is reaped by Bun); fails after `ms`. */
async function gone(pid: number, ms = 20_000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (!alive(pid)) return true;
    await Bun.sleep(50);
  }
  return false;
}

async function expectError(p: Promise<unknown>): Promise<CompressorError> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  expect(e).toBeInstanceOf(CompressorError);
  return e as CompressorError;
}

describe.skipIf(!hasPython)("mlx backend (real mlx_lm.server on the tiny model)", () => {
  const env = { ...process.env, CTXC_PYTHON: testPython() };
  let runDir: string;
  let c: WithServer;

  beforeAll(async () => {
    runDir = await fakeRun({ baseModel: tinyQwen3(), adapter: tinyAdapter(), prompt: { system: "Compress.", user_prefix: "Text:\n" } });
    c = (await openCompressor(runDir, { root: process.cwd(), env })) as WithServer;
  }, 120_000);

  afterAll(async () => {
    await c?.close?.();
  });

  test("compresses through one server reused for the whole command, streaming its output", async () => {
    expect(c.kind).toBe("mlx");
    expect(alive(c.server.pid)).toBe(true);
    const chunks: string[] = [];
    const text = "The cache keeps every answer for 30 days unless the key changes.";
    const r = await c.compress(text, { onText: (s) => chunks.push(s) });
    expect(chunks.length).toBeGreaterThan(1);
    expect(r.compressed).toBe(chunks.join("").trim());
    expect(r.tokens_in).toBeGreaterThan(5);
    expect(r.tokens_out).toBeGreaterThan(0);
    // Greedy decoding: the same input gives the same output from the same server.
    const again = await c.compress(text);
    expect(again.compressed).toBe(r.compressed);
    expect((c as WithServer).server.pid).toBe(c.server.pid);
    expect((await c.compress("")).compressed).toBe("");
  }, 60_000);

  test("the adapter is applied: the same base model without it answers differently", async () => {
    const bare = (await openCompressor(`mlx-lm:${tinyQwen3()}`, { root: process.cwd(), env })) as WithServer;
    try {
      const text = "def add(a, b):\n    return a + b  # sum\n";
      const [withAdapter, without] = [await c.compress(text), await bare.compress(text)];
      expect(withAdapter.compressed).not.toBe(without.compressed);
    } finally {
      await bare.close!();
    }
    expect(await gone(bare.server.pid)).toBe(true);
  }, 120_000);

  test("a server that dies mid-command: a clear error, and the process is gone", async () => {
    const victim = (await openCompressor(runDir, { root: process.cwd(), env })) as WithServer;
    // Killed as a request goes out: whether it was connected yet or not, the error explains.
    const pending = victim.compress("some text to compress ".repeat(200));
    process.kill(victim.server.pid, "SIGKILL");
    const e = await expectError(pending);
    expect(await gone(victim.server.pid)).toBe(true);
    expect(e.message).toContain("the model server stopped during the command");
    expect(e.message).toContain("killed by SIGKILL");
    // Later calls fail the same way.
    expect((await expectError(victim.compress("more text"))).message).toContain("stopped during the command");
    await victim.close!();
  }, 120_000);

  for (const sig of ["SIGKILL", "SIGTERM"] as const) {
    test(`no orphan: the server dies when ctxc is killed with ${sig}`, async () => {
      const parent = Bun.spawn([process.execPath, join(import.meta.dir, "_mlx-parent.ts"), runDir], { env, stdout: "pipe", stderr: "pipe" });
      const reader = (parent.stdout as ReadableStream<Uint8Array>).getReader();
      let line = "";
      while (!line.includes("\n")) {
        const { value, done } = await reader.read();
        if (done) throw new Error(`parent exited: ${await new Response(parent.stderr as ReadableStream).text()}`);
        line += new TextDecoder().decode(value);
      }
      const { pid } = JSON.parse(line) as { pid: number };
      expect(alive(pid)).toBe(true);
      parent.kill(sig);
      await parent.exited;
      expect(await gone(pid)).toBe(true);
    }, 120_000);
  }
});

describe.skipIf(!hasPython)("mlx backend: bad runs and servers that do not start", () => {
  const env = { ...process.env, CTXC_PYTHON: testPython() };

  test("a folder that is not a run", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ctxc-notrun-"));
    const e = await expectError(openCompressor(dir, { root: process.cwd(), env }));
    expect(e.message).toContain("is not a training run");
  });

  test("a run whose adapter is missing", async () => {
    const dir = await fakeRun({ baseModel: tinyQwen3(), adapter: "adapter" });
    const e = await expectError(openCompressor(dir, { root: process.cwd(), env }));
    expect(e.message).toContain("the adapter is missing");
    expect(e.hint).toContain("ctxc runs list");
  });

  test("a base model that cannot load: the server's own reason, no process left", async () => {
    const model = join(mkdtempSync(join(tmpdir(), "ctxc-badmodel-")), "model");
    mkdirSync(model);
    writeFileSync(join(model, "config.json"), JSON.stringify({ model_type: "no-such-architecture" }));
    const e = await expectError(openCompressor(`mlx-lm:${model}#${tinyAdapter()}`, { root: process.cwd(), env }));
    expect(e.message).toContain("could not load the model");
    expect(e.message).toContain("No safetensors found");
    // No server left behind: no process has the model folder on its command line.
    expect(Bun.spawnSync(["pgrep", "-f", model]).stdout.toString().trim()).toBe("");
  }, 120_000);

  test("a Python without mlx-lm: says so, with the setup hint", async () => {
    const system = Bun.which("python3", { PATH: "/usr/bin:/bin" });
    if (!system || Bun.spawnSync([system, "-c", "import mlx_lm"]).exitCode === 0) return; // no such Python here
    const dir = await fakeRun({ baseModel: tinyQwen3(), adapter: tinyAdapter() });
    const e = await expectError(openCompressor(dir, { root: process.cwd(), env: { ...env, CTXC_PYTHON: system } }));
    expect(e.message).toContain("No module named");
    expect(e.hint).toContain("setup:python");
  }, 60_000);
});
