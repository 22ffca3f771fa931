import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeDataset } from "../../src/core/dataset.ts";
import { makeDoc } from "../../src/sdk/doc.ts";
import type { Doc } from "../../src/sdk/types.ts";
import { tempDir } from "../helpers/cli.ts";

const cfg = { split: [0.8, 0.1, 0.1] as [number, number, number], seed: 42, user_prefix: "", max_seq_length: 2048, near_duplicate: 0.8, tokenizer: "qwen3" };

function corpus(): Doc[] {
  const docs: Doc[] = [];
  for (let i = 0; i < 300; i++) docs.push(makeDoc({ text: `def f${i}(x):\n    return x + ${i}`, domain: "code", source: { path: "c.py" }, compressed: `f${i}(x)=x+${i}` }));
  for (let i = 0; i < 100; i++) docs.push(makeDoc({ text: `Paragraph ${i} about the river.`, domain: "nl", source: { path: "d.md" }, compressed: `P${i}: river` }));
  // The same original twice with different compressions, and once more with other whitespace.
  docs.push(makeDoc({ text: "Twice  seen text.", domain: "nl", source: { path: "x" }, compressed: "twice A" }));
  docs.push(makeDoc({ text: "Twice seen text.", domain: "nl", source: { path: "y" }, compressed: "twice B" }));
  docs.push(makeDoc({ text: "No compression here", domain: "nl", source: { path: "z" } }));
  return docs;
}

async function build(docs: Doc[], seed = 42) {
  const dir = tempDir();
  const input = join(dir, "in.jsonl");
  await Bun.write(input, docs.map((d) => JSON.stringify(d)).join("\n") + "\n");
  const res = await writeDataset({ input, outDir: join(dir, "dataset"), cfg: { ...cfg, seed }, systemPrompt: "SYS", fingerprint: "fp" });
  const read = (s: string) => readFileSync(join(dir, "dataset", `${s}.jsonl`), "utf8").trim().split("\n").filter(Boolean).map((l) => JSON.parse(l));
  return { res, train: read("train"), valid: read("valid"), test: read("test"), testDocs: read("test.docs") };
}

describe("dataset step", () => {
  test("each row is exactly JSON.stringify of its messages, whatever the prefix (quotes, controls, half a surrogate pair)", async () => {
    for (const prefix of ["", "Compress:\n", 'say "hi"\t\u0001 ', "\ud83d"]) {
      const dir = tempDir();
      const input = join(dir, "in.jsonl");
      const docs = [makeDoc({ text: "\ude00 smile \"quoted\"\n\tend", domain: "nl", source: { path: "a" }, compressed: "é \u2028 x" })];
      await Bun.write(input, docs.map((d) => JSON.stringify(d)).join("\n") + "\n");
      await writeDataset({ input, outDir: join(dir, "ds"), cfg: { ...cfg, split: [1, 0, 0], user_prefix: prefix }, systemPrompt: 'S "Y" S\n', fingerprint: "fp" });
      const expected = JSON.stringify({ messages: [{ role: "system", content: 'S "Y" S\n' }, { role: "user", content: prefix + docs[0]!.text }, { role: "assistant", content: docs[0]!.compressed }] });
      expect(readFileSync(join(dir, "ds", "train.jsonl"), "utf8")).toBe(expected + "\n");
    }
  });

  test("chat rows that mlx_lm.lora accepts: system, user = original, assistant = compressed", async () => {
    const { train } = await build(corpus());
    const row = train[0];
    expect(Object.keys(row)).toEqual(["messages"]);
    expect(row.messages[0]).toEqual({ role: "system", content: "SYS" });
    expect(row.messages[1].role).toBe("user");
    expect(row.messages[2].role).toBe("assistant");
  });

  test("split shares hold per domain (stratified), docs without compressed text are left out", async () => {
    const { res } = await build(corpus());
    expect(res.stats.skipped.no_compressed).toBe(1);
    expect(res.stats.byDomain.train.code).toBe(240);
    expect(res.stats.byDomain.valid.code).toBe(30);
    expect(res.stats.byDomain.test.code).toBe(30);
    expect(res.stats.byDomain.train.nl! + res.stats.byDomain.valid.nl! + res.stats.byDomain.test.nl!).toBe(102);
    expect(Math.abs(res.stats.byDomain.train.nl! - 81)).toBeLessThanOrEqual(2);
  });

  test("no original appears in two splits (whitespace-normalised)", async () => {
    const { train, valid, test: t } = await build(corpus());
    const norm = (r: any) => r.messages[1].content.replace(/\s+/g, " ").trim();
    const sets = [train, valid, t].map((rows) => new Set(rows.map(norm)));
    for (let a = 0; a < 3; a++) for (let b = a + 1; b < 3; b++) for (const x of sets[a]!) expect(sets[b]!.has(x)).toBe(false);
  });

  test("deterministic for a seed, independent of input order; another seed gives another split", async () => {
    const a = await build(corpus());
    const b = await build([...corpus()].reverse());
    const key = (rows: any[]) => rows.map((r) => r.messages[1].content).sort();
    expect(key(a.test)).toEqual(key(b.test));
    const c = await build(corpus(), 7);
    expect(key(c.test)).not.toEqual(key(a.test));
  });

  test("test.docs.jsonl keeps the test split's docs for evaluators", async () => {
    const { test: t, testDocs } = await build(corpus());
    expect(testDocs.length).toBe(t.length);
    expect(testDocs[0].id).toBeTruthy();
  });
});

