// One embedded SQLite database (WAL) per workspace: the content-addressed call cache, the cost
// ledger and small durable state (batch-job ids). Every write is its own transaction, so a crash
// loses at most the calls in flight.
import { constants, Database } from "bun:sqlite";
import { existsSync } from "node:fs";
import { pathToFileURL } from "node:url";
import type { CallCache, CostEntry, DurableState } from "../sdk/types.ts";
import { canonicalJson, sha256 } from "./canonical.ts";

/** The database file in a workspace folder. */
export const STORE_FILE = "ctxc.sqlite";

export interface LedgerRow extends CostEntry {
  ts: number;
  stage: string;
  pipeline: string;
}

export class Store {
  readonly db: Database;

  /**
   * For `run --estimate`, which writes nothing in the workspace: the workspace's store read-only
   * (its cache tells which requests would be free), or a fresh one at `scratch` when it has none.
   */
  static forEstimate(path: string, scratch: string): Store {
    if (!existsSync(path)) return new Store(scratch);
    // `immutable=1`: a plain read-only open of a WAL database still creates -wal and -shm files
    // beside it; an immutable one touches nothing (it reads the main file, without locks: answers
    // a concurrent run has not checkpointed yet count as not cached — an estimate errs high).
    const uri = `${pathToFileURL(path).href}?immutable=1`;
    return new Store(path, new Database(uri, constants.SQLITE_OPEN_READONLY | constants.SQLITE_OPEN_URI));
  }

  constructor(path: string, readonlyDb?: Database) {
    if (readonlyDb) {
      this.db = readonlyDb;
      return;
    }
    this.db = new Database(path, { create: true, strict: true });
    this.db.run("PRAGMA journal_mode = WAL");
    this.db.run("PRAGMA synchronous = NORMAL");
    this.db.run("PRAGMA busy_timeout = 5000");
    this.db.run(`CREATE TABLE IF NOT EXISTS cache (
      key TEXT PRIMARY KEY, value TEXT NOT NULL, created INTEGER NOT NULL)`);
    this.db.run(`CREATE TABLE IF NOT EXISTS ledger (
      id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, pipeline TEXT NOT NULL, stage TEXT NOT NULL,
      model TEXT NOT NULL, tokens_in INTEGER NOT NULL, tokens_out INTEGER NOT NULL, usd REAL,
      cached INTEGER NOT NULL, batch INTEGER NOT NULL)`);
    this.db.run(`CREATE TABLE IF NOT EXISTS state (
      ns TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL, PRIMARY KEY (ns, key))`);
  }

  close(): void {
    this.db.close();
  }

  cache(): CallCache {
    const get = this.db.query<{ value: string }, [string]>("SELECT value FROM cache WHERE key = ?");
    const put = this.db.query("INSERT OR REPLACE INTO cache (key, value, created) VALUES (?, ?, ?)");
    return {
      key: (parts) => sha256(canonicalJson(parts)),
      get: <T>(key: string) => {
        const row = get.get(key);
        return row ? (JSON.parse(row.value) as T) : undefined;
      },
      set: (key, value) => {
        put.run(key, JSON.stringify(value), Date.now());
      },
    };
  }

  state(): DurableState {
    const get = this.db.query<{ value: string }, [string, string]>("SELECT value FROM state WHERE ns = ? AND key = ?");
    const put = this.db.query("INSERT OR REPLACE INTO state (ns, key, value) VALUES (?, ?, ?)");
    const del = this.db.query("DELETE FROM state WHERE ns = ? AND key = ?");
    const list = this.db.query<{ key: string; value: string }, [string]>("SELECT key, value FROM state WHERE ns = ? ORDER BY key");
    return {
      get: <T>(ns: string, key: string) => {
        const row = get.get(ns, key);
        return row ? (JSON.parse(row.value) as T) : undefined;
      },
      set: (ns, key, value) => {
        put.run(ns, key, JSON.stringify(value));
      },
      delete: (ns, key) => {
        del.run(ns, key);
      },
      list: <T>(ns: string) => list.all(ns).map((r) => ({ key: r.key, value: JSON.parse(r.value) as T })),
    };
  }

  recordCost(pipeline: string, stage: string, e: CostEntry): void {
    this.db
      .query(`INSERT INTO ledger (ts, pipeline, stage, model, tokens_in, tokens_out, usd, cached, batch)
              VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(Date.now(), pipeline, stage, e.model, e.tokensIn, e.tokensOut, e.usd, e.cached ? 1 : 0, e.batch ? 1 : 0);
  }

  /** Total USD in the ledger (unknown prices count as nothing, and are reported separately). */
  spent(): number {
    const row = this.db.query<{ usd: number | null }, []>("SELECT SUM(usd) AS usd FROM ledger").get();
    return row?.usd ?? 0;
  }

  ledger(): LedgerRow[] {
    return this.db
      .query<any, []>("SELECT * FROM ledger ORDER BY id")
      .all()
      .map((r) => ({
        ts: r.ts, pipeline: r.pipeline, stage: r.stage, model: r.model, tokensIn: r.tokens_in,
        tokensOut: r.tokens_out, usd: r.usd, cached: r.cached === 1, batch: r.batch === 1,
      }));
  }
}
