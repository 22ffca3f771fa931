// The CLI's last line of defence (src/cli/main.ts): should a command be left pending with nothing
// able to settle it — and nothing src/core/stall.ts watches — Bun would exit 0 as if all went
// well. The exit code comes only from the command's result: here, exit 1 and an error, and with
// --json one JSON object. A child process, because that is where the event loop really empties.
import { expect, test } from "bun:test";
import { MAIN } from "../helpers/cli.ts";

async function runPending(argv: string[]) {
  const script = `import { runToCompletion } from ${JSON.stringify(MAIN)};\nrunToCompletion(${JSON.stringify(argv)}, () => new Promise(() => {}));\n`;
  const p = Bun.spawn([process.execPath, "-e", script], { stdout: "pipe", stderr: "pipe" });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { stdout, stderr, code };
}

test("a command that can never finish exits 1 with an error, not 0", async () => {
  const r = await runPending(["run", "p.toml"]);
  expect(r.code).toBe(1);
  expect(r.stderr).toContain("error: ctxc stopped before finishing");
  expect(r.stdout).toBe("");
});

test("with --json it still prints exactly one JSON object", async () => {
  const r = await runPending(["validate", "p.toml", "--json"]);
  expect(r.code).toBe(1);
  expect(JSON.parse(r.stdout)).toMatchObject({ status: "failed", valid: false, error: expect.stringContaining("stopped before finishing") });
});

test("a command that finishes sets the exit code from its result", async () => {
  const script = `import { runToCompletion } from ${JSON.stringify(MAIN)};\nrunToCompletion(["x"], async () => 3);\n`;
  const p = Bun.spawn([process.execPath, "-e", script], { stdout: "pipe", stderr: "pipe" });
  expect(await p.exited).toBe(3);
  expect(await new Response(p.stderr).text()).toBe("");
});
