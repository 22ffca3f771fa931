// Read-side queries on a workspace's store for `ctxc cache`, `ctxc costs` and `ctxc batches`,
// kept apart from store.ts (which the runner writes through). Each takes an open Store.
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { readPipelineFile } from "./config.ts";
import { CtxcError, EXIT } from "./errors.ts";
import { STORE_FILE, Store } from "./store.ts";

/** The store of a workspace given as `--out DIR` or through its pipeline file; never creates one. */
export async function openWorkspaceStore(target: { out?: string; pipeline?: string }): Promise<{ store: Store; out: string }> {
  if (!target.out && !target.pipeline) {
    throw new CtxcError("which workspace? pass a pipeline file or --out DIR", { hint: "e.g. `ctxc costs pipeline.toml` or `ctxc costs --out runs/ctxc-v2`", exitCode: EXIT.invalid });
  }
  const out = target.out ? resolve(target.out) : (await readPipelineFile(target.pipeline!)).out;
  const file = join(out, STORE_FILE);
  if (!existsSync(file)) {
    throw new CtxcError(`no ctxc database in ${out} (looked for ${STORE_FILE})`, { hint: "run the pipeline first, or point --out at its workspace folder", exitCode: EXIT.invalid });
  }
  return { store: new Store(file), out };
}

export interface CacheStats {
  entries: number;
  bytes: number;
  oldest: number | null;
  newest: number | null;
}

export function cacheStats(store: Store): CacheStats {
  const r = store.db
    .query<{ n: number; bytes: number | null; oldest: number | null; newest: number | null }, []>(
      "SELECT COUNT(*) AS n, SUM(LENGTH(key) + LENGTH(value)) AS bytes, MIN(created) AS oldest, MAX(created) AS newest FROM cache",
    )
    .get()!;
  return { entries: r.n, bytes: r.bytes ?? 0, oldest: r.oldest, newest: r.newest };
}

/** Delete cache entries (all, or those created before `olderThanMs` ago); returns how many. */
export function clearCache(store: Store, olderThanMs?: number, now = Date.now()): number {
  const res =
    olderThanMs === undefined
      ? store.db.query("DELETE FROM cache").run()
      : store.db.query("DELETE FROM cache WHERE created < ?").run(now - olderThanMs);
  return res.changes;
}

export type CostGroup = "stage" | "model" | "day" | "pipeline";

export interface CostRow {
  key: string;
  calls: number;
  cached: number;
  batch: number;
  tokensIn: number;
  tokensOut: number;
  /** Sum of known prices. */
  usd: number;
  /** Paid calls whose price is unknown (not counted in usd). */
  unpriced: number;
}

const GROUP_SQL: Record<CostGroup, string> = {
  stage: "stage",
  model: "model",
  pipeline: "pipeline",
  // Local calendar day of the call.
  day: "strftime('%Y-%m-%d', ts / 1000, 'unixepoch', 'localtime')",
};

export function costsBy(store: Store, by: CostGroup): CostRow[] {
  return store.db
    .query<any, []>(
      `SELECT ${GROUP_SQL[by]} AS key, COUNT(*) AS calls, SUM(cached) AS cached, SUM(batch) AS batch,
              SUM(tokens_in) AS tokens_in, SUM(tokens_out) AS tokens_out, COALESCE(SUM(usd), 0) AS usd,
              SUM(CASE WHEN usd IS NULL AND cached = 0 THEN 1 ELSE 0 END) AS unpriced
       FROM ledger GROUP BY key ORDER BY key`,
    )
    .all()
    .map((r) => ({
      key: String(r.key), calls: r.calls, cached: r.cached, batch: r.batch, tokensIn: r.tokens_in,
      tokensOut: r.tokens_out, usd: r.usd, unpriced: r.unpriced,
    }));
}
