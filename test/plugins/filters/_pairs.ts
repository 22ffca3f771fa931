// The real teacher pairs of the original project's v1 dataset as Docs (the repo's data/ copy, the same bytes as ../shared's): user
// content minus the "Compress:\n" prefix is the original, the assistant's answer the compressed.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { makeDoc } from "../../../src/sdk/doc.ts";
import type { Doc } from "../../../src/sdk/types.ts";

export const PAIRS_DIR = join(import.meta.dir, "../../../data/compression-layer-v1"); // the repo's copy: a clean clone has no ../shared
const PREFIX = "Compress:\n";

// The v1 rows carry no domain; their code rows are Python units (def/class/decorator first).
const CODE_START = /^\s*(?:@\w|(?:async\s+)?def\s|class\s)/;

export function pairsAvailable(): boolean {
  return existsSync(join(PAIRS_DIR, "train.jsonl"));
}

export function loadPairs(splits: string[] = ["train", "valid"]): Doc[] {
  const docs: Doc[] = [];
  for (const split of splits) {
    const lines = readFileSync(join(PAIRS_DIR, `${split}.jsonl`), "utf8").split("\n");
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      const messages: Array<{ role: string; content: string }> = JSON.parse(line).messages;
      const user = messages.find((m) => m.role === "user")!.content;
      const text = user.startsWith(PREFIX) ? user.slice(PREFIX.length) : user;
      const compressed = messages.find((m) => m.role === "assistant")!.content;
      const domain = CODE_START.test(text) ? "code" : "nl";
      docs.push(makeDoc({ text, compressed, domain, source: { path: `${split}.jsonl`, unit: String(i + 1) } }));
    });
  }
  return docs;
}
