// `ctxc serve` as a user runs it: a child process, real HTTP, signals, bad flags.
import { describe, expect, test } from "bun:test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ctxc, MAIN, REPO } from "../helpers/cli.ts";
import { hasPython, testPython } from "../helpers/python.ts";
import { fakeRun, tinyAdapter } from "../helpers/tiny-adapter.ts";
import { tinyQwen3 } from "../helpers/tiny-model.ts";
import { alive } from "../helpers/processes.ts";

/** Starts `ctxc serve ARGS` and resolves once it prints its URL. */
async function serve(args: string[], env: Record<string, string | undefined> = {}) {
  const proc = Bun.spawn([process.execPath, MAIN, "serve", ...args], { cwd: REPO, env: { ...process.env, NO_COLOR: "1", ...env }, stdout: "pipe", stderr: "pipe" });
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  let out = "";
  while (!/http:\/\/\S+/.test(out)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`serve exited (${await proc.exited}): ${await new Response(proc.stderr as ReadableStream).text()}`);
    out += new TextDecoder().decode(value);
  }
  const url = out.match(/(http:\/\/\S+)/)![1]!;
  return { proc, url, port: Number(new URL(url).port) };
}

describe("ctxc serve", () => {
  test("serves the rules backend on loopback and stops cleanly on SIGTERM", async () => {
    const { proc, url } = await serve(["--model", "rules", "--port", "0"]);
    expect(new URL(url).hostname).toBe("127.0.0.1");
    const res = await fetch(`${url}/v1/compress`, { method: "POST", body: JSON.stringify({ texts: ["x = 1  # one", "y = 2"] }) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { results: unknown[] }).results).toHaveLength(2);
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
  }, 60_000);

  test("a port in use: a clear error, exit 2", async () => {
    const other = Bun.serve({ hostname: "127.0.0.1", port: 0, fetch: () => new Response("") });
    try {
      const r = await ctxc(["serve", "--model", "rules", "--port", String(other.port)]);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`port ${other.port} on 127.0.0.1 is in use`);
      expect(r.stderr).toContain("--port 0");
    } finally {
      other.stop(true);
    }
  });

  test("refuses a non-loopback host without a token", async () => {
    const r = await ctxc(["serve", "--model", "rules", "--host", "0.0.0.0", "--port", "0"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("refusing to serve on 0.0.0.0 without a token");
    expect(r.stderr).toContain("--token-env");
  });

  test("--token-env naming an unset variable", async () => {
    const r = await ctxc(["serve", "--model", "rules", "--token-env", "CTXC_TEST_NO_SUCH_TOKEN"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("CTXC_TEST_NO_SUCH_TOKEN: the variable is not set");
  });

  test("on 0.0.0.0 with a token: requests need it", async () => {
    const { proc, port } = await serve(["--model", "rules", "--host", "0.0.0.0", "--port", "0", "--token-env", "CTXC_TEST_TOKEN"], { CTXC_TEST_TOKEN: "tok-123" });
    try {
      const url = `http://127.0.0.1:${port}/v1/compress`;
      expect((await fetch(url, { method: "POST", body: '{"text":"a"}' })).status).toBe(401);
      expect((await fetch(url, { method: "POST", body: '{"text":"a"}', headers: { authorization: "Bearer tok-123" } })).status).toBe(200);
    } finally {
      proc.kill("SIGTERM");
      await proc.exited;
    }
  }, 60_000);

  test("a folder that is not a run: exit 2 naming it", async () => {
    const dir = mkdtempSync(join(tmpdir(), "ctxc-notrun-"));
    const r = await ctxc(["serve", "--model", dir, "--port", "0"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${dir} is not a training run`);
  });

  test("a bad --port", async () => {
    const r = await ctxc(["serve", "--model", "rules", "--port", "http"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--port must be a whole number");
  });
});

describe("ctxc serve --workers", () => {
  const children = (pid: number) => Bun.spawnSync(["pgrep", "-P", String(pid)]).stdout.toString().split("\n").filter(Boolean).map(Number);
  async function gone(pid: number): Promise<boolean> {
    for (let i = 0; i < 400; i++) {
      if (!alive(pid)) return true;
      await Bun.sleep(50);
    }
    return false;
  }

  test("N processes share the port; SIGTERM stops them all", async () => {
    const { proc, url } = await serve(["--model", "rules", "--port", "0", "--workers", "2"]);
    const workers = children(proc.pid);
    expect(workers).toHaveLength(1);
    for (let i = 0; i < 4; i++) expect((await fetch(`${url}/v1/compress`, { method: "POST", body: '{"text":"x = 1  # one"}' })).status).toBe(200);
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
    expect(await gone(workers[0]!)).toBe(true);
  }, 60_000);

  test("a primary killed with SIGKILL leaves no worker", async () => {
    const { proc } = await serve(["--model", "rules", "--port", "0", "--workers", "2"]);
    const [worker] = children(proc.pid);
    proc.kill("SIGKILL");
    await proc.exited;
    expect(await gone(worker!)).toBe(true);
  }, 60_000);

  test("refused for a generative backend (its server batches; more processes would start more servers)", async () => {
    const run = await fakeRun({ baseModel: "Qwen/Qwen3-8B", samplerPath: "tinker://r/sampler_weights/final" }, "trainer/tinker");
    const r = await ctxc(["serve", "--model", run, "--port", "0", "--workers", "2"], { env: { TINKER_API_KEY: "tml-x" } });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--workers 2: the tinker backend is not CPU-bound");
  });
});

describe.skipIf(!hasPython)("ctxc serve with an mlx run", () => {
  test("compresses through mlx_lm.server and stops it on SIGTERM (no orphan)", async () => {
    const adapter = tinyAdapter();
    const run = await fakeRun({ baseModel: tinyQwen3(), adapter });
    const { proc, url } = await serve(["--model", run, "--port", "0"], { CTXC_PYTHON: testPython() });
    const models = (await (await fetch(`${url}/v1/models`)).json()) as { data: Array<{ kind: string }> };
    expect(models.data[0]!.kind).toBe("mlx");
    const res = await fetch(`${url}/v1/compress`, { method: "POST", body: JSON.stringify({ text: "The cache keeps answers for 30 days." }) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { tokens_out: number }).tokens_out).toBeGreaterThan(0);
    const server = () => Bun.spawnSync(["pgrep", "-f", adapter]).stdout.toString().trim();
    expect(server()).not.toBe("");
    proc.kill("SIGTERM");
    expect(await proc.exited).toBe(0);
    expect(server()).toBe("");
  }, 120_000);
});
