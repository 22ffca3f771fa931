// The batch-API contract each provider adapter fills, and the record ctxc keeps per submitted
// batch in the durable state (namespace "batches"), written the moment the provider returns an id.
import type { Answer, WireRequest } from "../types.ts";

export const BATCH_NS = "batches";

export interface BatchItem {
  customId: string;
  wire: WireRequest;
}

export type ItemResult =
  | { customId: string; ok: true; answer: Omit<Answer, "usd"> }
  /** `retry`: canceled or expired before it ran — submit it again; otherwise a final error. */
  | { customId: string; ok: false; error: string; retry: boolean };

export interface BatchStatus {
  ended: boolean;
  /** The provider's state name, e.g. in_progress, ended, completed, failed. */
  state: string;
  /** Requests per state, as the provider counts them. */
  counts: Record<string, number>;
}

export interface BatchAdapter {
  submit(items: BatchItem[]): Promise<string>;
  status(id: string): Promise<BatchStatus>;
  results(id: string): AsyncIterable<ItemResult>;
  cancel(id: string): Promise<void>;
}

export type BatchRecordStatus = "submitted" | "collected";

export interface BatchRecord {
  id: string;
  /** `provider:model` as written in the pipeline. */
  model: string;
  provider: string;
  baseURL: string;
  stage: string;
  submittedAt: number;
  status: BatchRecordStatus;
  requests: number;
  /** custom_id -> cache key; dropped once collected. */
  items?: Record<string, string>;
  counts?: Record<string, number>;
  collectedAt?: number;
  /** When `ctxc batches cancel` asked the provider to cancel it. */
  cancelRequested?: number;
}
