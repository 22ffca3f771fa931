// Batch mode behind a per-record API: the runner calls generate() once per doc, each cache miss
// lands here, and the collector submits a batch when it holds `size` requests or when no new
// request came for `idleMs` (the runner has no more slots to give). Each batch id is written to
// the durable state the moment the provider returns it; a later run finds the record, polls the
// batch and collects it instead of submitting the same requests again.
import type { StageContext } from "../../sdk/types.ts";
import { describeError, stoppedError, teacherError } from "../errors.ts";
import type { ModelSpec } from "../model-name.ts";
import { costUsd } from "../pricing.ts";
import type { Answer, WireRequest } from "../types.ts";
import { BATCH_NS, type BatchAdapter, type BatchRecord } from "./types.ts";

export interface CollectorOptions {
  /** Requests per batch at most. */
  size: number;
  /** Time between status polls. */
  pollMs: number;
  /** Submit what is queued after this long without a new request. */
  idleMs: number;
}

interface Waiting {
  /** Unknown for requests of a resumed batch until this run asks for them. */
  wire?: WireRequest;
  settle: Array<{ resolve: (a: Answer) => void; reject: (e: Error) => void }>;
}

const MAX_POLL_ERRORS = 5;
/** Batches being polled by this process (by endpoint and id), so no batch is collected twice. */
const tracking = new Set<string>();

export class BatchCollector {
  private readonly waiting = new Map<string, Waiting>();
  private pending: Array<{ key: string; customId: string }> = [];
  private idle: ReturnType<typeof setTimeout> | undefined;
  /** Requests inside batches an earlier run submitted and never collected, by cache key. */
  private readonly leftOver = new Map<string, BatchRecord>();

  constructor(
    private readonly ctx: StageContext,
    private readonly spec: ModelSpec,
    private readonly adapter: BatchAdapter,
    private readonly opts: CollectorOptions,
  ) {
    ctx.signal.addEventListener("abort", () => this.stopPending(), { once: true });
    for (const { value: rec } of ctx.state.list<BatchRecord>(BATCH_NS)) {
      if (rec.status !== "submitted" || rec.model !== spec.name || rec.baseURL !== spec.baseURL) continue;
      for (const key of Object.values(rec.items ?? {})) this.leftOver.set(key, rec);
    }
  }

  /** The answer for one request, through a batch (new or already submitted). */
  request(key: string, wire: WireRequest): Promise<Answer> {
    if (this.ctx.signal.aborted) return Promise.reject(stoppedError("the run is stopping"));
    return new Promise<Answer>((resolve, reject) => {
      const w = this.waiting.get(key);
      if (w) {
        // Already queued or inside a submitted batch: wait for that one.
        w.wire ??= wire;
        w.settle.push({ resolve, reject });
        return;
      }
      this.waiting.set(key, { wire, settle: [{ resolve, reject }] });
      const rec = this.leftOver.get(key);
      if (rec) this.resume(rec);
      else this.enqueue(key);
    });
  }

  private enqueue(key: string): void {
    this.pending.push({ key, customId: customIdFor(key) });
    if (this.pending.length >= this.opts.size) this.flush();
    else {
      clearTimeout(this.idle);
      this.idle = setTimeout(() => this.flush(), this.opts.idleMs);
    }
  }

  private flush(): void {
    clearTimeout(this.idle);
    const batch = this.pending.splice(0, this.opts.size);
    if (batch.length === 0) return;
    if (this.pending.length > 0) this.idle = setTimeout(() => this.flush(), this.opts.idleMs);
    this.submit(batch).catch((e) => {
      for (const b of batch) this.settle(b.key, teacherError(`${this.spec.name}: batch bookkeeping failed: ${describeError(e)}`, e));
    });
  }

  private async submit(batch: Array<{ key: string; customId: string }>): Promise<void> {
    let id: string;
    try {
      id = await this.adapter.submit(batch.map((b) => ({ customId: b.customId, wire: this.waiting.get(b.key)!.wire! })));
    } catch (e) {
      for (const b of batch) this.settle(b.key, teacherError(`${this.spec.name}: batch submission failed: ${describeError(e)}`, e));
      return;
    }
    const record: BatchRecord = {
      id, model: this.spec.name, provider: this.spec.provider, baseURL: this.spec.baseURL, stage: this.ctx.stage.label,
      submittedAt: Date.now(), status: "submitted", requests: batch.length,
      items: Object.fromEntries(batch.map((b) => [b.customId, b.key])),
    };
    this.ctx.state.set(BATCH_NS, id, record);
    this.ctx.log.info(`submitted batch ${id} to ${this.spec.name} (${batch.length} requests)`);
    await this.track(record);
  }

  /**
   * A batch a killed or interrupted run left behind holds this request: collect it rather than
   * pay again. Only batches this run asks for are polled, so nothing outlives the stage.
   */
  private resume(rec: BatchRecord): void {
    for (const key of Object.values(rec.items ?? {})) {
      this.leftOver.delete(key);
      if (!this.waiting.has(key)) this.waiting.set(key, { settle: [] });
    }
    if (tracking.has(`${rec.baseURL} ${rec.id}`)) return;
    this.ctx.log.info(`resuming batch ${rec.id} (${rec.requests} requests, submitted ${new Date(rec.submittedAt).toISOString()})`);
    void this.track(rec);
  }

