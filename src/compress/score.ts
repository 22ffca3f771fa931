// Runs compressors over the same docs and scores every output: Qwen3-token ratio, word F1 against
// the teacher's compression, fact recall, empty/expanded flags and latency per 1,000 tokens.
// Compressors run one after another and docs one at a time, so one backend's latency is never
// measured while another competes for the two cores.
import type { Doc } from "../sdk/types.ts";
import type { Candidate } from "./candidates.ts";
import { entitiesIn, entityKept } from "../text/facts.ts";
import { scorePair, type Recall } from "./metrics.ts";

/** The kinds of facts an evaluation counts: metrics.ts's three plus prose's named entities. */
export const FACT_KINDS = ["numbers", "identifiers", "negations", "entities"] as const;
export type FactKind = (typeof FACT_KINDS)[number];
export type Facts = Record<FactKind, Recall>;

/** Named entities of prose and mixed text (src/text/facts.ts, as filter/notation finds them). */
export function entityRecall(original: string, compressed: string, domain: Doc["domain"]): Recall {
  if (domain === "code") return { total: 0, kept: 0 };
  const ents = entitiesIn(original);
  const lower = compressed.toLowerCase();
  return { total: ents.length, kept: ents.filter((e) => entityKept(e, lower)).length };
}

/** All kinds together: kept / total, or null when the original has no fact of any kind. */
export function overallRecall(f: Facts): number | null {
  let total = 0;
  let kept = 0;
  for (const k of FACT_KINDS) {
    total += f[k].total;
    kept += f[k].kept;
  }
  return total === 0 ? null : kept / total;
}

export interface ScoredRow {
  id: string;
  domain: Doc["domain"];
  compressed: string;
  tokens_in: number;
  tokens_out: number;
  /** tokens_out / tokens_in (Qwen3 tokens). */
  ratio: number;
  /** Word F1 against the teacher's compression (metrics.ts: the original's words each keeps); null without one. */
  f1: number | null;
  facts: Facts;
  /** All kinds of facts together; null when the original has none. */
  recall: number | null;
  empty: boolean;
  /** More tokens out than in. */
  expanded: boolean;
  /** Milliseconds per 1,000 input tokens; null for outputs made before the evaluation (teacher). */
  ms_per_1k: number | null;
}

export function scoreOne(doc: Doc, out: { compressed: string; tokens_in: number; tokens_out: number; ms: number }): ScoredRow {
  const pair = scorePair(doc.text, out.compressed, doc.domain, doc.compressed);
  const facts: Facts = { ...pair.facts, entities: entityRecall(doc.text, out.compressed, doc.domain) };
  return {
    id: doc.id,
    domain: doc.domain,
    compressed: out.compressed,
    tokens_in: out.tokens_in,
    tokens_out: out.tokens_out,
    ratio: out.tokens_out / Math.max(1, out.tokens_in),
    f1: pair.f1 ?? null,
    facts,
    recall: overallRecall(facts),
    empty: out.compressed.trim().length === 0,
    expanded: out.tokens_out > out.tokens_in,
    ms_per_1k: Number.isFinite(out.ms) ? (out.ms * 1000) / Math.max(1, out.tokens_in) : null,
  };
}

/** One array of scored rows per candidate, each in the docs' order (row i of every array is doc i). */
export async function scoreCandidates(docs: Doc[], candidates: Candidate[], opts: { signal?: AbortSignal; onProgress?(candidate: string, done: number): void } = {}): Promise<ScoredRow[][]> {
  const all: ScoredRow[][] = [];
  for (const c of candidates) {
    // One untimed warm-up call: loading a model or JIT-compiling belongs to start-up, not to
    // the per-request latency the p50/p95 report.
    if (c.timed && docs.length > 0) await c.compress(docs[0]!, opts.signal);
    const rows: ScoredRow[] = [];
    for (const doc of docs) {
      opts.signal?.throwIfAborted();
      rows.push(scoreOne(doc, await c.compress(doc, opts.signal)));
      opts.onProgress?.(c.name, rows.length);
    }
    all.push(rows);
  }
  return all;
}
