import { expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { isCurrent, writeIfChanged } from "../../build/generated.ts";
import { tempDir } from "../helpers/cli.ts";

test("a generated file is written only when its bytes change; a missing one is not current", () => {
  const path = join(tempDir(), "table.bin");
  const bytes = new Uint8Array([1, 2, 3]);
  expect(isCurrent(path, bytes)).toBe(false);
  expect(writeIfChanged(path, bytes)).toBe(true);
  expect(writeIfChanged(path, bytes)).toBe(false);
  expect(isCurrent(path, bytes)).toBe(true);
  expect(writeIfChanged(path, new Uint8Array([1, 2, 4]))).toBe(true);
  expect(Array.from(readFileSync(path))).toEqual([1, 2, 4]);
});
