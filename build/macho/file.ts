/** File-level entry points used by the build: verify a darwin binary and repair it on disk if needed. */
import { chmodSync, renameSync, statSync } from "node:fs";
import { MachOError } from "./errors.ts";
import { type RepairOptions, type RepairOutcome, repairBytes } from "./repair.ts";
import { type FileCheck, describeCheck, verifyBytes } from "./verify.ts";

export interface EnsureResult {
  path: string;
  /** The state the file was found in. */
  check: FileCheck;
  /** Set when hashes were rewritten and the file replaced. */
  repair: RepairOutcome | null;
  lines: string[];
}

async function readBytes(path: string): Promise<Uint8Array> {
  const file = Bun.file(path);
  if (!(await file.exists())) throw new MachOError(`${path}: no such file — was the build step before this skipped?`);
  return new Uint8Array(await file.arrayBuffer());
}

export async function verifyFile(path: string): Promise<FileCheck> {
  return verifyBytes(await readBytes(path), path);
}

/**
 * Verifies `path`; when the ad-hoc signature's hashes are stale, rewrites them (see repair.ts),
 * checks again and replaces the file atomically (temp file + rename, keeping its mode). Throws a
 * MachOError with the reason when the binary is invalid and cannot be repaired.
 */
export async function ensureValidSignature(path: string, options: RepairOptions = {}): Promise<EnsureResult> {
  const bytes = await readBytes(path);
  const check = verifyBytes(bytes, path);
  if (check.ok) return { path, check, repair: null, lines: describeCheck(check) };
  const repair = repairBytes(bytes, path, options);
  const temp = `${path}.repair-${process.pid}.tmp`;
  await Bun.write(temp, repair.bytes);
  chmodSync(temp, statSync(path).mode & 0o7777);
  renameSync(temp, path);
  const lines = [
    ...describeCheck(check).map((l) => `found:    ${l}`),
    ...repair.actions.map((l) => `repaired: ${l}`),
    ...describeCheck(repair.after).map((l) => `now:      ${l}`),
  ];
  return { path, check, repair, lines };
}
