// A fast code / nl / mixed classifier for records that arrive without a domain (loader/jsonl) and
// for splitting mixed text into prose and code runs (generator/rules). One pass over the lines;
// each line is scored for code signals and prose signals and labelled by whichever wins clearly:
//
//   code:  a leading keyword (def, class, return, import, const, fn, …) in a code shape, a line
//          ending in `:` `;` `{` `}` after a keyword or call, bracket-only lines, assignments,
//          operators (== -> => && ::), call syntax `name(`, snake_case / camelCase / self. names,
//          decorators, `//` comments, dense punctuation, lines inside fenced blocks or inside a
//          triple-quoted string opened by code (docstrings belong to their code).
//   prose: several words with a high stop-word share, sentence punctuation (`. ` + capital),
//          a capitalised start, commas between words.
//
// The text's domain follows from the characters in each kind of line: mostly one kind wins;
// "mixed" needs both kinds substantial (each ≥ 15% and ≥ 80 characters), or a fenced code block
// next to real prose (Markdown with examples).
import type { Domain } from "../sdk/types.ts";

export type LineLabel = "code" | "prose" | "neutral";

const STOP_WORDS = new Set(
  ("a an the of in on at to for from by with and or but as is are was were be been being it its this that these those " +
    "which who whom whose what when where why how than then there their they he she his her we our you your i " +
    "not no also has have had do does did can could would should will may might into about after before during " +
    "such more most other some many one all each both between under over while because however through")
    .split(" "),
);

