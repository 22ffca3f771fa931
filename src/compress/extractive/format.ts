// Kept words → text a model can read. Prose: the kept words with the punctuation that belongs to
// them, a ". " where a dropped stretch ended a sentence. Code (and mixed text): every line that
// keeps a word keeps its indentation and the operators between kept neighbours; lines that keep
// nothing are removed (bracket-only closers stay when something above them stayed).
import type { Domain } from "../../sdk/types.ts";
import type { Words } from "./tokenize.ts";

const CLOSING = new Set([..."'\".,;:!?)]}%’”"]);
// In code a "." after a kept word is member access: it goes with the dropped name after it.
const CLOSING_CODE = new Set([..."'\",;:)]}"]);
const CODE_AFTER = new Set([...CLOSING_CODE, ..."=+-*/<>!&|%^"]);
const OPENING = new Set([..."'\"([{$@#-*`‘“"]);
const SENTENCE_END = /[.!?]["')\]]?(?:\s|$)/;
const BRACKETS_ONLY = /^\s*[)\]}]+[;,):\]}]*\s*$/;

/** The run of `set` characters at the start of `gap` (before any space). */
function leading(gap: string, set: Set<string>): string {
  let i = 0;
  while (i < gap.length && set.has(gap[i]!)) i++;
  return gap.slice(0, i);
}

/** Code: closing punctuation and an operator after a kept word (" = " of `x = self.y`). */
function operatorAfter(gap: string): string {
  const t = gap.trimStart();
  const run = leading(t, CODE_AFTER);
  return run && t.length < gap.length ? ` ${run}` : run;
}

/** The run of `set` characters at the end of `gap` (after any space). */
function trailing(gap: string, set: Set<string>): string {
  let i = gap.length;
  while (i > 0 && set.has(gap[i - 1]!)) i--;
  return gap.slice(i);
}

export function formatKept(w: Words, keep: Uint8Array, domain: Domain): string {
  const n = w.forms.length;
  const lines = w.lineStart.length;
  const codeLike = domain !== "nl";
  const out: string[] = [];
  let i = 0;
  let emittedAny = false;
  let pendingStop = false; // a dropped stretch of prose ended a sentence
  for (let L = 0; L < lines; L++) {
    const lineStart = w.lineStart[L]!;
    const lineEnd = L + 1 < lines ? w.lineStart[L + 1]! - 1 : w.text.length;
    const first = i;
    while (i < n && w.line[i] === L) i++;
    const last = i; // words [first, last) are on this line
    let anyKept = false;
    for (let j = first; j < last; j++) if (keep[j]) anyKept = true;
    const raw = w.text.slice(lineStart, lineEnd);
    if (!anyKept) {
      if (codeLike && emittedAny && first === last && BRACKETS_ONLY.test(raw)) out.push(raw.trimEnd());
      if (!codeLike && first < last) pendingStop ||= SENTENCE_END.test(raw);
      continue;
    }
    let s = "";
    let prevKept = -1;
    for (let j = first; j < last; j++) {
      if (!keep[j]) {
        if (!codeLike && !pendingStop) pendingStop = SENTENCE_END.test(w.text.slice(w.end[j]!, j + 1 < n ? w.start[j + 1]! : w.text.length));
        continue;
      }
      const gapStart = j > first ? w.end[j - 1]! : lineStart;
      const gap = w.text.slice(gapStart, w.start[j]!);
      if (prevKept === j - 1 && j > first) {
        s += gap.replace(/\s+/g, " "); // neighbours both kept: their operators and spacing
      } else {
        if (prevKept >= 0) {
          const after = w.text.slice(w.end[prevKept]!, w.start[prevKept + 1]!);
          s += codeLike ? operatorAfter(after) : leading(after, CLOSING);
          s += pendingStop && !/[.!?]$/.test(s) ? ". " : " ";
        } else if (pendingStop && out.length > 0 && !codeLike) {
          const prevLine = out[out.length - 1]!;
          if (!/[.!?]$/.test(prevLine)) out[out.length - 1] = `${prevLine}.`;
        }
        // The line's first word keeps its marker (# comment, @decorator, bullet, quote).
        if (j === first) s += codeLike ? gap : gap.trimStart();
        else s += (prevKept < 0 && codeLike ? /^[ \t]*/.exec(raw)![0] : "") + trailing(gap, OPENING);
      }
      pendingStop = false;
      s += w.forms[j];
      prevKept = j;
    }
    const tailEnd = prevKept + 1 < last ? w.start[prevKept + 1]! : lineEnd;
    const tail = w.text.slice(w.end[prevKept]!, tailEnd);
    s += prevKept === last - 1 ? tail.trimEnd() : leading(tail, codeLike ? CLOSING_CODE : CLOSING);
    if (!codeLike) s = s.trim();
    out.push(tidy(s));
    emittedAny = true;
  }
  return out.join("\n");
}

/** No space before closing punctuation, no doubled separators; the indentation is left alone. */
function tidy(line: string): string {
  const indent = /^[ \t]*/.exec(line)![0];
  return indent + line
    .slice(indent.length)
    .replace(/(\S)\s+([,;:!?)\]}](?:\s|$))/g, "$1$2")
    .replace(/([,;:])(?:\s*[,;:])+/g, "$1")
    .replace(/[,;:]\s*([.!?])(?=\s|$)/g, "$1")
    .replace(/([([{])\s*[,;:]\s*/g, "$1")
    .replace(/ {2,}/g, " ")
    .trimEnd();
}
