// What every command's standard streams guarantee, installed once by main.ts before a command runs:
//   - nothing written to stdout or stderr holds a secret ctxc was given (src/text/redact.ts);
//     stderr (logs, warnings, errors) also gets the shape-based masking of key-like text;
//   - a closed stdout (`ctxc inspect … | head -1`) ends the process quietly with exit 0, instead
//     of Bun's raw EPIPE trace: the reader has what it wanted. A closed stderr only drops logs.
import { redact, redactMessage } from "../text/redact.ts";

type Write = typeof process.stdout.write;

const decoder = new TextDecoder();

function guardWrites(stream: NodeJS.WriteStream, clean: (text: string) => string): void {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    if (typeof chunk === "string") return write(clean(chunk), ...rest);
    if (chunk instanceof Uint8Array) {
      const text = decoder.decode(chunk);
      const cleaned = clean(text);
      return write(cleaned === text ? chunk : cleaned, ...rest);
    }
    return write(chunk, ...rest);
  }) as Write;
}

function isBrokenPipe(e: unknown): boolean {
  const code = (e as { code?: string } | null)?.code;
  return code === "EPIPE" || code === "ERR_STREAM_DESTROYED";
}

let installed = false;

export function guardStdio(): void {
  if (installed) return;
  installed = true;
  guardWrites(process.stdout, redact);
  guardWrites(process.stderr, redactMessage);
  process.stdout.on("error", (e) => {
    if (isBrokenPipe(e)) process.exit(0);
    throw e;
  });
  // A closed stderr (`ctxc run 2>&1 | head -1`) loses the log lines, not the run's work.
  process.stderr.on("error", (e) => {
    if (!isBrokenPipe(e)) throw e;
  });
  // Whatever else fails on a closed pipe (a write that throws at once) also ends quietly.
  process.on("uncaughtException", (e) => {
    if (isBrokenPipe(e)) process.exit(0);
    process.stderr.write(`error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  });
}
