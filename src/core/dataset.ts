// The dataset step: after the last record stage, write dataset/{train,valid,test}.jsonl in the
// chat format mlx_lm.lora reads as is ({"messages":[system,user,assistant]}).
// Splits are deterministic and stratified by domain, and near-duplicates never span two splits
// (src/core/dataset-groups.ts). The step also reports per-split domain balance and token-length
// percentiles, and counts rows longer than the trainer's max_seq_length. Signatures and token
// counts are computed on two threads for a large input (src/core/row-features-shared.ts).
import { mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Dataset, Doc } from "../sdk/types.ts";
import { JsonlWriter } from "../text/jsonl.ts";
import { minhashBackend } from "../text/minhash.ts";
import { countTokens } from "../text/tokens.ts";
import { readJsonIfExists, writeJsonAtomic } from "./atomic.ts";
import { canonicalJson, sha256 } from "./canonical.ts";
import type { DatasetConfig } from "./config.ts";
import { Grouper, PERMS, SHINGLE, SPLITS, type Split } from "./dataset-groups.ts";
import { usableDocBatches } from "./dataset-rows.ts";
import { CtxcError } from "./errors.ts";
import { inlineFeatures, type FeatureSpec, type RowFeatures } from "./row-features.ts";
import { startSharing } from "./row-features-shared.ts";
import builtinSystemPrompt from "../../prompts/system.txt" with { type: "text" };

export type { Split } from "./dataset-groups.ts";
/** Characters (originals + compressed) of usable docs pass 1 keeps in memory for pass 2. */
const HELD_CHARS = 64 * 1024 * 1024;

export interface LengthStats {
  p50: number;
  p90: number;
  p99: number;
  max: number;
  overMaxSeqLength: number;
}

export interface DatasetStats {
  counts: Record<Split, number>;
  byDomain: Record<Split, Record<string, number>>;
  tokens: Record<Split, LengthStats>;
  /** Docs that joined another doc's group as a near (not exact) duplicate. */
  nearDuplicates: number;
  skipped: Record<string, number>;
}

export async function loadSystemPrompt(cfg: DatasetConfig, root: string): Promise<string> {
  if (!cfg.system_prompt) return builtinSystemPrompt.trim();
  const path = resolve(root, cfg.system_prompt);
  const f = Bun.file(path);
  if (!(await f.exists())) throw new CtxcError(`[dataset] system_prompt file not found: ${cfg.system_prompt} (resolved to ${path})`, { hint: "fix the path (relative to the pipeline file) or remove the key to use the built-in prompt", exitCode: 2 });
  return (await f.text()).trim();
}

export function datasetFingerprint(cfg: DatasetConfig, systemPrompt: string, inputHash: string): string {
  return sha256(canonicalJson({ cfg, systemPrompt, inputHash }));
}

function lengthStats(tokens: number[], maxSeq: number): LengthStats {
  const s = [...tokens].sort((a, b) => a - b);
  const at = (q: number) => (s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))]! : 0);
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), max: s.at(-1) ?? 0, overMaxSeqLength: s.filter((t) => t > maxSeq).length };
}

