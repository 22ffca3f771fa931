// `ctxc compress` prints a generative backend's output as it arrives: the local sampling server
// holds the second piece back until the test has read the first one from ctxc's stdout, so the
// test passes only if the first piece was printed before the answer was complete.
import { afterAll, expect, test } from "bun:test";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { MAIN, REPO, tempDir } from "../helpers/cli.ts";
import { startStreamServer } from "../helpers/fake-oai-stream.ts";
import { fakeRun } from "../helpers/tiny-adapter.ts";

let firstSeen!: () => void;
const seen = new Promise<void>((r) => (firstSeen = r));
const server = startStreamServer({
  async *answer() {
    yield "  first-piece";
    await seen;
    yield " second-piece";
  },
});
afterAll(() => server.stop());

test("ctxc compress streams mlx/tinker/provider output to stdout as it is generated", async () => {
  const run = await fakeRun({ baseModel: "Qwen/Qwen3-8B", samplerPath: "tinker://r/sampler_weights/final" }, "trainer/tinker");
  const input = join(tempDir(), "doc.txt");
  writeFileSync(input, "The queue drains every 5 seconds unless it is paused.\n");
  const proc = Bun.spawn([process.execPath, MAIN, "compress", input, "--model", run], {
    cwd: REPO,
    env: { ...process.env, NO_COLOR: "1", TINKER_API_KEY: "tml-test", TINKER_BASE_URL: server.url },
    stdout: "pipe",
    stderr: "pipe",
  });
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  let out = "";
  while (!out.includes("first-piece")) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`compress exited early: ${await new Response(proc.stderr as ReadableStream).text()}`);
    out += new TextDecoder().decode(value);
  }
  expect(out).not.toContain("second-piece");
  firstSeen();
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    out += new TextDecoder().decode(value);
  }
  expect(await proc.exited).toBe(0);
  expect(out).toBe("first-piece second-piece\n");
});
