// Atomic file writes: write a temp file next to the target, then rename over it, so a reader
// (or the next run after a crash) sees either the old file or the new one, never half of one.
import { rename } from "node:fs/promises";

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`;
  await Bun.write(tmp, data);
  await rename(tmp, path);
}

export async function writeJsonAtomic(path: string, value: unknown): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(value, null, 2) + "\n");
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