export async function writeDataset(opts: {
  input: string;
  outDir: string;
  cfg: DatasetConfig;
  systemPrompt: string;
  fingerprint: string;
  onIssue?: (message: string) => void;
  /** Characters of docs pass 1 may keep for pass 2 (default HELD_CHARS; 0 = always re-read). */
  holdChars?: number;
  /** Debug lines (how the work was shared between threads). */
  onDebug?: (message: string) => void;
}): Promise<{ dataset: Dataset; stats: DatasetStats }> {
  const { cfg, systemPrompt } = opts;
  const skipped: Record<string, number> = {};
  const skip = (why: string) => (skipped[why] = (skipped[why] ?? 0) + 1);
  const grouper = new Grouper(cfg);
  const spec: FeatureSpec = { perms: grouper.usesSignatures ? PERMS : 0, shingle: SHINGLE, seed: cfg.seed, tokenizer: cfg.tokenizer, userPrefix: cfg.user_prefix };
  const inline = inlineFeatures(spec);

  // Pass 1: read the usable docs and group them. They are kept for pass 2 while they are small,
  // so it need not read and parse the file again, and grouped once all are read, their keys and
  // signatures (and token counts) computed on two threads for a large input. Past HELD_CHARS the
  // docs read so far are grouped, dropped, and the rest grouped as they stream, all on this
  // thread; pass 2 then re-reads the file (the same rows in the same order either way).
  let held: Doc[] | undefined = [];
  let heldChars = 0;
  let shared = startSharing(opts.input, spec);
  const onIssue = (i: { path: string; line: number; message: string }) => opts.onIssue?.(`${i.path}:${i.line}: ${i.message}`);
  try {
    for await (const batch of usableDocBatches(opts.input, () => skip("no_compressed"), onIssue)) for (const doc of batch) {
      if (held) {
        heldChars += doc.text.length + doc.compressed!.length;
        if (heldChars <= (opts.holdChars ?? HELD_CHARS)) {
          held.push(doc);
          if (shared && !shared.add(doc)) shared = undefined;
          continue;
        }
        shared?.close();
        shared = undefined;
        held.forEach((d, row) => grouper.add(d.text, d.domain, inline.key(row, d), () => inline.signature(row, d)));
        held = undefined;
      }
      grouper.add(doc.text, doc.domain, inline.key(-1, doc), () => inline.signature(-1, doc));
    }
  } catch (e) {
    shared?.close();
    throw e;
  }
  shared?.finish();
  const features: RowFeatures = shared ?? inline;
  try {
    if (held) held.forEach((d, row) => grouper.add(d.text, d.domain, features.key(row, d), () => features.signature(row, d)));
    const splitOf = grouper.splits();

    // Pass 2: write rows in input order, with their length in the student's tokenizer.
    await rm(opts.outDir, { recursive: true, force: true });
    await mkdir(opts.outDir, { recursive: true });
    // Nothing asks for these files' hashes (the dataset's fingerprint is its input's and config's).
    const writers = Object.fromEntries(SPLITS.map((s) => [s, new JsonlWriter(join(opts.outDir, `${s}.jsonl`), { hash: false })])) as Record<Split, JsonlWriter>;
    const testDocs = new JsonlWriter(join(opts.outDir, "test.docs.jsonl"), { hash: false });
    const byDomain = Object.fromEntries(SPLITS.map((s) => [s, {}])) as Record<Split, Record<string, number>>;
    const lengths: Record<Split, number[]> = { train: [], valid: [], test: [] };
    const systemTokens = countTokens(systemPrompt, cfg.tokenizer);
    // The row as JSON.stringify would write it, with the system message's and the user prefix's
    // JSON made once: JSON of prefix + text is JSON of each, joined, unless the prefix ends in half
    // a surrogate pair (then the text is escaped with the prefix, as before).
    const prefixJson = JSON.stringify(cfg.user_prefix).slice(0, -1);
    const splitPair = /[\ud800-\udbff]$/.test(cfg.user_prefix);
    const head = `{"messages":[{"role":"system","content":${JSON.stringify(systemPrompt)}},{"role":"user","content":${splitPair ? "" : prefixJson}`;
    const userJson = (text: string) => (splitPair ? JSON.stringify(cfg.user_prefix + text) : JSON.stringify(text).slice(1));
    let row = 0;
    const write = (doc: Doc) => {
      const split = splitOf[row]!;
      writers[split].writeJson(`${head}${userJson(doc.text)}},{"role":"assistant","content":${JSON.stringify(doc.compressed)}}]}`);
      if (split === "test") testDocs.write(doc);
      byDomain[split][doc.domain] = (byDomain[split][doc.domain] ?? 0) + 1;
      if (!held) lengths[split].push(systemTokens + features.tokens(row, doc));
      row++;
    };
    if (held) held.forEach(write);
    else for await (const batch of usableDocBatches(opts.input)) batch.forEach(write);
    // Held rows' counts are asked for once they are written: the worker counts meanwhile.
    held?.forEach((doc, row) => lengths[splitOf[row]!].push(systemTokens + features.tokens(row, doc)));
    for (const w of Object.values(writers)) await w.commit();
    await testDocs.commit();
    const counts = { train: writers.train.count, valid: writers.valid.count, test: writers.test.count };
    const tokens = Object.fromEntries(SPLITS.map((s) => [s, lengthStats(lengths[s], cfg.max_seq_length)])) as Record<Split, LengthStats>;
    const stats: DatasetStats = { counts, byDomain, tokens, nearDuplicates: grouper.nearDuplicates, skipped };
    await writeJsonAtomic(join(opts.outDir, "stats.json"), stats);
    if (shared) {
      const { started, workerChunks, chunks } = shared.workShare();
      opts.onDebug?.(`dataset: keys, signatures and token counts of ${row} rows on 2 threads (worker thread ${started ? "ran" : "did not start"}; it computed ${workerChunks} of ${chunks} chunks)`);
    }
    if (grouper.usesSignatures) opts.onDebug?.(`dataset: MinHash signatures with ${minhashBackend()}`);
    return { dataset: datasetAt(opts.outDir, counts, opts.fingerprint, systemPrompt, cfg.user_prefix), stats };
  } finally {
    features.close();
  }
}

/** The Dataset handed to a trainer, for a dataset folder written by writeDataset. */
export function datasetAt(dir: string, counts: Dataset["counts"], fingerprint: string, systemPrompt: string, userPrefix: string): Dataset {
  return { dir, train: join(dir, "train.jsonl"), valid: join(dir, "valid.jsonl"), test: join(dir, "test.jsonl"), counts, fingerprint, systemPrompt, userPrefix };
}

/** The dataset's split files hold as many rows as its stats.json says they do. */
export async function datasetIntact(dir: string): Promise<boolean> {
  const stats = await readJsonIfExists<DatasetStats>(join(dir, "stats.json"));
  if (!stats) return false;
  for (const split of ["train", "valid", "test"] as const) {
    const f = Bun.file(join(dir, `${split}.jsonl`));
    if (!(await f.exists())) return false;
    let rows = 0;
    for await (const chunk of f.stream()) for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) rows++;
    if (rows !== stats.counts[split]) return false;
  }
  return true;
}
