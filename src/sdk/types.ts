// The public plugin API of ctxc. User plugins get these types from the virtual module "ctxc";
// `ctxc plugin new` embeds this file (wrapped in `declare module "ctxc"`) as the scaffold's
// type declarations, so it must stay self-contained: no imports.

/** What a record is about; selects prompts, judges and dataset strata. */
export type Domain = "code" | "nl" | "mixed";

/** The one record type that flows through every record stage and is enriched on the way. */
export interface Doc {
  /** Stable: hash of source identity + text (see `docId`). */
  id: string;
  domain: Domain;
  /** The original context. */
  text: string;
  /** Set by a generator. */
  compressed?: string;
  source: DocSource;
  /** Ratio, equivalence, judge scores, … */
  scores: Record<string, number>;
  /** Teacher model, usage, judge rationales, … */
  meta: Record<string, unknown>;
}

export interface DocSource {
  path: string;
  start?: number;
  end?: number;
  unit?: string;
  lang?: string;
  name?: string;
}

/** Returned by `ctx.reject(reason)`; a filter returns it to drop the doc. */
export interface Reject {
  readonly rejected: true;
  readonly reason: string;
  readonly detail?: string;
  /** The failure may not happen again (a provider error): the stage re-runs on the next run. */
  readonly retryable?: boolean;
}

/**
 * A schema for a plugin's options. Built-ins use valibot (`v.object({...})`), which satisfies
 * this structurally (valibot implements Standard Schema); user plugins get valibot as `v`.
 */
export interface OptionsSchema<Output = unknown> {
  readonly "~standard": {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => unknown;
    readonly types?: { readonly input: unknown; readonly output: Output } | undefined;
  };
}

/** The options type a schema produces (after defaults are applied). */
export type InferOptions<S> = 0 extends 1 & S
  ? Record<string, any> // an untyped schema (e.g. `v` seen through the scaffold's declarations)
  : S extends OptionsSchema<infer O>
    ? O
    : Record<string, unknown>;

export interface Logger {
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
  debug(message: string, ...args: unknown[]): void;
  success(message: string, ...args: unknown[]): void;
}

/** Folders a plugin may read and write. All absolute. */
export interface WorkspacePaths {
  /** The folder holding pipeline.toml; relative paths in options resolve against it. */
  root: string;
  /** The run's workspace (`out`). */
  out: string;
  /** This stage's own folder (`out/NN-name`). */
  stage: string;
}

/** A content-addressed store for expensive results (LLM calls). Survives crashes and re-runs. */
export interface CallCache {
  /** A stable key for any JSON-serialisable parts. Never put secrets in the parts. */
  key(parts: unknown): string;
  get<T = unknown>(key: string): T | undefined;
  set(key: string, value: unknown): void;
}

/** Small durable key/value state per namespace (e.g. submitted batch-job ids). */
export interface DurableState {
  get<T = unknown>(namespace: string, key: string): T | undefined;
  set(namespace: string, key: string, value: unknown): void;
  delete(namespace: string, key: string): void;
  list<T = unknown>(namespace: string): Array<{ key: string; value: T }>;
}

/** One priced call, written to the cost ledger. */
export interface CostEntry {
  model: string;
  tokensIn: number;
  tokensOut: number;
  /** `null` when the model's price is unknown (never guessed as 0). */
  usd: number | null;
  cached?: boolean;
  batch?: boolean;
}

export interface Costs {
  record(entry: CostEntry): void;
  /** USD spent so far in this workspace (all stages, all runs). */
  spent(): number;
  /** True once `[budget] max_usd` is reached; plugins should stop starting new paid work. */
  overBudget(): boolean;
}

/** What the runtime hands every plugin call. A plugin needs nothing else from ctxc. */
export interface StageContext {
  /** The stage: its 1-based index, plugin name, `use` string and display name. */
  stage: { index: number; name: string; use: string; label: string };
  /** A logger whose lines are tagged with the stage. */
  log: Logger;
  /** Make a rejection for the current doc; return it from `filter`. */
  reject(reason: string, detail?: string, opts?: { retryable?: boolean }): Reject;
  /** Add `n` (default 1) to a named counter in the stage's `stats.json`. */
  stat(name: string, n?: number): void;
  /** Aborted on Ctrl-C or when the budget is reached: finish in-flight work, start nothing new. */
  signal: AbortSignal;
  paths: WorkspacePaths;
  cache: CallCache;
  costs: Costs;
  state: DurableState;
  /** Count tokens of `text` with a named tokenizer (default "o200k_base"). */
  countTokens(text: string, tokenizer?: string): number;
}

