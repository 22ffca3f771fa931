// A small agent memory store: every memory is compressed on write by a running `ctxc serve`
// and kept in SQLite (bun:sqlite) in both forms — the original for audit, the compressed text for
// the agent's context window. `savings()` says how many tokens the agent no longer pays for.
// Only Bun and fetch are used: this is a client of the HTTP API, not of ctxc's code.
import { Database } from "bun:sqlite";

export interface Memory {
  id: number;
  text: string;
  compressed: string;
  tokens_in: number;
  tokens_out: number;
  created_at: string;
}

export interface Savings {
  memories: number;
  tokens_in: number;
  tokens_out: number;
  saved: number;
  /** Share of tokens saved, 0–1. */
  ratio: number;
}

export class MemoryStore {
  private readonly db: Database;

  constructor(
    path: string,
    private readonly serveUrl: string,
    private readonly token?: string,
  ) {
    this.db = new Database(path, { create: true });
    this.db.run("PRAGMA journal_mode = WAL");
    this.db.run(`CREATE TABLE IF NOT EXISTS memories (
      id INTEGER PRIMARY KEY,
      text TEXT NOT NULL,
      compressed TEXT NOT NULL,
      tokens_in INTEGER NOT NULL,
      tokens_out INTEGER NOT NULL,
      created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now'))
    )`);
  }

  /** Compress through ctxc serve, then store. A failed compression stores nothing. */
  async remember(text: string, domain?: "code" | "nl" | "mixed"): Promise<Memory> {
    const res = await fetch(`${this.serveUrl}/v1/compress`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(this.token ? { authorization: `Bearer ${this.token}` } : {}) },
      body: JSON.stringify({ text, ...(domain ? { domain } : {}) }),
    });
    const body = (await res.json()) as { compressed?: string; tokens_in?: number; tokens_out?: number; error?: string };
    if (!res.ok) throw new Error(`ctxc serve answered ${res.status}: ${body.error ?? "no message"}`);
    return this.db
      .query<Memory, [string, string, number, number]>("INSERT INTO memories (text, compressed, tokens_in, tokens_out) VALUES (?, ?, ?, ?) RETURNING *")
      .get(text, body.compressed!, body.tokens_in!, body.tokens_out!)!;
  }

  /** Memories whose original mentions every word of the query, newest first (compressed form). */
  recall(query: string, limit = 10): Memory[] {
    const words = query.split(/\s+/).filter(Boolean);
    const where = words.map(() => "text LIKE ?").join(" AND ") || "1";
    return this.db.query<Memory, string[]>(`SELECT * FROM memories WHERE ${where} ORDER BY id DESC LIMIT ${Math.max(1, Math.floor(limit))}`).all(...words.map((w) => `%${w}%`));
  }

  /** The agent's context: the compressed memories, oldest first. */
  context(): string {
    return this.db.query<{ compressed: string }, []>("SELECT compressed FROM memories ORDER BY id").all().map((m) => m.compressed).join("\n");
  }

  savings(): Savings {
    const r = this.db.query<{ n: number; i: number | null; o: number | null }, []>("SELECT count(*) AS n, sum(tokens_in) AS i, sum(tokens_out) AS o FROM memories").get()!;
    const tokensIn = r.i ?? 0;
    const tokensOut = r.o ?? 0;
    return { memories: r.n, tokens_in: tokensIn, tokens_out: tokensOut, saved: tokensIn - tokensOut, ratio: tokensIn ? (tokensIn - tokensOut) / tokensIn : 0 };
  }

  close(): void {
    this.db.close();
  }
}

// bun examples/memory-store/store.ts add "text" | recall "words" | context | stats
if (import.meta.main) {
  const [cmd, ...rest] = process.argv.slice(2);
  const store = new MemoryStore(process.env.MEMORY_DB ?? "memories.sqlite", process.env.CTXC_URL ?? "http://127.0.0.1:8377", process.env.CTXC_TOKEN);
  try {
    if (cmd === "add") {
      const m = await store.remember(rest.join(" ") || (await Bun.stdin.text()));
      console.log(`#${m.id}: ${m.tokens_in} → ${m.tokens_out} tokens\n${m.compressed}`);
    } else if (cmd === "recall") {
      for (const m of store.recall(rest.join(" "))) console.log(`#${m.id} ${m.compressed}`);
    } else if (cmd === "context") {
      console.log(store.context());
    } else if (cmd === "stats") {
      const s = store.savings();
      console.log(`${s.memories} memories: ${s.tokens_in} → ${s.tokens_out} tokens, ${s.saved} saved (${(s.ratio * 100).toFixed(1)}%)`);
    } else {
      console.error("usage: bun store.ts add TEXT | recall WORDS | context | stats   (env: CTXC_URL, CTXC_TOKEN, MEMORY_DB)");
      process.exitCode = 2;
    }
  } catch (e) {
    console.error(`error: ${(e as Error).message}`);
    process.exitCode = 1;
  } finally {
    store.close();
  }
}
