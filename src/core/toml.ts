// TOML parsing with positions. Bun.TOML.parse is fast but its errors carry no line or column, so
// on failure we find them by re-parsing prefixes: the shortest prefix that fails with the same
// message ends at the offending line, and then at the offending column.
import { CtxcError, EXIT } from "./errors.ts";

export function parseToml(text: string, file: string): Record<string, unknown> {
  try {
    return Bun.TOML.parse(text) as Record<string, unknown>;
  } catch (e) {
    const message = String((e as Error).message).replace(/^TOML Parse error:\s*/, "");
    const { line, column } = locate(text, message);
    const src = text.split("\n")[line - 1] ?? "";
    throw new CtxcError(`${file}:${line}:${column}: TOML syntax error: ${message}\n    ${src}\n    ${" ".repeat(Math.max(0, column - 1))}^`, {
      hint: "fix the syntax at that position (strings need quotes, tables are [name], stage lists are [[stages]])",
      exitCode: EXIT.invalid,
    });
  }
}

function failsWith(text: string, message: string): boolean {
  try {
    Bun.TOML.parse(text);
    return false;
  } catch (e) {
    return String((e as Error).message).includes(message);
  }
}

function locate(text: string, message: string): { line: number; column: number } {
  const lines = text.split("\n");
  let line = lines.length;
  for (let k = 1; k <= lines.length; k++) {
    if (failsWith(lines.slice(0, k).join("\n") + "\n", message)) {
      line = k;
      break;
    }
  }
  const before = lines.slice(0, line - 1).join("\n") + (line > 1 ? "\n" : "");
  const src = lines[line - 1] ?? "";
  let column = 1;
  for (let c = 1; c <= src.length; c++) {
    if (failsWith(before + src.slice(0, c), message)) {
      column = c;
      break;
    }
  }
  return { line, column };
}
