// One batch collector per stage context and model, made on the first cache miss in batch mode.
import type { StageContext } from "../../sdk/types.ts";
import type { Endpoint } from "../clients.ts";
import { anthropicBatches } from "./anthropic.ts";
import { BatchCollector, type CollectorOptions } from "./collector.ts";
import { openaiBatches } from "./openai.ts";

const DEFAULTS: CollectorOptions = { size: 1000, pollMs: 30_000, idleMs: 500 };
const collectors = new WeakMap<StageContext, Map<string, BatchCollector>>();

export function collectorFor(ctx: StageContext, endpoint: Endpoint, opts: Partial<CollectorOptions> = {}): BatchCollector {
  let byModel = collectors.get(ctx);
  if (!byModel) collectors.set(ctx, (byModel = new Map()));
  const id = `${endpoint.spec.name} ${endpoint.spec.baseURL}`;
  let c = byModel.get(id);
  if (!c) {
    const adapter = endpoint.anthropic ? anthropicBatches(endpoint.anthropic) : openaiBatches(endpoint.openai!, endpoint.spec);
    c = new BatchCollector(ctx, endpoint.spec, adapter, { ...DEFAULTS, ...definedOnly(opts) });
    byModel.set(id, c);
  }
  return c;
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
