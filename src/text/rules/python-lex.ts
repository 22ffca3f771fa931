// A Python lexer just precise enough for comment, docstring and whitespace rules: strings of every
// kind (prefixes r/b/u/f and their pairs, triple quotes, f-string replacement fields with nested
// strings and format specs), `#` comments, and line breaks marked as statement ends or
// continuations (inside brackets, after a backslash). Everything else is CODE. Broken input never
// throws: an unterminated single-quoted string ends at its line, a triple-quoted one at the end.
import { CODE, COMMENT, isIdentChar, isIdentStart, NL, STR, type Tok } from "./lex.ts";

const PREFIX = /^(?:[rRbBuUfF]|[rR][bBfF]|[bBfF][rR])$/;
const OPEN = "([{";
const CLOSE = ")]}";

export function lexPython(src: string): Tok[] {
  const toks: Tok[] = [];
  const n = src.length;
  const stack: string[] = [];
  let start = 0;
  let i = 0;
  const flush = (end: number): void => {
    if (end > start) toks.push({ k: CODE, s: src.slice(start, end) });
  };
  while (i < n) {
    const c = src.charCodeAt(i);
    if (c === 35 /* # */) {
      flush(i);
      let j = src.indexOf("\n", i);
      if (j < 0) j = n;
      toks.push({ k: COMMENT, s: src.slice(i, j) });
      i = start = j;
    } else if (c === 10 /* \n */) {
      flush(i);
      const backslash = i > 0 && src.charCodeAt(i - 1) === 92 && toks[toks.length - 1]?.k === CODE;
      const tok: Tok = { k: NL, s: "\n", end: stack.length === 0 && !backslash };
      if (stack.length) tok.open = stack[stack.length - 1];
      toks.push(tok);
      i = start = i + 1;
    } else if (c === 34 || c === 39 /* " ' */) {
      flush(i);
      const j = scanString(src, i, false);
      toks.push({ k: STR, s: src.slice(i, j) });
      i = start = j;
    } else if (isIdentStart(c)) {
      let j = i + 1;
      while (j < n && isIdentChar(src.charCodeAt(j))) j++;
      const q = src.charCodeAt(j);
      if (j - i <= 2 && (q === 34 || q === 39) && PREFIX.test(src.slice(i, j))) {
        flush(i);
        const e = scanString(src, j, /[fF]/.test(src.slice(i, j)));
        toks.push({ k: STR, s: src.slice(i, e) });
        i = start = e;
      } else i = j;
    } else {
      const ch = src[i]!;
      if (OPEN.includes(ch)) stack.push(ch);
      else if (CLOSE.includes(ch) && stack.length) stack.pop();
      i++;
    }
  }
  flush(n);
  return toks;
}

/** End index (exclusive) of the string literal whose opening quote is at `q`. */
export function scanString(src: string, q: number, fstring: boolean): number {
  const n = src.length;
  const quote = src[q]!;
  const triple = src[q + 1] === quote && src[q + 2] === quote;
  let i = q + (triple ? 3 : 1);
  while (i < n) {
    const c = src[i]!;
    if (c === "\\") i += 2;
    else if (c === "\n" && !triple) return i;
    else if (fstring && c === "{") {
      if (src[i + 1] === "{") i += 2;
      else i = scanField(src, i + 1, triple);
    } else if (c === quote) {
      if (!triple) return i + 1;
      if (src[i + 1] === quote && src[i + 2] === quote) return i + 3;
      i++;
    } else i++;
  }
  return n;
}

// A replacement field `{expr!r:spec}` from just after its `{` to just after its `}`. Nested
// strings are scanned as strings (Python 3.12 allows the outer quote inside); a `:` at the field's
// own level starts the format spec, where quotes are literal text and only `{}` nest.
function scanField(src: string, i: number, triple: boolean): number {
  const n = src.length;
  let depth = 0;
  let spec = false;
  while (i < n) {
    const c = src[i]!;
    if (c === "\n" && !triple) return i;
    if (spec) {
      if (c === "{") i = scanField(src, i + 1, triple);
      else if (c === "}") return i + 1;
      else i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const p = src[i - 1];
      i = scanString(src, i, p === "f" || p === "F");
    } else if (c === "(" || c === "[" || c === "{") {
      depth++;
      i++;
    } else if (c === ")" || c === "]") {
      depth--;
      i++;
    } else if (c === "}") {
      if (depth === 0) return i + 1;
      depth--;
      i++;
    } else if (c === ":" && depth === 0 && src[i + 1] !== "=") {
      spec = true;
      i++;
    } else i++;
  }
  return n;
}
