// Drops repeated originals: exact copies (same text once whitespace is normalised) and near
// copies (MinHash estimate of word-shingle Jaccard similarity ≥ threshold). It reads only the
// original `text`, so it can stand before a generator and duplicates cost nothing.
// The first doc of a group is kept; later ones are rejected naming it. Memory per run: one hash
// per distinct text plus a 64-slot signature (~0.5 KB) per kept doc.
import { defineFilter, stableHash, v, type StageContext } from "../../src/sdk/index.ts";
import { MinHashIndex, minhashSignature } from "../../src/text/minhash.ts";
import { shingleHashes } from "../../src/text/shingles.ts";

const options = v.object({
  near: v.optional(v.pipe(v.boolean(), v.description("Also drop near-duplicates, not only exact copies.")), true),
  threshold: v.optional(
    v.pipe(v.number(), v.minValue(0.5), v.maxValue(1), v.description("Estimated Jaccard similarity of word shingles at or above which a doc is a near-duplicate.")),
    0.85,
  ),
  shingle: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(16), v.description("Words per shingle.")), 5),
  perms: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(16), v.maxValue(512), v.check((n) => n % 16 === 0, "a multiple of 16"), v.description("MinHash permutations (signature length, a multiple of 16; more is more precise and slower).")),
    64,
  ),
});

interface RunState {
  exact: Map<string, string>;
  index: MinHashIndex<string>;
}

// One state per stage run: the runner gives each stage its own ctx, so two dedup stages in one
// pipeline (or two runs in one process) never see each other's docs.
const runs = new WeakMap<StageContext, RunState>();

function stateFor(ctx: StageContext, perms: number): RunState {
  let s = runs.get(ctx);
  if (!s) runs.set(ctx, (s = { exact: new Map(), index: new MinHashIndex<string>(perms, 16) }));
  return s;
}

export default defineFilter({
  name: "filter/dedup",
  version: "1",
  description: "Drop exact and near-duplicate originals (MinHash over word shingles); works before generation.",
  options,
  filter(doc, o, ctx) {
    const state = stateFor(ctx, o.perms);
    const normalised = doc.text.trim().replace(/\s+/g, " ");
    const key = stableHash(normalised);
    const first = state.exact.get(key);
    if (first !== undefined) return ctx.reject("duplicate", `same text as ${first}`);
    state.exact.set(key, doc.id);
    if (!o.near) return doc;
    const shingles = shingleHashes(doc.text, o.shingle);
    if (!shingles.size) return doc;
    const sig = minhashSignature(shingles, o.perms);
    const match = state.index.query(sig, o.threshold);
    if (match) return ctx.reject("near_duplicate", `≈ ${match.item} (estimated Jaccard ${match.similarity.toFixed(2)})`);
    state.index.add(sig, doc.id);
    return doc;
  },
});
