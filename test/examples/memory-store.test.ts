// examples/memory-store against a real `ctxc serve --model rules` child process.
import { afterAll, beforeAll, expect, test } from "bun:test";
import { join } from "node:path";
import { MemoryStore } from "../../examples/memory-store/store.ts";
import { MAIN, REPO, tempDir } from "../helpers/cli.ts";

let proc: ReturnType<typeof Bun.spawn>;
let url: string;

beforeAll(async () => {
  proc = Bun.spawn([process.execPath, MAIN, "serve", "--model", "rules", "--port", "0"], { cwd: REPO, stdout: "pipe", stderr: "pipe" });
  const reader = (proc.stdout as ReadableStream<Uint8Array>).getReader();
  let out = "";
  while (!/http:\/\/\S+/.test(out)) {
    const { value, done } = await reader.read();
    if (done) throw new Error("ctxc serve exited before listening");
    out += new TextDecoder().decode(value);
  }
  url = out.match(/(http:\/\/\S+)/)![1]!;
}, 60_000);

afterAll(async () => {
  proc.kill("SIGTERM");
  await proc.exited;
});

const CODE = `def retry(fn, attempts=3):
    """Call fn until it succeeds, at most \`attempts\` times."""
    # the last error is re-raised so callers see why
    for i in range(attempts):
        try:
            return fn()
        except Exception:
            if i == attempts - 1:
                raise
`;

test("memories are compressed on write, stored in both forms, and the savings add up", async () => {
  const db = join(tempDir("ctxc-memory-"), "memories.sqlite");
  const store = new MemoryStore(db, url);
  const a = await store.remember(CODE, "code");
  const b = await store.remember("The user prefers dark mode; do not switch themes automatically.");
  expect(a.text).toBe(CODE);
  expect(a.compressed).not.toContain("# the last error"); // the rules backend strips comments
  expect(a.tokens_out).toBeLessThan(a.tokens_in);
  const s = store.savings();
  expect(s).toEqual({ memories: 2, tokens_in: a.tokens_in + b.tokens_in, tokens_out: a.tokens_out + b.tokens_out, saved: a.tokens_in + b.tokens_in - a.tokens_out - b.tokens_out, ratio: expect.any(Number) });
  expect(s.saved).toBeGreaterThan(0);
  expect(store.recall("dark mode").map((m) => m.id)).toEqual([b.id]);
  expect(store.context()).toBe(`${a.compressed}\n${b.compressed}`);
  store.close();
  // Persisted: a new store on the same file sees the same memories.
  const again = new MemoryStore(db, url);
  expect(again.savings().memories).toBe(2);
  again.close();
});

test("a failed compression stores nothing", async () => {
  const store = new MemoryStore(":memory:", url);
  await expect(store.remember(undefined as unknown as string)).rejects.toThrow("ctxc serve answered 400");
  expect(store.savings().memories).toBe(0);
  store.close();
});
