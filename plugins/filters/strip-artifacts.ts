// Cleans what a teacher wraps around its answer: reasoning blocks, tool-call blocks, chat special
// tokens, wrapper tags, a code fence around the whole answer, and echoed labels ("Compressed:").
// It changes `compressed` rather than dropping the pair, because the answer inside is usually
// fine; it rejects only when nothing is left once the wrapping is gone. A blank answer that had
// nothing stripped is left for filter/sanitize (reason `empty`).
import { defineFilter, v } from "../../src/sdk/index.ts";

const names = (description: string, fallback: string[]) =>
  v.optional(v.pipe(v.array(v.pipe(v.string(), v.regex(/^[\w:-]+$/, "a tag name such as tool_call"))), v.description(description)), fallback);

const options = v.object({
  think: v.optional(
    v.pipe(
      v.picklist(["strip", "reject"]),
      v.description('What to do with a <think>/<thinking> block: "strip" it and keep the answer, or "reject" the pair (reason think_block). An unclosed <think> is always rejected.'),
    ),
    "strip",
  ),
  blocks: names("Tags removed together with their content, e.g. tool calls.", ["tool_call", "tool_response"]),
  unwrap: names("Wrapper tags removed while their content is kept.", ["output", "compressed", "answer", "result"]),
  special_tokens: v.optional(v.pipe(v.boolean(), v.description("Remove chat special tokens such as <|im_end|> and <|endoftext|>.")), true),
  fence: v.optional(v.pipe(v.boolean(), v.description("Unwrap a single code fence that wraps the whole answer.")), true),
  labels: v.optional(
    v.pipe(v.array(v.string()), v.description('Echoed labels removed from the start of the answer when followed by ":" or alone on the first line; case-insensitive, Markdown emphasis allowed.')),
    ["Output", "Compressed", "Compressed text", "Compressed version", "Compressed output", "Compressed input", "Compression"],
  ),
});

type Opts = v.InferOutput<typeof options>;

const THINK_BLOCK = /<(think|thinking)>[\s\S]*?<\/\1>/gi;
const THINK_OPEN = /<(think|thinking)>/i;
// Qwen3 in thinking mode may emit the reasoning and a lone closing tag (the opening one is in the
// chat template): everything before it is reasoning.
const THINK_CLOSE_ONLY = /^[\s\S]*?<\/(think|thinking)>/i;
const SPECIAL = /<\|[a-z_]+\|>(?:(?:system|user|assistant)\n)?/g;
const WHOLE_FENCE = /^```[\w+#.-]*[ \t]*\n([\s\S]*?)\n?```$/;

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

interface Compiled {
  blocks: Array<[RegExp, string]>;
  unwrap: Array<[RegExp, string]>;
  label?: RegExp;
}

// Options are one object per stage run: compile their patterns once, not per doc.
const compiledFor = new WeakMap<Opts, Compiled>();

function compile(o: Opts): Compiled {
  let c = compiledFor.get(o);
  if (c) return c;
  c = {
    blocks: o.blocks.map((t) => [new RegExp(`<${escape(t)}>[\\s\\S]*?</${escape(t)}>`, "gi"), `block:${t}`]),
    unwrap: o.unwrap.map((t) => [new RegExp(`</?${escape(t)}>`, "gi"), `tag:${t}`]),
  };
  if (o.labels.length) {
    // "Label:" then text or a newline, or "Label" alone on the first line.
    const emph = "(?:\\*\\*|__)?";
    const label = `^(?:#{1,6}[ \\t]*)?${emph}(?:${o.labels.map(escape).join("|")})`;
    c.label = new RegExp(`${label}(?:[ \\t]*:${emph}|${emph}[ \\t]*:)[ \\t]*\\n?|${label}${emph}[ \\t]*\\n`, "i");
  }
  compiledFor.set(o, c);
  return c;
}

/** Removes artifacts; returns the cleaned text and what was removed, or a rejection reason. */
export function stripArtifacts(text: string, o: Opts): { text: string; removed: string[] } | { reason: string; detail: string } {
  const c = compile(o);
  const removed: string[] = [];
  let s = text;
  const replace = (re: RegExp, kind: string) => {
    const next = s.replace(re, "");
    if (next !== s) removed.push(kind);
    s = next;
  };
  if (THINK_OPEN.test(s) || /<\/think(ing)?>/i.test(s)) {
    if (o.think === "reject") return { reason: "think_block", detail: "the answer contains a <think> block" };
    replace(THINK_BLOCK, "think_block");
    if (THINK_OPEN.test(s)) return { reason: "think_block", detail: "unclosed <think>: the answer is inside the reasoning" };
    replace(THINK_CLOSE_ONLY, "think_block");
  }
  for (const [re, kind] of c.blocks) replace(re, kind);
  for (const [re, kind] of c.unwrap) replace(re, kind);
  if (o.special_tokens) replace(SPECIAL, "special_token");
  s = s.trim();
  if (c.label) {
    replace(c.label, "label");
    s = s.trim();
  }
  if (o.fence) {
    const m = WHOLE_FENCE.exec(s);
    if (m && !m[1]!.includes("```")) {
      s = m[1]!.trim();
      removed.push("fence");
    }
  }
  return { text: s, removed };
}

export default defineFilter({
  name: "filter/strip-artifacts",
  version: "1",
  description: "Remove <think> blocks, tool calls, special tokens, wrapper tags, a whole-answer code fence and echoed labels from the compressed text.",
  options,
  filter(doc, o, ctx) {
    if (doc.compressed === undefined) return ctx.reject("no_compressed", "no compressed text: put filter/strip-artifacts after a generator");
    const result = stripArtifacts(doc.compressed, o);
    if ("reason" in result) return ctx.reject(result.reason, result.detail);
    if (!result.removed.length) return doc;
    if (!result.text) return ctx.reject("empty_after_strip", `nothing left after removing ${[...new Set(result.removed)].join(", ")}`);
    for (const kind of new Set(result.removed)) ctx.stat(`stripped:${kind}`);
    // Only a real change is recorded: trimming surrounding whitespace alone is not an artifact.
    return { ...doc, compressed: result.text, meta: { ...doc.meta, stripped: [...new Set(result.removed)] } };
  },
});