describe("dataset quality", () => {
  const WORDS = "river bridge budget council flood season eastern span harbour tunnel railway station museum garden library market school hospital canal tower castle valley forest meadow lake island coast cliff desert glacier".split(" ");
  // 25 words drawn per paragraph by a simple LCG, so different paragraphs share few shingles.
  const para = (i: number, tail: string) => {
    let x = i * 7919 + 13;
    const words = Array.from({ length: 25 }, () => WORDS[(x = (x * 1103515245 + 12345) % 2147483648) % WORDS.length]);
    return `Paragraph ${i}: ${words.join(" ")} ${tail}`;
  };

  test("near-duplicate originals share a split; with near_duplicate = 1 only exact ones do", async () => {
    const docs: Doc[] = [];
    for (let i = 0; i < 60; i++) {
      docs.push(makeDoc({ text: para(i, "this year."), domain: "nl", source: { path: "a" }, compressed: `c${i}` }));
      docs.push(makeDoc({ text: para(i, "this year!!"), domain: "nl", source: { path: "b" }, compressed: `d${i}` }));
    }
    const splitsOf = (r: Awaited<ReturnType<typeof build>>) => {
      const m = new Map<string, Set<string>>();
      for (const [name, rows] of [["train", r.train], ["valid", r.valid], ["test", r.test]] as const) {
        for (const row of rows) {
          const k = row.messages[1].content.replace(/[.!]+$/, "");
          if (!m.has(k)) m.set(k, new Set());
          m.get(k)!.add(name);
        }
      }
      return [...m.values()].filter((s) => s.size > 1).length;
    };
    const grouped = await build(docs);
    expect(grouped.res.stats.nearDuplicates).toBe(60);
    expect(splitsOf(grouped)).toBe(0);
    const dir = tempDir();
    const input = join(dir, "in.jsonl");
    await Bun.write(input, docs.map((d) => JSON.stringify(d)).join("\n") + "\n");
    const exactOnly = await writeDataset({ input, outDir: join(dir, "ds"), cfg: { ...cfg, near_duplicate: 1 }, systemPrompt: "SYS", fingerprint: "fp" });
    expect(exactOnly.stats.nearDuplicates).toBe(0);
  });

  test("token-length percentiles per split and rows over max_seq_length are reported", async () => {
    const docs = corpus();
    docs.push(makeDoc({ text: "word ".repeat(3000), domain: "nl", source: { path: "long" }, compressed: "long" }));
    const { res } = await build(docs);
    const t = res.stats.tokens;
    expect(t.train.p50).toBeGreaterThan(0);
    expect(t.train.p50).toBeLessThanOrEqual(t.train.p90);
    expect(t.train.p90).toBeLessThanOrEqual(t.train.max);
    expect(t.train.overMaxSeqLength + t.valid.overMaxSeqLength + t.test.overMaxSeqLength).toBe(1);
  });
});
