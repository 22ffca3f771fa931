// Temporary file trees for the loader and corpus-file tests, removed after the calling test file.
import { afterAll } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export type TreeFiles = Record<string, string | Uint8Array>;

/**
 * A tree writer for one test file: `tree({ "a/b.py": "text" })` makes a fresh temp folder with
 * those files (Uint8Array values are written as bytes) and returns its path. Call at the top of
 * the test file: the folders are removed after its tests.
 */
export function tempTrees(prefix: string): (files: TreeFiles) => string {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  return (files) => {
    const root = mkdtempSync(join(tmpdir(), prefix));
    dirs.push(root);
    for (const [rel, body] of Object.entries(files)) {
      mkdirSync(join(root, rel, ".."), { recursive: true });
      writeFileSync(join(root, rel), body);
    }
    return root;
  };
}
