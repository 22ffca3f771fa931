// Rejects answers that are broken as text, whatever their content: blank, invalid Unicode,
// control characters, absurdly long, a refusal instead of an answer, or the prompt echoed back.
// Checks run cheapest first and the first failure is the reason.
import { defineFilter, v } from "../../src/sdk/index.ts";
import { shingleContainment } from "../../src/text/shingles.ts";

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
  echo_threshold: v.optional(
    v.pipe(
      v.number(),
      v.minValue(0),
      v.maxValue(1),
      v.description("Reject as prompt_echo when this share of the original's 8-word shingles appears verbatim in the answer (originals of 40+ words; 1 disables)."),
    ),
    0.9,
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

const codes = (chars: Iterable<string>) => [...new Set(chars)].map((c) => `U+${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, "0")}`).join(", ");

export default defineFilter({
  name: "filter/sanitize",
  version: "1",
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
    if (o.echo_threshold < 1) {
      const share = shingleContainment(doc.text, out, 8, 40);
      if (share !== undefined && share >= o.echo_threshold) return ctx.reject("prompt_echo", `${Math.round(share * 100)}% of the original's 8-word runs are copied verbatim`);
    }
    return doc;
  },
});
