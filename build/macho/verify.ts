/**
 * Checks every hash a CodeDirectory holds against the bytes it covers — what the macOS kernel
 * does page by page when it maps the binary (and SIGKILLs the process on arm64 when one differs).
 */
import { CS_ADHOC, slotName } from "./constants.ts";
import { type CodeDirectory, parseCodeDirectory } from "./code-directory.ts";
import { hex } from "./errors.ts";
import { digest, equalBytes, pageBytes } from "./hashing.ts";
import { type MachOSlice, parseSlices } from "./header.ts";
import { type SuperBlob, codeDirectoryBlobs, hasCmsSignature, parseSuperBlob } from "./superblob.ts";

/** Info.plist and the resource directory live outside a bare binary; their slots can't be checked here. */
const EXTERNAL_SPECIAL_SLOTS = new Set([1, 3]);

export interface DirectoryCheck {
  directory: CodeDirectory;
  /** Code slots (page numbers, 0-based) whose hash does not match the page. */
  badPages: number[];
  /** Special slot numbers (2 = requirements, 5 = entitlements, ...) whose hash does not match its blob. */
  badSpecialSlots: number[];
  /** Set when the code limit is not where the signature starts (the hashes then cover the wrong bytes). */
  codeLimitMismatch: { codeLimit: number; signatureOffset: number } | null;
}

export interface SliceCheck {
  slice: MachOSlice;
  superBlob: SuperBlob | null;
  adhoc: boolean;
  hasCms: boolean;
  directories: DirectoryCheck[];
  ok: boolean;
}

export interface FileCheck {
  label: string;
  slices: SliceCheck[];
  ok: boolean;
}

export function verifyBytes(bytes: Uint8Array, label: string): FileCheck {
  const slices = parseSlices(bytes, label).map((slice) => verifySlice(bytes, slice, label));
  return { label, slices, ok: slices.every((s) => s.ok) };
}

export function verifySlice(file: Uint8Array, slice: MachOSlice, label: string): SliceCheck {
  const bytes = file.subarray(slice.fileOffset, slice.fileOffset + slice.size);
  if (!slice.codeSignature) {
    return { slice, superBlob: null, adhoc: false, hasCms: false, directories: [], ok: false };
  }
  const superBlob = parseSuperBlob(bytes, slice.codeSignature.dataOffset, label);
  const directories = codeDirectoryBlobs(superBlob).map((blob) => {
    const directory = parseCodeDirectory(bytes, blob, label);
    return checkDirectory(bytes, directory, superBlob, slice.codeSignature!.dataOffset);
  });
  const ok =
    directories.length > 0 &&
    directories.every((d) => d.badPages.length === 0 && d.badSpecialSlots.length === 0 && !d.codeLimitMismatch);
  const adhoc = directories.length > 0 && directories.every((d) => (d.directory.flags & CS_ADHOC) !== 0);
  return { slice, superBlob, adhoc, hasCms: hasCmsSignature(superBlob), directories, ok };
}

function checkDirectory(bytes: Uint8Array, cd: CodeDirectory, superBlob: SuperBlob, signatureOffset: number): DirectoryCheck {
  const badPages: number[] = [];
  for (let page = 0; page < cd.nCodeSlots; page++) {
    const stored = bytes.subarray(cd.hashOffset + page * cd.hashSize, cd.hashOffset + (page + 1) * cd.hashSize);
    if (!equalBytes(stored, digest(cd.algorithm, pageBytes(bytes, cd, page), cd.hashSize))) badPages.push(page);
  }
  const badSpecialSlots: number[] = [];
  for (let slot = 1; slot <= cd.nSpecialSlots; slot++) {
    const stored = bytes.subarray(cd.hashOffset - slot * cd.hashSize, cd.hashOffset - (slot - 1) * cd.hashSize);
    const expected = expectedSpecialHash(bytes, cd, superBlob, slot);
    if (expected && !equalBytes(stored, expected)) badSpecialSlots.push(slot);
  }
  const codeLimitMismatch = cd.codeLimit === signatureOffset ? null : { codeLimit: cd.codeLimit, signatureOffset };
  return { directory: cd, badPages, badSpecialSlots, codeLimitMismatch };
}

/** The hash special slot `slot` must hold, or null when it refers to a file outside the binary. */
export function expectedSpecialHash(bytes: Uint8Array, cd: CodeDirectory, superBlob: SuperBlob, slot: number): Uint8Array | null {
  const blob = superBlob.blobs.find((b) => b.slot === slot);
  if (blob) return digest(cd.algorithm, bytes.subarray(blob.offset, blob.offset + blob.length), cd.hashSize);
  if (EXTERNAL_SPECIAL_SLOTS.has(slot)) return null;
  return new Uint8Array(cd.hashSize);
}

/** Human-readable lines: one per slice and directory, with the bad page numbers. */
export function describeCheck(check: FileCheck): string[] {
  const lines: string[] = [];
  for (const s of check.slices) {
    const where = check.slices.length > 1 ? `${s.slice.cpu} slice` : s.slice.cpu;
    if (!s.slice.codeSignature) {
      lines.push(`${where}: no LC_CODE_SIGNATURE — unsigned; an Apple Silicon Mac will not run it.`);
      continue;
    }
    const kind = s.hasCms ? "CMS-signed" : s.adhoc ? "ad-hoc" : "unsigned flags";
    for (const d of s.directories) {
      const cd = d.directory;
      const head =
        `${where}: ${kind} CodeDirectory slot ${hex(cd.slot)} (${cd.hashName}, ${cd.pageSize}-byte pages, ` +
        `${cd.nCodeSlots} pages, code limit ${cd.codeLimit}, identifier "${cd.identifier}")`;
      const problems: string[] = [];
      if (d.badPages.length) problems.push(`bad page hashes at pages ${formatList(d.badPages)}`);
      if (d.badSpecialSlots.length) {
        problems.push(`bad special slots ${d.badSpecialSlots.map(slotName).join(", ")}`);
      }
      if (d.codeLimitMismatch) {
        problems.push(`code limit ${d.codeLimitMismatch.codeLimit} is not the signature offset ${d.codeLimitMismatch.signatureOffset}`);
      }
      lines.push(`${head}: ${problems.length ? problems.join("; ") : "all hashes match"}`);
    }
    if (s.directories.length === 0) lines.push(`${where}: the signature has no CodeDirectory.`);
  }
  return lines;
}

function formatList(pages: number[]): string {
  const shown = pages.slice(0, 20).join(", ");
  return pages.length > 20 ? `${shown} and ${pages.length - 20} more` : shown;
}
