// What went wrong importing a user's plugin file, said with file, line and column. Bun reports a
// syntax or resolve error as a BuildMessage / ResolveMessage carrying a `position`, and — in the
// compiled binary — several of them wrapped in one AggregateError whose message is only
// "2 errors building …". Each is shown as `file:line:column: message`, the offending line and a
// caret, like a compiler would.
import { relative } from "node:path";

interface Position {
  file?: string;
  line?: number;
  column?: number;
  lineText?: string;
}

interface Located {
  message: string;
  position?: Position | null;
}

function isLocated(x: unknown): x is Located {
  return typeof x === "object" && x !== null && typeof (x as Located).message === "string";
}

function one(m: Located): string {
  const p = m.position;
  if (!p?.file || !p.line) return m.message;
  const file = p.file.startsWith(process.cwd() + "/") ? relative(process.cwd(), p.file) : p.file;
  const head = `${file}:${p.line}:${p.column ?? 0}: ${m.message}`;
  if (!p.lineText) return head;
  // Bun's columns are 1-based here; tabs are kept so the caret lines up under them.
  const pad = p.lineText.slice(0, Math.max(0, (p.column ?? 1) - 1)).replace(/[^\t]/g, " ");
  return `${head}\n    ${p.lineText}\n    ${pad}^`;
}

/** Every build message in an import error, located; else the error's own message. */
export function describeLoadError(error: unknown): string {
  const nested = (error as { errors?: unknown } | null)?.errors;
  const messages = Array.isArray(nested) && nested.length ? nested.filter(isLocated) : isLocated(error) ? [error] : [];
  if (messages.length === 0) return String(error);
  const lines = messages.map(one);
  return lines.length === 1 ? lines[0]! : `${lines.length} errors:\n${lines.join("\n")}`;
}
