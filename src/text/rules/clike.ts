// Rules for brace languages (JS/TS, C/C++, Java, C#, Go, Rust, Swift, Kotlin, CSS, …): drop `//`
// and `/* */` comments outside strings, blank lines and trailing spaces, shrink runs of spaces,
// join lines broken inside `(` or `[` (never inside `{`: JavaScript's automatic semicolons live
// there), and keep or normalise indentation. Strings are never touched: "…", '…', template
// literals with nested `${…}` code, Go raw strings, Rust raw strings r#"…"#, and JS regex
// literals (so `/https?:\/\//` is not a comment).
import { CODE, COMMENT, IndentLevels, indentWidth, isIdentChar, leadingWs, NL, Out, STR, type Tok } from "./lex.ts";

export interface CLikeDialect {
  /** `//` starts a comment (not in CSS). */
  lineComments: boolean;
  /** `/re/` literals (JavaScript, TypeScript). */
  regex: boolean;
  /** Backticks: "template" (JS/TS, with ${}), "raw" (Go), or plain code. */
  backtick: "template" | "raw" | "none";
  /** `'` starts a string only as a char literal 'x' / '\n' (C, Java, Rust lifetimes 'a). */
  charQuote: boolean;
  /** Rust raw strings r"…" / r#"…"#. */
  rustRaw: boolean;
}

export interface CLikeOptions {
  strip_comments: boolean;
  indent: "keep" | "one";
}

// After these characters (or at the start) a `/` begins a regex literal, not a division.
const REGEX_AFTER = "(,=:[!&|?{};+-*%<>~^";
const REGEX_KEYWORDS = /(?:^|[^\w$])(?:return|typeof|case|in|of|new|delete|void|throw|yield|await|else|do)$/;
const CHAR_LITERAL = /^'(?:\\(?:x[0-9a-fA-F]{1,2}|u\{?[0-9a-fA-F]{1,6}\}?|.)|[^\\'\n]{1,2})'/;

export function lexCLike(src: string, d: CLikeDialect): Tok[] {
  const toks: Tok[] = [];
  lexInto(src, 0, d, toks, false);
  return toks;
}

