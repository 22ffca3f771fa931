// Pins the dataset step's output, byte for byte, for a fixed corpus: the split of every row, the
// row bytes, the test docs and the stats (token percentiles included). Written before the step
// was optimised (issue 14), from the output of the code as it was; any change to a hash below
// means users' splits would move between two versions of ctxc. Only change a hash on purpose.
import { describe, expect, test } from "bun:test";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { writeDataset } from "../../src/core/dataset.ts";
import { tempDir } from "../helpers/cli.ts";
import { mulberry32 } from "../../src/text/random.ts";

/** The corpus is the same on every machine: a seeded PRNG. */
const rng = mulberry32;

const WORDS = ["river", "stone", "über", "naïve", "café", "数据", "模型", "light", "Ωmega", "run", "the", "of", "and", "value", "compute", "🙂", "tab\there", "x_1", "42", "3.14"];

/** 1,200 docs: code, prose and mixed; exact duplicates (also by whitespace), near-duplicates
 * (one word changed), rows without `compressed`, non-ASCII text, and a torn-free JSONL file. */
function corpusLines(): string[] {
  const r = rng(14);
  const pick = () => WORDS[Math.floor(r() * WORDS.length)]!;
  const sentence = (n: number) => Array.from({ length: n }, pick).join(" ");
  const lines: string[] = [];
  const texts: string[] = [];
  for (let i = 0; i < 1200; i++) {
    const kind = r();
    let text: string;
    let domain: string;
    if (kind < 0.1 && texts.length > 0) {
      // An exact duplicate of an earlier original, maybe with other whitespace.
      const prev = texts[Math.floor(r() * texts.length)]!;
      text = r() < 0.5 ? prev : `  ${prev.replace(/ /g, "   ")}\n`;
      domain = r() < 0.5 ? "nl" : "code";
    } else if (kind < 0.2 && texts.length > 0) {
      // A near-duplicate: one word of a longer earlier original changed.
      const prev = texts[Math.floor(r() * texts.length)]!.split(" ");
      prev[Math.floor(r() * prev.length)] = pick();
      text = prev.join(" ");
      domain = "nl";
    } else if (kind < 0.55) {
      const body = Array.from({ length: 2 + Math.floor(r() * 10) }, (_, j) => `    v${j} = ${pick().replace(/\W/g, "_")}(${Math.floor(r() * 1000)})`).join("\n");
      text = `def f_${i}(a, b):\n${body}\n    return v0\n`;
      domain = "code";
    } else if (kind < 0.9) {
      text = sentence(20 + Math.floor(r() * 80));
      domain = "nl";
    } else {
      text = `${sentence(10)}\n\n\`\`\`py\nprint(${i})\n\`\`\`\n${sentence(8)}`;
      domain = "mixed";
    }
    texts.push(text);
    const row: Record<string, unknown> = { id: `d${i}`, text, domain, source: { path: `f${i % 7}.txt` }, scores: {}, meta: { i } };
    if (r() > 0.03) row.compressed = r() < 0.02 ? "   " : sentence(3 + Math.floor(r() * 12));
    lines.push(JSON.stringify(row));
  }
  return lines;
}

const FILES = ["train.jsonl", "valid.jsonl", "test.jsonl", "test.docs.jsonl", "stats.json"];

async function hashes(cfg: { seed: number; near_duplicate: number; user_prefix: string; split: [number, number, number] }, holdChars?: number) {
  const dir = tempDir();
  const input = join(dir, "in.jsonl");
  await Bun.write(input, corpusLines().join("\n") + "\n");
  await writeDataset({ input, outDir: join(dir, "ds"), cfg: { ...cfg, max_seq_length: 160, tokenizer: "qwen3" }, systemPrompt: "You compress text.\nKeep every fact.", fingerprint: "fp", holdChars });
  const out = Object.fromEntries(FILES.map((f) => [f, new Bun.CryptoHasher("sha256").update(readFileSync(join(dir, "ds", f))).digest("hex").slice(0, 16)]));
  return out;
}

describe("dataset step output is pinned (issue 14)", () => {
  test("default settings (near_duplicate 0.8)", async () => {
    expect(await hashes({ seed: 42, near_duplicate: 0.8, user_prefix: "", split: [0.8, 0.1, 0.1] })).toEqual(PINNED_DEFAULT);
  });

  test("the same bytes when pass 2 re-reads the file instead of reusing pass 1's docs", async () => {
    expect(await hashes({ seed: 42, near_duplicate: 0.8, user_prefix: "", split: [0.8, 0.1, 0.1] }, 0)).toEqual(PINNED_DEFAULT);
    expect(await hashes({ seed: 42, near_duplicate: 0.8, user_prefix: "", split: [0.8, 0.1, 0.1] }, 50_000)).toEqual(PINNED_DEFAULT);
  });

  test("another seed, exact grouping only, a user prefix, other shares", async () => {
    expect(await hashes({ seed: 7, near_duplicate: 1, user_prefix: "Compress:\n", split: [0.6, 0.3, 0.1] })).toEqual(PINNED_OTHER);
  });

  test("a lower near-duplicate threshold", async () => {
    expect(await hashes({ seed: 1, near_duplicate: 0.5, user_prefix: "", split: [0.8, 0.1, 0.1] })).toEqual(PINNED_LOW);
  });

  // This corpus is below the size where a worker thread shares the work; force each way.
  for (const [mode, threads] of [["with a worker thread", "2"], ["on one thread", "1"]] as const) {
    test(`the same bytes ${mode}`, async () => {
      process.env.CTXC_DATASET_THREADS = threads;
      try {
        expect(await hashes({ seed: 42, near_duplicate: 0.8, user_prefix: "", split: [0.8, 0.1, 0.1] })).toEqual(PINNED_DEFAULT);
        expect(await hashes({ seed: 7, near_duplicate: 1, user_prefix: "Compress:\n", split: [0.6, 0.3, 0.1] })).toEqual(PINNED_OTHER);
        expect(await hashes({ seed: 1, near_duplicate: 0.5, user_prefix: "", split: [0.8, 0.1, 0.1] })).toEqual(PINNED_LOW);
      } finally {
        delete process.env.CTXC_DATASET_THREADS;
      }
    });
  }
});

// 66 near-duplicates joined groups here; 0 (exact only) in the second; 104 in the third.
const PINNED_DEFAULT = { "train.jsonl": "066836e790a2b705", "valid.jsonl": "1aed817b0f1e07bb", "test.jsonl": "a03e080d78c7c94f", "test.docs.jsonl": "3c07315e8a161ce3", "stats.json": "bf4aac12f52c11a4" };
const PINNED_OTHER = { "train.jsonl": "9097136279484ebb", "valid.jsonl": "a4d582054f1b730d", "test.jsonl": "0bda1d439a4c0a44", "test.docs.jsonl": "83261de361983244", "stats.json": "26da8a2b5a586637" };
const PINNED_LOW = { "train.jsonl": "797db7f3c00f8774", "valid.jsonl": "9ce65b4fc0826a6b", "test.jsonl": "89872f4ca04bcf3a", "test.docs.jsonl": "147aa7904274ff98", "stats.json": "bd3baf0f1839743d" };
