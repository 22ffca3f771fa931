// The real teacher pairs the repo ships in data/compression-layer-v1 (the same bytes as
// ../shared/data/compression-layer-v1), read as originals: the user message minus "Compress:\n".
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";

export const PAIRS_DIR = resolve(import.meta.dir, "../../../data/compression-layer-v1");

export interface SharedRow {
  file: string;
  line: number;
  original: string;
}

const PREFIX = "Compress:\n";

export function sharedOriginals(): SharedRow[] {
  const rows: SharedRow[] = [];
  for (const file of ["train.jsonl", "valid.jsonl"]) {
    const lines = readFileSync(join(PAIRS_DIR, file), "utf8").split("\n");
    lines.forEach((line, i) => {
      if (!line.trim()) return;
      const messages = JSON.parse(line).messages as Array<{ role: string; content: string }>;
      const user = messages.find((m) => m.role === "user")!.content;
      if (!user.startsWith(PREFIX)) throw new Error(`${file}:${i + 1}: user message lacks "Compress:" prefix`);
      rows.push({ file, line: i + 1, original: user.slice(PREFIX.length) });
    });
  }
  return rows;
}