// Lex from `i`; with `nested` (inside `${…}`) stop after the `}` that closes it. Returns the end.
function lexInto(src: string, i: number, d: CLikeDialect, toks: Tok[], nested: boolean): number {
  const n = src.length;
  const stack: string[] = [];
  let start = i;
  let lastSig = ""; // last non-space code character, for regex detection
  const flush = (end: number): void => {
    if (end > start) toks.push({ k: CODE, s: src.slice(start, end) });
  };
  const str = (from: number, to: number): void => {
    flush(from);
    toks.push({ k: STR, s: src.slice(from, to) });
    start = to;
    lastSig = '"';
  };
  while (i < n) {
    const c = src[i]!;
    const next = src[i + 1];
    if (c === "/" && next === "/" && d.lineComments) {
      flush(i);
      let j = src.indexOf("\n", i);
      if (j < 0) j = n;
      toks.push({ k: COMMENT, s: src.slice(i, j) });
      i = start = j;
    } else if (c === "/" && next === "*") {
      flush(i);
      const j = src.indexOf("*/", i + 2);
      const e = j < 0 ? n : j + 2;
      toks.push({ k: COMMENT, s: src.slice(i, e) });
      i = start = e;
    } else if (c === "\n") {
      flush(i);
      const tok: Tok = { k: NL, s: "\n", end: stack.length === 0 };
      if (stack.length) tok.open = stack[stack.length - 1];
      toks.push(tok);
      i = start = i + 1;
    } else if (c === '"' || (c === "'" && !d.charQuote)) {
      const e = quoted(src, i, c);
      str(i, e);
      i = e;
    } else if (c === "'") {
      const m = CHAR_LITERAL.exec(src.slice(i, i + 16));
      if (m) {
        str(i, i + m[0].length);
        i += m[0].length;
      } else i++; // a Rust lifetime or a stray quote: plain code
    } else if (c === "`" && d.backtick !== "none") {
      const e = d.backtick === "raw" ? rawEnd(src, i + 1, "`") : template(src, i, d, toks, flush);
      if (d.backtick === "raw") str(i, e);
      else {
        start = e;
        lastSig = '"';
      }
      i = e;
    } else if (d.rustRaw && c === "r" && (next === '"' || next === "#") && !isIdentChar(src.charCodeAt(i - 1))) {
      const m = /^r(#*)"/.exec(src.slice(i, i + 40));
      if (!m) {
        i++;
        continue;
      }
      const e = rawEnd(src, i + m[0].length, `"${m[1]}`);
      str(i, e);
      i = e;
    } else if (c === "/" && d.regex && regexAllowed(lastSig, src, i)) {
      const e = regexEnd(src, i);
      if (e < 0) {
        lastSig = c;
        i++;
      } else {
        str(i, e);
        i = e;
      }
    } else {
      if (c === "(" || c === "[" || c === "{") stack.push(c);
      else if (c === ")" || c === "]" || c === "}") {
        if (nested && c === "}" && stack.length === 0) {
          flush(i);
          return i; // the caller emits the closing brace with the template
        }
        stack.pop();
      }
      if (c !== " " && c !== "\t" && c !== "\r") lastSig = isIdentChar(src.charCodeAt(i)) ? "a" : c;
      i++;
    }
  }
  flush(n);
  return n;
}

function quoted(src: string, i: number, q: string): number {
  for (let j = i + 1; j < src.length; j++) {
    const c = src[j];
    if (c === "\\") j++;
    else if (c === q) return j + 1;
    else if (c === "\n") return j; // unterminated: the string ends with its line
  }
  return src.length;
}

function rawEnd(src: string, from: number, close: string): number {
  const j = src.indexOf(close, from);
  return j < 0 ? src.length : j + close.length;
}

// A template literal from its opening backtick: text parts become STR tokens, `${…}` parts are
// lexed as code (they may hold strings, comments and templates of their own).
function template(src: string, i: number, d: CLikeDialect, toks: Tok[], flush: (end: number) => void): number {
  flush(i);
  let from = i;
  let j = i + 1;
  while (j < src.length) {
    const c = src[j];
    if (c === "\\") j += 2;
    else if (c === "`") {
      toks.push({ k: STR, s: src.slice(from, j + 1) });
      return j + 1;
    } else if (c === "$" && src[j + 1] === "{") {
      toks.push({ k: STR, s: src.slice(from, j + 2) });
      const close = lexInto(src, j + 2, d, toks, true);
      from = close; // the `}` starts the next text part
      j = close + 1;
    } else j++;
  }
  toks.push({ k: STR, s: src.slice(from) });
  return src.length;
}

function regexAllowed(lastSig: string, src: string, i: number): boolean {
  if (lastSig === "" || REGEX_AFTER.includes(lastSig)) return true;
  return lastSig === "a" && REGEX_KEYWORDS.test(src.slice(Math.max(0, i - 12), i).trimEnd());
}

// End of the regex literal at `i` (flags included), or -1 when it is not one (no closing `/` on
// the line), in which case the `/` is a division after all.
function regexEnd(src: string, i: number): number {
  let inClass = false;
  for (let j = i + 1; j < src.length; j++) {
    const c = src[j];
    if (c === "\\") j++;
    else if (c === "\n") return -1;
    else if (c === "[") inClass = true;
    else if (c === "]") inClass = false;
    else if (c === "/" && !inClass) {
      if (j === i + 1) return -1; // `//` is a comment, handled before
      let e = j + 1;
      while (e < src.length && /[a-z]/.test(src[e]!)) e++;
      return e;
    }
  }
  return -1;
}

export function compressCLike(src: string, d: CLikeDialect, opts: CLikeOptions): string {
  const toks = lexCLike(src.replace(/\r\n?/g, "\n"), d);
  const levels = new IndentLevels();
  const lines: string[] = [];
  let out = new Out();
  let atStart = true;
  let ws = ""; // the current physical line's indentation, until its first code or string
  let content = false; // the physical line holds code or a string
  let join = false;
  let comment = false;
  const endLine = (): void => {
    out.trimEnd();
    if (content || comment) lines.push(out.toString());
    out = new Out();
    atStart = true;
    ws = "";
    content = comment = false;
  };
  const indent = (): void => {
    out.push(opts.indent === "one" ? " ".repeat(levels.level(indentWidth(ws))) : ws);
    atStart = false;
  };
  for (const t of toks) {
    if (t.k === NL) {
      // Join a line broken inside ( or [ unless a kept comment or a macro's backslash ends it.
      if ((t.open === "(" || t.open === "[") && content && !comment && out.last() !== "\\") {
        out.trimEnd();
        join = true;
      } else endLine();
      continue;
    }
    if (t.k === COMMENT) {
      if (opts.strip_comments) {
        if (!atStart && out.last() !== " ") out.push(" "); // `a/* x */b` stays two tokens
        continue;
      }
      if (atStart) indent();
      else if (out.last() !== " ") out.push(" ");
      out.push(t.s);
      comment = true;
      continue;
    }
    let s = t.s;
    if (t.k === CODE) {
      if (atStart || join) {
        if (atStart) ws += leadingWs(s);
        s = s.trimStart();
        if (!s) continue;
      }
      s = s.replace(/[ \t]+/g, " ");
      if (out.last() === " " && s[0] === " ") s = s.slice(1);
    }
    if (atStart) indent();
    if (join) {
      const last = out.last();
      if (last !== " " && !"([".includes(last) && !")]".includes(s[0]!)) out.push(" ");
      join = false;
    }
    out.push(s);
    content = true;
  }
  endLine();
  return lines.join("\n");
}
