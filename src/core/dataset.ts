// The dataset step: after the last record stage, write dataset/{train,valid,test}.jsonl in the
// chat format mlx_lm.lora reads as is ({"messages":[system,user,assistant]}).
// Splits are deterministic and stratified by domain. Docs whose originals are equal (after
// whitespace normalisation) or near-duplicates (MinHash Jaccard ≥ near_duplicate) form one group,
// and a group never spans two splits. The step also reports per-split domain balance and
// token-length percentiles, and counts rows longer than the trainer's max_seq_length.
import { mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Dataset, Doc, Domain } from "../sdk/types.ts";
import { JsonlWriter, readJsonl } from "../text/jsonl.ts";
import { MinHashIndex, minhashSignature } from "../text/minhash.ts";
import { shingleList } from "../text/shingles.ts";
import { countTokens } from "../text/tokens.ts";
import { readJsonIfExists, writeJsonAtomic } from "./atomic.ts";
import { canonicalJson, sha256 } from "./canonical.ts";
import type { DatasetConfig } from "./config.ts";
import { CtxcError } from "./errors.ts";
import builtinSystemPrompt from "../../prompts/system.txt" with { type: "text" };

export type Split = "train" | "valid" | "test";
const SPLITS: Split[] = ["train", "valid", "test"];
const PERMS = 64;
const SHINGLE = 3;
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

const normalise = (text: string) => text.trim().replace(/\s+/g, " ");

/** Assign the groups of one domain to splits: order by a seeded hash, cut at the split shares. */
function assign(groups: Array<{ id: number; order: number }>, split: [number, number, number], into: Map<number, Split>): void {
  groups.sort((a, b) => a.order - b.order || a.id - b.id);
  const n = groups.length;
  const nTrain = Math.round(n * split[0]);
  const nValid = Math.min(n - nTrain, Math.round(n * split[1]));
  groups.forEach((g, i) => into.set(g.id, i < nTrain ? "train" : i < nTrain + nValid ? "valid" : "test"));
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
}): Promise<{ dataset: Dataset; stats: DatasetStats }> {
  const { cfg, systemPrompt } = opts;
  const skipped: Record<string, number> = {};
  const skip = (why: string) => (skipped[why] = (skipped[why] ?? 0) + 1);
  const usable = (d: Doc) => typeof d.compressed === "string" && d.compressed.trim() !== "" && typeof d.text === "string";
  // Rows without a "compressed" key are counted, not parsed: a corpus before generation costs little.
  const hasCompressed = (raw: string) => raw.includes('"compressed":') || (skip("no_compressed"), false);

  // Pass 1: group docs (exact, then near-duplicate originals); one group id per usable doc.
  const exact = new Map<string, number>();
  const near = cfg.near_duplicate < 1 ? new MinHashIndex<number>(PERMS, 16) : undefined;
  const groupOf: number[] = [];
  const groups: Array<{ id: number; order: number; domain: Domain }> = [];
  let nearDuplicates = 0;
  // The usable docs, kept for pass 2 while they are small, so it need not read and parse the file
  // again; past HELD_CHARS pass 2 re-reads it (the same rows in the same order either way).
  let held: Doc[] | undefined = [];
  let heldChars = 0;
  for await (const { value: doc } of readJsonl<Doc>(opts.input, (i) => opts.onIssue?.(`${i.path}:${i.line}: ${i.message}`), hasCompressed)) {
    if (!usable(doc)) {
      skip("no_compressed");
      continue;
    }
    if (held) {
      heldChars += doc.text.length + doc.compressed!.length;
      if (heldChars > (opts.holdChars ?? HELD_CHARS)) held = undefined;
      else held.push(doc);
    }
    const key = normalise(doc.text);
    let id = exact.get(key);
    if (id === undefined) {
      const sig = near ? minhashSignature(shingleList(key, SHINGLE), PERMS) : undefined;
      const match = sig && near!.query(sig, cfg.near_duplicate);
      if (match) {
        id = match.item;
        nearDuplicates++;
      } else {
        id = groups.length;
        groups.push({ id, order: Bun.hash.xxHash32(key, cfg.seed >>> 0), domain: doc.domain });
      }
      exact.set(key, id);
      if (sig) near!.add(sig, id);
    }
    groupOf.push(id);
  }
  const splitOf = new Map<number, Split>();
  for (const domain of new Set(groups.map((g) => g.domain))) assign(groups.filter((g) => g.domain === domain), cfg.split, splitOf);

  // Pass 2: write rows in input order, measuring their length with the student's tokenizer.
  await rm(opts.outDir, { recursive: true, force: true });
  await mkdir(opts.outDir, { recursive: true });
  const writers = Object.fromEntries(SPLITS.map((s) => [s, new JsonlWriter(join(opts.outDir, `${s}.jsonl`))])) as Record<Split, JsonlWriter>;
  const testDocs = new JsonlWriter(join(opts.outDir, "test.docs.jsonl"));
  const byDomain = Object.fromEntries(SPLITS.map((s) => [s, {}])) as Record<Split, Record<string, number>>;
  const lengths: Record<Split, number[]> = { train: [], valid: [], test: [] };
  const systemTokens = countTokens(systemPrompt, cfg.tokenizer);
  let row = 0;
  for await (const doc of held ?? usableDocs(opts.input, usable)) {
    const split = splitOf.get(groupOf[row++]!)!;
    const user = cfg.user_prefix + doc.text;
    writers[split].write({
      messages: [
        { role: "system", content: systemPrompt },
        { role: "user", content: user },
        { role: "assistant", content: doc.compressed },
      ],
    });
    if (split === "test") testDocs.write(doc);
    byDomain[split][doc.domain] = (byDomain[split][doc.domain] ?? 0) + 1;
    lengths[split].push(systemTokens + countTokens(user, cfg.tokenizer) + countTokens(doc.compressed!, cfg.tokenizer));
  }
  for (const w of Object.values(writers)) await w.commit();
  await testDocs.commit();
  const counts = { train: writers.train.count, valid: writers.valid.count, test: writers.test.count };
  const tokens = Object.fromEntries(SPLITS.map((s) => [s, lengthStats(lengths[s], cfg.max_seq_length)])) as Record<Split, LengthStats>;
  const stats: DatasetStats = { counts, byDomain, tokens, nearDuplicates, skipped };
  await writeJsonAtomic(join(opts.outDir, "stats.json"), stats);
  return { dataset: datasetAt(opts.outDir, counts, opts.fingerprint, systemPrompt, cfg.user_prefix), stats };
}

/** Pass 2's rows when pass 1 could not keep them: the usable docs of the file, in order. */
async function* usableDocs(input: string, usable: (d: Doc) => boolean): AsyncGenerator<Doc> {
  for await (const { value: doc } of readJsonl<Doc>(input, undefined, (raw) => raw.includes('"compressed":'))) {
    if (usable(doc)) yield doc;
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
