import { describe, expect, test } from "bun:test";
import { MachOError, describeCheck, parseSlices, repairBytes, verifyBytes, writeAdhocSignature } from "../../build/macho/index.ts";
import {
  CPU_ARM64,
  CPU_X86_64,
  EMPTY_REQUIREMENTS,
  PAGE,
  cmsWrapper,
  fatMachO,
  flipByte,
  growCodeLikeBun,
  syntheticMachO,
} from "./helpers/synthetic-macho.ts";

describe("verify", () => {
  test("a correctly signed ad-hoc binary verifies, with the CodeDirectory's fields read back", () => {
    const check = verifyBytes(syntheticMachO(), "synthetic");
    expect(check.ok).toBe(true);
    const slice = check.slices[0]!;
    expect(slice.slice.cpu).toBe("arm64");
    expect(slice.adhoc).toBe(true);
    expect(slice.hasCms).toBe(false);
    const d = slice.directories[0]!;
    expect(d.directory).toMatchObject({
      hashType: 2,
      hashName: "SHA-256",
      hashSize: 32,
      pageSize: PAGE,
      codeLimit: PAGE * 3.5,
      nCodeSlots: 4,
      nSpecialSlots: 0,
      identifier: "synthetic",
    });
    expect(d.badPages).toEqual([]);
    expect(describeCheck(check)[0]).toContain("all hashes match");
  });

  test.each([
    ["the Mach-O header (page 0)", 8, 0],
    ["a middle page", PAGE * 2 + 100, 2],
    ["the partial last page", PAGE * 3 + 10, 3],
  ])("one flipped byte in %s is reported with its page number", (_name, offset, page) => {
    const bytes = syntheticMachO();
    flipByte(bytes, offset);
    const check = verifyBytes(bytes, "synthetic");
    expect(check.ok).toBe(false);
    expect(check.slices[0]!.directories[0]!.badPages).toEqual([page]);
    expect(describeCheck(check)[0]).toContain(`bad page hashes at pages ${page}`);
  });

  test("a changed requirements blob is reported as special slot 2", () => {
    const bytes = syntheticMachO({ signature: { extraBlobs: [{ slot: 2, bytes: EMPTY_REQUIREMENTS }] } });
    expect(verifyBytes(bytes, "synthetic").ok).toBe(true);
    flipByte(bytes, bytes.byteLength - 64 - 1); // last byte of the requirements blob, before the padding
    const d = verifyBytes(bytes, "synthetic").slices[0]!.directories[0]!;
    expect(d.badSpecialSlots).toEqual([2]);
    expect(d.badPages).toEqual([]);
  });

  test("a binary without LC_CODE_SIGNATURE is reported as unsigned", () => {
    const check = verifyBytes(syntheticMachO({ unsigned: true }), "plain");
    expect(check.ok).toBe(false);
    expect(describeCheck(check)[0]).toContain("no LC_CODE_SIGNATURE");
  });
});

