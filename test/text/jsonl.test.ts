import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { JsonlWriter, readJsonl, readJsonlBatches, type JsonlIssue, type JsonlRow } from "../../src/text/jsonl.ts";
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

  test("writeJson writes a row already serialised (redacted like any other); hash: false skips the hash", async () => {
    const path = join(tempDir(), "o.jsonl");
    const w = new JsonlWriter(path, { hash: false });
    w.writeJson('{"b":[1,2]}');
    w.write({ a: 1 });
    expect(w.count).toBe(2);
    expect(await w.commit()).toBe("");
    expect(readFileSync(path, "utf8")).toBe('{"b":[1,2]}\n{"a":1}\n');
  });

  test("readJsonlBatches gives the rows of readJsonl a read chunk at a time", async () => {
    const path = join(tempDir(), "many.jsonl");
    const line = JSON.stringify({ text: "x".repeat(1000) });
    await Bun.write(path, Array.from({ length: 3000 }, () => line).join("\n") + "\n{torn");
    const issues: JsonlIssue[] = [];
    const batches: number[] = [];
    for await (const batch of readJsonlBatches(path, (i) => issues.push(i))) batches.push(batch.length);
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.reduce((a, b) => a + b, 0)).toBe(3000);
    expect(issues.map((i) => [i.line, i.torn])).toEqual([[3001, true]]);
  });
});

describe("JSONL rows longer than maxLineBytes", () => {
  async function readCapped(content: string, maxLineBytes: number) {
    const path = join(tempDir(), "x.jsonl");
    await Bun.write(path, content);
    const issues: JsonlIssue[] = [];
    const rows: JsonlRow<unknown>[] = [];
    for await (const r of readJsonl(path, (i) => issues.push(i), undefined, { maxLineBytes })) rows.push(r);
    return { rows, issues };
  }

  test("are skipped and reported with their line, across chunk edges, in the middle and at the end", async () => {
    const long = JSON.stringify({ t: "x".repeat(3 * 1024 * 1024) });
    const content = `{"a":1}\n${long}\n{"a":3}\n${long}\n{"a":5}\n${long}`;
    const { rows, issues } = await readCapped(content, 1024 * 1024);
    expect(rows).toEqual([{ line: 1, value: { a: 1 } }, { line: 3, value: { a: 3 } }, { line: 5, value: { a: 5 } }]);
    expect(issues.map((i) => [i.line, i.tooLong])).toEqual([[2, true], [4, true], [6, true]]);
    expect(issues[0]!.message).toStartWith("row longer than 1,048,576 bytes");
  });

  test("count bytes, not characters, and keep rows at the limit", async () => {
    const wide = JSON.stringify({ t: "é".repeat(600) }); // 1,208 bytes, 608 characters
    const fits = JSON.stringify({ t: "a".repeat(1000) }); // 1,008 bytes: exactly the limit
    const { rows, issues } = await readCapped(`${wide}\n${fits}\n`, 1008);
    expect(rows).toEqual([{ line: 2, value: { t: "a".repeat(1000) } }]);
    expect(issues).toEqual([expect.objectContaining({ line: 1, tooLong: true, message: "row longer than 1,008 bytes (1,208)" })]);
  });

  test("memory stays bounded: a 128 MB row is never held whole", async () => {
    const dir = tempDir();
    const huge = join(dir, "huge.jsonl");
    const small = join(dir, "small.jsonl");
    await Bun.write(huge, `{"a":1}\n{"t":"${"x".repeat(128 * 1024 * 1024)}"}\n{"a":3}\n`);
    await Bun.write(small, `{"a":1}\n{"a":3}\n`);
    const script = join(import.meta.dir, "_read-capped.ts");
    const peak = async (file: string) => {
      const p = Bun.spawn([process.execPath, script, file, String(1024 * 1024)], { stdout: "pipe", stderr: "inherit" });
      const out = await new Response(p.stdout).text();
      expect(await p.exited).toBe(0);
      return { out: JSON.parse(out), rssMb: p.resourceUsage()!.maxRSS / 1048576 };
    };
    const base = await peak(small);
    const big = await peak(huge);
    expect(big.out).toEqual({ rows: 2, tooLong: [2] });
    // Reading the row whole would cost ≥ 128 MB more than the baseline; the cap allows ~2 MB.
    expect(big.rssMb - base.rssMb).toBeLessThan(64);
  }, 60_000);
});