interface PluginBase<S extends OptionsSchema> {
  /** Shown in every log line and error. */
  name: string;
  /** Part of every stage fingerprint: bump it when output changes for the same input. */
  version: string;
  description?: string;
  options?: S;
  /**
   * Checks that need the environment, run by `validate` and before any stage of `run` starts
   * (e.g. a missing API key variable). Return problems as sentences; never include secret values.
   */
  preflight?(opts: InferOptions<S>, env: { root: string; env: Record<string, string | undefined> }): string[] | undefined;
}

export interface LoaderPlugin<S extends OptionsSchema = OptionsSchema> extends PluginBase<S> {
  kind: "loader";
  load(opts: InferOptions<S>, ctx: StageContext): AsyncIterable<Doc> | Iterable<Doc>;
  /**
   * A cheap fingerprint of the loader's inputs (e.g. paths, sizes and mtimes). When it and the
   * options are unchanged, the stage is skipped; without it the loader runs every time and the
   * stages after it are skipped only if its output is byte-identical to last time's.
   */
  fingerprint?(opts: InferOptions<S>, ctx: StageContext): string | Promise<string>;
}

/** What `ctxc run --estimate` reports for a stage that spends money, before anything is spent. */
export interface StageEstimate {
  model: string;
  /** Calls that would be sent (cache misses). */
  calls: number;
  /** Calls the cache already answers. */
  cached: number;
  tokensIn: number;
  tokensOutEstimate: number;
  /** Upper bound; null when a price is unknown. */
  usd: number | null;
}

export interface GeneratorPlugin<S extends OptionsSchema = OptionsSchema> extends PluginBase<S> {
  kind: "generator";
  /** For `ctxc run --estimate`: what generating these docs would cost. Must not spend anything. */
  estimate?(docs: AsyncIterable<Doc>, opts: InferOptions<S>, ctx: StageContext): Promise<StageEstimate[]>;
  /** Up to `concurrency` docs are in flight at once; output order always equals input order. */
  concurrency?: number;
  generate(doc: Doc, opts: InferOptions<S>, ctx: StageContext): Doc | Promise<Doc>;
}

export interface FilterPlugin<S extends OptionsSchema = OptionsSchema> extends PluginBase<S> {
  kind: "filter";
  /** For `ctxc run --estimate` (LLM judges): what filtering these docs would cost. */
  estimate?(docs: AsyncIterable<Doc>, opts: InferOptions<S>, ctx: StageContext): Promise<StageEstimate[]>;
  /** Default 1; LLM-backed filters (judges) raise it. Output order always equals input order. */
  concurrency?: number;
  filter(doc: Doc, opts: InferOptions<S>, ctx: StageContext): Doc | Reject | Promise<Doc | Reject>;
}

/** The chat-JSONL dataset the dataset step writes (`out/dataset`). */
export interface Dataset {
  dir: string;
  train: string;
  valid: string;
  test: string;
  counts: { train: number; valid: number; test: number };
  fingerprint: string;
  systemPrompt: string;
  /** What the dataset step put before each original in the user message (`[dataset] user_prefix`). */
  userPrefix: string;
}

/** What a trainer returns; written to the stage folder as `run.json`. */
export interface RunRecord {
  trainer: string;
  status: "completed" | "failed" | "interrupted";
  /** The run folder (`models/runs/<trainer>/<timestamp>/`). */
  dir: string;
  baseModel: string;
  adapter?: string;
  datasetFingerprint: string;
  metrics?: Record<string, number>;
  [key: string]: unknown;
}

export interface TrainerPlugin<S extends OptionsSchema = OptionsSchema> extends PluginBase<S> {
  kind: "trainer";
  /** For `ctxc run --estimate` (paid backends such as Tinker): what training on this dataset would cost. Must not spend anything. */
  estimate?(dataset: Dataset, opts: InferOptions<S>, ctx: StageContext): Promise<StageEstimate[]>;
  train(dataset: Dataset, opts: InferOptions<S>, ctx: StageContext): Promise<RunRecord>;
}

/** What an evaluator returns; written to the stage folder as `report.json`. */
export interface Report {
  evaluator: string;
  metrics: Record<string, number>;
  rows?: Array<Record<string, unknown>>;
  [key: string]: unknown;
}

export interface EvaluatorPlugin<S extends OptionsSchema = OptionsSchema> extends PluginBase<S> {
  kind: "evaluator";
  /** `model` is the trainer stage's run record, or null when the pipeline has no trainer. */
  evaluate(testDocs: Doc[], model: RunRecord | null, opts: InferOptions<S>, ctx: StageContext): Promise<Report>;
}

export type Plugin =
  | LoaderPlugin<any>
  | GeneratorPlugin<any>
  | FilterPlugin<any>
  | TrainerPlugin<any>
  | EvaluatorPlugin<any>;

export type PluginKind = Plugin["kind"];
