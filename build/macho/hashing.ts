/** Page and blob hashing as the CodeDirectory stores it: the digest cut to the declared hash size. */
import type { CodeDirectory } from "./code-directory.ts";

export function digest(algorithm: CodeDirectory["algorithm"], data: Uint8Array, size: number): Uint8Array {
  const full = new Bun.CryptoHasher(algorithm).update(data).digest() as Uint8Array;
  return full.subarray(0, size);
}

/** The bytes covered by code slot `page`: one page, the last one cut at the code limit. */
export function pageBytes(slice: Uint8Array, cd: CodeDirectory, page: number): Uint8Array {
  if (cd.pageSize === 0) return slice.subarray(0, cd.codeLimit);
  const start = page * cd.pageSize;
  return slice.subarray(start, Math.min(start + cd.pageSize, cd.codeLimit));
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}
