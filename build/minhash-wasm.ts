/**
 * `bun build/minhash-wasm.ts [--check]`
 *
 * Compiles src/text/minhash-simd.wat (WebAssembly text) to src/text/minhash-simd.wasm with wabt,
 * the WebAssembly project's own toolkit. The .wasm is committed and embedded in the binary; build.ts
 * runs this before every compile, and `--check` only reports whether the committed file is current.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { generatorMain, writeIfChanged } from "./generated.ts";
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
  return writeIfChanged(WASM_FILE, await buildMinhashWasm());
}

if (import.meta.main) await generatorMain(WASM_FILE, "build/minhash-wasm.ts", buildMinhashWasm);