  private async track(rec: BatchRecord): Promise<void> {
    const tag = `${rec.baseURL} ${rec.id}`;
    tracking.add(tag);
    try {
      let last = "";
      let errors = 0;
      for (;;) {
        if (this.ctx.signal.aborted) return this.settleAll(rec, () => stoppedError(`batch ${rec.id} is still running; re-run to collect it`));
        try {
          const st = await this.adapter.status(rec.id);
          errors = 0;
          const summary = `${st.state}: ${Object.entries(st.counts).map(([k, n]) => `${k} ${n}`).join(", ")}`;
          if (summary !== last) {
            this.ctx.log.info(`batch ${rec.id} ${summary}`);
            this.ctx.state.set(BATCH_NS, rec.id, { ...rec, counts: st.counts });
            last = summary;
          }
          if (st.ended) break;
        } catch (e) {
          if (++errors >= MAX_POLL_ERRORS) {
            return this.settleAll(rec, () => teacherError(`cannot read batch ${rec.id}: ${describeError(e)}; re-run to try again`, e));
          }
          this.ctx.log.warn(`batch ${rec.id}: status check failed (${describeError(e)}); trying again`);
        }
        await sleep(this.opts.pollMs, this.ctx.signal);
      }
      await this.collect(rec);
    } catch (e) {
      this.settleAll(rec, () => teacherError(`batch ${rec.id}: ${describeError(e)}; re-run to collect it`, e));
    } finally {
      tracking.delete(tag);
    }
  }

  /**
   * Results are cached and costed first, the record marked collected next, and only then are the
   * waiting docs released — so a run that ends (and closes the store) right after the last doc
   * leaves nothing half-written, and a crash before the mark just collects again, for free.
   */
  private async collect(rec: BatchRecord): Promise<void> {
    const items = rec.items ?? {};
    const left = new Set(Object.keys(items));
    const outcomes = new Map<string, Answer | Error | "retry">();
    try {
      for await (const r of this.adapter.results(rec.id)) {
        const ids = r.customId === "*" ? [...left] : [r.customId];
        for (const customId of ids) {
          const key = items[customId];
          if (!key || !left.delete(customId)) continue;
          if (r.ok) outcomes.set(key, this.accept(key, rec, r.answer));
          else outcomes.set(key, r.retry ? "retry" : teacherError(`${this.spec.name}: ${r.error}`));
        }
      }
    } catch (e) {
      return this.settleAll(rec, () => teacherError(`cannot read results of batch ${rec.id}: ${describeError(e)}; re-run to try again`, e));
    }
    for (const customId of left) outcomes.set(items[customId]!, "retry");
    this.ctx.state.set(BATCH_NS, rec.id, { ...rec, items: undefined, status: "collected", collectedAt: Date.now() });
    for (const [key, outcome] of outcomes) {
      if (outcome === "retry") this.retry(key);
      else this.settle(key, outcome);
    }
  }

  /** Cache and cost one answer; an empty one is paid for but is an error for its doc. */
  private accept(key: string, rec: BatchRecord, raw: Omit<Answer, "usd">): Answer | Error {
    const answer: Answer = { ...raw, usd: costUsd(this.spec, raw, true, (m) => this.ctx.log.warn(m)) };
    // A result already cached was collected (and recorded) by a run that died before marking the batch.
    const known = this.ctx.cache.get(key) !== undefined;
    if (!known) this.ctx.costs.record({ model: rec.model, tokensIn: answer.tokensIn, tokensOut: answer.tokensOut, usd: answer.usd, batch: true });
    if (!answer.text.trim()) return teacherError(`${this.spec.name} returned an empty completion (stop reason: ${answer.stopReason ?? "none"})`);
    if (!known) this.ctx.cache.set(key, answer);
    return answer;
  }

  /** Canceled or expired before it ran: submit it again if someone still waits for it. */
  private retry(key: string): void {
    const w = this.waiting.get(key);
    if (!w || w.settle.length === 0 || !w.wire) return void this.waiting.delete(key);
    this.enqueue(key);
  }

  private settle(key: string, result: Answer | Error): void {
    const w = this.waiting.get(key);
    this.waiting.delete(key);
    for (const s of w?.settle ?? []) result instanceof Error ? s.reject(result) : s.resolve(result);
  }

  private settleAll(rec: BatchRecord, error: () => Error): void {
    for (const key of Object.values(rec.items ?? {})) this.settle(key, error());
  }

  private stopPending(): void {
    clearTimeout(this.idle);
    for (const p of this.pending.splice(0)) this.settle(p.key, stoppedError("the run is stopping"));
  }
}

/** Cache keys are sha256 hex (64 chars), which fits Anthropic's custom_id rule (^[A-Za-z0-9_-]{1,64}$). */
function customIdFor(key: string): string {
  return /^[A-Za-z0-9_-]{1,64}$/.test(key) ? key : new Bun.CryptoHasher("sha256").update(key).digest("hex");
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
}
