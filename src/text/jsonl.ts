// JSON Lines reading and writing, shared by the runtime and plugins (loader/jsonl, inspect). The
// reader streams in constant memory, reports a torn last line (a crash mid-write), malformed
// middle lines and (with `maxLineBytes`) over-long lines with their line numbers, and goes on.
import { closeSync, openSync, renameSync, writeSync } from "node:fs";
import { open } from "node:fs/promises";
import { redactJson } from "./redact.ts";

export interface JsonlIssue {
  path: string;
  line: number;
  /** True for the last line of a file that does not end in a newline (a torn write). */
  torn: boolean;
  /** True for a line longer than `maxLineBytes` (skipped without being held in memory). */
  tooLong?: boolean;
  message: string;
}

export interface JsonlRow<T> {
  line: number;
  value: T;
}

export interface ReadJsonlOptions {
  /**
   * Lines longer than this many bytes are skipped and reported (`tooLong`), and never held in
   * memory whole: the reader keeps at most this much plus one read chunk. Default: no limit.
   */
  maxLineBytes?: number;
}

const CHUNK = 1 << 20;
const NEWLINE = 0x0a;

/** Stream the rows of a JSONL file. Bad lines go to `onIssue` (default: skipped silently). */
export async function* readJsonl<T = unknown>(
  path: string,
  onIssue: (issue: JsonlIssue) => void = () => {},
  /** Cheap pre-check on the raw line: rows it refuses are never parsed (nor reported). */
  accept?: (raw: string) => boolean,
  opts: ReadJsonlOptions = {},
): AsyncGenerator<JsonlRow<T>> {
  for await (const batch of readJsonlBatches<T>(path, onIssue, accept, opts)) yield* batch;
}

/**
 * readJsonl's rows a read chunk (~1 MB) at a time: for a consumer of many small rows, whom an
 * async generator's per-row promise would cost more than its own work.
 */
export async function* readJsonlBatches<T = unknown>(
  path: string,
  onIssue: (issue: JsonlIssue) => void = () => {},
  accept?: (raw: string) => boolean,
  opts: ReadJsonlOptions = {},
): AsyncGenerator<Array<JsonlRow<T>>> {
  const max = opts.maxLineBytes ?? Infinity;
  const fh = await open(path, "r");
  const decoder = new TextDecoder("utf-8", { fatal: true });
  // The start of the line being read (bytes after the last newline seen), or, while `skipping`,
  // nothing: an over-long line is dropped as it streams by.
  let carry: Uint8Array[] = [];
  let carryBytes = 0;
  let skipping = false;
  let lineNo = 0;
  const tooLong = (line: number, bytes: number | undefined): JsonlIssue => ({
    path, line, torn: false, tooLong: true,
    message: `row longer than ${max.toLocaleString("en-US")} bytes${bytes === undefined ? "" : ` (${bytes.toLocaleString("en-US")})`}`,
  });
  /** Parse the complete lines of `text` (which ends at a line end, or at the end of the file). */
  function rows(text: string, atEnd: boolean): Array<JsonlRow<T>> {
    const out: Array<JsonlRow<T>> = [];
    const lines = text.split("\n");
    if (!atEnd || lines[lines.length - 1] === "") lines.pop();
    for (let i = 0; i < lines.length; i++) {
      lineNo++;
      const raw = lines[i]!;
      // UTF-16 length ≤ UTF-8 bytes ≤ 3 × UTF-16 length: count bytes only when it could matter.
      if (raw.length * 3 > max) {
        const bytes = Buffer.byteLength(raw);
        if (bytes > max) {
          onIssue(tooLong(lineNo, bytes));
          continue;
        }
      }
      if (raw.trim() === "" || (accept && !accept(raw))) continue;
      const torn = atEnd && i === lines.length - 1 && !text.endsWith("\n");
      try {
        out.push({ line: lineNo, value: JSON.parse(raw) as T });
      } catch (e) {
        onIssue({ path, line: lineNo, torn, message: torn ? "torn last line (the file was cut off mid-write)" : (e as Error).message });
      }
    }
    return out;
  }
  const keep = (bytes: Uint8Array) => {
    if (bytes.length === 0) return;
    carry.push(bytes);
    carryBytes += bytes.length;
    if (carryBytes > max) {
      carry = [];
      carryBytes = 0;
      skipping = true;
    }
  };
  try {
    const buf = Buffer.allocUnsafe(CHUNK);
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      if (bytesRead === 0) break;
      let chunk: Uint8Array = buf.subarray(0, bytesRead);
      if (skipping) {
        const end = chunk.indexOf(NEWLINE);
        if (end < 0) continue;
        onIssue(tooLong(++lineNo, undefined));
        skipping = false;
        chunk = chunk.subarray(end + 1);
      }
      const last = chunk.lastIndexOf(NEWLINE);
      if (last < 0) {
        keep(new Uint8Array(chunk)); // a copy: `buf` is reused by the next read
        continue;
      }
      // A newline byte is never inside a multi-byte UTF-8 sequence: cutting after one is safe.
      const whole = carryBytes ? Buffer.concat([...carry, chunk.subarray(0, last + 1)]) : chunk.subarray(0, last + 1);
      carry = [];
      carryBytes = 0;
      yield rows(decode(decoder, whole, path), false);
      keep(new Uint8Array(chunk.subarray(last + 1)));
    }
    if (skipping) onIssue(tooLong(++lineNo, undefined));
    else if (carryBytes) yield rows(decode(decoder, Buffer.concat(carry), path), true);
  } finally {
    await fh.close();
  }
}

