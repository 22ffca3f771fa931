// One record stage's run: its context, counters, output files and the iterator that moves docs
// through its plugin. Rejections (a filter's `ctx.reject`, or a throw) go to rejected.jsonl with
// the reason; a throw never stops the run unless --fail-fast. Anything else that escapes the
// stage (a loader's throw, an unwritable doc) ends the run with an error naming this stage.
import { join } from "node:path";
import { isReject, isRetryable } from "../sdk/doc.ts";
import type { Doc, StageContext } from "../sdk/types.ts";
import { JsonlWriter } from "../text/jsonl.ts";
import { CtxcError } from "./errors.ts";
import { isVerbose } from "./log.ts";
import { BATCH, orderedMap } from "./ordered.ts";
import type { PlannedStage } from "./plan.ts";
import { checkDoc } from "./doc-check.ts";
import { guard, guardIterable, isThenable, StalledError } from "./stall.ts";

const DOMAINS = new Set(["code", "nl", "mixed"]);
const LOGGED_ERRORS = 5;

export interface StageCounts {
  in: number;
  out: number;
  rejected: Record<string, number>;
}

export class StageRun {
  readonly counts: StageCounts = { in: 0, out: 0, rejected: {} };
  readonly started = performance.now();
  out!: JsonlWriter;
  rejected!: JsonlWriter;
  outputHash?: string;
  /** Docs rejected for a retryable reason (see isRetryable), and the first one's detail. */
  retryable = 0;
  firstRetryable?: { reason: string; detail?: string };
  /**
   * The ids this stage's plugin gave to docs (ids it changed), to catch one that turns ids into
   * duplicates. Only changed ids are kept: most plugins never change one, so this stays empty and
   * costs nothing per doc (keeping every id cost ~200 MB and half the throughput at 1M docs).
   */
  private readonly givenIds = new Set<string>();
  private errorsLogged = 0;

  constructor(
    readonly stage: PlannedStage,
    readonly ctx: StageContext,
    readonly counters: Record<string, number>,
    private readonly failFast: boolean,
  ) {}

  /** Open the output files (the runner has claimed and emptied the stage's folder). */
  open(): void {
    this.out = new JsonlWriter(join(this.stage.dir, "out.jsonl"));
    this.rejected = new JsonlWriter(join(this.stage.dir, "rejected.jsonl"));
  }

  seconds(): number {
    return (performance.now() - this.started) / 1000;
  }

  private keep(doc: Doc): Doc {
    this.out.write(doc);
    this.counts.out++;
    return doc;
  }

  private drop(doc: Doc, reason: string, detail?: string, retryable = false): undefined {
    const row: Record<string, unknown> = { ...doc, reason, stage: this.stage.label };
    if (detail !== undefined) row.detail = detail;
    if (retryable) {
      row.retryable = true;
      if (this.retryable++ === 0) this.firstRetryable = { reason, detail };
    }
    this.rejected.write(row);
    this.counts.rejected[reason] = (this.counts.rejected[reason] ?? 0) + 1;
    return undefined;
  }

  /** What the plugin returned (or threw) for one doc -> the doc to pass on, or nothing. */
  private readonly handle = (doc: Doc, result: unknown): Doc | undefined => {
    if (result === NOT_PROCESSED) return undefined;
    if (result instanceof PluginThrow) return this.drop(doc, result.reason, result.detail, result.retryable);
    if (isReject(result)) return this.drop(doc, result.reason, result.detail, isRetryable(result));
    if (!isDocLike(result)) return this.drop(doc, "plugin_error", `${this.stage.plugin.name}: returned ${describe(result)} instead of a doc or ctx.reject(reason)`);
    const bad = checkDoc(result);
    if (bad) return this.drop(doc, "plugin_error", `${this.stage.plugin.name}: returned a doc whose ${bad}`);
    // Two docs with one id would be indistinguishable downstream. An id the input already repeated
    // is upstream's doing; a duplicate this plugin made is caught when it gives an id twice, or
    // gives one that a later doc arrives with. (An id given that equals an *earlier* unchanged
    // doc's is not caught: that would need every id in memory.)
    if (this.givenIds.size > 0 && this.givenIds.has(result.id)) {
      const how = result.id === doc.id ? `passed on the id ${JSON.stringify(doc.id)}` : `changed the id ${JSON.stringify(doc.id)} into ${JSON.stringify(result.id)}`;
      return this.drop(doc, "plugin_error", `${this.stage.plugin.name}: ${how}, which it already gave to an earlier doc of this stage`);
    }
    if (result.id !== doc.id) this.givenIds.add(result.id);
    return this.keep(result);
  };

