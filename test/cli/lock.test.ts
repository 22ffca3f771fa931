// The workspace lock, with real concurrent processes: a second `ctxc run` on the same workspace
// fails at once naming the holder's PID (or waits with --wait), read-only commands keep working,
// and a lock whose holder was killed is taken over.
import { describe, expect, test } from "bun:test";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ctxc, docsJsonl, MAIN, workspace } from "../helpers/cli.ts";

// A filter that holds the run open until the test creates `go` (it polls with a timer, so the
// process stays alive and responsive meanwhile), after telling the test it has started.
const GATE = `import { defineFilter } from "ctxc";
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
export default defineFilter({
  name: "filter/gate", version: "1",
  async filter(doc, _opts, ctx) {
    writeFileSync(join(ctx.paths.root, "started"), String(process.pid));
    while (!existsSync(join(ctx.paths.root, "go"))) await Bun.sleep(20);
    return doc;
  },
});
`;

async function setup() {
  return workspace({
    "data/a.jsonl": docsJsonl(Array.from({ length: 30 }, (_, i) => `doc ${i} with a few words`)),
    "gate.ts": GATE,
    "p.toml": 'name = "lock"\nout = "out"\n[[stages]]\nuse = "loader/jsonl"\npaths = ["data/*.jsonl"]\ndomain = "nl"\n[[stages]]\nuse = "./gate.ts"\n',
  });
}

/** A ctxc child process; `live.stderr` grows as it writes, so a test can wait for a line. */
function start(dir: string, args: string[]) {
  const p = Bun.spawn([process.execPath, MAIN, ...args], { cwd: dir, env: { ...process.env, NO_COLOR: "1" }, stdout: "pipe", stderr: "pipe" });
  const live = { stderr: "" };
  const readErr = (async () => {
    const decoder = new TextDecoder();
    for await (const chunk of p.stderr) live.stderr += decoder.decode(chunk, { stream: true });
  })();
  const result = Promise.all([new Response(p.stdout).text(), readErr, p.exited]).then(([stdout, , code]) => ({ stdout, stderr: live.stderr, code }));
  return { proc: p, live, result };
}

async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await Bun.sleep(20);
}

const lines = (path: string) => readFileSync(path, "utf8").trim().split("\n").filter(Boolean).length;

describe("workspace lock", () => {
  test("a second run fails at once (exit 2, the holder's PID); read-only commands work; --wait queues", async () => {
    const dir = await setup();
    const first = start(dir, ["run", "p.toml"]);
    await until(() => existsSync(join(dir, "started")));
    const holder = JSON.parse(readFileSync(join(dir, "out/ctxc.lock.json"), "utf8"));
    expect(holder.pid).toBe(Number(readFileSync(join(dir, "started"), "utf8")));

    const second = await ctxc(["run", "p.toml"], { cwd: dir });
    expect(second.code).toBe(2);
    expect(second.stderr).toContain(`is in use by PID ${holder.pid}`);
    expect(second.stderr).toContain("--wait");
    const json = await ctxc(["run", "p.toml", "--json"], { cwd: dir });
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ status: "failed", error: expect.stringContaining(`PID ${holder.pid}`) });

    // Reading the workspace is never blocked by a run.
    for (const args of [["costs", "--out", "out"], ["cache", "stats", "--out", "out"]]) {
      const r = await ctxc(args, { cwd: dir });
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({ args, code: 0, stderr: "" });
    }

    const waiting = start(dir, ["run", "p.toml", "--wait", "--force"]);
    await until(() => waiting.live.stderr.includes("waiting for"));
    writeFileSync(join(dir, "go"), "");
    const a = await first.result;
    expect(a.code).toBe(0);
    const c = await waiting.result;
    expect(c.code).toBe(0);
    expect(c.stderr).toContain(`waiting for PID ${holder.pid}`);
    // The dataset and manifest agree with the files: no second writer interleaved.
    const m = JSON.parse(readFileSync(join(dir, "out/manifest.json"), "utf8"));
    expect(m.stages["02-filter-gate"]).toMatchObject({ status: "done", counts: { in: 30, out: 30 } });
    expect(lines(join(dir, "out/02-filter-gate/out.jsonl"))).toBe(30);
    expect(existsSync(join(dir, "out/ctxc.lock.json"))).toBe(false);
  }, 60_000);

  test("two runs started together: one fails with exit 2, the other completes, and the manifest matches its files", async () => {
    const dir = await setup();
    const a = start(dir, ["run", "p.toml"]).result;
    const b = start(dir, ["run", "p.toml"]).result;
    // Whichever got the lock waits at the gate; the other must end on its own, with exit 2.
    const loser = await Promise.race([a, b]);
    expect(loser.code).toBe(2);
    expect(loser.stderr).toMatch(/is in use by PID \d+/);
    writeFileSync(join(dir, "go"), "");
    expect([(await a).code, (await b).code].sort()).toEqual([0, 2]);
    const m = JSON.parse(readFileSync(join(dir, "out/manifest.json"), "utf8"));
    expect(m.stages["02-filter-gate"].counts.out).toBe(lines(join(dir, "out/02-filter-gate/out.jsonl")));
    const again = await ctxc(["run", "p.toml", "--json"], { cwd: dir });
    expect(JSON.parse(again.stdout).stages.map((s: { outcome: string }) => s.outcome)).toEqual(["skipped", "skipped"]);
  }, 60_000);

  test("a lock whose holder was killed (SIGKILL) is taken over; the stage it was writing runs again", async () => {
    const dir = await setup();
    const first = start(dir, ["run", "p.toml"]);
    await until(() => existsSync(join(dir, "started")));
    const holder = JSON.parse(readFileSync(join(dir, "out/ctxc.lock.json"), "utf8"));
    process.kill(holder.pid, "SIGKILL");
    const killed = await first.result;
    expect(killed.code).not.toBe(0);
    // Killed mid-stage: the manifest says so instead of claiming the stage is done.
    const m = JSON.parse(readFileSync(join(dir, "out/manifest.json"), "utf8"));
    expect(m.stages["02-filter-gate"].status).toBe("running");
    writeFileSync(join(dir, "go"), "");
    const next = await ctxc(["run", "p.toml", "--json"], { cwd: dir });
    expect(next.code).toBe(0);
    expect(next.stderr).toContain(`took over the workspace lock of PID ${holder.pid}`);
    expect(JSON.parse(next.stdout).stages.map((s: { outcome: string }) => s.outcome)).toEqual(["ran", "ran"]);
  }, 60_000);
});
