// lockWorkspace's message for a held lock, in the moment between the holder taking the SQLite
// lock and writing ctxc.lock.json (the race the concurrent-process test in test/cli/lock.test.ts
// can hit): it waits for a holder file naming a live process instead of naming none, or a dead one.
import { Database } from "bun:sqlite";
import { describe, expect, test } from "bun:test";
import { hostname } from "node:os";
import { join } from "node:path";
import { LOCK_FILE, LOCK_OWNER_FILE, lockWorkspace } from "../../src/core/lock.ts";
import { tempDir } from "../helpers/cli.ts";

/** The PID of a process that has exited. */
function deadPid(): number {
  const p = Bun.spawnSync([process.execPath, "-e", "0"]);
  return p.pid;
}

describe("lockWorkspace on a held lock", () => {
  test("names the holder that writes its file a moment after taking the lock, not a stale one", async () => {
    const out = tempDir();
    const holder = new Database(join(out, LOCK_FILE), { create: true });
    holder.run("BEGIN EXCLUSIVE");
    const owner = (pid: number) => JSON.stringify({ pid, host: hostname(), command: "ctxc run p.toml", since: new Date().toISOString() });
    await Bun.write(join(out, LOCK_OWNER_FILE), owner(deadPid())); // left by a holder that died
    setTimeout(() => Bun.write(join(out, LOCK_OWNER_FILE), owner(process.pid)), 150);
    try {
      await expect(lockWorkspace(out, { command: "ctxc run p.toml" })).rejects.toThrow(`is in use by PID ${process.pid}`);
    } finally {
      holder.close();
    }
  });

  test("with no holder file at all it still answers, within about a second", async () => {
    const out = tempDir();
    const holder = new Database(join(out, LOCK_FILE), { create: true });
    holder.run("BEGIN EXCLUSIVE");
    try {
      await expect(lockWorkspace(out, { command: "ctxc run p.toml" })).rejects.toThrow("is in use by another ctxc process");
    } finally {
      holder.close();
    }
  });
});
