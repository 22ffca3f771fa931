// The model file (`model.bin`): a versioned header and the weight table, checksummed.
//
//   bytes 0-7    "CTXCXTR\0"                      magic
//   8-11         format version (u32 LE)          newer than MODEL_FORMAT → refused by name
//   12-15        header length H (u32 LE)
//   16..16+H     header JSON (ModelHeader)
//   padding to a multiple of 4, then the weights: dense float32[2^bits], or sparse
//                (u32 index[nnz] then float32 value[nnz]) when that is smaller
//   last 4       xxHash32 of everything before it
//
// A short, torn or altered file fails the length or checksum test with a message naming it.
import type { Domain } from "../../sdk/types.ts";
import type { FactKind } from "./features.ts";

export const MODEL_FORMAT = 1;
const MAGIC = "CTXCXTR\0";

export interface ModelHeader {
  format: number;
  featureVersion: number;
  bits: number;
  storage: "dense" | "sparse";
  nnz: number;
  /** Keep rate per domain used when a domain has no threshold: the teacher's mean keep rate. */
  rates: Record<Domain, number>;
  /** Per-domain score thresholds, calibrated on valid so the mean kept share equals the teacher's. */
  thresholds: Partial<Record<Domain, number>>;
  /** The teacher's mean keep rate per domain in the training pairs. */
  teacherRates: Record<Domain, number>;
  /** Facts kept whatever the rate. */
  force: FactKind[];
  /** Provenance: options, data, label statistics. */
  trained: Record<string, unknown>;
}

export class ModelFileError extends Error {
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
    this.name = "ModelFileError";
  }
}

export function encodeModel(header: Omit<ModelHeader, "format" | "storage" | "nnz">, weights: Float32Array): Uint8Array {
  let nnz = 0;
  for (const x of weights) if (x !== 0) nnz++;
  const sparse = nnz * 8 < weights.length * 4;
  const full: ModelHeader = { ...header, format: MODEL_FORMAT, storage: sparse ? "sparse" : "dense", nnz };
  const json = new TextEncoder().encode(JSON.stringify(full));
  const headEnd = align4(16 + json.length);
  const body = sparse ? nnz * 8 : weights.length * 4;
  const buf = new Uint8Array(headEnd + body + 4);
  const view = new DataView(buf.buffer);
  buf.set(new TextEncoder().encode(MAGIC), 0);
  view.setUint32(8, MODEL_FORMAT, true);
  view.setUint32(12, json.length, true);
  buf.set(json, 16);
  if (sparse) {
    const idx = new Uint32Array(nnz);
    const val = new Float32Array(nnz);
    let k = 0;
    for (let i = 0; i < weights.length; i++) if (weights[i] !== 0) ((idx[k] = i), (val[k++] = weights[i]!));
    buf.set(new Uint8Array(idx.buffer), headEnd);
    buf.set(new Uint8Array(val.buffer), headEnd + nnz * 4);
  } else {
    buf.set(new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength), headEnd);
  }
  view.setUint32(buf.length - 4, Bun.hash.xxHash32(buf.subarray(0, buf.length - 4)), true);
  return buf;
}

/** Parse a model file's bytes; `name` (its path) is in every error. */
export function decodeModel(bytes: Uint8Array, name: string): { header: ModelHeader; weights: Float32Array } {
  const bad = (what: string, hint = "train the model again, or restore the file from where it came") => new ModelFileError(`${name}: ${what}`, hint);
  if (bytes.length < 20 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw bad(bytes.length === 0 ? "the model file is empty" : "not an extractive model file (bad magic bytes)", "pass a run folder written by trainer/extractive");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const format = view.getUint32(8, true);
  if (format > MODEL_FORMAT) throw bad(`model format ${format} is newer than this ctxc reads (up to ${MODEL_FORMAT})`, "upgrade ctxc, or retrain the model with this version");
  const hlen = view.getUint32(12, true);
  if (16 + hlen > bytes.length) throw bad(`truncated: the header needs ${16 + hlen} bytes, the file has ${bytes.length}`);
  let header: ModelHeader;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + hlen))) as ModelHeader;
  } catch (e) {
    throw bad(`the header is not valid JSON (${(e as Error).message})`);
  }
  const headEnd = align4(16 + hlen);
  const body = header.storage === "sparse" ? header.nnz * 8 : (1 << header.bits) * 4;
  const expected = headEnd + body + 4;
  if (bytes.length !== expected) throw bad(bytes.length < expected ? `truncated: ${bytes.length} bytes, the header promises ${expected}` : `${bytes.length - expected} unexpected bytes after the weights`);
  if (view.getUint32(expected - 4, true) !== Bun.hash.xxHash32(bytes.subarray(0, expected - 4))) throw bad("checksum mismatch: the file was altered or damaged");
  const weights = new Float32Array(1 << header.bits);
  const copy = bytes.slice(headEnd, headEnd + body); // aligned copy
  if (header.storage === "sparse") {
    const idx = new Uint32Array(copy.buffer, 0, header.nnz);
    const val = new Float32Array(copy.buffer, header.nnz * 4, header.nnz);
    for (let k = 0; k < header.nnz; k++) weights[idx[k]!] = val[k]!;
  } else {
    weights.set(new Float32Array(copy.buffer));
  }
  return { header, weights };
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
