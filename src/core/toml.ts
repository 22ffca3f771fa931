// TOML parsing with positions, by smol-toml. Bun.TOML.parse was used before, but it is quadratic
// in the number of keys of a table (a 1 MB file of unknown keys took 18 s to parse, 2 MB over a
// minute) and its errors carry no position, which ctxc recovered by re-parsing prefixes — quadratic
// again. smol-toml is linear and its errors name the line and column (bench/toml.ts measures it).
import { parse, TomlError } from "smol-toml";
import { CtxcError, EXIT } from "./errors.ts";

export function parseToml(text: string, file: string): Record<string, unknown> {
  try {
    return parse(text) as Record<string, unknown>;
  } catch (e) {
    if (!(e instanceof TomlError)) throw e;
    // The message is "Invalid TOML document: WHAT\n\n<code block>"; ctxc shows its own excerpt.
    const message = e.message.split("\n")[0]!.replace(/^Invalid TOML document:\s*/, "");
    const src = text.split("\n")[e.line - 1]?.replace(/\r$/, "") ?? "";
    throw new CtxcError(`${file}:${e.line}:${e.column}: TOML syntax error: ${message}\n    ${src}\n    ${" ".repeat(Math.max(0, e.column - 1))}^`, {
      hint: "fix the syntax at that position (strings need quotes, tables are [name], stage lists are [[stages]])",
      exitCode: EXIT.invalid,
    });
  }
}
