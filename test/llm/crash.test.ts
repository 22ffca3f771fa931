// Crash safety with real processes and a real SQLite file: a generator run killed with SIGKILL
// mid-stage, then re-run, sends no request twice beyond those in flight at the kill; a finished
// run re-run sends zero; a batch submitted before the kill is collected, not resubmitted; and the
// API key is nowhere in the workspace, the database or the logs.
import { afterEach, expect, test } from "bun:test";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startFakeAnthropic } from "../helpers/fake-anthropic.ts";
import type { FakeOptions, FakeServer } from "../helpers/fake-common.ts";
import { startFakeOpenAI } from "../helpers/fake-openai.ts";

const KEY = "sk-crash-test-SECRET-4f9a1c27e8";
const DRIVER = join(import.meta.dir, "fixtures", "drive-generator.ts");
const servers: FakeServer[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.stop();
});

interface Run {
  proc: Bun.Subprocess<"ignore", "pipe", "pipe">;
  output: Promise<{ stdout: string; stderr: string; code: number | null; signal: unknown }>;
}

function drive(workspace: string, env: Record<string, string>): Run {
  const proc = Bun.spawn([process.execPath, DRIVER], {
    env: { PATH: process.env.PATH ?? "", WORKSPACE: workspace, ANTHROPIC_API_KEY: KEY, OPENAI_API_KEY: KEY, ...env },
    stdin: "ignore",
    stdout: "pipe",
    stderr: "pipe",
  });
  const output = (async () => {
    const [stdout, stderr] = await Promise.all([new Response(proc.stdout).text(), new Response(proc.stderr).text()]);
    await proc.exited;
    return { stdout, stderr, code: proc.exitCode, signal: proc.signalCode };
  })();
  return { proc, output };
}

/** Every file under a folder, as bytes decoded leniently, so a key anywhere is found. */
function everyFile(dir: string): Array<{ path: string; text: string }> {
  const out: Array<{ path: string; text: string }> = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...everyFile(p));
    else out.push({ path: p, text: readFileSync(p).toString("latin1") });
  }
  return out;
}

function expectNoKey(workspace: string, logs: string[]): void {
  const files = everyFile(workspace);
  expect(files.some((f) => f.path.endsWith("ctxc.sqlite"))).toBe(true);
  for (const f of files) expect({ file: f.path, hasKey: f.text.includes(KEY) }).toEqual({ file: f.path, hasKey: false });
  for (const log of logs) expect(log.includes(KEY)).toBe(false);
}

const N = 40;
/** Three child processes per test; a loaded machine needs the room (bunfig's timeout is not applied here). */
const SLOW = 60_000;
const CONCURRENCY = 4;

for (const provider of ["openai", "anthropic"] as const) {
  const start = (o: FakeOptions) => {
    const s = provider === "openai" ? startFakeOpenAI({ expectKey: KEY, ...o }) : startFakeAnthropic({ expectKey: KEY, ...o });
    servers.push(s);
    return s;
  };
  const teacher = provider === "openai" ? "openai:gpt-4.1-mini" : "anthropic:claude-haiku-4-5";

  test(`${provider}: SIGKILL mid-stage, re-run sends nothing twice beyond the in-flight; a finished re-run sends zero`, async () => {
    const workspace = mkdtempSync(join(tmpdir(), "ctxc-crash-"));
    let first: Run | undefined;
    let inFlightAtKill = -1;
    const server = start({
      delayMs: 20,
      onCompletion: (count) => {
        if (count === 15 && first) {
          inFlightAtKill = server.inFlight + 1; // this request, plus those waiting on the delay
          first.proc.kill("SIGKILL");
        }
      },
    });
    const env = { TEACHER: teacher, BASE_URLS: JSON.stringify({ [provider]: server.url }), DOCS: String(N), CONCURRENCY: String(CONCURRENCY) };
    first = drive(workspace, env);
    const r1 = await first.output;
    expect(r1.signal).toBe("SIGKILL");
    const sentBeforeKill = server.completions;

    const r2 = await drive(workspace, env).output;
    expect(r2.code).toBe(0);
    expect(JSON.parse(r2.stdout)).toEqual({ done: N, errors: [] });
    // Every doc was asked for; the only repeats are requests that were in flight at the kill.
    expect(server.perInput.size).toBe(N);
    const repeats = [...server.perInput.values()].reduce((a, c) => a + c - 1, 0);
    expect(inFlightAtKill).toBeGreaterThan(0);
    // In flight from the client's side: waiting on the server, or answered but not yet cached.
    expect(repeats).toBeLessThanOrEqual(CONCURRENCY);
    expect(server.completions).toBe(N + repeats);
    expect(sentBeforeKill - repeats).toBeGreaterThan(0);

    const before = server.completions;
    const r3 = await drive(workspace, env).output;
    expect(JSON.parse(r3.stdout)).toEqual({ done: N, errors: [] });
    expect(server.completions).toBe(before);

    expect(server.requests.every((r) => r.auth === KEY)).toBe(true);
    expectNoKey(workspace, [r1.stdout, r1.stderr, r2.stdout, r2.stderr, r3.stdout, r3.stderr]);
  }, SLOW);

  test(`${provider}: a batch submitted before a SIGKILL is collected by the re-run, not resubmitted`, async () => {
    const workspace = mkdtempSync(join(tmpdir(), "ctxc-batch-crash-"));
    let first: Run | undefined;
    const polls = provider === "openai" ? /^\/v1\/batches\/[^/]+$/ : /^\/v1\/messages\/batches\/[^/]+$/;
    const server = start({
      batchEnd: "manual",
      // The first status poll comes after the batch id is stored: kill the process right there.
      onRequest: (method, path) => {
        if (method === "GET" && polls.test(path) && first && first.proc.exitCode === null) first.proc.kill("SIGKILL");
      },
    });
    const env = { TEACHER: teacher, BASE_URLS: JSON.stringify({ [provider]: server.url }), DOCS: "12", CONCURRENCY: "12", BATCH: "1" };
    first = drive(workspace, env);
    const r1 = await first.output;
    expect(r1.signal).toBe("SIGKILL");
    expect(server.batchesCreated).toBe(1);

    server.endBatches();
    first = undefined;
    const r2 = await drive(workspace, env).output;
    expect({ code: r2.code, stderr: r2.code === 0 ? "" : r2.stderr }).toEqual({ code: 0, stderr: "" });
    expect(JSON.parse(r2.stdout)).toEqual({ done: 12, errors: [] });
    expect(server.batchesCreated).toBe(1);
    expect(server.completions).toBe(0);
    expect(r2.stderr).toContain("resuming batch");

    const r3 = await drive(workspace, env).output;
    expect(JSON.parse(r3.stdout)).toEqual({ done: 12, errors: [] });
    expect(server.batchesCreated).toBe(1);
    expectNoKey(workspace, [r1.stdout, r1.stderr, r2.stdout, r2.stderr, r3.stdout, r3.stderr]);
  }, SLOW);
}
