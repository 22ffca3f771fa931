// trainer/extractive: the pure-TypeScript student. Labels the dataset's teacher pairs by in-order
// alignment, trains a hashed-feature logistic regression on train, picks each domain's default
// keep rate on valid, measures on test, and writes a run folder:
//   models/runs/extractive/<timestamp>/{run.json, model.bin, metrics.jsonl, train.log}
// No Python, no GPU, no key: ~2,000 pairs train in seconds on one core.
import { appendFileSync } from "node:fs";
import { join } from "node:path";
import { ScoreTable, scorePair } from "../../src/compress/metrics.ts";
import { encodeModel } from "../../src/compress/extractive/model-file.ts";
import { readPairs, type Pair } from "../../src/compress/extractive/pairs.ts";
import { DEFAULT_STUDENT, trainStudent, type StudentOptions } from "../../src/compress/extractive/train.ts";
import { writeRun } from "../../src/runs/run-file.ts";
import { createRunDir, LOG_FILE, METRICS_FILE, runsDirFor, toRunRecord, type RunJson } from "../../src/runs/store.ts";
import { defineTrainer, v } from "../../src/sdk/index.ts";
import type { StageContext } from "../../src/sdk/types.ts";

export const MODEL_FILE = "model.bin";
const FACTS = ["numbers", "negations", "identifiers", "entities", "code_names"] as const;

const options = v.object({
  runs_dir: v.optional(v.pipe(v.string(), v.description("Where run folders go, relative to the pipeline file (default models/runs)"))),
  seed: v.optional(v.pipe(v.number(), v.integer(), v.description("Seed of the shuffling: same data + seed → the same model, byte for byte")), DEFAULT_STUDENT.seed),
  epochs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(50), v.description("Passes over the training words")), DEFAULT_STUDENT.epochs),
  learning_rate: v.optional(v.pipe(v.number(), v.minValue(0.0001), v.maxValue(10), v.description("AdaGrad's base learning rate")), DEFAULT_STUDENT.learningRate),
  l2: v.optional(v.pipe(v.number(), v.minValue(0), v.description("L2 penalty per update")), DEFAULT_STUDENT.l2),
  bits: v.optional(v.pipe(v.number(), v.integer(), v.minValue(12), v.maxValue(22), v.description("Size of the hashed weight table: 2^bits weights (20 → 4 MB dense, stored sparse when smaller)")), DEFAULT_STUDENT.bits),
  window: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.description("Alignment window, in original words, around the previous match")), DEFAULT_STUDENT.window),
  drop_worst: v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(0.5), v.description("Share of training pairs with the most teacher words not in the original to drop before training")), DEFAULT_STUDENT.dropWorst),
  force: v.optional(v.pipe(v.array(v.picklist(FACTS)), v.description("Facts kept whatever the rate: numbers, negations, identifiers (the signature's name and parameters), entities (prose names), code_names (every snake_case/camelCase name in code)")), [...DEFAULT_STUDENT.force]),
  user_prefix: v.optional(v.pipe(v.string(), v.description('Instruction prefix removed from user messages; "auto" strips a short first line ending in ":" (e.g. "Compress:")')), "auto"),
});

type Options = v.InferOutput<typeof options>;

export function studentOptions(o: Options): StudentOptions {
  return { bits: o.bits, epochs: o.epochs, learningRate: o.learning_rate, l2: o.l2, seed: o.seed, window: o.window, dropWorst: o.drop_worst, force: [...o.force] };
}

