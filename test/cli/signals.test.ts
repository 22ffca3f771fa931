// A plugin that blocks the main thread (a busy loop) cannot stop Ctrl-C or SIGTERM from ending
// ctxc: `run` runs under a supervisor process that stays responsive; `validate` installs no
// signal handler, so the signal's default action ends it. Real child
// processes; the plugin writes a marker file once it is looping, so no test waits on a clock.
import { describe, expect, test } from "bun:test";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { docsJsonl, MAIN, workspace } from "../helpers/cli.ts";

const BUSY_AT_IMPORT = `import { defineFilter } from "ctxc";
import { writeFileSync } from "node:fs";
writeFileSync(process.env.BUSY_MARK, String(process.pid));
for (;;) {}
export default defineFilter({ name: "filter/busy", version: "1", filter: (doc) => doc });
`;
const BUSY_IN_FILTER = `import { defineFilter } from "ctxc";
import { writeFileSync } from "node:fs";
export default defineFilter({ name: "filter/busy", version: "1", filter(doc) {
  writeFileSync(process.env.BUSY_MARK, String(process.pid));
  for (;;) {}
} });
`;

async function setup() {
  const loader = '[[stages]]\nuse = "loader/jsonl"\npaths = ["data/*.jsonl"]\ndomain = "nl"\n';
  return workspace({
    "data/a.jsonl": docsJsonl(["one doc", "two docs"]),
    "import.ts": BUSY_AT_IMPORT,
    "filter.ts": BUSY_IN_FILTER,
    "import.toml": `name = "a"\nout = "out-a"\n${loader}[[stages]]\nuse = "./import.ts"\n`,
    "filter.toml": `name = "b"\nout = "out-b"\n${loader}[[stages]]\nuse = "./filter.ts"\n`,
  });
}

/**
 * Start ctxc in its own process group (as a shell runs a foreground job), wait until the plugin
 * is looping, then send `signal` the way it really arrives — Ctrl-C to the whole group, SIGTERM to
 * the process — once, and again each time the previous one was handled without ending it.
 */
async function stopWith(dir: string, args: string[], signal: "SIGINT" | "SIGTERM") {
  const mark = join(dir, `mark-${args.join("-")}-${signal}`);
  const p = Bun.spawn([process.execPath, MAIN, ...args], { cwd: dir, detached: true, env: { ...process.env, NO_COLOR: "1", BUSY_MARK: mark }, stdout: "pipe", stderr: "pipe" });
  while (!existsSync(mark)) await Bun.sleep(20);
  let sent = 0;
  let exited = false;
  void p.exited.then(() => (exited = true));
  // Signals of one kind sent back to back can merge into one; so send, then wait for the
  // process either to end or to have had time to count it, and send again. The assertion is on
  // how it ends, not on when.
  while (!exited) {
    process.kill(signal === "SIGINT" ? -p.pid : p.pid, signal);
    sent++;
    await Promise.race([p.exited, Bun.sleep(100)]);
  }
  const stderr = await new Response(p.stderr).text();
  const busyPid = Number(await Bun.file(mark).text());
  let busyAlive = true;
  try {
    process.kill(busyPid, 0);
  } catch {
    busyAlive = false;
  }
  // The status as a shell reports it: 128 + the signal's number for a process the signal ended.
  const code = p.exitCode ?? (p.signalCode === "SIGINT" ? 130 : p.signalCode === "SIGTERM" ? 143 : -1);
  return { code, sent, stderr, busyAlive };
}

describe("a plugin that busy-loops", () => {
  for (const [what, file] of [["at import", "import.toml"], ["in filter()", "filter.toml"]] as const) {
    test(`${what}: a second Ctrl-C ends ctxc with exit 130, and the plugin's process with it`, async () => {
      const dir = await setup();
      const r = await stopWith(dir, ["run", file], "SIGINT");
      expect(r.code).toBe(130);
      expect(r.sent).toBeGreaterThanOrEqual(2);
      expect(r.stderr).toContain("stopped at once");
      expect(r.busyAlive).toBe(false);
    }, 30_000);
  }

  test("at import: SIGTERM ends run (twice: the first asks for a graceful stop) and validate (at once, no handler), exit 143", async () => {
    const dir = await setup();
    const run = await stopWith(dir, ["run", "import.toml"], "SIGTERM");
    expect(run.code).toBe(143);
    expect(run.sent).toBeGreaterThanOrEqual(2);
    expect(run.busyAlive).toBe(false);
    const validate = await stopWith(dir, ["validate", "import.toml"], "SIGTERM");
    expect(validate.code).toBe(143);
    expect(validate.busyAlive).toBe(false);
  }, 30_000);
});

test("one Ctrl-C from a terminal (to the whole process group) is one graceful stop, not two", async () => {
  const gen = `import { defineGenerator } from "ctxc";
import { appendFileSync } from "node:fs";
export default defineGenerator({
  name: "generator/slow", version: "1", concurrency: 2,
  async generate(doc) {
    appendFileSync(process.env.CALLS, doc.id + "\\n");
    await Bun.sleep(20);
    return { ...doc, compressed: doc.text.slice(0, 5) };
  },
});
`;
  const dir = await workspace({
    "data/a.jsonl": docsJsonl(Array.from({ length: 400 }, (_, i) => `document ${i}`)),
    "gen.ts": gen,
    "p.toml": 'out = "o"\n[[stages]]\nuse = "loader/jsonl"\npaths = ["data/*.jsonl"]\ndomain = "nl"\n[[stages]]\nuse = "./gen.ts"\n',
  });
  const calls = join(dir, "calls.log");
  const p = Bun.spawn([process.execPath, MAIN, "run", "p.toml"], { cwd: dir, detached: true, env: { ...process.env, NO_COLOR: "1", CALLS: calls }, stdout: "pipe", stderr: "pipe" });
  while (!existsSync(calls) || (await Bun.file(calls).text()).split("\n").length < 20) await Bun.sleep(20);
  process.kill(-p.pid, "SIGINT");
  const code = await p.exited;
  const stderr = await new Response(p.stderr).text();
  expect(code).toBe(130);
  expect(stderr).toContain("interrupted: finishing the calls in flight");
  expect(stderr).not.toContain("stopped at once");
  const manifest = JSON.parse(await Bun.file(join(dir, "o/manifest.json")).text());
  expect(manifest.stages["02-generator-slow"].status).toBe("interrupted");
}, 30_000);
