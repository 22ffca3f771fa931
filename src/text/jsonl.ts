// JSON Lines reading and writing, shared by the runtime and plugins (loader/jsonl, inspect). The
// reader streams in constant memory, reports a torn last line (a crash mid-write) and malformed
// middle lines with their line numbers, and goes on.
import { closeSync, openSync, renameSync, writeSync } from "node:fs";
import { open } from "node:fs/promises";
import { redactJson } from "./redact.ts";

export interface JsonlIssue {
  path: string;
  line: number;
  /** True for the last line of a file that does not end in a newline (a torn write). */
  torn: boolean;
  message: string;
}

export interface JsonlRow<T> {
  line: number;
  value: T;
}

const CHUNK = 1 << 20;

/** Stream the rows of a JSONL file. Bad lines go to `onIssue` (default: skipped silently). */
export async function* readJsonl<T = unknown>(
  path: string,
  onIssue: (issue: JsonlIssue) => void = () => {},
  /** Cheap pre-check on the raw line: rows it refuses are never parsed (nor reported). */
  accept?: (raw: string) => boolean,
): AsyncGenerator<JsonlRow<T>> {
  const fh = await open(path, "r");
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const buf = Buffer.allocUnsafe(CHUNK);
  let carry = "";
  let lineNo = 0;
  try {
    for (;;) {
      const { bytesRead } = await fh.read(buf, 0, CHUNK, null);
      const chunk = bytesRead > 0 ? decodeChunk(decoder, buf.subarray(0, bytesRead), path) : decoder.decode();
      const text = carry + chunk;
      const lines = text.split("\n");
      carry = bytesRead > 0 ? lines.pop()! : "";
      if (bytesRead === 0 && lines.length > 0 && lines[lines.length - 1] === "") lines.pop();
      for (let i = 0; i < lines.length; i++) {
        lineNo++;
        const raw = lines[i]!;
        if (raw.trim() === "" || (accept && !accept(raw))) continue;
        const torn = bytesRead === 0 && i === lines.length - 1 && !text.endsWith("\n");
        try {
          yield { line: lineNo, value: JSON.parse(raw) as T };
        } catch (e) {
          onIssue({ path, line: lineNo, torn, message: torn ? "torn last line (the file was cut off mid-write)" : (e as Error).message });
        }
      }
      if (bytesRead === 0) break;
    }
  } finally {
    await fh.close();
  }
}

function decodeChunk(decoder: TextDecoder, bytes: Uint8Array, path: string): string {
  try {
    return decoder.decode(bytes, { stream: true });
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
  private readonly hasher = new Bun.CryptoHasher("sha256");
  private pending: string[] = [];
  private pendingChars = 0;
  private closed = false;
  count = 0;

  constructor(readonly path: string) {
    this.fd = openSync(`${path}.tmp`, "w");
  }

  write(value: unknown): void {
    // Every JSONL a stage writes (out, rejected, dataset splits) passes the one redactor.
    const line = redactJson(JSON.stringify(value)) + "\n";
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
    this.hasher.update(block);
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

  /** Flush, close and atomically move into place. Returns the content hash. */
  async commit(): Promise<string> {
    this.close();
    renameSync(`${this.path}.tmp`, this.path);
    return this.hasher.digest("hex");
  }

  /** Close, keeping the partial output under `<path>.partial` for inspection. */
  async abandon(): Promise<void> {
    this.close();
    try {
      renameSync(`${this.path}.tmp`, `${this.path}.partial`);
    } catch {}
  }
}
