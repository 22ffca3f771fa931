/**
 * Files the build generates and the repository commits (src/text/qwen3-tables.bin,
 * src/text/minhash-simd.wasm): written only when their bytes change, and checked by `--check`.
 */
import { readFileSync, writeFileSync } from "node:fs";

/** Whether `path` holds exactly `bytes`. */
export function isCurrent(path: string, bytes: Uint8Array): boolean {
  try {
    return Buffer.from(readFileSync(path)).equals(Buffer.from(bytes));
  } catch {
    return false;
  }
}

/** Writes `bytes` to `path` when they differ from what is there; returns whether it wrote. */
export function writeIfChanged(path: string, bytes: Uint8Array): boolean {
  if (isCurrent(path, bytes)) return false;
  writeFileSync(path, bytes);
  return true;
}

/** The command line of a generator script: `--check` reports (exit 1 if stale), else it writes. */
export async function generatorMain(path: string, script: string, build: () => Uint8Array | Promise<Uint8Array>): Promise<void> {
  const bytes = await build();
  if (process.argv.includes("--check")) {
    const ok = isCurrent(path, bytes);
    console.log(ok ? `${path} is current` : `${path} is stale: run \`bun ${script}\``);
    process.exitCode = ok ? 0 : 1;
  } else {
    console.log(writeIfChanged(path, bytes) ? `wrote ${path}` : `${path} is current`);
  }
}
