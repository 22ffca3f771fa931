/**
 * Finds the Mach-O images in a file (one for a thin binary, one per architecture for a universal
 * "fat" binary) and, in each, the LC_CODE_SIGNATURE load command that points at the signature.
 */
import {
  CPU_NAMES,
  FAT_MAGIC,
  FAT_MAGIC_64,
  LC_CODE_SIGNATURE,
  LC_SEGMENT_64,
  MAX_FAT_ARCHS,
  MH_CIGAM,
  MH_CIGAM_64,
  MH_MAGIC,
  MH_MAGIC_64,
} from "./constants.ts";
import { ByteReader, MachOError, hex } from "./errors.ts";

export interface CodeSignatureLocation {
  /** Offset of the signature (the SuperBlob) from the start of the slice; also the code limit. */
  dataOffset: number;
  dataSize: number;
  /** Where the LC_CODE_SIGNATURE command itself sits in the slice (to grow the signature space). */
  commandOffset: number;
}

/** A 64-bit segment command, as far as growing __LINKEDIT needs it. */
export interface SegmentLocation {
  commandOffset: number;
  fileOffset: number;
  fileSize: number;
  vmSize: number;
}

export interface MachOSlice {
  /** Where this image starts in the file (0 for a thin binary). */
  fileOffset: number;
  size: number;
  cpu: string;
  bits: 32 | 64;
  codeSignature: CodeSignatureLocation | null;
  /** The __LINKEDIT segment (64-bit images only), which holds the signature at its end. */
  linkedit: SegmentLocation | null;
}

/** Every Mach-O image in the file; throws a MachOError naming the problem for anything else. */
export function parseSlices(bytes: Uint8Array, label: string): MachOSlice[] {
  if (bytes.byteLength < 4) {
    throw new MachOError(`${label}: not a Mach-O binary — the file is only ${bytes.byteLength} bytes long.`);
  }
  const magicBE = new ByteReader(bytes, false, label).u32(0, "magic number");
  if (magicBE === FAT_MAGIC || magicBE === FAT_MAGIC_64) return parseFat(bytes, label, magicBE === FAT_MAGIC_64);
  return [parseThin(bytes, 0, bytes.byteLength, label)];
}

function parseFat(bytes: Uint8Array, label: string, is64: boolean): MachOSlice[] {
  const reader = new ByteReader(bytes, false, label);
  const count = reader.u32(4, "fat header architecture count");
  if (count === 0 || count > MAX_FAT_ARCHS) {
    throw new MachOError(
      `${label}: not a Mach-O binary — it starts with the universal-binary magic but declares ${count} ` +
        `architectures (a Java class file looks like this).`,
    );
  }
  const entrySize = is64 ? 32 : 20;
  const slices: MachOSlice[] = [];
  for (let i = 0; i < count; i++) {
    const at = 8 + i * entrySize;
    const what = `universal-binary architecture entry ${i}`;
    const offset = is64 ? reader.u64(at + 8, what) : reader.u32(at + 8, what);
    const size = is64 ? reader.u64(at + 16, what) : reader.u32(at + 12, what);
    reader.need(offset, size, `slice ${i} of the universal binary`);
    slices.push(parseThin(bytes, offset, size, `${label} (slice ${i})`));
  }
  return slices;
}

function parseThin(file: Uint8Array, fileOffset: number, size: number, label: string): MachOSlice {
  const bytes = file.subarray(fileOffset, fileOffset + size);
  const magic = new ByteReader(bytes, true, label).u32(0, "magic number");
  if (magic === MH_CIGAM || magic === MH_CIGAM_64) {
    throw new MachOError(`${label}: big-endian Mach-O (PowerPC era) is not supported; only x86_64 and arm64 Macs are targets.`);
  }
  if (magic !== MH_MAGIC && magic !== MH_MAGIC_64) {
    throw new MachOError(
      `${label}: not a Mach-O binary (magic ${hex(magic)}, expected ${hex(MH_MAGIC_64)}). ` +
        `Only macOS executables carry a Mach-O code signature; check the --target of the build.`,
    );
  }
  const reader = new ByteReader(bytes, true, label);
  const bits = magic === MH_MAGIC_64 ? 64 : 32;
  const cpuType = reader.u32(4, "Mach-O header");
  const commandCount = reader.u32(16, "Mach-O header");
  const commandsSize = reader.u32(20, "Mach-O header");
  const headerSize = bits === 64 ? 32 : 28;
  reader.need(headerSize, commandsSize, "load commands");

  let codeSignature: CodeSignatureLocation | null = null;
  let linkedit: SegmentLocation | null = null;
  let at = headerSize;
  for (let i = 0; i < commandCount; i++) {
    const cmd = reader.u32(at, `load command ${i}`);
    const cmdSize = reader.u32(at + 4, `load command ${i}`);
    if (cmdSize < 8 || at + cmdSize > headerSize + commandsSize) {
      throw new MachOError(`${label}: load command ${i} at byte ${at} has an impossible size ${cmdSize}; the file is corrupt.`);
    }
    if (cmd === LC_CODE_SIGNATURE) {
      const dataOffset = reader.u32(at + 8, "LC_CODE_SIGNATURE");
      const dataSize = reader.u32(at + 12, "LC_CODE_SIGNATURE");
      reader.need(dataOffset, dataSize, "the code signature that LC_CODE_SIGNATURE points to");
      codeSignature = { dataOffset, dataSize, commandOffset: at };
    }
    if (cmd === LC_SEGMENT_64 && segmentName(bytes, at + 8) === "__LINKEDIT") {
      const what = "__LINKEDIT segment command";
      linkedit = { commandOffset: at, vmSize: reader.u64(at + 32, what), fileOffset: reader.u64(at + 40, what), fileSize: reader.u64(at + 48, what) };
    }
    at += cmdSize;
  }
  return { fileOffset, size, cpu: CPU_NAMES[cpuType] ?? hex(cpuType), bits, codeSignature, linkedit };
}

function segmentName(bytes: Uint8Array, at: number): string {
  const raw = bytes.subarray(at, at + 16);
  const end = raw.indexOf(0);
  return new TextDecoder().decode(end === -1 ? raw : raw.subarray(0, end));
}
