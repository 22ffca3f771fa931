/**
 * Writes a fresh ad-hoc signature: a SuperBlob holding one SHA-256 CodeDirectory, the same shape
 * Bun's own darwin-arm64 cross-compile and `codesign -s -` produce. Used when the old signature
 * cannot be fixed by re-hashing (a stale Developer ID signature, or a code limit that moved).
 */
import {
  CSMAGIC_CODEDIRECTORY,
  CSMAGIC_EMBEDDED_SIGNATURE,
  CSSLOT_ALTERNATE_CODEDIRECTORIES,
  CSSLOT_CODEDIRECTORY,
  CS_ADHOC,
  CS_HASHTYPE_SHA256,
} from "./constants.ts";
import { MachOError } from "./errors.ts";
import { digest } from "./hashing.ts";
import type { CodeSignatureLocation } from "./header.ts";

export interface AdhocSignatureOptions {
  identifier: string;
  /** Bytes per hashed page; 4096 is what Apple's tools use for every architecture. */
  pageSize?: number;
  flags?: number;
  execSegment?: { base: number; limit: number; flags: number } | null;
  /** Other blobs (requirements = slot 2, entitlements = 5, CMS wrapper = 0x10000); slots below 0x1000 get a special-slot hash. */
  extraBlobs?: { slot: number; bytes: Uint8Array }[];
}

const CD_VERSION = 0x20400;
const CD_HEADER_SIZE = 88;
const HASH_SIZE = 32;

/** Where everything goes in the CodeDirectory: shared by the size estimate and the writer. */
function layout(codeLimit: number, options: AdhocSignatureOptions) {
  const pageSize = options.pageSize ?? 4096;
  const extra = options.extraBlobs ?? [];
  const nSpecialSlots = Math.max(0, ...extra.filter((b) => b.slot < CSSLOT_ALTERNATE_CODEDIRECTORIES).map((b) => b.slot));
  const nCodeSlots = Math.ceil(codeLimit / pageSize);
  const ident = new TextEncoder().encode(`${options.identifier}\0`);
  const hashOffset = CD_HEADER_SIZE + ident.byteLength + nSpecialSlots * HASH_SIZE;
  return { pageSize, extra, nSpecialSlots, nCodeSlots, ident, hashOffset, cdSize: hashOffset + nCodeSlots * HASH_SIZE };
}

/** Bytes the SuperBlob from buildAdhocSignature will take, known before hashing anything. */
export function adhocSignatureSize(codeLimit: number, options: AdhocSignatureOptions): number {
  const { extra, cdSize } = layout(codeLimit, options);
  return 12 + (1 + extra.length) * 8 + cdSize + extra.reduce((n, b) => n + b.bytes.byteLength, 0);
}

/**
 * The signature bytes for `slice`, whose code (everything the pages cover) ends where the
 * signature starts, at `codeLimit`.
 */
export function buildAdhocSignature(slice: Uint8Array, codeLimit: number, options: AdhocSignatureOptions): Uint8Array {
  const { pageSize, extra, nSpecialSlots, nCodeSlots, ident, hashOffset, cdSize } = layout(codeLimit, options);
  const cd = new Uint8Array(cdSize);
  const view = new DataView(cd.buffer);
  const exec = options.execSegment ?? { base: 0, limit: 0, flags: 0 };
  view.setUint32(0, CSMAGIC_CODEDIRECTORY);
  view.setUint32(4, cd.byteLength);
  view.setUint32(8, CD_VERSION);
  view.setUint32(12, options.flags ?? CS_ADHOC);
  view.setUint32(16, hashOffset);
  view.setUint32(20, CD_HEADER_SIZE);
  view.setUint32(24, nSpecialSlots);
  view.setUint32(28, nCodeSlots);
  view.setUint32(32, codeLimit <= 0xffffffff ? codeLimit : 0);
  view.setUint8(36, HASH_SIZE);
  view.setUint8(37, CS_HASHTYPE_SHA256);
  view.setUint8(39, Math.log2(pageSize));
  view.setBigUint64(56, codeLimit <= 0xffffffff ? 0n : BigInt(codeLimit));
  view.setBigUint64(64, BigInt(exec.base));
  view.setBigUint64(72, BigInt(exec.limit));
  view.setBigUint64(80, BigInt(exec.flags));
  cd.set(ident, CD_HEADER_SIZE);
  for (const blob of extra) {
    if (blob.slot >= CSSLOT_ALTERNATE_CODEDIRECTORIES) continue;
    cd.set(digest("sha256", blob.bytes, HASH_SIZE), hashOffset - blob.slot * HASH_SIZE);
  }
  for (let page = 0; page < nCodeSlots; page++) {
    const start = page * pageSize;
    const bytes = slice.subarray(start, Math.min(start + pageSize, codeLimit));
    cd.set(digest("sha256", bytes, HASH_SIZE), hashOffset + page * HASH_SIZE);
  }
  return superBlob([{ slot: CSSLOT_CODEDIRECTORY, bytes: cd }, ...extra]);
}

function superBlob(blobs: { slot: number; bytes: Uint8Array }[]): Uint8Array {
  const sorted = [...blobs].sort((a, b) => a.slot - b.slot);
  const headerSize = 12 + sorted.length * 8;
  const total = headerSize + sorted.reduce((n, b) => n + b.bytes.byteLength, 0);
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  view.setUint32(0, CSMAGIC_EMBEDDED_SIGNATURE);
  view.setUint32(4, total);
  view.setUint32(8, sorted.length);
  let at = headerSize;
  sorted.forEach((blob, i) => {
    view.setUint32(12 + i * 8, blob.slot);
    view.setUint32(16 + i * 8, at);
    out.set(blob.bytes, at);
    at += blob.bytes.byteLength;
  });
  return out;
}

/**
 * Replaces the signature of `slice` in place with a fresh ad-hoc one. The LC_CODE_SIGNATURE
 * region keeps its size (so no load command or segment moves); the unused tail is zeroed.
 */
export function writeAdhocSignature(
  slice: Uint8Array,
  location: CodeSignatureLocation,
  options: AdhocSignatureOptions,
  label: string,
): void {
  const signature = buildAdhocSignature(slice, location.dataOffset, options);
  if (signature.byteLength > location.dataSize) {
    throw new MachOError(
      `${label}: a fresh ad-hoc signature needs ${signature.byteLength} bytes but LC_CODE_SIGNATURE reserves only ` +
        `${location.dataSize}; re-sign on a Mac with \`codesign -s - --force FILE\`.`,
    );
  }
  slice.fill(0, location.dataOffset, location.dataOffset + location.dataSize);
  slice.set(signature, location.dataOffset);
}
