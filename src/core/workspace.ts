// Opening a workspace (`out`) for writing, and what ctxc may delete in it.
//
// ctxc deletes only what it can prove it wrote: a folder is ctxc's when the workspace's manifest
// lists it (a stage folder is listed before anything is written into it). So a folder that holds
// the user's files but no ctxc manifest is refused (unless --force-out), and even then ctxc
// never removes a folder of it that its manifest does not name.
import { existsSync, lstatSync, readdirSync } from "node:fs";
import { access, constants, mkdir, rm } from "node:fs/promises";
import { join } from "node:path";
import { CtxcError, EXIT } from "./errors.ts";
import { LOCK_FILE, LOCK_OWNER_FILE, lockWorkspace, type WorkspaceLock } from "./lock.ts";
import { isManifest, manifestPath, readManifest, writeManifest, type Manifest, type StageEntry } from "./manifest.ts";
import { log } from "./log.ts";

export interface OpenWorkspaceOptions {
  /** Queue behind a run that holds the workspace instead of failing. */
  wait?: boolean;
  /** Use a non-empty folder that has no ctxc manifest (its files are still never deleted). */
  forceOut?: boolean;
  /** What is taking the lock, for the message another process prints. */
  command?: string;
}

export interface OpenWorkspace {
  manifest: Manifest;
  lock: WorkspaceLock;
}

/** Files a workspace may hold before its manifest exists (the lock is taken first). */
const OWN_BEFORE_MANIFEST = new Set([LOCK_FILE, LOCK_OWNER_FILE, `${LOCK_FILE}-journal`]);

/**
 * Check that `out` is a ctxc workspace (or empty, or absent), create it, take its lock and make
 * sure it has a manifest. Nothing is written before the folder is known to be ctxc's.
 */
export async function openWorkspace(out: string, pipeline: string, opts: OpenWorkspaceOptions = {}): Promise<OpenWorkspace> {
  await refuseForeignFolder(out, !!opts.forceOut);
  await ensureWritable(out);
  const lock = await lockWorkspace(out, {
    wait: opts.wait,
    command: opts.command ?? `ctxc run (${pipeline})`,
    onWait: (owner) => log.info(`waiting for ${owner} to finish with ${out} …`),
  });
  try {
    if (lock.tookOverFrom !== undefined) log.warn(`took over the workspace lock of PID ${lock.tookOverFrom}, which is no longer running`);
    const had = existsSync(manifestPath(out));
    const manifest = await readManifest(out, pipeline);
    // The manifest exists from the first moment, so a crash before the first stage finishes
    // still leaves a folder ctxc recognises as its own.
    if (!had) await writeManifest(out, manifest);
    return { manifest, lock };
  } catch (e) {
    lock.release();
    throw e;
  }
}

/** A non-empty folder without a ctxc manifest is the user's: refuse it unless --force-out. */
export async function refuseForeignFolder(out: string, forceOut: boolean): Promise<void> {
  if (!existsSync(out)) return;
  if (!lstatSync(out).isDirectory()) {
    throw new CtxcError(`the output folder ${out} is a file, not a folder`, { hint: "choose another folder with --out DIR (or `out = \"…\"` in the pipeline file)", exitCode: EXIT.invalid });
  }
  if (forceOut) return;
  const entries = readdirSync(out).filter((n) => !OWN_BEFORE_MANIFEST.has(n));
  if (entries.length === 0) return;
  const m = await Bun.file(manifestPath(out)).json().catch(() => undefined);
  if (isManifest(m)) return;
  const shown = entries.slice(0, 3).join(", ") + (entries.length > 3 ? ", …" : "");
  throw new CtxcError(`the output folder ${out} is not a ctxc workspace: it holds ${entries.length} entr${entries.length === 1 ? "y" : "ies"} (${shown}) and no ctxc manifest.json`, {
    hint: "choose an empty or new folder with --out DIR; or pass --force-out to use it anyway (ctxc then writes its stage folders beside your files and never deletes what it did not write)",
    exitCode: EXIT.invalid,
  });
}

async function ensureWritable(out: string): Promise<void> {
  try {
    await mkdir(out, { recursive: true });
    await access(out, constants.W_OK);
  } catch (e) {
    throw new CtxcError(`the output folder ${out} is not writable (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`, {
      hint: "fix its permissions, or choose another folder with --out DIR (or `out = \"…\"` in the pipeline file)",
      exitCode: EXIT.failed,
    });
  }
}

/**
 * Make `label`'s folder ready to be written: first recorded in the manifest as `running` (so it
 * is provably ctxc's, and no earlier `done` survives its files being replaced), then emptied. A
 * folder of that name the manifest does not list is the user's: refused.
 */
export async function claimStageDir(out: string, manifest: Manifest, entry: StageEntry, dir: string): Promise<void> {
  if (!manifest.stages[entry.label] && existsSync(dir)) {
    throw new CtxcError(`${dir} exists but ctxc did not write it (its manifest does not list ${entry.label})`, {
      hint: "move or rename that folder — ctxc never deletes what it did not write — or choose another folder with --out",
      exitCode: EXIT.invalid,
    });
  }
  manifest.stages[entry.label] = entry;
  await writeManifest(out, manifest);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
}
