/**
 * One error type for everything the Mach-O code rejects, so the build can print the message
 * as is (it already says what is wrong, where in the file, and what to do).
 */
export class MachOError extends Error {
  override name = "MachOError";
}

/** Reads big- or little-endian integers with a bounds check that names the structure being read. */
export class ByteReader {
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    private readonly littleEndian: boolean,
    private readonly label: string,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** Throws a clear "truncated" error unless [offset, offset+size) lies inside the bytes. */
  need(offset: number, size: number, what: string): void {
    if (offset < 0 || size < 0 || offset + size > this.bytes.byteLength) {
      throw new MachOError(
        `${this.label}: truncated or corrupt — ${what} needs bytes ${offset}..${offset + size} ` +
          `but only ${this.bytes.byteLength} are there. Rebuild the binary or re-download it.`,
      );
    }
  }

  u8(offset: number, what: string): number {
    this.need(offset, 1, what);
    return this.view.getUint8(offset);
  }

  u32(offset: number, what: string): number {
    this.need(offset, 4, what);
    return this.view.getUint32(offset, this.littleEndian);
  }

  u64(offset: number, what: string): number {
    this.need(offset, 8, what);
    const value = this.view.getBigUint64(offset, this.littleEndian);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new MachOError(`${this.label}: ${what} at byte ${offset} is too large (${value}); the file is corrupt.`);
    }
    return Number(value);
  }
}

export function hex(n: number): string {
  return `0x${n.toString(16)}`;
}
