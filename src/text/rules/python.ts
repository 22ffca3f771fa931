// Python rules of generator/rules. The output parses wherever the input did, with the same AST
// minus docstrings (test/plugins/generators/rules.test.ts checks this with CPython):
//   - comments go (`#` outside strings), so do lines left empty;
//   - docstrings go: leading string statements of the module and of every def/class body; a body
//     left empty gets `...`;
//   - bracketed continuation lines are joined into one line (their breaks are not syntax);
//   - runs of spaces outside strings shrink to one; trailing spaces go;
//   - indentation is kept as is, or ("one") rewritten to one space per level.
// String literals are never changed, so a `#` or blank line inside one survives.
import { CODE, COMMENT, IndentLevels, indentWidth, leadingWs, NL, Out, STR, type Tok } from "./lex.ts";
import { lexPython } from "./python-lex.ts";

export interface CodeRuleOptions {
  strip_comments: boolean;
  strip_docstrings: boolean;
  indent: "keep" | "one";
}

interface Line {
  toks: Tok[];
  indent: string;
  width: number;
  /** Holds a statement (any string or non-blank code), not just comments and spaces. */
  hasCode: boolean;
  /** The statement is nothing but (non-f) string literals: a docstring candidate. */
  stringOnly: boolean;
  /** A def / async def / class header whose body starts on the next line. */
  header: boolean;
  drop: boolean;
  /** Replace the line with `...` (an emptied body). */
  ellipsis: boolean;
}

const HEADER = /^(?:async\s+def|def|class)\b/;

export function compressPython(src: string, opts: CodeRuleOptions): string {
  const lines = logicalLines(lexPython(src.replace(/\r\n?/g, "\n")));
  if (opts.strip_docstrings) markDocstrings(lines);
  const levels = new IndentLevels();
  const out: string[] = [];
  for (const line of lines) {
    if (line.drop) continue;
    if (!line.hasCode && (!opts.strip_comments ? !line.toks.some((t) => t.k === COMMENT) : true)) continue;
    const level = line.hasCode ? levels.level(line.width) : 0;
    const indent = opts.indent === "one" ? " ".repeat(level) : line.indent;
    if (line.ellipsis) out.push(`${indent}...`);
    else out.push(emitLine(line, indent, opts, level));
  }
  return out.join("\n");
}

function logicalLines(toks: Tok[]): Line[] {
  const lines: Line[] = [];
  let cur: Tok[] = [];
  const close = (): void => {
    const first = cur[0];
    const indent = first && first.k === CODE ? leadingWs(first.s) : "";
    let hasCode = false;
    let stringOnly = true;
    let text = "";
    let lastCode = "";
    for (const t of cur) {
      if (t.k === STR) {
        hasCode = true;
        if (/^[a-zA-Z]*[fF]/.test(t.s)) stringOnly = false;
      } else if (t.k === CODE && t.s.trim()) {
        hasCode = true;
        stringOnly = false;
        if (text.length < 16) text += t.s.trimStart();
        lastCode = t.s.trimEnd();
      }
    }
    const header = HEADER.test(text) && lastCode.endsWith(":");
    lines.push({ toks: cur, indent, width: indentWidth(indent), hasCode, stringOnly: hasCode && stringOnly, header, drop: false, ellipsis: false });
    cur = [];
  };
  for (const t of toks) {
    cur.push(t);
    if (t.k === NL && t.end) close();
  }
  if (cur.length) close();
  return lines;
}

// Leading string statements of the module and of each def/class body are docstrings (and any
// string statements right after them, which are no-ops too).
function markDocstrings(lines: Line[]): void {
  let header: Line | null = null;
  let module = true;
  let dropped: Line[] = [];
  const settle = (next: Line | undefined): void => {
    // The body is empty when the next statement is not indented deeper than its header.
    if (header && dropped.length && (!next || next.width <= header.width)) dropped[0]!.ellipsis = true;
    dropped = [];
  };
  for (const line of lines) {
    if (!line.hasCode) continue;
    const inBody = header !== null && line.width > header.width;
    if (line.stringOnly && (module || inBody)) {
      line.drop = true;
      dropped.push(line);
      continue;
    }
    settle(line);
    module = false;
    header = line.header ? line : null;
  }
  settle(undefined);
  for (const line of lines) if (line.ellipsis) line.drop = false;
}

function emitLine(line: Line, indent: string, opts: CodeRuleOptions, level: number): string {
  const contIndent = opts.indent === "one" ? " ".repeat(level + 1) : null;
  const out = new Out();
  out.push(indent);
  let first = true; // still on the statement's first physical line
  let atStart = true; // at the start of a physical line: leading spaces are indentation
  let content = false; // the current physical line holds code or a string
  let join = false; // a bracketed line break was removed: separate what comes next
  let comment = false; // a kept comment ends this physical line
  const sep = (next: string): void => {
    if (!join) return;
    join = false;
    const last = out.last();
    if (last !== "" && last !== " " && !"([{".includes(last) && !")]}".includes(next[0]!)) out.push(" ");
  };
  for (const t of line.toks) {
    if (t.k === CODE) {
      let s = t.s.replace(/[ \t]+/g, " ");
      if (atStart) {
        // First physical line: the indentation is already out. Later lines (after a kept
        // backslash or comment break): keep theirs, or one level deeper than the statement.
        s = first ? s.trimStart() : contIndent !== null ? contIndent + s.trimStart() : t.s.replace(/(?<=\S)[ \t]+/g, " ");
        atStart = false;
      }
      if (join) {
        s = s.trimStart();
        if (!s) continue;
        sep(s);
      }
      out.push(s);
      if (!content && s.trim()) content = true;
    } else if (t.k === STR) {
      sep(t.s);
      atStart = false;
      content = true;
      out.push(t.s);
    } else if (t.k === COMMENT) {
      if (opts.strip_comments) continue;
      // Keep the comment on its line: one space after code, or after the indentation alone.
      if (content) {
        out.trimEnd();
        out.push(" ");
      }
      out.push(t.s);
      comment = true;
    } else if (t.k === NL && !t.end) {
      out.trimEnd();
      if (out.last() === "\\" || comment) {
        out.push("\n");
        first = false;
        atStart = true;
        content = comment = join = false;
      } else join = true;
    }
  }
  out.trimEnd();
  return out.toString();
}
