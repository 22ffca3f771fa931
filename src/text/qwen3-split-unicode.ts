// Qwen3's pre-tokenizer for any text: the rules of the Split regex (qwen3-split.ts), in its order,
// over UTF-16 code units with a character class per code point — \p{L}, \p{N}, White_Space (with
// \r \n apart), or other — from a table of the Basic Multilingual Plane built once from the
// regex's own classes, and the regex itself for the rare code point above it. scanAscii does the
// same for pure-ASCII bytes; a fuzz test compares both with the regex.
import { L, N, NL, W, WS } from "./qwen3-split.ts";

let bmp: Uint8Array | undefined;
const astral = new Map<number, number>();
/** White_Space as the Split regex has it. */
const WHITESPACE = new RegExp(`^[${WS}]$`, "u");

function classOfString(ch: string): number {
  if (/^\p{L}$/u.test(ch)) return L;
  if (/^\p{N}$/u.test(ch)) return N;
  if (WHITESPACE.test(ch)) return ch === "\r" || ch === "\n" ? W | NL : W;
  return 0;
}

/** Classes of the BMP (lone surrogates are other), built on first use (~10 ms). */
function bmpClasses(): Uint8Array {
  if (bmp) return bmp;
  const table = new Uint8Array(65536);
  for (let c = 0; c < 65536; c++) if (c < 0xd800 || c > 0xdfff) table[c] = classOfString(String.fromCharCode(c));
  return (bmp = table);
}

function astralClass(cp: number): number {
  let k = astral.get(cp);
  if (k === undefined) astral.set(cp, (k = classOfString(String.fromCodePoint(cp))));
  return k;
}

/**
 * Calls `onWord(start, end)` (UTF-16 indexes) for each word of `text` as SPLIT would match it: the
 * first alternative that matches at a position wins, in the regex's order.
 */
export function scanText(text: string, onWord: (start: number, end: number) => void): void {
  const table = bmpClasses();
  const n = text.length;
  // Class and length (1 or 2 units) of the code point at i; class -1 past the end.
  let size = 1;
  const classAt = (i: number): number => {
    size = 1;
    if (i >= n) return -1;
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
      const d = text.charCodeAt(i + 1);
      if ((d & 0xfc00) === 0xdc00) {
        size = 2;
        return astralClass(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
      }
    }
    return table[c]!;
  };
  let i = 0;
  while (i < n) {
    const c = text.charCodeAt(i);
    const k = classAt(i);
    const len = size;
    let end = -1;
    // 1. 's 't 're 've 'm 'll 'd (either case; ſ is an s)
    if (c === 39 && i + 1 < n) {
      const a0 = text.charCodeAt(i + 1);
      const a = a0 | 0x20;
      const a2 = i + 2 < n ? text.charCodeAt(i + 2) | 0x20 : 0;
      if (a === 115 || a0 === 0x17f || a === 116 || a === 109 || a === 100) end = i + 2;
      else if ((a === 114 && a2 === 101) || (a === 118 && a2 === 101) || (a === 108 && a2 === 108)) end = i + 3;
    }
    // 2. an optional char that is not a newline, letter or digit, then letters
    if (end < 0) {
      let j = -1;
      if (k === L) j = i;
      else if (!(k & (NL | L | N)) && classAt(i + len) === L) j = i + len;
      if (j >= 0) {
        classAt(j);
        end = j + size;
        while (classAt(end) === L) end += size;
      }
    }
    // 3. one digit
    if (end < 0 && k === N) end = i + len;
    // 4. an optional space, other chars (not whitespace, letter, digit), then newlines
    if (end < 0) {
      const j = c === 32 ? i + 1 : i;
      if (classAt(j) === 0) {
        end = j + size;
        while (classAt(end) === 0) end += size;
        while (classAt(end) === (W | NL)) end += 1;
      }
    }
    // 5–7. whitespace (all of it is in the BMP): up to its last newline; else all of it at the
    // end of the text, or all but its last char before other text, or the single char.
    if (end < 0) {
      let r = i;
      let lastNl = -1;
      for (let cr = classAt(r); cr > 0 && cr & W; cr = classAt(++r)) if (cr & NL) lastNl = r;
      if (lastNl >= 0) end = lastNl + 1;
      else if (r === n || r - i === 1) end = r;
      else end = r - 1;
    }
    onWord(i, end);
    i = end;
  }
}
