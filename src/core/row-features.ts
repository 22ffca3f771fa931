// The dataset step's per-row work that depends on no other row: the key hashes and MinHash
// signature of each original (grouping needs them, in row order) and the token count of each chat
// row (only the length stats at the end need them). It was two thirds of the step's CPU; for a
// large input a worker thread shares it (row-features-shared.ts). Both threads compute chunks of
// rows with the functions here, so a chunk's results are the same whichever thread made them.
import type { Doc } from "../sdk/types.ts";
import { minhashSignature } from "../text/minhash.ts";
import { shingleList } from "../text/shingles.ts";
import { countTokensOnce } from "../text/tokens.ts";
import { groupKey } from "./dataset-groups.ts";

export interface FeatureSpec {
  /** MinHash permutations; 0 = no signatures (near-duplicate grouping is off). */
  perms: number;
  shingle: number;
  /** The split seed (the group order is a seeded hash of the original). */
  seed: number;
  tokenizer: string;
  userPrefix: string;
}

/** What a row's features are computed from. */
export type RowText = Pick<Doc, "text" | "compressed">;

export interface RowFeatures {
  /** groupKey() of row `row`'s original. */
  key(row: number, doc: RowText): number;
  /** The MinHash signature of row `row`'s original (asked after its keys). */
  signature(row: number, doc: RowText): Uint32Array;
  /** Tokens of row `row`'s user and assistant messages (the system prompt not included). */
  tokens(row: number, doc: RowText): number;
  /** Stops the worker, if any. */
  close(): void;
}

/** Rows per chunk: small enough to balance well, large enough that claiming costs nothing. */
export const CHUNK = 128;

export function signatureOf(text: string, spec: FeatureSpec): Uint32Array {
  // Shingles of the raw text are those of its whitespace-normalised form (words never hold
  // whitespace), so the signature needs no normalising.
  return minhashSignature(shingleList(text, spec.shingle), spec.perms);
}

export function tokensOf(doc: RowText, spec: FeatureSpec): number {
  return countTokensOnce(spec.userPrefix + doc.text, spec.tokenizer) + countTokensOnce(doc.compressed!, spec.tokenizer);
}

/** Where both threads put a chunk's results. */
export interface Results {
  keys: Uint32Array<ArrayBufferLike>;
  sigs: Uint32Array<ArrayBufferLike>;
  tokens: Int32Array<ArrayBufferLike>;
}

/** The keys and signatures (kind 0) or token counts (kind 1) of chunk `c` of `rows` rows. */
export function computeChunk(kind: 0 | 1, c: number, rows: number, docAt: (row: number) => RowText, spec: FeatureSpec, out: Results): void {
  const end = Math.min(rows, (c + 1) * CHUNK);
  for (let r = c * CHUNK; r < end; r++) {
    const doc = docAt(r);
    if (kind === 1) {
      out.tokens[r] = tokensOf(doc, spec);
      continue;
    }
    out.keys[r] = groupKey(doc.text, spec.seed);
    if (spec.perms) out.sigs.set(signatureOf(doc.text, spec), r * spec.perms);
  }
}

/** Each row computed when asked, on this thread. */
export function inlineFeatures(spec: FeatureSpec): RowFeatures {
  return {
    key: (_row, doc) => groupKey(doc.text, spec.seed),
    signature: (_row, doc) => signatureOf(doc.text, spec),
    tokens: (_row, doc) => tokensOf(doc, spec),
    close() {},
  };
}
