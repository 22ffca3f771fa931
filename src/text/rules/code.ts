// Code rules of generator/rules: pick the language family (from the doc's language, its file
// extension, a fence's info string, or the text itself) and apply its rules.
//   python: src/text/rules/python.ts — comments, docstrings, joins; output parses as the input did
//   clike:  src/text/rules/clike.ts — `//` and `/* */` comments, joins inside ( and [
//   hash:   shell, YAML, TOML, Ruby, R, Makefile … — whole-line `#` comments only (a `#` inside a
//           line may be data: `url: http://x/#top`, "${#arr}"), blank lines, trailing spaces
//   plain:  anything else (SQL, Lua, JSON, HTML, …) — blank lines and trailing spaces only
import { compressCLike, type CLikeDialect } from "./clike.ts";
import { trimTrailing } from "./lex.ts";
import { compressPython, type CodeRuleOptions } from "./python.ts";

export type { CodeRuleOptions } from "./python.ts";

export type Family = { kind: "python" } | { kind: "clike"; dialect: CLikeDialect } | { kind: "hash" } | { kind: "plain" };

const C: CLikeDialect = { lineComments: true, regex: false, backtick: "none", charQuote: true, rustRaw: false };
const JS: CLikeDialect = { lineComments: true, regex: true, backtick: "template", charQuote: false, rustRaw: false };

const FAMILIES: Record<string, Family> = {};
const add = (family: Family, names: string): void => {
  for (const name of names.split(" ")) FAMILIES[name] = family;
};
add({ kind: "python" }, "python py py3 pyi python3 pyw");
add({ kind: "clike", dialect: JS }, "javascript js mjs cjs jsx typescript ts mts cts tsx node json5 jsonc");
add({ kind: "clike", dialect: C }, "c h cpp cc cxx hpp hh c++ cuda cu java cs csharp kotlin kt kts scala swift dart objc m mm groovy zig proto php");
add({ kind: "clike", dialect: { ...C, backtick: "raw" } }, "go golang");
add({ kind: "clike", dialect: { ...C, charQuote: true, rustRaw: true } }, "rust rs");
add({ kind: "clike", dialect: { ...C, lineComments: false, charQuote: false } }, "css");
add({ kind: "clike", dialect: { ...C, charQuote: false } }, "scss less");
add({ kind: "hash" }, "sh bash zsh fish shell console ksh yaml yml toml ruby rb perl pl r makefile make mk dockerfile cmake nix tcl conf ini properties gitignore env elixir ex exs julia jl powershell ps1 coffee");
add({ kind: "plain" }, "sql lua hs haskell json html xml svg vue svelte md markdown text txt plaintext csv tsv diff patch");

/** The family for a language name or file extension (case-insensitive), if known. */
export function familyFor(lang: string | undefined): Family | undefined {
  if (!lang) return undefined;
  return FAMILIES[lang.trim().toLowerCase()];
}

/** The family from the file name (extension, or Makefile/Dockerfile). */
export function familyForPath(path: string | undefined): Family | undefined {
  if (!path) return undefined;
  const base = path.split(/[\\/]/).pop()!.toLowerCase();
  if (base === "makefile" || base === "dockerfile") return FAMILIES[base];
  const dot = base.lastIndexOf(".");
  return dot > 0 ? familyFor(base.slice(dot + 1)) : undefined;
}

// Lines only one side writes: Python block headers ending in `:`, decorators, imports; C-family
// statement ends `;`, `) {`, declarations and `//` comments. (A lone `}` or a line ending in `{`
// is no evidence: Python dict literals have both.)
const PY_LINES = /^[ \t]*(?:(?:async[ \t]+)?def[ \t]+\w+[ \t]*\(|class[ \t]+\w+[ \t]*[(:]|from[ \t]+[\w.]+[ \t]+import[ \t]|import[ \t]+[\w.]+[ \t]*$|@\w[\w.]*(?:\(|$)|(?:if|elif|else|try|except|finally|for|while|with)\b[^\n;{]*:[ \t]*(?:#.*)?$)/gm;
const CLIKE_LINES = /;[ \t]*$|\)[ \t]*\{[ \t]*$|^[ \t]*(?:\/\/|\/\*|#include\b|(?:const|let|var|function|func|fn|public|private|package)\b)/gm;

/** Guess the family of unlabelled code from its text. */
export function sniffFamily(text: string): Family {
  // A text opening with a def/class header (after decorators) is Python whatever its strings hold.
  if (/^\s*(?:@[\w.]+(?:\(.*\))?\s*\n\s*)*(?:(?:async\s+)?def\s+\w+\s*\(|class\s+\w+\s*[(:])/.test(text)) return { kind: "python" };
  const py = text.match(PY_LINES)?.length ?? 0;
  const c = text.match(CLIKE_LINES)?.length ?? 0;
  if (py === 0 && c === 0) return { kind: "plain" };
  return py >= c ? { kind: "python" } : { kind: "clike", dialect: JS };
}

export function compressCode(text: string, family: Family, opts: CodeRuleOptions): string {
  switch (family.kind) {
    case "python":
      return compressPython(text, opts);
    case "clike":
      return compressCLike(text, family.dialect, opts);
    case "hash":
      return compressLines(text, opts.strip_comments ? (line, i) => /^[ \t]*#/.test(line) && !(i === 0 && line.startsWith("#!")) : () => false);
    case "plain":
      return compressLines(text, () => false);
  }
}

// Line-wise rules for families whose strings the rules do not lex: drop the lines `drop` picks,
// blank lines and trailing spaces; keep everything else byte for byte.
function compressLines(text: string, drop: (line: string, index: number) => boolean): string {
  const out: string[] = [];
  text.replace(/\r\n?/g, "\n").split("\n").forEach((line, i) => {
    const t = trimTrailing(line);
    if (t && !drop(t, i)) out.push(t);
  });
  return out.join("\n");
}
