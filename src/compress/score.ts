// Runs compressors over the same docs and scores every output: Qwen3-token ratio, word F1 against
// the teacher's compression, fact recall, empty/expanded flags and latency per 1,000 tokens.
// Compressors run one after another and docs one at a time, so one backend's latency is never
// measured while another competes for the two cores.
import type { Doc } from "../sdk/types.ts";
import type { Candidate } from "./candidates.ts";
import { factRecall, overallRecall, wordF1, type FactRecall } from "./metrics.ts";

export interface ScoredRow {
  id: string;
  domain: Doc["domain"];
  compressed: string;
  tokens_in: number;
  tokens_out: number;
  /** tokens_out / tokens_in (Qwen3 tokens). */
  ratio: number;
  /** Word F1 against the teacher's compression; null when the doc has none. */
  f1: number | null;
  facts: FactRecall;
  /** All kinds of facts together; null when the original has none. */
  recall: number | null;
  empty: boolean;
  /** More tokens out than in. */
  expanded: boolean;
  /** Milliseconds per 1,000 input tokens; null for outputs made before the evaluation (teacher). */
  ms_per_1k: number | null;
}

export function scoreOne(doc: Doc, out: { compressed: string; tokens_in: number; tokens_out: number; ms: number }): ScoredRow {
  const facts = factRecall(doc.text, out.compressed, doc.domain);
  return {
    id: doc.id,
    domain: doc.domain,
    compressed: out.compressed,
    tokens_in: out.tokens_in,
    tokens_out: out.tokens_out,
    ratio: out.tokens_out / Math.max(1, out.tokens_in),
    f1: doc.compressed === undefined ? null : wordF1(out.compressed, doc.compressed),
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
