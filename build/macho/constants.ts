/**
 * Numbers from Apple's <mach-o/loader.h>, <mach-o/fat.h> and the code-signing blob formats
 * (xnu osfmk/kern/cs_blobs.h). Mach-O headers are in the CPU's byte order (little-endian on
 * every Mac we target); fat headers and everything inside a code signature are big-endian.
 */

export const MH_MAGIC = 0xfeedface;
export const MH_MAGIC_64 = 0xfeedfacf;
export const MH_CIGAM = 0xcefaedfe;
export const MH_CIGAM_64 = 0xcffaedfe;
export const FAT_MAGIC = 0xcafebabe;
export const FAT_MAGIC_64 = 0xcafebabf;

/** A real fat file never has this many slices; Java class files share FAT_MAGIC and land above it. */
export const MAX_FAT_ARCHS = 32;

export const LC_CODE_SIGNATURE = 0x1d;
export const LC_SEGMENT_64 = 0x19;

export const CPU_NAMES: Record<number, string> = {
  0x7: "i386",
  0x01000007: "x86_64",
  0xc: "arm",
  0x0100000c: "arm64",
  0x0200000c: "arm64_32",
};

export const CSMAGIC_EMBEDDED_SIGNATURE = 0xfade0cc0;
export const CSMAGIC_CODEDIRECTORY = 0xfade0c02;
export const CSMAGIC_BLOBWRAPPER = 0xfade0b01;

export const CSSLOT_CODEDIRECTORY = 0;
export const CSSLOT_ALTERNATE_CODEDIRECTORIES = 0x1000;
export const CSSLOT_ALTERNATE_CODEDIRECTORY_MAX = 5;
export const CSSLOT_SIGNATURESLOT = 0x10000;

/** Special slots: the CodeDirectory stores the hash of these blobs at negative slot indices. */
export const SPECIAL_SLOT_NAMES: Record<number, string> = {
  1: "Info.plist",
  2: "requirements",
  3: "resource directory",
  4: "application specific",
  5: "entitlements",
  6: "rep-specific",
  7: "DER entitlements",
  8: "launch constraints (self)",
  9: "launch constraints (parent)",
  10: "launch constraints (responsible)",
  11: "library constraints",
};

/** "5 (entitlements)": how reports name a special slot. */
export function slotName(slot: number): string {
  return `${slot} (${SPECIAL_SLOT_NAMES[slot] ?? "?"})`;
}

export const CS_ADHOC = 0x2;

export const CS_HASHTYPE_SHA1 = 1;
export const CS_HASHTYPE_SHA256 = 2;
export const CS_HASHTYPE_SHA256_TRUNCATED = 3;
export const CS_HASHTYPE_SHA384 = 4;

/** hash type -> algorithm for Bun.CryptoHasher and the digest length the directory must declare. */
export const HASH_TYPES: Record<number, { name: string; algorithm: "sha1" | "sha256" | "sha384"; size: number }> = {
  [CS_HASHTYPE_SHA1]: { name: "SHA-1", algorithm: "sha1", size: 20 },
  [CS_HASHTYPE_SHA256]: { name: "SHA-256", algorithm: "sha256", size: 32 },
  [CS_HASHTYPE_SHA256_TRUNCATED]: { name: "SHA-256 (truncated)", algorithm: "sha256", size: 20 },
  [CS_HASHTYPE_SHA384]: { name: "SHA-384", algorithm: "sha384", size: 48 },
};