export default defineTrainer({
  name: "trainer/extractive",
  version: "1.0.0",
  description: "Token keep/drop student trained in TypeScript (LLMLingua-2 style labels, hashed logistic regression)",
  options,
  async train(dataset, opts, ctx) {
    const runsDir = runsDirFor(ctx.paths.root, opts.runs_dir);
    const { id, dir } = createRunDir(runsDir, "trainer/extractive");
    const t0 = performance.now();
    const log = (line: string) => appendFileSync(join(dir, LOG_FILE), `${new Date().toISOString()} ${line}\n`);
    const event = (e: Record<string, unknown>) => appendFileSync(join(dir, METRICS_FILE), JSON.stringify(e) + "\n");
    const run: RunJson = {
      trainer: "trainer/extractive",
      dir,
      baseModel: "none (hashed-feature logistic regression)",
      adapter: MODEL_FILE,
      datasetFingerprint: dataset.fingerprint,
      format: 1,
      id,
      status: "running",
      createdAt: new Date().toISOString(),
      config: { ...opts },
      dataset: { fingerprint: dataset.fingerprint, counts: dataset.counts },
      backend: { name: "extractive", versions: { bun: Bun.version } },
      metrics: {},
    };
    await writeRun(dir, run);
    ctx.log.info(`run folder ${dir}`);
    try {
      const [train, valid, test] = await Promise.all([dataset.train, dataset.valid, dataset.test].map((p) => readSplit(p, opts.user_prefix, ctx)));
      if (train!.length === 0) throw new TrainError(`the dataset's train split has no usable pairs (${dataset.train})`, "the stages before the trainer kept no doc with a compressed text: check the dataset step's stats.json and each stage's rejected.jsonl");
      log(`pairs: train ${train!.length}, valid ${valid!.length}, test ${test!.length}`);
      const result = trainStudent(train!, valid!, studentOptions(opts), {
        signal: ctx.signal,
        onEpoch: (epoch, loss) => {
          event({ type: "train", epoch, train_loss: loss, seconds: (performance.now() - t0) / 1000 });
          log(`epoch ${epoch}: train log-loss ${loss.toFixed(4)}`);
          ctx.log.info(`epoch ${epoch}/${opts.epochs}: train log-loss ${loss.toFixed(4)}`);
        },
        provenance: { dataset: dataset.fingerprint },
      });
      const skipped = result.labels.train.all?.no_shared_words ?? 0;
      if (skipped) {
        ctx.stat("skipped:no_shared_words", skipped);
        ctx.log.warn(`${skipped} training pairs share no word with their original; skipped`);
      }
      const bytes = encodeModel(result.model.header, result.model.weights);
      await Bun.write(join(dir, MODEL_FILE), bytes);
      const metrics: Record<string, number> = { ...result.metrics, model_bytes: bytes.length };
      if (test!.length) Object.assign(metrics, testMetrics(result.model.extract.bind(result.model), test!));
      event({ type: "final", ...metrics });
      if (ctx.signal.aborted) run.status = "interrupted";
      else run.status = "completed";
      Object.assign(run, { metrics, labels: result.labels, calibration: result.calibration, finishedAt: new Date().toISOString(), seconds: (performance.now() - t0) / 1000 });
      log(`done: ${JSON.stringify(metrics)}`);
      ctx.log.info(`test word F1 ${fmt(metrics.test_word_f1)} at keep rate ${fmt(metrics.test_keep_rate)} (teacher ${fmt(metrics.test_teacher_keep_rate)}); model ${(bytes.length / 1e6).toFixed(1)} MB`);
    } catch (e) {
      const err = e instanceof TrainError ? e : new TrainError((e as Error).message, "see train.log in the run folder");
      run.status = "failed";
      run.error = { message: err.message, hint: err.hint };
      log(`failed: ${err.message} (hint: ${err.hint})`);
      ctx.log.error(`${err.message}\n  hint: ${err.hint}`);
      run.finishedAt = new Date().toISOString();
    }
    await writeRun(dir, run);
    return toRunRecord(run);
  },
});

class TrainError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

async function readSplit(path: string, prefix: string, ctx: StageContext): Promise<Pair[]> {
  if (!(await Bun.file(path).exists())) return [];
  const { pairs, skipped } = await readPairs(path, prefix, (issue) => ctx.log.warn(`${issue.path}:${issue.line}: ${issue.message} — row skipped`));
  for (const [why, n] of Object.entries(skipped)) ctx.stat(`skipped:${why}`, n);
  return pairs;
}

/** The real path on test: compress each original at the default rate, score the text. */
function testMetrics(extract: (t: string, o: { domain: Pair["domain"] }) => { text: string }, test: Pair[]): Record<string, number> {
  const table = new ScoreTable();
  const teacher = new ScoreTable();
  for (const p of test) {
    table.add(scorePair(p.original, extract(p.original, { domain: p.domain }).text, p.domain, p.compressed));
    teacher.add(scorePair(p.original, p.compressed, p.domain));
  }
  const out: Record<string, number> = {};
  for (const key of table.keys()) {
    const s = table.summary(key);
    const p = key === "all" ? "test" : `test_${key}`;
    Object.assign(out, { [`${p}_word_f1`]: s.word_f1, [`${p}_keep_rate`]: s.keep_rate, [`${p}_teacher_keep_rate`]: teacher.summary(key).keep_rate, [`${p}_number_recall`]: s.number_recall, [`${p}_identifier_recall`]: s.identifier_recall, [`${p}_negation_recall`]: s.negation_recall });
  }
  // JSON has no NaN: a metric with nothing to measure (no numbers in test) is left out.
  for (const [k, x] of Object.entries(out)) if (!Number.isFinite(x)) delete out[k];
  return out;
}

const fmt = (x: number | undefined) => (x === undefined ? "n/a" : x.toFixed(3));

