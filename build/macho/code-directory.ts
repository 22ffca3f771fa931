/**
 * The CodeDirectory: one hash per page of the file up to the code limit, plus "special slot"
 * hashes of the other signature blobs stored just before the page hashes.
 */
import { CSMAGIC_CODEDIRECTORY, HASH_TYPES } from "./constants.ts";
import { ByteReader, MachOError, hex } from "./errors.ts";
import type { Blob } from "./superblob.ts";

export interface CodeDirectory {
  slot: number;
  /** Offset of the CodeDirectory blob from the start of the slice. */
  offset: number;
  length: number;
  version: number;
  flags: number;
  identifier: string;
  hashType: number;
  hashName: string;
  algorithm: "sha1" | "sha256" | "sha384";
  hashSize: number;
  /** Bytes per page; 0 means the whole code range is one page. */
  pageSize: number;
  codeLimit: number;
  nCodeSlots: number;
  nSpecialSlots: number;
  /** Offset of code slot 0 from the start of the slice; special slot n sits at hashOffset - n * hashSize. */
  hashOffset: number;
  /** The executable segment (version 0x20400+), which a fresh ad-hoc signature must carry over. */
  execSegment: { base: number; limit: number; flags: number } | null;
  teamId: string | null;
}

const VERSION_WITH_TEAM_ID = 0x20200;
const VERSION_WITH_CODE_LIMIT_64 = 0x20300;
const VERSION_WITH_EXEC_SEGMENT = 0x20400;

export function parseCodeDirectory(slice: Uint8Array, blob: Blob, label: string): CodeDirectory {
  const reader = new ByteReader(slice, false, label);
  const at = blob.offset;
  const what = `CodeDirectory in signature slot ${hex(blob.slot)}`;
  if (blob.magic !== CSMAGIC_CODEDIRECTORY) {
    throw new MachOError(`${label}: the ${what} has magic ${hex(blob.magic)}, expected ${hex(CSMAGIC_CODEDIRECTORY)}.`);
  }
  reader.need(at, 44, what);
  const version = reader.u32(at + 8, what);
  const flags = reader.u32(at + 12, what);
  const hashOffset = reader.u32(at + 16, what);
  const identOffset = reader.u32(at + 20, what);
  const nSpecialSlots = reader.u32(at + 24, what);
  const nCodeSlots = reader.u32(at + 28, what);
  let codeLimit = reader.u32(at + 32, what);
  const hashSize = reader.u8(at + 36, what);
  const hashType = reader.u8(at + 37, what);
  const pageSizeLog2 = reader.u8(at + 39, what);
  if (version >= VERSION_WITH_CODE_LIMIT_64 && blob.length >= 64) {
    const codeLimit64 = reader.u64(at + 56, what);
    if (codeLimit64 !== 0) codeLimit = codeLimit64;
  }

  const execSegment =
    version >= VERSION_WITH_EXEC_SEGMENT && blob.length >= 88
      ? { base: reader.u64(at + 64, what), limit: reader.u64(at + 72, what), flags: reader.u64(at + 80, what) }
      : null;
  const teamOffset = version >= VERSION_WITH_TEAM_ID && blob.length >= 52 ? reader.u32(at + 48, what) : 0;

  const hash = HASH_TYPES[hashType];
  if (!hash) throw new MachOError(`${label}: the ${what} uses unknown hash type ${hashType}.`);
  if (hash.size !== hashSize) {
    throw new MachOError(`${label}: the ${what} declares ${hash.name} with ${hashSize}-byte hashes, expected ${hash.size}.`);
  }
  const hashesStart = hashOffset - nSpecialSlots * hashSize;
  if (hashesStart < 0 || hashOffset + nCodeSlots * hashSize > blob.length) {
    throw new MachOError(
      `${label}: the ${what} declares ${nSpecialSlots} special and ${nCodeSlots} code slots that do not fit in its ${blob.length} bytes.`,
    );
  }
  const pageSize = pageSizeLog2 === 0 ? 0 : 2 ** pageSizeLog2;
  const expectedSlots = pageSize === 0 ? (codeLimit > 0 ? 1 : 0) : Math.ceil(codeLimit / pageSize);
  if (nCodeSlots !== expectedSlots) {
    throw new MachOError(
      `${label}: the ${what} has ${nCodeSlots} code slots but its code limit ${codeLimit} with ${pageSize}-byte pages needs ${expectedSlots}; the signature is corrupt.`,
    );
  }
  return {
    slot: blob.slot,
    offset: at,
    length: blob.length,
    version,
    flags,
    identifier: readCString(slice, at + identOffset, at + blob.length),
    hashType,
    hashName: hash.name,
    algorithm: hash.algorithm,
    hashSize,
    pageSize,
    codeLimit,
    nCodeSlots,
    nSpecialSlots,
    hashOffset: at + hashOffset,
    execSegment,
    teamId: teamOffset ? readCString(slice, at + teamOffset, at + blob.length) : null,
  };
}

function readCString(bytes: Uint8Array, start: number, end: number): string {
  let stop = start;
  while (stop < end && bytes[stop] !== 0) stop++;
  return new TextDecoder().decode(bytes.subarray(start, stop));
}
