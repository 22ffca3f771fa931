// Token kinds shared by the code lexers of generator/rules. A lexer only has to tell apart what
// the rules may touch (code, comments, line breaks) from what they must never touch (strings).
export const CODE = 0;
export const STR = 1;
export const COMMENT = 2;
export const NL = 3;

export type Kind = typeof CODE | typeof STR | typeof COMMENT | typeof NL;

export interface Tok {
  k: Kind;
  s: string;
  /** NL only: the line break ends a statement (outside brackets, no backslash before it). */
  end?: boolean;
  /** NL only: the innermost open bracket at this break ("(", "[", "{"), if any. */
  open?: string;
}

const A = 65, Z = 90, a = 97, z = 122, US = 95, D0 = 48, D9 = 57;

export function isIdentStart(c: number): boolean {
  return (c >= a && c <= z) || (c >= A && c <= Z) || c === US || c > 127;
}

export function isIdentChar(c: number): boolean {
  return isIdentStart(c) || (c >= D0 && c <= D9);
}

/** Width of leading whitespace, tabs to the next multiple of 8 (as CPython's tokenizer). */
export function indentWidth(ws: string): number {
  let w = 0;
  for (let i = 0; i < ws.length; i++) w = ws[i] === "\t" ? (Math.floor(w / 8) + 1) * 8 : w + 1;
  return w;
}

/** Leading spaces and tabs of `s`. */
export function leadingWs(s: string): string {
  let i = 0;
  while (i < s.length && (s[i] === " " || s[i] === "\t")) i++;
  return s.slice(0, i);
}

/**
 * Indentation levels from widths, as CPython's indent stack: deeper width → one level more,
 * shallower → back to the matching level. A snippet cut out of a class (first line indented)
 * starts at level 0.
 */
export class IndentLevels {
  private stack: number[] = [];

  level(width: number): number {
    const s = this.stack;
    if (s.length === 0 || width > s[s.length - 1]!) s.push(width);
    else {
      while (s.length > 1 && width < s[s.length - 1]!) s.pop();
      if (width < s[0]!) s[0] = width;
    }
    return s.length - 1;
  }
}

/** `s` without trailing spaces and tabs; O(trailing), where a `/[ \t]+$/` regex is O(length). */
export function trimTrailing(s: string): string {
  let e = s.length;
  while (e > 0) {
    const c = s.charCodeAt(e - 1);
    if (c !== 32 && c !== 9) break;
    e--;
  }
  return e === s.length ? s : s.slice(0, e);
}

/**
 * An output buffer of parts. Long statements (a 700 kB dict literal) would make string `+=` plus
 * end checks quadratic, as each check flattens the rope; parts keep every operation O(1)-ish.
 */
export class Out {
  private parts: string[] = [];

  push(s: string): void {
    if (s) this.parts.push(s);
  }

  /** The last character written, or "" at the very start. */
  last(): string {
    const p = this.parts[this.parts.length - 1];
    return p === undefined ? "" : p[p.length - 1]!;
  }

  /** Drop trailing spaces and tabs (never inside a string literal: those end with a quote). */
  trimEnd(): void {
    while (this.parts.length) {
      const t = trimTrailing(this.parts[this.parts.length - 1]!);
      if (t) {
        this.parts[this.parts.length - 1] = t;
        return;
      }
      this.parts.pop();
    }
  }

  toString(): string {
    return this.parts.join("");
  }
}
