import { expect, test } from "bun:test";
import { runCommand } from "citty";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import cache, { parseDuration } from "../../src/cli/cache.ts";
import { Store } from "../../src/core/store.ts";
import { captureStdout } from "../helpers/cli.ts";

const capture = async (fn: () => Promise<unknown>) => (await captureStdout(fn)).out;

function workspace(): string {
  const out = mkdtempSync(join(tmpdir(), "ctxc-cache-"));
  const store = new Store(join(out, "ctxc.sqlite"));
  const c = store.cache();
  c.set("new-1", { text: "a" });
  c.set("new-2", { text: "b" });
  // Two entries written ten days ago.
  store.db.query("INSERT INTO cache (key, value, created) VALUES (?, ?, ?)").run("old-1", "{}", Date.now() - 10 * 86_400_000);
  store.db.query("INSERT INTO cache (key, value, created) VALUES (?, ?, ?)").run("old-2", "{}", Date.now() - 10 * 86_400_000);
  store.close();
  return out;
}

test("stats counts entries and bytes; clear --older-than drops only old ones; clear drops all", async () => {
  const out = workspace();
  expect(JSON.parse(await capture(() => runCommand(cache, { rawArgs: ["stats", "--out", out, "--json"] })))).toMatchObject({ entries: 4, bytes: expect.any(Number) });
  expect(await capture(() => runCommand(cache, { rawArgs: ["--out", out] }))).toStartWith("4 cached answers");
  expect(await capture(() => runCommand(cache, { rawArgs: ["clear", "--older-than", "7d", "--out", out] }))).toContain("removed 2 cached answers");
  const store = new Store(join(out, "ctxc.sqlite"));
  expect(store.cache().get("new-1")).toEqual({ text: "a" });
  expect(store.cache().get("old-1")).toBeUndefined();
  store.close();
  expect(JSON.parse(await capture(() => runCommand(cache, { rawArgs: ["clear", "--out", out, "--json"] })))).toEqual({ removed: 2 });
});

test("durations: s m h d w; anything else is a clear error", async () => {
  expect(parseDuration("7d")).toBe(7 * 86_400_000);
  expect(parseDuration("12h")).toBe(12 * 3_600_000);
  expect(parseDuration("1.5m")).toBe(90_000);
  expect(() => parseDuration("7 days")).toThrow("not a duration");
  await expect(runCommand(cache, { rawArgs: ["stats", "--older-than", "7d", "--out", "."] })).rejects.toThrow("--older-than goes with `clear`");
});