  private readonly catcher = (error: unknown): PluginThrow | typeof NOT_PROCESSED => {
    const e = error instanceof Error ? error : new Error(String(error));
    // A call refused because the run is stopping (Ctrl-C, budget) is neither kept nor rejected:
    // the stage is marked interrupted and the doc is processed by the next run.
    if (this.ctx.signal.aborted || (e as { reason?: unknown }).reason === "stopped") return NOT_PROCESSED;
    // A call that can never finish ends the stage (the docs before it are saved): rejecting the
    // doc and going on would only stall on the next one, and hide the bug.
    if (e instanceof StalledError) throw new CtxcError(`stalled: ${e.message}`, { hint: "the plugin awaits a promise that never settles (a missing resolve(), an un-awaited callback); fix it and run again — earlier stages are reused", cause: e });
    if (this.failFast) throw new CtxcError(`${this.stage.label} (${this.stage.plugin.name}) failed: ${e.message}`, { hint: "run without --fail-fast to reject the failing record and go on", cause: e });
    const own = (e as { reason?: unknown }).reason;
    const reason = typeof own === "string" ? own : "plugin_error";
    if (this.errorsLogged++ < LOGGED_ERRORS || isVerbose()) this.ctx.log.warn(`${this.stage.plugin.name} threw on a record (rejected as ${reason}): ${e.message}`);
    return new PluginThrow(reason, `${this.stage.plugin.name}: ${e.message}`, isRetryable(e));
  };

  /** The stage as a transformer of doc batches. */
  iterate(input: AsyncIterable<Doc[]> | undefined, stop: () => boolean): AsyncIterable<Doc[]> {
    const { plugin, options } = this.stage;
    const upstream: { error?: unknown } = {};
    const counted = input ? this.countIn(input, upstream) : undefined;
    let docs: AsyncIterable<Doc[]>;
    switch (plugin.kind) {
      case "loader":
        docs = this.load(counted, stop);
        break;
      case "generator":
        docs = orderedMap(counted ?? empty(), (d) => this.guarded(d, plugin.generate(d, options, this.ctx)), this.catcher, this.handle, this.stage.concurrency, stop);
        break;
      case "filter":
        docs = orderedMap(counted ?? empty(), (d) => this.guarded(d, plugin.filter(d, options, this.ctx)), this.catcher, this.handle, this.stage.concurrency, stop);
        break;
      default:
        throw new Error(`${plugin.kind} is not a record stage`);
    }
    return this.blameFailures(docs, upstream);
  }

  /** A plugin's answer for one doc; a promise is watched for a stall (src/core/stall.ts). */
  private guarded(doc: Doc, result: unknown): unknown {
    return isThenable(result) ? guard(`${this.stage.label} (${this.stage.plugin.name}) on doc ${JSON.stringify(doc.id)}`, result) : result;
  }

  /** Counts docs in; an error from the stages before is noted so this stage is not blamed for it. */
  private async *countIn(input: AsyncIterable<Doc[]>, upstream: { error?: unknown }): AsyncGenerator<Doc[]> {
    try {
      for await (const batch of input) {
        this.counts.in += batch.length;
        yield batch;
      }
    } catch (e) {
      // Only the input can throw here: nothing calls throw() on this generator.
      upstream.error = e;
      throw e;
    }
  }

  /**
   * An error raised in this stage (by its plugin, or writing what the plugin returned) becomes a
   * CtxcError naming the stage; errors that are already labelled, or came from upstream, pass.
   */
  private async *blameFailures(docs: AsyncIterable<Doc[]>, upstream: { error?: unknown }): AsyncGenerator<Doc[]> {
    try {
      yield* docs;
    } catch (e) {
      if (e instanceof CtxcError || (upstream.error !== undefined && e === upstream.error)) throw e;
      const message = e instanceof Error ? e.message : String(e);
      throw new CtxcError(`${this.stage.label} (${this.stage.plugin.name}) failed: ${message}`, {
        cause: e,
        hint: "fix the cause and run again: stages finished by earlier runs are reused; this stage and those that streamed with it in this run start over",
      });
    }
  }

  /** A loader passes earlier stages' docs through, then adds its own. */
  private async *load(input: AsyncIterable<Doc[]> | undefined, stop: () => boolean): AsyncGenerator<Doc[]> {
    const plugin = this.stage.plugin;
    if (plugin.kind !== "loader") return;
    if (input) {
      for await (const batch of input) {
        for (const d of batch) this.keep(d);
        yield batch;
      }
    }
    let batch: Doc[] = [];
    for await (const doc of guardIterable(`${this.stage.label} (${plugin.name}) loading`, plugin.load(this.stage.options, this.ctx))) {
      if (stop()) break;
      if (!isDocLike(doc) || !DOMAINS.has(doc.domain)) {
        this.drop(doc as Doc, "invalid_doc", `${plugin.name}: yielded ${describe(doc)}; a doc needs string id and text, and domain code|nl|mixed`);
        continue;
      }
      doc.scores ??= {};
      doc.meta ??= {};
      batch.push(this.keep(doc));
      if (batch.length >= BATCH) {
        yield batch;
        batch = [];
      }
    }
    if (batch.length > 0) yield batch;
  }
}

const NOT_PROCESSED = Symbol("not processed");

/** A plugin's throw, carried through the ordered map as a result. */
class PluginThrow {
  constructor(
    readonly reason: string,
    readonly detail: string,
    readonly retryable: boolean,
  ) {}
}

function isDocLike(x: unknown): x is Doc {
  return typeof x === "object" && x !== null && typeof (x as Doc).id === "string" && typeof (x as Doc).text === "string";
}

function describe(x: unknown): string {
  if (x === undefined) return "undefined";
  if (x === null) return "null";
  if (typeof x !== "object") return `a ${typeof x}`;
  return `an object with keys ${Object.keys(x).slice(0, 5).join(", ") || "(none)"}`;
}

async function* empty(): AsyncGenerator<Doc[]> {}
