/**
 * Makes room for a bigger signature. When Bun grows the __BUN segment of its darwin-x64 runtime it
 * moves __LINKEDIT but keeps the old LC_CODE_SIGNATURE size, which is too small for the hashes of
 * the extra pages. The signature is the last thing in __LINKEDIT and in the file, so it can grow
 * in place: extend the file, LC_CODE_SIGNATURE's size and __LINKEDIT's file and VM sizes — what
 * `codesign` itself does.
 */
import { MachOError } from "./errors.ts";
import type { MachOSlice } from "./header.ts";

/** VM sizes of __LINKEDIT are rounded to 16 KiB, the larger of the arm64 and x86_64 page sizes. */
const SEGMENT_ALIGN = 16384;

/** A copy of the thin Mach-O `file` whose signature space is at least `needed` bytes. */
export function growSignatureSpace(file: Uint8Array, slice: MachOSlice, needed: number, label: string): Uint8Array {
  const signature = slice.codeSignature;
  const linkedit = slice.linkedit;
  const refuse = (why: string) =>
    new MachOError(`${label}: the signature needs ${needed} bytes but LC_CODE_SIGNATURE reserves ${signature?.dataSize ?? 0}, and ${why}; re-sign on a Mac with \`codesign -s - --force FILE\`.`);
  if (!signature) throw refuse("there is no LC_CODE_SIGNATURE");
  if (slice.fileOffset !== 0 || slice.size !== file.byteLength) throw refuse("growing a slice of a universal binary is not supported");
  if (!linkedit) throw refuse("there is no 64-bit __LINKEDIT segment");
  const end = signature.dataOffset + signature.dataSize;
  if (end !== file.byteLength || linkedit.fileOffset + linkedit.fileSize !== end) {
    throw refuse("the signature is not at the end of the file and of __LINKEDIT");
  }
  const dataSize = Math.ceil(needed / 16) * 16;
  const grown = new Uint8Array(signature.dataOffset + dataSize);
  grown.set(file.subarray(0, signature.dataOffset));
  const view = new DataView(grown.buffer);
  const fileSize = linkedit.fileSize + (dataSize - signature.dataSize);
  view.setUint32(signature.commandOffset + 12, dataSize, true);
  view.setBigUint64(linkedit.commandOffset + 48, BigInt(fileSize), true);
  view.setBigUint64(linkedit.commandOffset + 32, BigInt(Math.max(linkedit.vmSize, Math.ceil(fileSize / SEGMENT_ALIGN) * SEGMENT_ALIGN)), true);
  return grown;
}
