// A closed stdout ends a command quietly: `ctxc inspect … | head -1` prints its line, and ctxc
// exits 0 with nothing on stderr instead of Bun's raw EPIPE trace.
import { expect, test } from "bun:test";
import { join } from "node:path";
import { MAIN, workspace } from "../helpers/cli.ts";

test("ctxc inspect … | head -1 exits 0 without an EPIPE trace", async () => {
  // Far more output than a pipe holds, so ctxc is still writing when head has gone.
  const rows = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: `d${i}`, text: `original text number ${i} `.repeat(8), compressed: `short ${i}`, domain: "nl" }));
  const dir = await workspace({ "stage/out.jsonl": rows.join("\n") + "\n" });
  const script = `"${process.execPath}" "${MAIN}" inspect "${join(dir, "stage")}" --sample 3000 2>"${join(dir, "err")}" | head -1; echo "exit=\${PIPESTATUS[0]}"`;
  const p = Bun.spawn(["bash", "-c", script], { stdout: "pipe", stderr: "pipe", env: { ...process.env, NO_COLOR: "1" } });
  const out = await new Response(p.stdout).text();
  await p.exited;
  expect(out).toStartWith(`${join(dir, "stage")}: 3000 kept`);
  expect(out).toContain("exit=0");
  expect(await Bun.file(join(dir, "err")).text()).toBe("");
});
