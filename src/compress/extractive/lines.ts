// What kind of line each line of a text is, for features (a word on a `def` line matters more
// than one in a comment) and for the formatter (code keeps its lines). Prose lines are "prose";
// in mixed text each line is labelled by src/text/classify.ts first.
import type { Domain } from "../../sdk/types.ts";
import { labelLine } from "../../text/classify.ts";

export const LINE_KINDS = ["prose", "signature", "return", "import", "comment", "docstring", "decorator", "control", "assign", "call", "other", "blank"] as const;
export type LineKind = (typeof LINE_KINDS)[number];

const SIGNATURE = /^(?:async\s+)?(?:def|class|function\*?|fn|func|pub\s+fn|interface|struct|enum|impl)\b|^(?:export\s+)?(?:async\s+)?function\b|^(?:public|private|protected|static)\b/;
const RETURN = /^(?:return|yield|raise|throw)\b/;
const IMPORT = /^(?:import|from\s+\S+\s+import|#include|using|package|require)\b/;
const COMMENT = /^(?:#|\/\/|\/\*|\*(?:\s|$)|--\s)/;
const CONTROL = /^(?:if|elif|else|for|while|try|except|finally|with|switch|case|catch|match|loop)\b/;
const ASSIGN = /^[\w.[\]'", ]+(?::\s*[^=]+)?\s*[-+*/%|&^]?=(?!=)/;
const TRIPLE = /"""|'''/g;

/** One kind per line of `text` (split on "\n"). */
export function lineKinds(text: string, domain: Domain): LineKind[] {
  const lines = text.split("\n");
  const out: LineKind[] = new Array(lines.length);
  let inDoc = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const t = line.trim();
    const quotes = t.match(TRIPLE)?.length ?? 0;
    if (inDoc || (quotes > 0 && /^[rbfuRBFU]{0,2}(?:"""|''')/.test(t))) {
      out[i] = "docstring";
      if (quotes % 2 === 1) inDoc = !inDoc;
      continue;
    }
    if (t === "") out[i] = "blank";
    else if (domain === "nl" || (domain === "mixed" && labelLine(line) !== "code")) out[i] = "prose";
    else out[i] = codeKind(t);
  }
  return out;
}

function codeKind(t: string): LineKind {
  if (t.startsWith("@")) return "decorator";
  if (COMMENT.test(t)) return "comment";
  if (SIGNATURE.test(t)) return "signature";
  if (RETURN.test(t)) return "return";
  if (IMPORT.test(t)) return "import";
  if (CONTROL.test(t)) return "control";
  if (ASSIGN.test(t)) return "assign";
  if (/\w\(/.test(t)) return "call";
  return "other";
}
