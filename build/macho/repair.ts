/**
 * Makes a stale ad-hoc signature valid again without macOS tools. An ad-hoc signature is nothing
 * but the CodeDirectory (no certificate signs it), so writing correct hashes into it yields a
 * valid signature — what `codesign -s -` would produce.
 */
import { CSSLOT_SIGNATURESLOT, CS_ADHOC, slotName } from "./constants.ts";
import type { CodeDirectory } from "./code-directory.ts";
import { MachOError } from "./errors.ts";
import { digest, pageBytes } from "./hashing.ts";
import { growSignatureSpace } from "./grow.ts";
import { parseSlices } from "./header.ts";
import { isCodeDirectorySlot } from "./superblob.ts";
import { type AdhocSignatureOptions, adhocSignatureSize, writeAdhocSignature } from "./sign.ts";
import { type FileCheck, type SliceCheck, describeCheck, expectedSpecialHash, verifyBytes } from "./verify.ts";

export interface RepairOptions {
  /**
   * Replace a stale CMS (Developer ID) signature with a fresh ad-hoc one instead of failing.
   * The build sets this: Bun's darwin-x64 runtime carries Oven's Developer ID signature, which
   * embedding our code invalidates; it was never ours to keep.
   */
  replaceStaleCmsSignature?: boolean;
}

export interface RepairOutcome {
  /** The repaired file: the input array itself, or a longer copy when the signature had to grow. */
  bytes: Uint8Array;
  before: FileCheck;
  after: FileCheck;
  /** One line per slice that changed, saying what was done. */
  actions: string[];
}

/** Repairs `bytes` (in place when the signature fits); throws a MachOError saying why when it cannot. */
export function repairBytes(bytes: Uint8Array, label: string, options: RepairOptions = {}): RepairOutcome {
  const before = verifyBytes(bytes, label);
  const actions: string[] = [];
  let file = bytes;
  for (const check of before.slices) {
    if (check.ok) continue;
    const repaired = repairSlice(file, check, label, options);
    file = repaired.file;
    actions.push(`${check.slice.cpu}: ${repaired.action}`);
  }
  const after = verifyBytes(file, label);
  if (!after.ok) {
    throw new MachOError(`${label}: repairing did not produce a valid signature:\n  ${describeCheck(after).join("\n  ")}`);
  }
  return { bytes: file, before, after, actions };
}

function repairSlice(file: Uint8Array, check: SliceCheck, label: string, options: RepairOptions): { file: Uint8Array; action: string } {
  const where = `${label} (${check.slice.cpu})`;
  const slice = file.subarray(check.slice.fileOffset, check.slice.fileOffset + check.slice.size);
  const location = check.slice.codeSignature;
  const main = check.directories[0]?.directory;
  if (!location || !main) {
    throw new MachOError(
      `${where}: has no code signature to repair. Sign it on a Mac with \`codesign -s - FILE\` ` +
        `(ad-hoc) or a Developer ID (see docs/install.md).`,
    );
  }
  const base = { identifier: main.identifier, execSegment: main.execSegment, pageSize: pageSizeOf(main) };
  if (check.hasCms) {
    if (!options.replaceStaleCmsSignature) {
      throw new MachOError(
        `${where}: the binary has a real (CMS) signature${main.teamId ? ` from team ${main.teamId}` : ""} whose hashes ` +
          `no longer match; only the holder of that identity can re-sign it. Re-sign on macOS with codesign ` +
          `(see docs/install.md), or replace it with an ad-hoc signature.`,
      );
    }
    // Drop requirements, entitlements and the hardened-runtime flag with the CMS blob: they belong
    // to the old signer, and an ad-hoc binary without the hardened runtime may JIT as it is.
    const result = freshSignature(file, check, base, where);
    const team = main.teamId ? ` (team ${main.teamId})` : "";
    return { file: result.file, action: `replaced the stale Developer ID signature${team} with a fresh ad-hoc one${result.grew}` };
  }
  if (!check.adhoc) {
    throw new MachOError(`${where}: the CodeDirectory is not marked ad-hoc and has no CMS signature; refusing to rewrite it.`);
  }
  if (check.directories.some((d) => d.codeLimitMismatch)) {
    // The code grew or shrank after signing: the page count changes, so write a new directory.
    const extraBlobs = check.superBlob!.blobs
      .filter((b) => !isCodeDirectorySlot(b.slot) && b.slot !== CSSLOT_SIGNATURESLOT)
      .map((b) => ({ slot: b.slot, bytes: slice.slice(b.offset, b.offset + b.length) }));
    const result = freshSignature(file, check, { ...base, flags: main.flags | CS_ADHOC, extraBlobs }, where);
    return { file: result.file, action: `the code limit had moved to ${location.dataOffset}; wrote a fresh ad-hoc signature${result.grew}` };
  }
  return { file, action: rehashInPlace(slice, check) };
}

/** Writes a fresh ad-hoc signature, first growing the signature space (thin files only) if it is too small. */
function freshSignature(file: Uint8Array, check: SliceCheck, sign: AdhocSignatureOptions, where: string): { file: Uint8Array; grew: string } {
  const location = check.slice.codeSignature!;
  const needed = adhocSignatureSize(location.dataOffset, sign);
  let grew = "";
  if (needed > location.dataSize) {
    file = growSignatureSpace(file, check.slice, needed, where);
    grew = ` (signature space grown from ${location.dataSize} to ${file.byteLength - location.dataOffset} bytes)`;
  }
  const slice = parseSlices(file, where).find((s) => s.fileOffset === check.slice.fileOffset)!;
  writeAdhocSignature(file.subarray(slice.fileOffset, slice.fileOffset + slice.size), slice.codeSignature!, sign, where);
  return { file, grew };
}

/** Keep the signer's page size: the space reserved for the signature was sized for its hash count. */
function pageSizeOf(cd: CodeDirectory): number {
  return cd.pageSize === 0 ? 4096 : cd.pageSize;
}

function rehashInPlace(slice: Uint8Array, check: SliceCheck): string {
  const parts: string[] = [];
  for (const d of check.directories) {
    const cd = d.directory;
    for (const page of d.badPages) {
      slice.set(digest(cd.algorithm, pageBytes(slice, cd, page), cd.hashSize), cd.hashOffset + page * cd.hashSize);
    }
    for (const slot of d.badSpecialSlots) {
      slice.set(expectedSpecialHash(slice, cd, check.superBlob!, slot)!, cd.hashOffset - slot * cd.hashSize);
    }
    if (d.badPages.length) parts.push(`re-hashed pages ${d.badPages.join(", ")}`);
    if (d.badSpecialSlots.length) {
      parts.push(`re-hashed special slots ${d.badSpecialSlots.map(slotName).join(", ")}`);
    }
  }
  return `${parts.join("; ")} of the ad-hoc signature`;
}
