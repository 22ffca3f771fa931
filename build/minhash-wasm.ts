/**
 * `bun build/minhash-wasm.ts [--check]`
 *
 * Compiles src/text/minhash-simd.wat (WebAssembly text) to src/text/minhash-simd.wasm with wabt,
 * the WebAssembly project's own toolkit. The .wasm is committed and embedded in the binary; build.ts
 * runs this before every compile, and `--check` only reports whether the committed file is current.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "./targets.ts";

export const WAT_FILE = join(REPO_ROOT, "src/text/minhash-simd.wat");
export const WASM_FILE = join(REPO_ROOT, "src/text/minhash-simd.wasm");

/** The .wasm bytes for the current .wat. */
export async function buildMinhashWasm(): Promise<Uint8Array> {
  const wabt = await (await import("wabt")).default();
  const module = wabt.parseWat(WAT_FILE, readFileSync(WAT_FILE, "utf8"), { simd: true });
  try {
    module.validate();
    return new Uint8Array(module.toBinary({}).buffer);
  } finally {
    module.destroy();
  }
}

/** Regenerate the file when it differs; returns whether it changed. */
export async function writeMinhashWasm(): Promise<boolean> {
  const bytes = await buildMinhashWasm();
  let current: Uint8Array | undefined;
  try {
    current = readFileSync(WASM_FILE);
  } catch {}
  if (current && Buffer.from(current).equals(Buffer.from(bytes))) return false;
  writeFileSync(WASM_FILE, bytes);
  return true;
}

if (import.meta.main) {
  if (process.argv.includes("--check")) {
    const ok = Buffer.from(readFileSync(WASM_FILE)).equals(Buffer.from(await buildMinhashWasm()));
    console.log(ok ? "src/text/minhash-simd.wasm is current" : "src/text/minhash-simd.wasm is stale: run `bun build/minhash-wasm.ts`");
    process.exit(ok ? 0 : 1);
  }
  console.log((await writeMinhashWasm()) ? "wrote src/text/minhash-simd.wasm" : "src/text/minhash-simd.wasm is current");
}
