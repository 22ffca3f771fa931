// The dataset step: after the last record stage, write dataset/{train,valid,test}.jsonl in the
// chat format mlx_lm.lora reads as is ({"messages":[system,user,assistant]}).
// Splits are deterministic and stratified by domain; docs with the same (normalised) original are
// kept together, so no original appears in two splits. Memory: one 32-bit key per doc.
import { mkdir, rm } from "node:fs/promises";
import { join, resolve } from "node:path";
import type { Dataset, Doc, Domain } from "../sdk/types.ts";
import { JsonlWriter, readJsonl } from "../text/jsonl.ts";
import { writeJsonAtomic } from "./atomic.ts";
import { canonicalJson, sha256 } from "./canonical.ts";
import type { DatasetConfig } from "./config.ts";
import { CtxcError } from "./errors.ts";
import builtinSystemPrompt from "../../prompts/system.txt" with { type: "text" };

export type Split = "train" | "valid" | "test";
const SPLITS: Split[] = ["train", "valid", "test"];

export interface DatasetStats {
  counts: Record<Split, number>;
  byDomain: Record<Split, Record<string, number>>;
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

/** The key that keeps equal originals together: whitespace-normalised text. */
function groupKey(text: string, seed: number): number {
  return Bun.hash.xxHash32(text.trim().replace(/\s+/g, " "), seed >>> 0);
}

/** Assign each group of a domain to a split: order groups by key, cut at the split shares. */
function assign(keys: Uint32Array, split: [number, number, number]): Map<number, Split> {
  const unique = [...new Set(keys)].sort((a, b) => a - b);
  const n = unique.length;
  const nTrain = Math.round(n * split[0]);
  const nValid = Math.min(n - nTrain, Math.round(n * split[1]));
  const out = new Map<number, Split>();
  unique.forEach((k, i) => out.set(k, i < nTrain ? "train" : i < nTrain + nValid ? "valid" : "test"));
  return out;
}

export async function writeDataset(opts: {
  input: string;
  outDir: string;
  cfg: DatasetConfig;
  systemPrompt: string;
  fingerprint: string;
  onIssue?: (message: string) => void;
}): Promise<{ dataset: Dataset; stats: DatasetStats }> {
  const { cfg, systemPrompt } = opts;
  const skipped: Record<string, number> = {};
  const usable = (d: Doc) => typeof d.compressed === "string" && d.compressed.trim() !== "" && typeof d.text === "string";
  // Pass 1: collect group keys per domain.
  const keysByDomain = new Map<Domain, number[]>();
  // Rows without a "compressed" key are counted, not parsed: a corpus before generation costs little.
  const hasCompressed = (raw: string) => {
    if (raw.includes('"compressed":')) return true;
    skipped.no_compressed = (skipped.no_compressed ?? 0) + 1;
    return false;
  };
  for await (const { value: doc } of readJsonl<Doc>(opts.input, (i) => opts.onIssue?.(`${i.path}:${i.line}: ${i.message}`), hasCompressed)) {
    if (!usable(doc)) {
      skipped.no_compressed = (skipped.no_compressed ?? 0) + 1;
      continue;
    }
    let arr = keysByDomain.get(doc.domain);
    if (!arr) keysByDomain.set(doc.domain, (arr = []));
    arr.push(groupKey(doc.text, cfg.seed));
  }
  const splitOf = new Map<Domain, Map<number, Split>>();
  for (const [domain, keys] of keysByDomain) splitOf.set(domain, assign(Uint32Array.from(keys), cfg.split));
  // Pass 2: write rows. A key that two domains share goes where its first domain put it.
  await rm(opts.outDir, { recursive: true, force: true });
  await mkdir(opts.outDir, { recursive: true });
  const writers = Object.fromEntries(SPLITS.map((s) => [s, new JsonlWriter(join(opts.outDir, `${s}.jsonl`))])) as Record<Split, JsonlWriter>;
  const testDocs = new JsonlWriter(join(opts.outDir, "test.docs.jsonl"));
  const byDomain = Object.fromEntries(SPLITS.map((s) => [s, {}])) as Record<Split, Record<string, number>>;
  const claimed = new Map<number, Split>();
  for await (const { value: doc } of readJsonl<Doc>(opts.input, undefined, (raw) => raw.includes('"compressed":'))) {
    if (!usable(doc)) continue;
    const key = groupKey(doc.text, cfg.seed);
    const split = claimed.get(key) ?? splitOf.get(doc.domain)!.get(key)!;
    claimed.set(key, split);
    writers[split].write({
      messages: [
        { role: "system", content: systemPrompt },
        { role: "user", content: cfg.user_prefix + doc.text },
        { role: "assistant", content: doc.compressed },
      ],
    });
    if (split === "test") testDocs.write(doc);
    byDomain[split][doc.domain] = (byDomain[split][doc.domain] ?? 0) + 1;
  }
  for (const w of Object.values(writers)) await w.commit();
  await testDocs.commit();
  const counts = { train: writers.train.count, valid: writers.valid.count, test: writers.test.count };
  const stats: DatasetStats = { counts, byDomain, skipped };
  await writeJsonAtomic(join(opts.outDir, "stats.json"), stats);
  const dataset: Dataset = {
    dir: opts.outDir,
    train: join(opts.outDir, "train.jsonl"),
    valid: join(opts.outDir, "valid.jsonl"),
    test: join(opts.outDir, "test.jsonl"),
    counts,
    fingerprint: opts.fingerprint,
    systemPrompt,
  };
  return { dataset, stats };
}
