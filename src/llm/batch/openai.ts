// OpenAI Batch API: upload a JSONL file of requests (Files API, purpose "batch"), create a batch
// for /v1/chat/completions, poll until it is completed/failed/expired/cancelled, then read the
// output file (and the error file) line by line. Requests an expired or cancelled batch never ran
// have no line at all; the collector submits those again.
import OpenAI, { toFile } from "openai";
import type { ModelSpec } from "../model-name.ts";
import { fromOpenAI, openaiBody } from "../wire.ts";
import type { BatchAdapter, BatchItem, BatchStatus, ItemResult } from "./types.ts";

const ENDED = new Set(["completed", "failed", "expired", "cancelled"]);

export function openaiBatches(client: OpenAI, spec: ModelSpec): BatchAdapter {
  return {
    async submit(items: BatchItem[]) {
      const jsonl = items
        .map((i) => JSON.stringify({ custom_id: i.customId, method: "POST", url: "/v1/chat/completions", body: openaiBody(spec, i.wire) }))
        .join("\n");
      const file = await client.files.create({ file: await toFile(new TextEncoder().encode(jsonl + "\n"), "ctxc-batch.jsonl"), purpose: "batch" });
      const batch = await client.batches.create({ input_file_id: file.id, endpoint: "/v1/chat/completions", completion_window: "24h" });
      return batch.id;
    },

    async status(id: string): Promise<BatchStatus> {
      const b = await client.batches.retrieve(id);
      return { ended: ENDED.has(b.status), state: b.status, counts: { ...(b.request_counts ?? {}) } };
    },

    async *results(id: string): AsyncIterable<ItemResult> {
      const started = Date.now();
      const b = await client.batches.retrieve(id);
      for (const fileId of [b.output_file_id, b.error_file_id]) {
        if (!fileId) continue;
        const text = await (await client.files.content(fileId)).text();
        for (const line of text.split("\n")) {
          if (!line.trim()) continue;
          const row = JSON.parse(line) as { custom_id: string; response?: { status_code: number; body: any } | null; error?: { code?: string; message?: string } | null };
          const res = row.response;
          if (res && res.status_code >= 200 && res.status_code < 300) {
            yield { customId: row.custom_id, ok: true, answer: fromOpenAI(res.body, Date.now() - started, true) };
          } else {
            const why = row.error?.message ?? res?.body?.error?.message ?? `HTTP ${res?.status_code ?? "?"}`;
            yield { customId: row.custom_id, ok: false, retry: false, error: `batch item failed: ${why}` };
          }
        }
      }
      // A failed batch (e.g. the input file did not validate) has no per-line results.
      if (b.status === "failed") {
        const why = b.errors?.data?.map((e) => e.message).join("; ") || "batch failed";
        yield { customId: "*", ok: false, retry: false, error: `batch ${id} failed: ${why}` };
      }
    },

    async cancel(id: string) {
      await client.batches.cancel(id);
    },
  };
}
