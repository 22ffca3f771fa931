import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { tempDir } from "../helpers/cli.ts";

// Each step runs in its own process: whether a tokenizer is loaded is per process.
function step(db: string, texts: string[], tokenizer: string) {
  const script = `
    import { Store } from "./src/core/store.ts";
    import { isLoaded } from "./src/text/tokens.ts";
    const store = new Store(${JSON.stringify(db)});
    const counts = ${JSON.stringify(texts)}.map((t) => store.tokenMemo().count(t, ${JSON.stringify(tokenizer)}));
    const loaded = isLoaded(${JSON.stringify(tokenizer)});
    store.close();
    console.log(JSON.stringify({ counts, loaded }));`;
  const out = Bun.spawnSync([process.execPath, "-e", script], { cwd: join(import.meta.dir, "../..") });
  expect(out.stderr.toString()).toBe("");
  return JSON.parse(out.stdout.toString()) as { counts: number[]; loaded: boolean };
}

const TEXTS = Array.from({ length: 300 }, (_, i) => `def handler_${i}(item, flag=False):\n    return compute(item, ${i}) if flag else {"k": ${i * 7}}\n`);

describe("token-count memo in the workspace database", () => {
  test("a second process gets the same o200k counts without loading the tokenizer", () => {
    const db = join(tempDir(), "ctxc.sqlite");
    const first = step(db, TEXTS, "o200k_base");
    expect(first.loaded).toBe(true);
    expect(first.counts.every((n) => n > 10)).toBe(true);
    const again = step(db, TEXTS, "o200k_base");
    expect(again).toEqual({ counts: first.counts, loaded: false });
  }, 30_000);

  test("a text it has not seen is counted (the tokenizer loads); short texts and qwen3 are always counted", () => {
    const db = join(tempDir(), "ctxc.sqlite");
    const first = step(db, TEXTS.slice(0, 3), "o200k_base");
    const more = step(db, [...TEXTS.slice(0, 3), `${TEXTS[3]} and something new`], "o200k_base");
    expect(more.loaded).toBe(true);
    expect(more.counts.slice(0, 3)).toEqual(first.counts);
    expect(step(db, ["short text"], "o200k_base")).toEqual({ counts: [2], loaded: true });
    expect(step(db, TEXTS.slice(0, 2), "qwen3").loaded).toBe(true);
  }, 30_000);
});
