// Qwen3's pre-tokenizer (the Split regex of its tokenizer.json), as the regex for any text and as
// a hand-written scanner for pure-ASCII text. The scanner gives the same words as the regex (a
// fuzz test compares them) without a match object per word; it was most of the cost of counting
// tokens in the dataset step. Non-ASCII text (Unicode letters, NFC) goes through the regex.

// The regex rewritten for JavaScript: `(?i:…)` becomes explicit case classes (JS has no inline
// flags) and `\s` becomes Unicode White_Space, which is what the Rust (Oniguruma) `\s` means; JS's
// `\s` differs (it adds U+FEFF and omits U+0085).
const WS = "\\t\\n\\v\\f\\r \\x85\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000";
export const SPLIT = new RegExp(
  [
    "'(?:[sSſ]|[tT]|[rR][eE]|[vV][eE]|[mM]|[lL][lL]|[dD])",
    "[^\\r\\n\\p{L}\\p{N}]?\\p{L}+",
    "\\p{N}",
    ` ?[^${WS}\\p{L}\\p{N}]+[\\r\\n]*`,
    `[${WS}]*[\\r\\n]+`,
    `[${WS}]+(?![^${WS}])`,
    `[${WS}]+`,
  ].join("|"),
  "gu",
);

// ASCII character classes: 1 letter, 2 digit, 4 whitespace, 8 newline (\r \n), 0 anything else;
// END (16) for the sentinel byte asciiBytes() puts after the text, which no loop continues over.
const L = 1, N = 2, W = 4, NL = 8, END = 16;
const SENTINEL = 255;
const CLASS = new Uint8Array(256);
for (let c = 0; c < 128; c++) {
  if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) CLASS[c] = L;
  else if (c >= 48 && c <= 57) CLASS[c] = N;
  else if (c === 10 || c === 13) CLASS[c] = W | NL;
  else if ((c >= 9 && c <= 12) || c === 32) CLASS[c] = W;
}
CLASS[SENTINEL] = END;

const encoder = new TextEncoder();
let scratch = new Uint8Array(1 << 16);
/** Scratch buffers past this size are not kept for the next text. */
const KEEP_SCRATCH = 1 << 24;

/**
 * `text` as bytes followed by a sentinel, if it is pure ASCII (else undefined). The buffer is
 * shared: it holds the text until the next call. Scanning bytes rather than the string's char
 * codes, with a sentinel instead of bounds checks, halved the scanner's time.
 */
export function asciiBytes(text: string): Uint8Array | undefined {
  const { bytes, written } = utf8Bytes(text);
  return written === text.length ? withSentinel(bytes, written) : undefined;
}

/** Puts the scanner's sentinel after `n` bytes of ASCII (utf8Bytes leaves room for it). */
export function withSentinel(bytes: Uint8Array, n: number): Uint8Array {
  bytes[n] = SENTINEL;
  return bytes;
}

/**
 * `text` as UTF-8 in a shared buffer (valid until the next call), `written` bytes of it. The text
 * is pure ASCII exactly when `written` is its length (any other char takes two bytes or more).
 */
export function utf8Bytes(text: string): { bytes: Uint8Array; written: number } {
  if (scratch.length < 3 * text.length + 1) {
    const buf = new Uint8Array(Math.max(3 * text.length + 1, scratch.length * 2));
    if (buf.length > KEEP_SCRATCH) return { bytes: buf, written: encoder.encodeInto(text, buf).written };
    scratch = buf;
  }
  return { bytes: scratch, written: encoder.encodeInto(text, scratch).written };
}

/** The SPLIT regex matching only where it starts (`lastIndex`): a walk over words without a
 * match object per word (every char is in some word, so the matches leave no gaps). */
export const SPLIT_AT = new RegExp(SPLIT.source, "uy");

/**
 * Calls `onWord(start, end)` for each word of a pure-ASCII text of `n` bytes (from asciiBytes), as
 * SPLIT would match them: the first alternative that matches at a position wins, in the regex's
 * order. Byte offsets are also the string's indexes (ASCII).
 */
export function scanAscii(b: Uint8Array, n: number, onWord: (start: number, end: number) => void): void {
  let i = 0;
  while (i < n) {
    const c = b[i]!;
    const k = CLASS[c]!;
    let end = -1;
    // 1. 's 't 're 've 'm 'll 'd (either case)
    if (c === 39 && i + 1 < n) {
      const a = b[i + 1]! | 0x20;
      const a2 = i + 2 < n ? b[i + 2]! | 0x20 : 0;
      if (a === 115 || a === 116 || a === 109 || a === 100) end = i + 2;
      else if ((a === 114 && a2 === 101) || (a === 118 && a2 === 101) || (a === 108 && a2 === 108)) end = i + 3;
    }
    // 2. an optional char that is not a newline, letter or digit, then letters
    if (end < 0) {
      let j = -1;
      if (k === L) j = i;
      else if (!(k & (NL | L | N)) && CLASS[b[i + 1]!] === L) j = i + 1;
      if (j >= 0) {
        end = j + 1;
        while (CLASS[b[end]!] === L) end++;
      }
    }
    // 3. one digit
    if (end < 0 && k === N) end = i + 1;
    // 4. an optional space, other chars (not whitespace, letter, digit), then newlines
    if (end < 0) {
      const j = c === 32 ? i + 1 : i;
      if (CLASS[b[j]!] === 0) {
        end = j + 1;
        while (CLASS[b[end]!] === 0) end++;
        while (CLASS[b[end]!] === (W | NL)) end++;
      }
    }
    // 5–7. whitespace: up to its last newline; else all of it at the end of the text, or all but
    // its last char before other text, or the single whitespace char.
    if (end < 0) {
      let r = i;
      let lastNl = -1;
      for (let cr = CLASS[b[r]!]!; cr & W; cr = CLASS[b[++r]!]!) if (cr & NL) lastNl = r;
      if (lastNl >= 0) end = lastNl + 1;
      else if (r === n || r - i === 1) end = r;
      else end = r - 1;
    }
    onWord(i, end);
    i = end;
  }
}
