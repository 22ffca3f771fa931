// src/text/process-pool.ts with real child processes (test/text/_process-pool-fixture.ts runs the
// real serve loop of src/cli/worker.ts): ordered results, errors, crashes, fallbacks, and no
// child left behind when the work ends, is abandoned or aborted, or the parent is killed.
import { afterAll, describe, expect, test } from "bun:test";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { heaviestFirst, HELLO, mapOrdered, parserCount, readLines, workerCommand, type Outcome, type PoolOptions } from "../../src/text/process-pool.ts";
import { CHILD, runTask, type FixtureTask } from "./_process-pool-fixture.ts";
import { alive } from "../helpers/processes.ts";

const tmp = mkdtempSync(join(tmpdir(), "ctxc-pool-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));


async function collect(tasks: FixtureTask[], opts: Partial<PoolOptions<FixtureTask, unknown>> = {}): Promise<Outcome<unknown>[]> {
  const out: Outcome<unknown>[] = [];
  for await (const r of mapOrdered(tasks, { worker: "fixture", parallel: 3, inProcess: runTask, command: CHILD, ...opts })) out.push(r);
  return out;
}

describe("results", () => {
  test("come in task order, whatever order they are handed out and finish in", async () => {
    const tasks: FixtureTask[] = Array.from({ length: 40 }, (_, i) => ({ echo: { i, text: `tâche ${i} ✓\nline` } }));
    const order = tasks.map((_, i) => (i * 17) % 40); // a permutation
    const weights = tasks.map((_, i) => 1000 * (i % 7)); // several tasks per batch
    const out = await collect(tasks, { order, weights });
    expect(out).toEqual(tasks.map((t) => ({ ok: (t as { echo: unknown }).echo })));
  });

  test("the work is spread over the children", async () => {
    // Without weights each task is its own batch and each child holds two at once, so the first
    // six tasks go to three different children before any answer arrives.
    const out = await collect(Array.from({ length: 6 }, () => ({ pid: true as const })));
    expect(new Set(out.map((r) => ("ok" in r ? r.ok : r.error))).size).toBe(3);
    expect(out.every((r) => "ok" in r && r.ok !== process.pid)).toBe(true);
  });

  test("a task that throws is an error outcome; the others go on", async () => {
    const out = await collect([{ echo: 1 }, { fail: "bad input in b.py" }, { echo: 3 }]);
    expect(out).toEqual([{ ok: 1 }, { error: "bad input in b.py" }, { ok: 3 }]);
  });

  test("parallel 1 runs in this process", async () => {
    const out = await collect([{ pid: true }, { echo: 2 }], { parallel: 1 });
    expect(out).toEqual([{ ok: process.pid }, { ok: 2 }]);
  });

  test("no tasks, no children, no results", async () => {
    expect(await collect([])).toEqual([]);
  });
});

describe("crashes", () => {
  test("a child killed on a task is replaced and the task retried once: same results", async () => {
    const marker = join(tmp, "crash-once");
    const tasks: FixtureTask[] = [{ echo: "a" }, { crashOnce: marker, value: "b" }, { echo: "c" }, { echo: "d" }];
    expect(await collect(tasks, { parallel: 2 })).toEqual([{ ok: "a" }, { ok: "b" }, { ok: "c" }, { ok: "d" }]);
    expect(existsSync(marker)).toBe(true); // it did crash
  });

  test("a task that crashes its child twice is an error marked crashed; the rest are parsed", async () => {
    const tasks: FixtureTask[] = [{ echo: "a" }, { exit: 3 }, { echo: "c" }, { echo: "d" }, { echo: "e" }];
    const out = await collect(tasks, { parallel: 2, weights: [1, 1, 1, 1, 1] }); // one batch of five
    expect(out[1]).toMatchObject({ crashed: true });
    expect((out[1] as { error: string }).error).toContain("exit code 3");
    expect([out[0], out[2], out[3], out[4]]).toEqual([{ ok: "a" }, { ok: "c" }, { ok: "d" }, { ok: "e" }]);
  });

  test("children that keep crashing end in errors, never a hang", async () => {
    const tasks: FixtureTask[] = Array.from({ length: 8 }, () => ({ exit: 1 }));
    const out = await collect(tasks, { parallel: 2, inProcess: async () => "in process" });
    // Each task either crashed twice or, once the respawn budget is spent, ran here.
    for (const r of out) expect("ok" in r ? r.ok : r.crashed).toBe("ok" in r ? "in process" : true);
    expect(out.length).toBe(8);
  });
});

describe("children that cannot start", () => {
  test("a program that is not a worker: warning, then everything parsed in this process", async () => {
    const warnings: string[] = [];
    const out = await collect([{ echo: 1 }, { pid: true }], {
      command: [process.execPath, "-e", "console.log('hello, I am something else')"],
      onFallback: (why) => warnings.push(why),
    });
    expect(out).toEqual([{ ok: 1 }, { ok: process.pid }]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain("did not start");
    expect(warnings[0]).toContain("hello, I am something else");
  });

  test("a command that does not exist", async () => {
    const warnings: string[] = [];
    const out = await collect([{ echo: 1 }, { echo: 2 }], { command: [join(tmp, "no-such-binary")], onFallback: (w) => warnings.push(w) });
    expect(out).toEqual([{ ok: 1 }, { ok: 2 }]);
    expect(warnings[0]).toContain("did not start");
  });
});

describe("no child outlives the work", () => {
  test("finished: every child has exited when the last result is out", async () => {
    const out = await collect(Array.from({ length: 6 }, () => ({ pid: true as const })));
    const pids = out.map((r) => ("ok" in r ? (r.ok as number) : 0));
    for (const pid of pids) expect(alive(pid)).toBe(false);
  });

  test("abandoned (the consumer stops pulling and returns): children are stopped", async () => {
    const gen = mapOrdered<FixtureTask, unknown>([{ pid: true }, { pid: true }, { pid: true }], { worker: "f", parallel: 2, inProcess: runTask, command: CHILD });
    const first = await gen.next();
    const pid = (first.value as { ok: number }).ok;
    expect(alive(pid)).toBe(true);
    await gen.return(undefined);
    expect(alive(pid)).toBe(false);
  });

  test("aborted while a child is busy: it is killed and the results stop", async () => {
    const fifo = join(tmp, "never-written");
    Bun.spawnSync(["mkfifo", fifo]);
    const abort = new AbortController();
    const seen: Outcome<unknown>[] = [];
    const tasks: FixtureTask[] = [{ pid: true }, { block: fifo }, { echo: "after" }];
    for await (const r of mapOrdered(tasks, { worker: "f", parallel: 1 + 1, inProcess: runTask, command: CHILD, signal: abort.signal })) {
      seen.push(r);
      abort.abort(); // task 1 is blocked reading a FIFO nobody writes
    }
    expect(seen).toHaveLength(1);
    expect(alive((seen[0] as { ok: number }).ok)).toBe(false);
  });

  test("the parent killed with SIGKILL: its idle children see stdin close and exit", async () => {
    const parent = Bun.spawn([process.execPath, join(import.meta.dir, "_process-pool-fixture.ts"), "parent"], { stdout: "pipe", stderr: "inherit" });
    const lines = readLines(parent.stdout);
    const pids = JSON.parse((await lines.next()).value as string) as number[];
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(alive(pid)).toBe(true);
    parent.kill("SIGKILL");
    await parent.exited;
    // Wait for the condition, not for a fixed time: the test's own timeout is the limit.
    while (pids.some(alive)) await Bun.sleep(20);
    expect(pids.filter(alive)).toEqual([]);
  });
});

describe("helpers", () => {
  test("readLines splits on newlines across chunk boundaries, multi-byte characters included", async () => {
    const bytes = new TextEncoder().encode('{"a":"é✓"}\n{"b":1}\nlast');
    const stream = new ReadableStream<Uint8Array>({
      start(c) {
        for (let i = 0; i < bytes.length; i += 3) c.enqueue(bytes.slice(i, i + 3));
        c.close();
      },
    });
    expect(await Array.fromAsync(readLines(stream))).toEqual(['{"a":"é✓"}', '{"b":1}', "last"]);
  });

  test("parserCount: explicit counts are kept, 0 means as many cores as the input keeps busy", () => {
    expect(parserCount(1, 100, 1e9, 1000)).toBe(1);
    expect(parserCount(3, 100, 10, 1000)).toBe(3);
    expect(parserCount(3, 2, 10, 1000)).toBe(2);
    expect(parserCount(0, 100, 10, 1000)).toBe(1); // tiny input: in this process
    expect(parserCount(0, 100, 1e9, 1000)).toBe(navigator.hardwareConcurrency);
    expect(parserCount(0, 1, 1e9, 1000)).toBe(1);
  });

  test("workerCommand from source runs src/cli/main.ts __worker NAME, which says hello", async () => {
    const cmd = workerCommand("code");
    expect(cmd.slice(-2)).toEqual(["__worker", "code"]);
    const child = Bun.spawn(cmd, { stdin: "pipe", stdout: "pipe" });
    child.stdin.end();
    expect(await new Response(child.stdout).text()).toBe(`${JSON.stringify({ hello: HELLO })}\n`);
    expect(await child.exited).toBe(0);
  });

  test("an unknown worker name is an error on stderr", () => {
    const r = Bun.spawnSync([...workerCommand("code").slice(0, -1), "nope"], { stdin: "ignore", stderr: "pipe" });
    expect(r.exitCode).toBe(2);
    expect(r.stderr.toString()).toContain('no worker named "nope"');
  });
});

test("heaviestFirst: the default order hands out the heaviest tasks first, ties in task order", () => {
  expect(heaviestFirst(5, [3, 9, 3, 0, 12])).toEqual([4, 1, 0, 2, 3]);
  expect(heaviestFirst(3)).toEqual([0, 1, 2]);
});
