/**
 * Small Mach-O files built in memory, so signature tests are fast and deterministic: a 64-bit
 * header, one LC_CODE_SIGNATURE load command, a few pages of patterned "code" and an ad-hoc
 * signature written by build/macho/sign.ts (which test/build/real-binary.test.ts shows to be
 * byte-identical to the signature Bun writes for darwin-arm64).
 */
import { type AdhocSignatureOptions, buildAdhocSignature } from "../../../build/macho/sign.ts";

export const CPU_ARM64 = 0x0100000c;
export const CPU_X86_64 = 0x01000007;
const HEADER_SIZE = 32;
const LC_SIZE = 16;
const SEGMENT_SIZE = 72;

export interface SyntheticOptions {
  /** Bytes of code before the signature (the code limit); default 3.5 pages, so the last page is partial. */
  codeSize?: number;
  cpu?: number;
  /** Spare bytes after the signature inside LC_CODE_SIGNATURE, as linkers reserve. */
  padding?: number;
  /** Leave out LC_CODE_SIGNATURE entirely (an unsigned binary). */
  unsigned?: boolean;
  signature?: Partial<AdhocSignatureOptions>;
}

export const PAGE = 4096;

export function syntheticMachO(options: SyntheticOptions = {}): Uint8Array {
  const codeSize = options.codeSize ?? PAGE * 3 + PAGE / 2;
  const code = new Uint8Array(codeSize);
  for (let i = HEADER_SIZE + LC_SIZE + SEGMENT_SIZE; i < codeSize; i++) code[i] = (i * 31 + (i >> 12)) & 0xff;
  const view = new DataView(code.buffer);
  view.setUint32(0, 0xfeedfacf, true);
  view.setUint32(4, options.cpu ?? CPU_ARM64, true);
  view.setUint32(12, 2, true); // MH_EXECUTE
  if (options.unsigned) return code;

  // LC_CODE_SIGNATURE, then a __LINKEDIT segment holding just the signature (as in a real binary,
  // the signature ends both the segment and the file).
  view.setUint32(16, 2, true);
  view.setUint32(20, LC_SIZE + SEGMENT_SIZE, true);
  // Signature size depends only on the page count, so sign a first time to learn it.
  const draftSize = buildAdhocSignature(code, codeSize, signatureOptions(options)).byteLength;
  const dataSize = draftSize + (options.padding ?? 64);
  view.setUint32(HEADER_SIZE, 0x1d, true); // LC_CODE_SIGNATURE
  view.setUint32(HEADER_SIZE + 4, LC_SIZE, true);
  view.setUint32(HEADER_SIZE + 8, codeSize, true);
  view.setUint32(HEADER_SIZE + 12, dataSize, true);
  const seg = HEADER_SIZE + LC_SIZE;
  view.setUint32(seg, 0x19, true); // LC_SEGMENT_64
  view.setUint32(seg + 4, SEGMENT_SIZE, true);
  code.set(new TextEncoder().encode("__LINKEDIT"), seg + 8);
  view.setBigUint64(seg + 32, BigInt(Math.ceil(dataSize / 16384) * 16384), true); // vmsize
  view.setBigUint64(seg + 40, BigInt(codeSize), true); // fileoff
  view.setBigUint64(seg + 48, BigInt(dataSize), true); // filesize
  const signature = buildAdhocSignature(code, codeSize, signatureOptions(options));
  const file = new Uint8Array(codeSize + dataSize);
  file.set(code);
  file.set(signature, codeSize);
  return file;
}

function signatureOptions(options: SyntheticOptions): AdhocSignatureOptions {
  return { identifier: "synthetic", execSegment: { base: 0, limit: PAGE, flags: 1 }, ...options.signature };
}

/**
 * What Bun does to its darwin-x64 runtime when our code outgrows the __BUN placeholder: insert
 * bytes before __LINKEDIT and move it (and the signature offset) up, keeping the old signature and
 * its size — so the hashes are stale and too few for the new code limit.
 */
export function growCodeLikeBun(file: Uint8Array, extraBytes: number): Uint8Array {
  const view = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const dataOffset = view.getUint32(HEADER_SIZE + 8, true);
  const grown = new Uint8Array(file.byteLength + extraBytes);
  grown.set(file.subarray(0, dataOffset));
  grown.fill(0x42, dataOffset, dataOffset + extraBytes);
  grown.set(file.subarray(dataOffset), dataOffset + extraBytes);
  const out = new DataView(grown.buffer);
  out.setUint32(HEADER_SIZE + 8, dataOffset + extraBytes, true);
  out.setBigUint64(HEADER_SIZE + LC_SIZE + 40, BigInt(dataOffset + extraBytes), true);
  return grown;
}

/** A universal binary holding the given slices, each aligned to 4096 bytes (FAT_MAGIC, 32-bit offsets). */
export function fatMachO(slices: { cpu: number; bytes: Uint8Array }[]): Uint8Array {
  const offsets: number[] = [];
  let at = PAGE;
  for (const s of slices) {
    offsets.push(at);
    at = Math.ceil((at + s.bytes.byteLength) / PAGE) * PAGE;
  }
  const file = new Uint8Array(at);
  const view = new DataView(file.buffer);
  view.setUint32(0, 0xcafebabe);
  view.setUint32(4, slices.length);
  slices.forEach((s, i) => {
    const entry = 8 + i * 20;
    view.setUint32(entry, s.cpu);
    view.setUint32(entry + 8, offsets[i]!);
    view.setUint32(entry + 12, s.bytes.byteLength);
    view.setUint32(entry + 16, 12);
    file.set(s.bytes, offsets[i]!);
  });
  return file;
}

/** Requirements blob with no requirements, as `codesign -s -` writes it. */
export const EMPTY_REQUIREMENTS = new Uint8Array([0xfa, 0xde, 0x0c, 0x01, 0, 0, 0, 12, 0, 0, 0, 0]);

/** A CMS blob wrapper: empty (ad-hoc, 8 bytes) or holding fake signature bytes. */
export function cmsWrapper(payload = 0): Uint8Array {
  const blob = new Uint8Array(8 + payload).fill(0x30, 8);
  const view = new DataView(blob.buffer);
  view.setUint32(0, 0xfade0b01);
  view.setUint32(4, blob.byteLength);
  return blob;
}

export function flipByte(bytes: Uint8Array, offset: number): void {
  bytes[offset] = bytes[offset]! ^ 0xff;
}
