// Rejects answers that are broken as text, whatever their content: blank, invalid Unicode,
// control characters, absurdly long, a refusal instead of an answer, or the prompt echoed back.
// Checks run cheapest first and the first failure is the reason.
// A prompt echo is the generation prompt's own text in the answer (its instructions), not the
// original: the prompts say "if the input is already minimal, return it unchanged", so a faithful
// copy of short code is a valid answer here (filter/ratio judges whether it compresses).
import type { StageContext } from "../../src/sdk/types.ts";
import { defineFilter, v } from "../../src/sdk/index.ts";
import { compressTemplate, INPUT_SLOT } from "../../src/llm/index.ts";
import { promptFile } from "../../src/llm/prompt.ts";
import { shingleHashes, wordHashes } from "../../src/text/shingles.ts";

const options = v.object({
  max_chars: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.description("Reject compressed texts longer than this many characters (reason output_too_long).")), 100_000),
  control_chars: v.optional(
    v.pipe(v.boolean(), v.description("Reject control characters (C0 except tab/newline/CR, DEL, C1) that the original does not contain (reason control_chars).")),
    true,
  ),
  refusals: v.optional(
    v.pipe(
      v.array(v.pipe(v.string(), v.check(isRegExp, "not a valid regular expression"))),
      v.description("Case-insensitive regular expressions for refusal boilerplate, matched in the first 300 characters when the original does not match them too (reason refusal)."),
    ),
    [
      "\\bI(?: a|')m (?:sorry|afraid|unable|not able)\\b",
      "\\bI (?:can(?:no|')t|cannot|won't|will not|am unable to|am not able to) (?:help|assist|comply|provide|do that|fulfil|complete|process|compress)",
      "\\bI apologi[sz]e\\b",
      "\\bas an AI\\b",
      "^sorry\\b",
    ],
  ),
  echo_markers: v.optional(
    v.pipe(v.array(v.string()), v.description("Prompt text that must not start the answer, case-insensitive (reason prompt_echo).")),
    ["Compress:", "Compress the following", "You are a semantic compression engine"],
  ),
  echo_prompts: v.optional(
    v.pipe(
      v.array(v.string()),
      v.description("Prompt files whose instructions must not appear in the answer, relative to the pipeline file (default: the built-in generator/compress prompts; list your own when generator/compress uses `prompts`)."),
    ),
    [],
  ),
  echo_words: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(0),
      v.description("Reject as prompt_echo when the answer copies a run of this many words of the prompts' instructions that the original does not contain (0 disables)."),
    ),
    8,
  ),
});

type Opts = v.InferOutput<typeof options>;

function isRegExp(source: string): boolean {
  try {
    new RegExp(source);
    return true;
  } catch {
    return false;
  }
}

// Tab, LF and CR are text; every other C0 code, DEL and the C1 block are not.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
// A lone surrogate cannot be encoded as UTF-8; U+FFFD is what a decoder leaves for invalid bytes.
const BROKEN_UNICODE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]|\uFFFD/;

const refusalRes = new WeakMap<Opts, RegExp[]>();

function refusalPatterns(o: Opts): RegExp[] {
  let res = refusalRes.get(o);
  if (!res) refusalRes.set(o, (res = o.refusals.map((p) => new RegExp(p, "i"))));
  return res;
}

const promptRunsOf = new WeakMap<Opts, Set<number>>();

/** The `echo_words`-word runs of the prompts' text, without the {input} slot; once per options. */
function promptRuns(o: Opts, ctx: StageContext): Set<number> {
  let runs = promptRunsOf.get(o);
  if (!runs) {
    const root = ctx.paths.root;
    const templates = o.echo_prompts.length
      ? o.echo_prompts.map((path) => promptFile(path, root))
      : [compressTemplate({ domain: "code" }, {}, root), compressTemplate({ domain: "nl" }, {}, root)];
    runs = new Set();
    // Each side of the slot on its own: a run across it would be half prompt, half input.
    // A part shorter than a run would make one short shingle that a short answer could match.
    for (const t of templates) {
      for (const part of t.split(INPUT_SLOT)) {
        if (wordCount(part) >= o.echo_words) for (const h of shingleHashes(part, o.echo_words)) runs.add(h);
      }
    }
    promptRunsOf.set(o, runs);
  }
  return runs;
}

const wordCount = (text: string) => wordHashes(text).length;

const codes = (chars: Iterable<string>) => [...new Set(chars)].map((c) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`).join(", ");

export default defineFilter({
  name: "filter/sanitize",
  version: "2",
  description: "Reject blank, invalid-Unicode, control-character, overlong, refusal and prompt-echo answers.",
  options,
  filter(doc, o, ctx) {
    const out = doc.compressed;
    if (out === undefined) return ctx.reject("no_compressed", "no compressed text: put filter/sanitize after a generator");
    if (!out.trim()) return ctx.reject("empty", out ? "the answer is only whitespace" : "the answer is empty");
    if (BROKEN_UNICODE.test(out) && !BROKEN_UNICODE.test(doc.text)) return ctx.reject("invalid_utf8", "lone surrogate or U+FFFD replacement character");
    if (o.control_chars) {
      const bad = (out.match(CONTROL) ?? []).filter((c) => !doc.text.includes(c));
      if (bad.length) return ctx.reject("control_chars", codes(bad));
    }
    if (out.length > o.max_chars) return ctx.reject("output_too_long", `${out.length} characters > ${o.max_chars}`);
    const head = out.slice(0, 300);
    for (const re of refusalPatterns(o)) {
      const m = re.exec(head);
      if (m && !re.test(doc.text)) return ctx.reject("refusal", JSON.stringify(head.slice(m.index, m.index + 80)));
    }
    const start = out.trimStart().toLowerCase();
    const marker = o.echo_markers.find((m) => start.startsWith(m.toLowerCase()));
    if (marker) return ctx.reject("prompt_echo", `the answer starts with ${JSON.stringify(marker)}`);
    if (o.echo_words > 0) {
      const prompt = promptRuns(o, ctx);
      const answer = shingleHashes(out, o.echo_words);
      let original: Set<number> | undefined;
      for (const h of answer) {
        if (!prompt.has(h)) continue;
        original ??= shingleHashes(doc.text, o.echo_words);
        if (!original.has(h)) return ctx.reject("prompt_echo", `the answer copies a ${o.echo_words}-word run of the prompt's instructions`);
      }
    }
    return doc;
  },
});
