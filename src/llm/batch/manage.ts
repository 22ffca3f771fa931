// Batch jobs as `ctxc batches` shows and cancels them: the records in the durable state, and the
// provider adapter for a record (its model and base URL were stored at submission; the key comes
// from the environment now, as always).
import type { DurableState } from "../../sdk/types.ts";
import { endpointFor } from "../clients.ts";
import { parseModel } from "../model-name.ts";
import { anthropicBatches } from "./anthropic.ts";
import { openaiBatches } from "./openai.ts";
import { BATCH_NS, type BatchAdapter, type BatchRecord, type BatchStatus } from "./types.ts";

export function listBatches(state: DurableState): BatchRecord[] {
  return state
    .list<BatchRecord>(BATCH_NS)
    .map((r) => r.value)
    .sort((a, b) => a.submittedAt - b.submittedAt);
}

function adapterFor(rec: BatchRecord, env: Record<string, string | undefined>): BatchAdapter {
  const spec = parseModel(rec.model, { baseUrls: { [rec.provider]: rec.baseURL }, env });
  const endpoint = endpointFor(spec, { env, maxRetries: 2 });
  return endpoint.anthropic ? anthropicBatches(endpoint.anthropic) : openaiBatches(endpoint.openai!, spec);
}

export async function batchStatus(rec: BatchRecord, env: Record<string, string | undefined> = process.env): Promise<BatchStatus> {
  return adapterFor(rec, env).status(rec.id);
}

/**
 * Ask the provider to cancel a batch. The record stays "submitted": the next run collects what
 * finished before the cancel and submits the rest again (skip the re-run to spend nothing more).
 */
export async function cancelBatch(state: DurableState, id: string, env: Record<string, string | undefined> = process.env): Promise<BatchRecord> {
  const rec = state.get<BatchRecord>(BATCH_NS, id);
  if (!rec) {
    const known = listBatches(state).map((b) => b.id);
    throw new Error(`no batch ${id} in this workspace${known.length ? `; known: ${known.join(", ")}` : ""}`);
  }
  if (rec.status !== "submitted") throw new Error(`batch ${id} is already ${rec.status}`);
  await adapterFor(rec, env).cancel(id);
  const updated = { ...rec, cancelRequested: Date.now() };
  state.set(BATCH_NS, id, updated);
  return updated;
}