// Keywords that start code lines in the languages ctxc meets (Python, JS/TS, C-family, Go, Rust).
const KEYWORD_START =
  /^(?:def|class|async|return|import|from|if|elif|else|for|while|try|except|finally|with|raise|yield|await|pass|break|continue|lambda|assert|del|global|nonlocal|function|const|let|var|export|package|func|fn|pub|impl|struct|enum|interface|public|private|protected|static|void|using|namespace|switch|case|default|throw|catch|#include|#define|#if|#endif)(?![\w-])/;
// Keyword starts whose shape is unmistakably code.
const STRONG_START =
  /^(?:(?:async\s+)?def\s+\w+\s*\(|class\s+\w+\s*[(:{<]|class\s+\w+\s+(?:extends|implements)\b|import\s+[\w.]+\s*(?:$|as\b|,)|from\s+[\w.]+\s+import\b|import\s*\{|(?:export\s+)?(?:async\s+)?function\s*\*?\s*\w*\s*\(|(?:const|let|var)\s+[\w{[]+.*=|#include\s*[<"]|fn\s+\w+\s*[<(]|func\s+[\w(]|package\s+\w+;?$|(?:return|raise|yield)(?:\s+[\w.([{"'-].*)?$|(?:pass|break|continue)\s*;?$|(?:else|try|finally)\s*:$|(?:elif|if|while|for|with|except)\b.*:$)/;
const BRACKETS_ONLY = /^[)\]}]+[;,)\]]*$|^[({[]$/;
const ANNOTATION = /^[a-z_]\w*\s*:\s*[A-Za-z_][\w.[\], |'"-]*$/;
const LONE_STRING = /^[rbfuRBFU]{0,2}(["'])(?:\\.|(?!\1).)*\1\s*([,)+\]\\]*)$/;
// String literals in code position (after `(`, `=`, `,`, … or at the start): their words are not prose.
const CODE_STRING = /(^|[(=,[{:+]\s*)[rbfuRBFU]{0,2}(["'])(?:\\.|(?!\2).)*\2/g;
const TEMPLATE_SLOT = /\{\{\s*(\w+)\s*\}\}/g;
const ASSIGNMENT = /^[\w.[\]'"]+(?:\s*:\s*[\w.[\], |]+)?\s*(?:[-+*/%|&^]|\/\/|\*\*|<<|>>)?=\s*[^=\s]/;
const OPERATOR = /==|!=|<=|>=|->|=>|&&|\|\||::|\+=|-=|\+\+|\*\*/;
const CALL = /[\w\]]\(/;
const METHOD_CALL = /\w\.\w+\(/;
const CODE_NAME = /\b(?:self|this|cls)\.\w|\b[a-z]+_[a-z0-9_]+\b|\b[a-z]+[A-Z]\w*\b/;
const ENDS_CODE = /[;{}]$|\)\s*:$|[(\[,]$/;
const SENTENCE = /[a-z]{2,}[.!?]["')]?(?:\s+[A-Z"(]|$)/;
const LATEX = /\\[a-z]{2,}/;
const WORD = /[A-Za-z][A-Za-z'’-]*/g;
const FENCE = /^\s{0,3}(`{3,}|~{3,})/;
const TRIPLE = /"""|'''/g;

/** Label one line (without its newline). Lines inside fences are handled by `labelLines`. */
export function labelLine(line: string): LineLabel {
  // "{{NAME}}" template slots read as words, not as code braces.
  const t = (line.includes("{{") ? line.replace(TEMPLATE_SLOT, "$1") : line).trim();
  if (t.length === 0) return "neutral";
  if (t.startsWith("#") && !/^#(?:include|define|if|endif|pragma)\b/.test(t)) return "neutral"; // comment or heading
  if (t.startsWith("//") || t.startsWith("/*") || (t.startsWith("*") && /^\*(?:\s|\/|$)/.test(t) && /^\s+\*/.test(line))) return "code";
  if (BRACKETS_ONLY.test(t)) return "code";
  if (/^@[\w.]+(?:\(|$)/.test(t)) return "code";
  if (LATEX.test(t)) return "neutral"; // formulas inside prose: neither kind
  if (/^[rbfuRBFU]{0,2}(?:"""|''')/.test(t)) return "code"; // a docstring or string statement
  const lone = LONE_STRING.exec(t);
  if (lone) return lone[2] || /^[rbfuRBFU]/.test(t) ? "code" : "neutral"; // a string continued over lines

  let code = 0;
  if (STRONG_START.test(t)) code += 3;
  else if (KEYWORD_START.test(t)) code += 0.5;
  const noComment = t.replace(/\s(?:#|\/\/)\s.*$/, "");
  if (ASSIGNMENT.test(noComment) || ANNOTATION.test(noComment)) code += 2;
  if (OPERATOR.test(t)) code += 1;
  if (METHOD_CALL.test(t)) code += 1.5;
  else if (CALL.test(t)) code += 1;
  if (CODE_NAME.test(t)) code += 1;
  if (ENDS_CODE.test(t)) code += 1;
  if (/^\s{2,}|^\t/.test(line)) code += 0.5;

  // Words inside string literals in code position are data, not prose.
  // So are the words of a trailing comment.
  const bare = code >= 1 ? t.replace(CODE_STRING, "$1\"\"").replace(/\s(?:#|\/\/)\s.*$/, "") : t;
  if (code >= 1 && bare !== t && /^[\s"),;+\]}]*$/.test(bare.replace(/^[rbfuRBFU]{0,2}""/, ""))) code += 2; // a lone string literal
  const words = bare.match(WORD) ?? [];
  let stops = 0;
  for (const w of words) if (STOP_WORDS.has(w.toLowerCase())) stops++;
  let symbols = 0;
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (!(c === 32 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c > 127)) symbols++;
  }
  if (symbols / t.length > 0.12) code += 1;

  let prose = 0;
  if (words.length >= 5) {
    const share = stops / words.length;
    prose += share >= 0.3 ? 3 : share >= 0.18 ? 2 : 0.5;
  }
  if (SENTENCE.test(bare)) prose += 1.5;
  if (/^[A-Z][a-z]+[\s,]/.test(t)) prose += 0.5;
  if (/[a-z], [a-z]/.test(bare)) prose += 0.5;
  if (words.length >= 12 && symbols / t.length < 0.06) prose += 1;

  if (code >= 2 && code > prose) return "code";
  if (prose >= 2 && prose > code) return "prose";
  return "neutral";
}

/**
 * Label every line of `text`. Fenced blocks (``` or ~~~) are code, fence lines included; a
 * triple-quoted string opened on a code line is code until it closes (docstrings).
 */
export function labelLines(text: string): LineLabel[] {
  const lines = text.split("\n");
  const labels: LineLabel[] = new Array(lines.length);
  let fence: string | null = null;
  let inTriple = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const f = FENCE.exec(line);
    if (fence !== null) {
      labels[i] = "code";
      if (f && f[1]![0] === fence[0] && f[1]!.length >= fence.length && line.trim() === f[1]) fence = null;
      continue;
    }
    if (f) {
      fence = f[1]!;
      labels[i] = "code";
      continue;
    }
    const triples = line.match(TRIPLE)?.length ?? 0;
    if (inTriple) {
      labels[i] = "code";
      if (triples % 2 === 1) inTriple = false;
      continue;
    }
    const label = labelLine(line);
    // A docstring opening on its own line belongs to the code above it.
    const opensTriple = triples % 2 === 1;
    const prevCode = i > 0 && labels[i - 1] === "code";
    labels[i] = opensTriple && (label === "code" || prevCode) ? "code" : label;
    if (opensTriple && labels[i] === "code") inTriple = true;
  }
  return labels;
}

export interface DomainEvidence {
  domain: Domain;
  codeChars: number;
  proseChars: number;
  fencedBlocks: number;
}

/** The domain with the evidence behind it (for reports and tests). */
export function classifyWithEvidence(text: string): DomainEvidence {
  const lines = text.split("\n");
  const labels = labelLines(text);
  let codeChars = 0;
  let proseChars = 0;
  let fencedBlocks = 0;
  let inFence = false;
  for (let i = 0; i < lines.length; i++) {
    const n = lines[i]!.trim().length;
    if (labels[i] === "code") codeChars += n;
    else if (labels[i] === "prose") proseChars += n;
    if (FENCE.test(lines[i]!)) {
      if (!inFence) fencedBlocks++;
      inFence = !inFence;
    }
  }
  return { domain: decide(text, codeChars, proseChars, fencedBlocks), codeChars, proseChars, fencedBlocks };
}

function decide(text: string, codeChars: number, proseChars: number, fencedBlocks: number): Domain {
  const total = codeChars + proseChars;
  if (total === 0) return looksLikeCode(text) ? "code" : "nl";
  const codeShare = codeChars / total;
  if (fencedBlocks > 0 && proseChars >= 80 && codeChars >= 20) return "mixed";
  if (codeShare >= 0.15 && codeShare <= 0.85 && codeChars >= 80 && proseChars >= 80) return "mixed";
  return codeShare > 0.5 ? "code" : "nl";
}

// For text whose lines are all neutral (a formula, a comment block, a heading).
function looksLikeCode(text: string): boolean {
  if (LATEX.test(text)) return false;
  const t = text.trim();
  if (t.length === 0) return false;
  return /^\s*(?:#|\/\/)/.test(text) && /\n\s*(?:#|\/\/)/.test(text) && !/^#{1,6}\s+[A-Z]/.test(t);
}

/** Classify text as "code", "nl" (natural language) or "mixed" (substantial prose and code). */
export function classifyDomain(text: string): Domain {
  return classifyWithEvidence(text).domain;
}
