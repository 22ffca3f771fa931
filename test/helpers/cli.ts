// Run the ctxc CLI from source in a child process, as a user would run the binary.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const REPO = resolve(import.meta.dir, "../..");
export const MAIN = join(REPO, "src/cli/main.ts");
export const SHARED = resolve(REPO, "../shared");

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function ctxc(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  const p = Bun.spawn([process.execPath, MAIN, ...args], {
    cwd: opts.cwd ?? REPO,
    env: { ...process.env, NO_COLOR: "1", ...opts.env },
    stdout: "pipe",
    stderr: "pipe",
  });
  const [stdout, stderr, code] = await Promise.all([new Response(p.stdout).text(), new Response(p.stderr).text(), p.exited]);
  return { code, stdout, stderr };
}

export function tempDir(prefix = "ctxc-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** Write files (path -> content) under a fresh temp folder and return it. */
export async function workspace(files: Record<string, string>): Promise<string> {
  const dir = tempDir();
  for (const [path, content] of Object.entries(files)) await Bun.write(join(dir, path), content);
  return dir;
}

export function docsJsonl(texts: string[]): string {
  return texts.map((text) => JSON.stringify({ text })).join("\n") + "\n";
}

/** Runs a command in this process and returns what it wrote to stdout, and its result. */
export async function captureStdout<T>(fn: () => Promise<T>): Promise<{ out: string; result: T }> {
  const write = process.stdout.write.bind(process.stdout);
  let out = "";
  process.stdout.write = ((chunk: string | Uint8Array) => ((out += String(chunk)), true)) as typeof process.stdout.write;
  try {
    const result = await fn();
    return { out, result };
  } finally {
    process.stdout.write = write;
  }
}
