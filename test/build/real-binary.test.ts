// One test on a real Bun-compiled darwin-arm64 binary (about 1-2 s and 85 MB in a temp folder; Bun
// fetches the darwin runtime from npm once and caches it). It anchors the synthetic tests: our
// signer must write exactly the signature Bun itself wrote.
import { afterAll, expect, test } from "bun:test";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  buildAdhocSignature,
  ensureValidSignature,
  parseCodeDirectory,
  parseSlices,
  parseSuperBlob,
  verifyFile,
} from "../../build/macho/index.ts";

const dir = mkdtempSync(join(tmpdir(), "ctxc-macho-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test("a real bun-darwin-arm64 binary verifies, matches our signer byte for byte, and survives a flip + repair", async () => {
  const entry = join(dir, "hello.ts");
  const binary = join(dir, "hello-darwin-arm64");
  await Bun.write(entry, 'console.log("hello");\n');
  const result = await Bun.build({ entrypoints: [entry], compile: { target: "bun-darwin-arm64", outfile: binary } });
  expect(result.success).toBe(true);

  const check = await verifyFile(binary);
  expect(check.ok).toBe(true);
  const directory = check.slices[0]!.directories[0]!.directory;
  expect(check.slices[0]!.slice.cpu).toBe("arm64");
  expect(directory).toMatchObject({ hashName: "SHA-256", pageSize: 4096 });
  expect(directory.nCodeSlots).toBeGreaterThan(10_000);

  const bytes = new Uint8Array(await Bun.file(binary).arrayBuffer());
  const location = parseSlices(bytes, binary)[0]!.codeSignature!;
  const superBlob = parseSuperBlob(bytes, location.dataOffset, binary);
  const cd = parseCodeDirectory(bytes, superBlob.blobs[0]!, binary);
  const ours = buildAdhocSignature(bytes, location.dataOffset, { identifier: cd.identifier, flags: cd.flags, execSegment: cd.execSegment });
  expect(Buffer.from(ours).equals(Buffer.from(bytes.subarray(location.dataOffset, location.dataOffset + superBlob.length)))).toBe(true);

  // Flip one byte of the embedded JS (the page Bun rewrites when it embeds code), then repair.
  const page = directory.nCodeSlots - 3;
  bytes[page * 4096 + 7] = bytes[page * 4096 + 7]! ^ 0xff;
  await Bun.write(binary, bytes);
  const broken = await verifyFile(binary);
  expect(broken.slices[0]!.directories[0]!.badPages).toEqual([page]);
  const modeBefore = statSync(binary).mode;
  const repaired = await ensureValidSignature(binary);
  expect(repaired.repair?.actions).toEqual([`arm64: re-hashed pages ${page} of the ad-hoc signature`]);
  expect((await verifyFile(binary)).ok).toBe(true);
  expect(statSync(binary).mode).toBe(modeBefore);
});
