// Atomic file writes: write a temp file next to the target, then rename over it, so a reader
// (or the next run after a crash) sees either the old file or the new one, never half of one.
import { rename } from "node:fs/promises";
import { redact, redactJson } from "../text/redact.ts";

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  // Text files (manifest.json, stats.json, …) never hold a secret ctxc was given.
  await Bun.write(tmp, typeof data === "string" ? redact(data) : data);
  await rename(tmp, path);
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, redactJson(JSON.stringify(value, null, 2)) + "\n");
}

export async function readJsonIfExists<T>(path: string): Promise<T | undefined> {
  const f = Bun.file(path);
  if (!(await f.exists())) return undefined;
  try {
    return (await f.json()) as T;
  } catch {
    return undefined;
  }
}
