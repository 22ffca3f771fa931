import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { isCurrent } from "../../build/generated.ts";
import { buildQwen3Tables, TABLES_FILE, TOKENIZER_JSON } from "../../build/qwen3-tables.ts";
import { decodeTables, tablesFromJSON } from "../../src/text/qwen3-tables.ts";

describe("qwen3 tables file", () => {
  test("src/text/qwen3-tables.bin is what the installed tokenizer.json gives (run `bun build/qwen3-tables.ts` if not)", () => {
    expect(isCurrent(TABLES_FILE, buildQwen3Tables())).toBe(true);
  });

  test("decoding the file gives back every table built from tokenizer.json", () => {
    const fromJson = tablesFromJSON(JSON.parse(readFileSync(TOKENIZER_JSON, "utf8")), "x");
    const fromFile = decodeTables(readFileSync(TABLES_FILE));
    expect(fromFile.byteIds).toEqual(fromJson.byteIds);
    expect(fromFile.merges).toEqual(fromJson.merges);
    expect(fromFile.added).toEqual(fromJson.added);
    expect(fromFile.tokens()).toEqual(fromJson.tokens());
    expect(fromFile.merges.length / 3).toBe(151387);
  });

  test("a file that is not a table file is refused with a hint", () => {
    expect(() => decodeTables(new TextEncoder().encode("{\"model\": {}}"))).toThrow(/build\/qwen3-tables.ts/);
  });
});
