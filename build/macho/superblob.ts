/**
 * The embedded signature is a SuperBlob: a big-endian index of (slot type, offset) pairs, each
 * pointing at a blob that starts with its own magic and length.
 */
import {
  CSMAGIC_BLOBWRAPPER,
  CSMAGIC_EMBEDDED_SIGNATURE,
  CSSLOT_ALTERNATE_CODEDIRECTORIES,
  CSSLOT_ALTERNATE_CODEDIRECTORY_MAX,
  CSSLOT_CODEDIRECTORY,
  CSSLOT_SIGNATURESLOT,
} from "./constants.ts";
import { ByteReader, MachOError, hex } from "./errors.ts";

export interface Blob {
  /** Slot type from the SuperBlob index (0 = CodeDirectory, 2 = requirements, 0x10000 = CMS, ...). */
  slot: number;
  /** Offset of the blob from the start of the slice. */
  offset: number;
  magic: number;
  length: number;
}

export interface SuperBlob {
  offset: number;
  length: number;
  blobs: Blob[];
}

/** Parses the SuperBlob at `offset` in the slice; every blob must lie inside it. */
export function parseSuperBlob(slice: Uint8Array, offset: number, label: string): SuperBlob {
  const reader = new ByteReader(slice, false, label);
  const magic = reader.u32(offset, "code signature SuperBlob");
  if (magic !== CSMAGIC_EMBEDDED_SIGNATURE) {
    throw new MachOError(
      `${label}: the code signature at byte ${offset} does not start with the embedded-signature magic ` +
        `(${hex(magic)}, expected ${hex(CSMAGIC_EMBEDDED_SIGNATURE)}); the signature is corrupt — rebuild the binary.`,
    );
  }
  const length = reader.u32(offset + 4, "code signature SuperBlob");
  const count = reader.u32(offset + 8, "code signature SuperBlob");
  reader.need(offset, length, "code signature SuperBlob");
  if (12 + count * 8 > length) {
    throw new MachOError(`${label}: the SuperBlob declares ${count} blobs, more than its ${length} bytes can index.`);
  }
  const blobs: Blob[] = [];
  for (let i = 0; i < count; i++) {
    const slot = reader.u32(offset + 12 + i * 8, "SuperBlob index");
    const blobOffset = offset + reader.u32(offset + 16 + i * 8, "SuperBlob index");
    const blobMagic = reader.u32(blobOffset, `blob in slot ${hex(slot)}`);
    const blobLength = reader.u32(blobOffset + 4, `blob in slot ${hex(slot)}`);
    if (blobLength < 8 || blobOffset + blobLength > offset + length) {
      throw new MachOError(
        `${label}: the blob in signature slot ${hex(slot)} (at byte ${blobOffset}, ${blobLength} bytes) ` +
          `does not fit inside the SuperBlob; the signature is corrupt.`,
      );
    }
    blobs.push({ slot, offset: blobOffset, magic: blobMagic, length: blobLength });
  }
  return { offset, length, blobs };
}

/** Slot 0 or an alternate CodeDirectory slot (codesign adds a SHA-1 one for old macOS versions). */
export function isCodeDirectorySlot(slot: number): boolean {
  return (
    slot === CSSLOT_CODEDIRECTORY ||
    (slot >= CSSLOT_ALTERNATE_CODEDIRECTORIES && slot < CSSLOT_ALTERNATE_CODEDIRECTORIES + CSSLOT_ALTERNATE_CODEDIRECTORY_MAX)
  );
}

export function codeDirectoryBlobs(superBlob: SuperBlob): Blob[] {
  return superBlob.blobs.filter((b) => isCodeDirectorySlot(b.slot));
}

/**
 * A signature is ad-hoc when there is no CMS signature or only an empty wrapper (what
 * `codesign -s -` writes). Only then may we re-hash: a CMS signature signs the CodeDirectory,
 * so changing it would need the signer's private key.
 */
export function hasCmsSignature(superBlob: SuperBlob): boolean {
  const cms = superBlob.blobs.find((b) => b.slot === CSSLOT_SIGNATURESLOT);
  return cms !== undefined && cms.magic === CSMAGIC_BLOBWRAPPER && cms.length > 8;
}
