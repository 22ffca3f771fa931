// The workspace lock: one writing ctxc process per `out` folder. Two runs on one workspace would
// pay every call twice and overwrite each other's files, so the second one stops at once (or
// waits, with --wait).
//
// The lock is an SQLite database held in an EXCLUSIVE transaction (`ctxc.lock`). SQLite takes a
// POSIX byte-range lock on it, which the kernel releases when the holder exits in any way —
// including SIGKILL or a crash — so a lock can never outlive its process, and there is no race
// in taking over a stale one (a PID file checked by hand has one: two newcomers can both see a
// dead PID and both take over). Who holds it is written beside it (`ctxc.lock.json`), for the
// message the second process prints; that file is information, never the lock itself.
import { Database } from "bun:sqlite";
import { rmSync } from "node:fs";
import { hostname } from "node:os";
import { join } from "node:path";
import { readJsonIfExists, writeJsonAtomic } from "./atomic.ts";
import { CtxcError, EXIT } from "./errors.ts";

export const LOCK_FILE = "ctxc.lock";
export const LOCK_OWNER_FILE = "ctxc.lock.json";

export interface LockOwner {
  pid: number;
  host: string;
  command: string;
  since: string;
}

export interface WorkspaceLock {
  /** The PID named by a lock file whose process was gone when this one took it. */
  tookOverFrom?: number;
  release(): void;
}

/** Try to take the lock once; undefined when another process holds it. */
function tryLock(out: string): Database | undefined {
  let db: Database;
  try {
    db = new Database(join(out, LOCK_FILE), { create: true });
  } catch (e) {
    throw new CtxcError(`cannot create the workspace lock ${join(out, LOCK_FILE)}: ${(e as Error).message}`, {
      hint: "the output folder must be writable: fix its permissions, or choose another folder with --out DIR",
      exitCode: EXIT.failed,
      cause: e,
    });
  }
  try {
    db.run("PRAGMA busy_timeout = 0");
    db.run("BEGIN EXCLUSIVE");
    return db;
  } catch (e) {
    db.close();
    if ((e as { code?: string }).code === "SQLITE_BUSY" || /database is locked/.test((e as Error).message)) return undefined;
    throw new CtxcError(`cannot take the workspace lock ${join(out, LOCK_FILE)}: ${(e as Error).message}`, {
      hint: `that file is ctxc's lock and holds nothing else: if no ctxc run is using this folder, delete ${LOCK_FILE} and run again`,
      exitCode: EXIT.failed,
      cause: e,
    });
  }
}

export async function readLockOwner(out: string): Promise<LockOwner | undefined> {
  return readJsonIfExists<LockOwner>(join(out, LOCK_OWNER_FILE));
}

/**
 * The lock's holder, for a lock found held. The holder writes its file just after taking the
 * lock, so for a moment the file is missing or still names a previous holder that died: wait up
 * to ~1 s for one naming a live process (on this host) before settling for what is there.
 */
async function liveOwner(out: string): Promise<LockOwner | undefined> {
  let owner: LockOwner | undefined;
  for (let tries = 0; tries < 40; tries++) {
    owner = await readLockOwner(out);
    if (owner && (owner.host !== hostname() || alive(owner.pid))) return owner;
    await Bun.sleep(25);
  }
  return owner;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: alive, but another user's.
    return (e as { code?: string }).code === "EPERM";
  }
}

function describeOwner(o: LockOwner | undefined): string {
  return o ? `PID ${o.pid}${o.host !== hostname() ? ` on ${o.host}` : ""} (\`${o.command}\`, since ${o.since})` : "another ctxc process";
}

/**
 * Take the workspace lock of `out` (which must exist). Without `wait`, a held lock is an error
 * (exit 2) naming the holder; with `wait`, it polls until the holder exits.
 */
export async function lockWorkspace(out: string, opts: { wait?: boolean; command: string; onWait?: (owner: string) => void; pollMs?: number }): Promise<WorkspaceLock> {
  let db = tryLock(out);
  let told = false;
  while (!db) {
    const owner = await liveOwner(out);
    if (!opts.wait) {
      throw new CtxcError(`the workspace ${out} is in use by ${describeOwner(owner)}`, {
        hint: "wait for that run to finish (or stop it), pass --wait to queue behind it, or choose another folder with --out",
        exitCode: EXIT.invalid,
      });
    }
    if (!told) opts.onWait?.(describeOwner(owner));
    told = true;
    await Bun.sleep(opts.pollMs ?? 250);
    db = tryLock(out);
  }
  const previous = await readLockOwner(out);
  const owner: LockOwner = { pid: process.pid, host: hostname(), command: opts.command, since: new Date().toISOString() };
  await writeJsonAtomic(join(out, LOCK_OWNER_FILE), owner);
  let held: Database | undefined = db;
  return {
    // The previous owner file names a process that no longer holds the lock: it died without
    // cleaning up (a kill -9, a crash, a power cut), and its lock went with it.
    tookOverFrom: previous && previous.pid !== process.pid ? previous.pid : undefined,
    release() {
      if (!held) return;
      const d = held;
      held = undefined;
      try {
        rmSync(join(out, LOCK_OWNER_FILE), { force: true });
      } catch {}
      try {
        d.run("ROLLBACK");
      } catch {}
      d.close();
    },
  };
}
