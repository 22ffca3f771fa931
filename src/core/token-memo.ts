// Token counts remembered in the workspace database, for the tokenizers that are slow to load.
// generator/compress counts each doc's tokens (o200k_base for OpenAI-compatible teachers) before
// it can even build the cache key (the output cap is part of it), so a fully cached re-run used to
// load gpt-tokenizer's 200k-entry table (~0.3–0.5 s) only to recompute counts it had before.
// With the memo, a re-run reads the counts (a hash and an indexed lookup per text) and never
// loads the tokenizer. Tokenizers that load in milliseconds (qwen3) are counted directly.
import type { Database } from "bun:sqlite";
import { countTokens, DEFAULT_TOKENIZER, isLoaded } from "../text/tokens.ts";

/** Tokenizers whose tables take long enough to load that a lookup is worth it. */
const MEMOIZED = new Set(["o200k_base", "cl100k_base", "claude"]);
/** Shorter texts are counted directly: hashing them costs about as much as counting. */
const MIN_CHARS = 64;
/** New counts are written in one transaction per this many (and when the store closes). */
const FLUSH_EVERY = 256;

export class TokenMemo {
  private readonly get;
  private readonly put;
  private pending: Array<[string, number]> = [];

  constructor(private readonly db: Database) {
    db.run("CREATE TABLE IF NOT EXISTS token_counts (key TEXT PRIMARY KEY, tokens INTEGER NOT NULL)");
    this.get = db.query<{ tokens: number }, [string]>("SELECT tokens FROM token_counts WHERE key = ?");
    this.put = db.query("INSERT OR REPLACE INTO token_counts (key, tokens) VALUES (?, ?)");
  }

  /** `countTokens`, answered from the database when the tokenizer is not in memory yet. */
  readonly count = (text: string, name: string = DEFAULT_TOKENIZER): number => {
    if (!MEMOIZED.has(name) || text.length < MIN_CHARS) return countTokens(text, name);
    const key = `${name}:${new Bun.CryptoHasher("sha256").update(text).digest("hex")}`;
    // Once the tokenizer is loaded, counting is cheaper than a lookup; new counts are still saved.
    if (!isLoaded(name)) {
      const row = this.get.get(key);
      if (row) return row.tokens;
    }
    const n = countTokens(text, name);
    this.pending.push([key, n]);
    if (this.pending.length >= FLUSH_EVERY) this.flush();
    return n;
  };

  flush(): void {
    if (this.pending.length === 0) return;
    const rows = this.pending;
    this.pending = [];
    this.db.transaction(() => {
      for (const [key, n] of rows) this.put.run(key, n);
    })();
  }
}
