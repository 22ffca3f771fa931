// Anthropic Message Batches: POST /v1/messages/batches, poll GET …/{id} until
// processing_status is "ended", then read the JSONL results ({custom_id, result}).
import type Anthropic from "@anthropic-ai/sdk";
import { describeError } from "../errors.ts";
import { anthropicParams, fromAnthropic } from "../wire.ts";
import type { BatchAdapter, BatchItem, BatchStatus, ItemResult } from "./types.ts";

export function anthropicBatches(client: Anthropic): BatchAdapter {
  return {
    async submit(items: BatchItem[]) {
      const batch = await client.messages.batches.create({
        requests: items.map((i) => ({ custom_id: i.customId, params: anthropicParams(i.wire) })),
      });
      return batch.id;
    },

    async status(id: string): Promise<BatchStatus> {
      const b = await client.messages.batches.retrieve(id);
      return { ended: b.processing_status === "ended", state: b.processing_status, counts: { ...b.request_counts } };
    },

    async *results(id: string): AsyncIterable<ItemResult> {
      const started = Date.now();
      for await (const line of await client.messages.batches.results(id)) {
        const r = line.result;
        if (r.type === "succeeded") {
          yield { customId: line.custom_id, ok: true, answer: fromAnthropic(r.message, Date.now() - started, true) };
        } else if (r.type === "errored") {
          const err = r.error as unknown as { error?: { type?: string; message?: string } };
          yield { customId: line.custom_id, ok: false, retry: false, error: `batch item errored: ${err?.error?.type ?? "error"}: ${err?.error?.message ?? describeError(r.error)}` };
        } else {
          yield { customId: line.custom_id, ok: false, retry: true, error: `batch item ${r.type}` };
        }
      }
    },

    async cancel(id: string) {
      await client.messages.batches.cancel(id);
    },
  };
}
