// The `rules` backend module for src/compress/open.ts.
import { rulesCompressor } from "./rules.ts";
import type { Compressor } from "./types.ts";

export async function open(): Promise<Compressor> {
  return rulesCompressor();
}
