// The dataset step's split assignment. Docs whose originals are equal (after whitespace
// normalisation) or near-duplicates (MinHash Jaccard ≥ near_duplicate) form one group; a group
// never spans two splits. Groups are assigned per domain (stratified) in an order seeded by
// `seed`, cut at the split shares. Deterministic: the same rows give the same splits.
import type { Domain } from "../sdk/types.ts";
import { MinHashIndex } from "../text/minhash.ts";
import type { DatasetConfig } from "./config.ts";

export type Split = "train" | "valid" | "test";
export const SPLITS: Split[] = ["train", "valid", "test"];
/** MinHash permutations and shingle size of the near-duplicate check. */
export const PERMS = 64;
export const SHINGLE = 3;

/**
 * The text trimmed, each whitespace run one space: `text.trim().replace(/\s+/g, " ")`, but a
 * single space (most of prose's runs) is left in place rather than replaced by itself, which took
 * ~40% longer.
 */
export const normalise = (text: string): string => text.trim().replace(/\s{2,}|[^\S ]/g, " ");

/**
 * The group key of an original: xxHash32 of its normalised text with the seed. It orders the
 * groups (as the splits have always been ordered) and keys the exact-duplicate map, so the map
 * holds numbers, not every original; a hit is confirmed on the texts themselves.
 */
export function groupKey(text: string, seed: number): number {
  return Bun.hash.xxHash32(normalise(text), seed >>> 0);
}

export class Grouper {
  /** Group key → the first row that had it. */
  private readonly exact = new Map<number, number>();
  /** Normalised original → group, for originals whose key another original took (a 32-bit
   * collision: a few per 100,000 rows). */
  private readonly collided = new Map<string, number>();
  private readonly texts: string[] = [];
  private readonly near: MinHashIndex<number> | undefined;
  private readonly groupOf: number[] = [];
  private readonly groups: Array<{ id: number; order: number; domain: Domain }> = [];
  /** Docs that joined another doc's group as a near (not exact) duplicate. */
  nearDuplicates = 0;

  constructor(private readonly cfg: DatasetConfig) {
    this.near = cfg.near_duplicate < 1 ? new MinHashIndex<number>(PERMS, 16) : undefined;
  }

  /** Whether grouping uses MinHash signatures (near_duplicate < 1). */
  get usesSignatures(): boolean {
    return this.near !== undefined;
  }

  /**
   * Puts the next row (rows come in input order) in a group: the group of an earlier row with the
   * same normalised original, else of a near-duplicate, else a new one. `key` is groupKey(text);
   * `signature` is asked only for a new original.
   */
  add(text: string, domain: Domain, key: number, signature: () => Uint32Array): void {
    const row = this.texts.push(text) - 1;
    const first = this.exact.get(key);
    let id: number | undefined;
    let norm: string | undefined;
    if (first !== undefined) {
      // Confirmed on the texts: a shared key of two different originals is a hash collision.
      if (text === this.texts[first] || (norm = normalise(text)) === normalise(this.texts[first]!)) id = this.groupOf[first]!;
      else id = this.collided.get(norm);
    }
    if (id === undefined) {
      const sig = this.near ? signature() : undefined;
      const match = sig && this.near!.query(sig, this.cfg.near_duplicate);
      if (match) {
        id = match.item;
        this.nearDuplicates++;
      } else {
        id = this.groups.length;
        this.groups.push({ id, order: key, domain });
      }
      if (first === undefined) this.exact.set(key, row);
      else this.collided.set(norm!, id);
      if (sig) this.near!.add(sig, id);
    }
    this.groupOf.push(id);
  }

  /** The split of each row, in row order (call once all rows are added). */
  splits(): Split[] {
    const splitOf = new Map<number, Split>();
    for (const domain of new Set(this.groups.map((g) => g.domain))) assign(this.groups.filter((g) => g.domain === domain), this.cfg.split, splitOf);
    return this.groupOf.map((id) => splitOf.get(id)!);
  }
}

/** Assign the groups of one domain to splits: order by a seeded hash, cut at the split shares. */
function assign(groups: Array<{ id: number; order: number }>, split: [number, number, number], into: Map<number, Split>): void {
  groups.sort((a, b) => a.order - b.order || a.id - b.id);
  const n = groups.length;
  const nTrain = Math.round(n * split[0]);
  const nValid = Math.min(n - nTrain, Math.round(n * split[1]));
  groups.forEach((g, i) => into.set(g.id, i < nTrain ? "train" : i < nTrain + nValid ? "valid" : "test"));
}