describe("bad input", () => {
  test("a non-Mach-O file gets a clear error naming the magic", () => {
    const elf = new Uint8Array(64);
    elf.set([0x7f, 0x45, 0x4c, 0x46]);
    expect(() => verifyBytes(elf, "ctxc-linux-x64")).toThrow(/ctxc-linux-x64: not a Mach-O binary \(magic 0x464c457f/);
    expect(() => verifyBytes(new TextEncoder().encode("#!/bin/sh\necho hi\n"), "script")).toThrow(/not a Mach-O binary/);
    expect(() => verifyBytes(new Uint8Array(0), "empty")).toThrow(/only 0 bytes long/);
  });

  test("a Java class file (same magic as a universal binary) is not mistaken for one", () => {
    const java = new Uint8Array([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 52, 0, 0]);
    expect(() => verifyBytes(java, "A.class")).toThrow(/declares 52 architectures/);
  });

  test.each([
    ["inside the header", 20],
    ["inside the load commands", 40],
    ["before the signature", PAGE * 2],
    ["inside the signature", PAGE * 3.5 + 100],
  ])("a file truncated %s gets a clear 'truncated' error", (_where, length) => {
    const bytes = syntheticMachO().subarray(0, length);
    let error: unknown;
    try {
      verifyBytes(bytes, "cut");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(MachOError);
    expect((error as Error).message).toMatch(/^cut: truncated or corrupt — .* needs bytes \d+\.\.\d+ but only \d+ are there/);
  });

  test("a corrupt SuperBlob magic is named", () => {
    const bytes = syntheticMachO();
    flipByte(bytes, PAGE * 3.5);
    expect(() => verifyBytes(bytes, "x")).toThrow(/does not start with the embedded-signature magic/);
  });

  test("a load command with an impossible size is named", () => {
    const bytes = syntheticMachO();
    new DataView(bytes.buffer).setUint32(36, 4, true);
    expect(() => verifyBytes(bytes, "x")).toThrow(/load command 0 at byte 32 has an impossible size 4/);
  });
});

describe("repair", () => {
  test("re-hashes the stale page in place and the binary verifies again", () => {
    const bytes = syntheticMachO();
    flipByte(bytes, PAGE + 5);
    const outcome = repairBytes(bytes, "synthetic");
    expect(outcome.before.ok).toBe(false);
    expect(outcome.after.ok).toBe(true);
    expect(outcome.actions).toEqual(["arm64: re-hashed pages 1 of the ad-hoc signature"]);
    expect(verifyBytes(bytes, "synthetic").ok).toBe(true);
    expect(bytes[PAGE + 5]).toBe(syntheticMachO()[PAGE + 5]! ^ 0xff); // the code itself is untouched
  });

  test("re-hashes a stale special slot", () => {
    const bytes = syntheticMachO({ signature: { extraBlobs: [{ slot: 2, bytes: EMPTY_REQUIREMENTS }] } });
    flipByte(bytes, bytes.byteLength - 64 - 1);
    expect(repairBytes(bytes, "s").actions[0]).toContain("special slots 2 (requirements)");
    expect(verifyBytes(bytes, "s").ok).toBe(true);
  });

  test("an empty CMS wrapper (codesign -s -) still counts as ad-hoc and is repaired", () => {
    const bytes = syntheticMachO({ signature: { extraBlobs: [{ slot: 0x10000, bytes: cmsWrapper() }] } });
    flipByte(bytes, 100);
    expect(repairBytes(bytes, "s").after.ok).toBe(true);
  });

  test("a stale real (CMS) signature is refused by default, naming the team", () => {
    const bytes = syntheticMachO({ signature: { flags: 0x10000, extraBlobs: [{ slot: 0x10000, bytes: cmsWrapper(500) }] } });
    flipByte(bytes, 100);
    expect(() => repairBytes(bytes, "signed")).toThrow(/real \(CMS\) signature .* only the holder of that identity can re-sign it/);
  });

  test("a stale CMS signature is replaced by a fresh ad-hoc one when the caller allows it", () => {
    const extraBlobs = [
      { slot: 2, bytes: EMPTY_REQUIREMENTS },
      { slot: 0x10000, bytes: cmsWrapper(500) },
    ];
    const bytes = syntheticMachO({ signature: { flags: 0x10000, extraBlobs } });
    const size = bytes.byteLength;
    flipByte(bytes, 100);
    const outcome = repairBytes(bytes, "signed", { replaceStaleCmsSignature: true });
    expect(outcome.actions[0]).toContain("replaced the stale Developer ID signature");
    const after = outcome.after.slices[0]!;
    expect(after.hasCms).toBe(false);
    expect(after.adhoc).toBe(true);
    expect(after.directories[0]!.directory.flags).toBe(0x2);
    expect(after.directories[0]!.directory.execSegment).toEqual({ base: 0, limit: PAGE, flags: 1 });
    expect(bytes.byteLength).toBe(size);
  });

  test("a code limit that moved within the last page gets a fresh ad-hoc signature", () => {
    const bytes = syntheticMachO();
    const cdOffset = PAGE * 3.5 + 20; // SuperBlob header (12) + one index entry (8)
    new DataView(bytes.buffer).setUint32(cdOffset + 32, PAGE * 3.5 - 10); // codeLimit
    const check = verifyBytes(bytes, "moved");
    expect(check.slices[0]!.directories[0]!.codeLimitMismatch).toEqual({ codeLimit: PAGE * 3.5 - 10, signatureOffset: PAGE * 3.5 });
    expect(repairBytes(bytes, "moved").actions[0]).toContain("code limit had moved");
    expect(verifyBytes(bytes, "moved").ok).toBe(true);
  });

  test("an unsigned binary cannot be repaired and says how to sign it", () => {
    expect(() => repairBytes(syntheticMachO({ unsigned: true }), "plain")).toThrow(/no code signature to repair. Sign it on a Mac with `codesign -s - FILE`/);
  });

  test("a fresh signature keeps the old page size (Bun's own arm64 runtime is signed with 16 KiB pages)", () => {
    const extraBlobs = [{ slot: 0x10000, bytes: cmsWrapper(100) }];
    const bytes = syntheticMachO({ codeSize: PAGE * 8, signature: { pageSize: PAGE * 4, extraBlobs } });
    flipByte(bytes, 100);
    const after = repairBytes(bytes, "big-pages", { replaceStaleCmsSignature: true }).after;
    expect(after.slices[0]!.directories[0]!.directory).toMatchObject({ pageSize: PAGE * 4, nCodeSlots: 2 });
  });

  test("a signature that does not fit the space LC_CODE_SIGNATURE reserves is refused", () => {
    // 12 SuperBlob + 8 index + 88 CodeDirectory header + "x\0" + 4 pages x 32 = 238 bytes
    const bytes = syntheticMachO();
    const location = { dataOffset: PAGE * 3.5, dataSize: 100, commandOffset: 32 };
    expect(() => writeAdhocSignature(bytes, location, { identifier: "x" }, "tight")).toThrow(
      /tight: a fresh ad-hoc signature needs 238 bytes but LC_CODE_SIGNATURE reserves only 100/,
    );
  });
});

describe("Bun's darwin-x64 case: code grew after signing, signature space too small", () => {
  const grownBinary = () => {
    const signed = syntheticMachO({ padding: 0, signature: { flags: 0x10000, extraBlobs: [{ slot: 0x10000, bytes: cmsWrapper(8) }] } });
    return growCodeLikeBun(signed, PAGE * 20);
  };

  test("verify reports the moved code limit", () => {
    const check = verifyBytes(grownBinary(), "x64");
    expect(check.slices[0]!.directories[0]!.codeLimitMismatch).toEqual({ codeLimit: PAGE * 3.5, signatureOffset: PAGE * 23.5 });
  });

  test("repair grows LC_CODE_SIGNATURE, __LINKEDIT and the file, then writes a valid ad-hoc signature", () => {
    const before = grownBinary();
    const outcome = repairBytes(before, "x64", { replaceStaleCmsSignature: true });
    expect(outcome.actions[0]).toMatch(/replaced the stale Developer ID signature with a fresh ad-hoc one \(signature space grown from 270 to 896 bytes\)/);
    expect(outcome.bytes.byteLength).toBe(PAGE * 23.5 + 896);
    expect(outcome.after.ok).toBe(true);
    const slice = parseSlices(outcome.bytes, "x64")[0]!;
    expect(slice.codeSignature).toEqual({ dataOffset: PAGE * 23.5, dataSize: 896, commandOffset: 32 });
    expect(slice.linkedit).toMatchObject({ fileOffset: PAGE * 23.5, fileSize: 896, vmSize: 16384 });
    expect(verifyBytes(outcome.bytes, "x64").slices[0]!.directories[0]!.directory.nCodeSlots).toBe(24);
  });

  test("without permission to drop the CMS signature it still refuses", () => {
    expect(() => repairBytes(grownBinary(), "x64")).toThrow(/real \(CMS\) signature/);
  });

  test("a signature that is not at the end of the file cannot grow", () => {
    const bytes = grownBinary();
    const withTail = new Uint8Array(bytes.byteLength + 16);
    withTail.set(bytes);
    expect(() => repairBytes(withTail, "x64", { replaceStaleCmsSignature: true })).toThrow(
      /the signature needs \d+ bytes but LC_CODE_SIGNATURE reserves 270, and the signature is not at the end of the file/,
    );
  });
});

describe("universal binaries", () => {
  const fat = () =>
    fatMachO([
      { cpu: CPU_X86_64, bytes: syntheticMachO({ cpu: CPU_X86_64 }) },
      { cpu: CPU_ARM64, bytes: syntheticMachO({ codeSize: PAGE * 5 }) },
    ]);

  test("every slice is verified on its own", () => {
    const check = verifyBytes(fat(), "fat");
    expect(check.ok).toBe(true);
    expect(check.slices.map((s) => [s.slice.cpu, s.slice.fileOffset])).toEqual([
      ["x86_64", PAGE],
      ["arm64", PAGE * 5],
    ]);
  });

  test("a flipped byte is reported in the right slice with the page number inside that slice", () => {
    const bytes = fat();
    flipByte(bytes, PAGE * 5 + PAGE * 4 + 1);
    const check = verifyBytes(bytes, "fat");
    expect(check.slices[0]!.ok).toBe(true);
    expect(check.slices[1]!.directories[0]!.badPages).toEqual([4]);
    expect(describeCheck(check)[1]).toContain("arm64 slice");
    expect(repairBytes(bytes, "fat").actions).toEqual(["arm64: re-hashed pages 4 of the ad-hoc signature"]);
    expect(verifyBytes(bytes, "fat").ok).toBe(true);
  });

  test("a slice pointing past the end of the file is a clear error", () => {
    const bytes = fat().subarray(0, PAGE * 6);
    expect(() => verifyBytes(bytes, "fat")).toThrow(/slice 1 of the universal binary/);
  });
});
