// The Qwen3 tokenizer's tables in the form the tokenizer uses them, and their binary file.
// Parsing the 11 MB tokenizer.json and building these tables from its strings took ~0.3–0.4 s per
// process; build/qwen3-tables.ts does it once and writes src/text/qwen3-tables.bin (ids only, plus
// the token strings as one blob for decode), which the binary embeds and a process reads in a few
// milliseconds. test/text/qwen3-tables.test.ts checks the file is what tokenizer.json gives.
//
// File layout (little-endian): "CTXCQ3T1", then u32 counts [merges, tokens, token blob bytes,
// added JSON bytes, source hash bytes], then i32 byteIds[256], i32 merges[3 × merges]
// (left, right, merged per rank; -1s for a merge whose tokens are not in the vocabulary), then
// the token strings joined by "\n" (UTF-8), the added tokens as JSON, and the sha256 of the
// tokenizer.json they came from (hex).

export interface TokenizerJSON {
  added_tokens: Array<{ id: number; content: string }>;
  model: { vocab: Record<string, number>; merges: Array<[string, string] | string> };
}

export interface Qwen3Tables {
  /** Token id of each byte's printable stand-in (GPT-2's byte-level alphabet). */
  byteIds: Int32Array;
  /** Per merge rank: left id, right id, merged id (all -1 for an unusable merge). */
  merges: Int32Array;
  /** The vocabulary's token strings by id (byte-level alphabet); only decode needs them. */
  tokens: () => string[];
  added: Array<{ id: number; content: string }>;
  /** sha256 (hex) of the tokenizer.json the tables were built from. */
  source: string;
}

const MAGIC = "CTXCQ3T1";

/** GPT-2's byte → printable-character table (bytes that print stand for themselves). */
export function byteChars(): string[] {
  const chars: string[] = [];
  let extra = 0;
  for (let b = 0; b < 256; b++) {
    const printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || b >= 174;
    chars.push(String.fromCharCode(printable ? b : 256 + extra++));
  }
  return chars;
}

/** The tables from a parsed tokenizer.json (what the build script and the sync test run). */
export function tablesFromJSON(json: TokenizerJSON, source: string): Qwen3Tables {
  const { vocab, merges } = json.model;
  const tokens: string[] = [];
  for (const [token, id] of Object.entries(vocab)) tokens[id] = token;
  const byteIds = new Int32Array(256);
  byteChars().forEach((ch, b) => {
    const id = vocab[ch];
    if (id === undefined) throw new Error(`qwen3 tokenizer.json: byte 0x${b.toString(16)} has no token`);
    byteIds[b] = id;
  });
  const table = new Int32Array(merges.length * 3).fill(-1);
  merges.forEach((m, rank) => {
    const [a, b] = typeof m === "string" ? (m.split(" ") as [string, string]) : m;
    const left = vocab[a], right = vocab[b], merged = vocab[a + b];
    if (left === undefined || right === undefined || merged === undefined) return;
    table.set([left, right, merged], rank * 3);
  });
  const added = json.added_tokens.map((t) => ({ id: t.id, content: t.content }));
  return { byteIds, merges: table, tokens: () => tokens, added, source };
}

export function encodeTables(t: Qwen3Tables): Uint8Array {
  const tokens = t.tokens();
  for (let id = 0; id < tokens.length; id++) {
    if (tokens[id] === undefined || tokens[id]!.includes("\n")) throw new Error(`qwen3 tables: token id ${id} is missing or contains a newline`);
  }
  const enc = new TextEncoder();
  const blob = enc.encode(tokens.join("\n"));
  const added = enc.encode(JSON.stringify(t.added));
  const source = enc.encode(t.source);
  const ints = 5 + 256 + t.merges.length;
  const out = new Uint8Array(MAGIC.length + ints * 4 + blob.length + added.length + source.length);
  out.set(enc.encode(MAGIC), 0);
  const view = new DataView(out.buffer);
  let at = MAGIC.length;
  const u32 = (n: number) => {
    view.setInt32(at, n, true);
    at += 4;
  };
  [t.merges.length / 3, tokens.length, blob.length, added.length, source.length].forEach(u32);
  t.byteIds.forEach(u32);
  t.merges.forEach(u32);
  for (const part of [blob, added, source]) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

export function decodeTables(bytes: Uint8Array): Qwen3Tables {
  const dec = new TextDecoder();
  if (dec.decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) throw new Error("qwen3-tables.bin: not a ctxc Qwen3 table file (run `bun build/qwen3-tables.ts`)");
  // Copy into an aligned buffer once (the embedded file's offset may not be 4-aligned); 2 MB.
  const ints = (offset: number, n: number) => {
    const out = new Int32Array(n);
    new Uint8Array(out.buffer).set(bytes.subarray(offset, offset + n * 4));
    return out;
  };
  let at = MAGIC.length;
  const [nMerges, nTokens, blobBytes, addedBytes, sourceBytes] = ints(at, 5) as unknown as [number, number, number, number, number];
  at += 20;
  const byteIds = ints(at, 256);
  at += 256 * 4;
  const merges = ints(at, nMerges * 3);
  at += nMerges * 12;
  const blob = bytes.subarray(at, (at += blobBytes));
  const added = JSON.parse(dec.decode(bytes.subarray(at, (at += addedBytes))));
  const source = dec.decode(bytes.subarray(at, (at += sourceBytes)));
  let tokens: string[] | undefined;
  return {
    byteIds,
    merges,
    tokens: () => {
      tokens ??= dec.decode(blob).split("\n");
      if (tokens.length !== nTokens) throw new Error(`qwen3-tables.bin: ${tokens.length} tokens, header says ${nTokens}`);
      return tokens;
    },
    added,
    source,
  };
}