function decode(decoder: TextDecoder, bytes: Uint8Array, path: string): string {
  try {
    return decoder.decode(bytes);
  } catch {
    throw new Error(`${path} is not valid UTF-8; re-encode it as UTF-8 (e.g. iconv -t UTF-8)`);
  }
}

/**
 * Buffered JSONL writer that also hashes what it writes, so a stage's output fingerprint costs no
 * second read. Blocks of ~256 KB go to the file with a synchronous write: memory stays flat however
 * fast records arrive. Writes go to `<path>.tmp`; `commit()` renames it into place atomically.
 */
export class JsonlWriter {
  private readonly fd: number;
  private readonly hasher: Bun.CryptoHasher | undefined;
  private pending: string[] = [];
  private pendingChars = 0;
  private closed = false;
  count = 0;

  /** `hash: false` for files whose hash no one asks for (SHA-256 was ~15% of the dataset step). */
  constructor(readonly path: string, opts: { hash?: boolean } = {}) {
    this.fd = openSync(`${path}.tmp`, "w");
    this.hasher = opts.hash === false ? undefined : new Bun.CryptoHasher("sha256");
  }

  write(value: unknown): void {
    this.writeJson(JSON.stringify(value));
  }

  /** Writes one row already serialised as JSON (one line, no newline). */
  writeJson(json: string): void {
    // Every JSONL a stage writes (out, rejected, dataset splits) passes the one redactor.
    const line = redactJson(json) + "\n";
    this.pending.push(line);
    this.pendingChars += line.length;
    this.count++;
    if (this.pendingChars > 1 << 18) this.drain();
  }

  private drain(): void {
    if (this.pending.length === 0) return;
    const block = this.pending.join("");
    this.pending = [];
    this.pendingChars = 0;
    this.hasher?.update(block);
    writeSync(this.fd, block);
  }

  /** Write what is buffered to the temp file without making it final. */
  async flush(): Promise<void> {
    this.drain();
  }

  private close(): void {
    this.drain();
    if (!this.closed) closeSync(this.fd);
    this.closed = true;
  }

  /** Flush, close and atomically move into place. Returns the content hash ("" if not hashed). */
  async commit(): Promise<string> {
    this.close();
    renameSync(`${this.path}.tmp`, this.path);
    return this.hasher?.digest("hex") ?? "";
  }

  /** Close, keeping the partial output under `<path>.partial` for inspection. */
  async abandon(): Promise<void> {
    this.close();
    try {
      renameSync(`${this.path}.tmp`, `${this.path}.partial`);
    } catch {}
  }
}
