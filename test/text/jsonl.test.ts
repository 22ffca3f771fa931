import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { JsonlWriter, readJsonl, type JsonlIssue } from "../../src/text/jsonl.ts";
import { tempDir } from "../helpers/cli.ts";

async function readAll(content: string | Uint8Array) {
  const path = join(tempDir(), "x.jsonl");
  await Bun.write(path, content);
  const issues: JsonlIssue[] = [];
  const rows: unknown[] = [];
  for await (const r of readJsonl(path, (i) => issues.push(i))) rows.push(r.value);
  return { rows, issues };
}

describe("JSONL", () => {
  test("a torn last line is reported as torn, with its line number, and the rest is read", async () => {
    const { rows, issues } = await readAll('{"a":1}\n{"a":2}\n{"a":');
    expect(rows).toEqual([{ a: 1 }, { a: 2 }]);
    expect(issues).toEqual([expect.objectContaining({ line: 3, torn: true })]);
  });

  test("a malformed middle line is reported and skipped; blank lines are ignored", async () => {
    const { rows, issues } = await readAll('{"a":1}\nnot json\n\n{"a":3}\n');
    expect(rows).toEqual([{ a: 1 }, { a: 3 }]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ line: 2, torn: false });
  });

  test("a last line without newline that parses is fine; multi-byte text across chunk edges survives", async () => {
    const big = "é".repeat(700_000);
    const { rows, issues } = await readAll(`{"t":"${big}"}\n{"t":"ü"}`);
    expect(issues).toEqual([]);
    expect((rows[0] as { t: string }).t.length).toBe(700_000);
    expect(rows[1]).toEqual({ t: "ü" });
  });

  test("invalid UTF-8 is a clear error naming the file", async () => {
    await expect(readAll(new Uint8Array([0x7b, 0x22, 0x61, 0x22, 0x3a, 0xff, 0xfe, 0x7d, 0x0a]))).rejects.toThrow(/is not valid UTF-8/);
  });

  test("the writer is atomic: nothing at the path until commit, then the content hash", async () => {
    const path = join(tempDir(), "o.jsonl");
    const w = new JsonlWriter(path);
    w.write({ a: 1 });
    await w.flush();
    expect(await Bun.file(path).exists()).toBe(false);
    const hash = await w.commit();
    expect(readFileSync(path, "utf8")).toBe('{"a":1}\n');
    expect(hash).toBe(new Bun.CryptoHasher("sha256").update('{"a":1}\n').digest("hex"));
  });
});
