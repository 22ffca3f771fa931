import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { qwen3 } from "../../src/text/qwen3.ts";
import { countTokens, tokenizerNames } from "../../src/text/tokens.ts";

// Ids from Hugging Face `tokenizers` (Rust) over the same tokenizer.json; see qwen3-reference.py.
const fixture: Array<{ text: string; ids: number[] }> = await Bun.file(join(import.meta.dir, "../fixtures/qwen3-ids.json")).json();

describe("qwen3 tokenizer", () => {
  test("ids equal the reference implementation's on real code, prose and edge cases", () => {
    const tok = qwen3();
    expect(fixture.length).toBeGreaterThan(90);
    for (const { text, ids } of fixture) expect({ text, ids: tok.encode(text) }).toEqual({ text, ids });
  });

  test("count() equals the reference ids' length (it has its own word table)", () => {
    const tok = qwen3();
    for (const { text, ids } of fixture) expect({ text, n: tok.count(text) }).toEqual({ text, n: ids.length });
  });

  test("published Qwen2/2.5/3 ids: plain words and the chat/think special tokens", () => {
    const tok = qwen3();
    expect(tok.encode("Hello world")).toEqual([9707, 1879]);
    expect(tok.encode("<|endoftext|><|im_start|><|im_end|>")).toEqual([151643, 151644, 151645]);
    expect(tok.encode("<think></think>")).toEqual([151667, 151668]);
  });

  test("decode inverts encode (after NFC)", () => {
    const tok = qwen3();
    for (const { text } of fixture) expect(tok.decode(tok.encode(text))).toBe(text.normalize("NFC"));
  });

  test("long words without merges-friendly structure stay fast (heap-based BPE)", () => {
    const text = "q".repeat(20_000) + "xz".repeat(20_000);
    expect(qwen3().decode(qwen3().encode(text))).toBe(text);
  });

  test("registered as 'qwen3' in the shared token counter", () => {
    expect(tokenizerNames()).toContain("qwen3");
    expect(countTokens("Hello world", "qwen3")).toBe(2);
  });

  test("importing src/text/tokens.ts does not load the Qwen3 tables", () => {
    const script = `
      import { tokenizerNames, countTokens } from "./src/text/tokens.ts";
      import { qwen3Loaded } from "./src/text/qwen3.ts";
      const before = qwen3Loaded();
      tokenizerNames();
      countTokens("x", "o200k_base");
      const stillUnloaded = qwen3Loaded();
      countTokens("x", "qwen3");
      console.log(JSON.stringify([before, stillUnloaded, qwen3Loaded()]));`;
    const out = Bun.spawnSync([process.execPath, "-e", script], { cwd: join(import.meta.dir, "../..") });
    expect(out.stderr.toString()).toBe("");
    expect(JSON.parse(out.stdout.toString())).toEqual([false, false, true]);
  });
});
