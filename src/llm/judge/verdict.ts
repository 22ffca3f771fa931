// A judge's answer -> a validated verdict, or a reason it is not one. Models wrap JSON in code
// fences, add prose around it, think aloud in <think> blocks, write "Not equivalent" or "0.9" as
// a string: all of that is tolerated. A missing or out-of-range field is not: the answer is then
// malformed (repaired once by the caller), never guessed.
import * as v from "valibot";

export const VERDICTS = ["equivalent", "partial", "not_equivalent"] as const;
export type VerdictName = (typeof VERDICTS)[number];

const unit = (what: string) =>
  v.pipe(
    v.union([v.number(), v.pipe(v.string(), v.trim(), v.decimal(), v.transform(Number))], `${what} must be a number between 0 and 1`),
    v.number(),
    v.minValue(0, `${what} must be between 0 and 1`),
    v.maxValue(1, `${what} must be between 0 and 1`),
  );

export const verdictSchema = v.object({
  verdict: v.pipe(
    v.string("verdict must be a string"),
    // "Not equivalent", "not-equivalent", "NOT_EQUIVALENT" all mean the same.
    v.transform((s) => s.trim().toLowerCase().replace(/[\s-]+/g, "_")),
    v.picklist(VERDICTS, `verdict must be one of ${VERDICTS.join(", ")}`),
  ),
  score: unit("score"),
  confidence: unit("confidence"),
  missing_facts: v.nullish(v.array(v.pipe(v.unknown(), v.transform((x) => (typeof x === "string" ? x : JSON.stringify(x))))), []),
  rationale: v.nullish(v.pipe(v.unknown(), v.transform((x) => (typeof x === "string" ? x : x == null ? "" : JSON.stringify(x)))), ""),
});

export type Verdict = v.InferOutput<typeof verdictSchema>;

export type ParseResult = { ok: true; verdict: Verdict } | { ok: false; refusal: boolean; error: string };

/** Refusal boilerplate in the first lines of an answer that holds no JSON at all. */
const REFUSAL = [
  /\bI(?: a|')m (?:sorry|afraid|unable|not able)\b/i,
  /\bI (?:can(?:no|')t|cannot|won't|will not|am unable to|am not able to) (?:help|assist|comply|provide|do that|fulfil|complete|evaluate|judge|compare|answer)/i,
  /\bI apologi[sz]e\b/i,
  /\bas an AI\b/i,
  /^sorry\b/i,
];

export function isRefusal(text: string): boolean {
  const head = text.trim().slice(0, 300);
  return REFUSAL.some((re) => re.test(head));
}

export function parseVerdict(answer: string): ParseResult {
  const text = answer.replace(/<think>[\s\S]*?<\/think>/gi, "").trim();
  const objects = jsonObjects(text);
  if (objects.length === 0) {
    if (isRefusal(text)) return { ok: false, refusal: true, error: `the judge refused: ${clip(text)}` };
    return { ok: false, refusal: false, error: `no JSON object found in the answer: ${clip(text)}` };
  }
  let firstError = "";
  for (const o of objects) {
    const r = v.safeParse(verdictSchema, o);
    if (r.success) return { ok: true, verdict: r.output };
    firstError ||= r.issues.map(describeIssue).join("; ");
  }
  return { ok: false, refusal: false, error: `the JSON does not match the verdict schema: ${firstError}` };
}

function describeIssue(issue: v.BaseIssue<unknown>): string {
  const path = issue.path?.map((p) => String(p.key)).join(".");
  return path ? `${path}: ${issue.message}` : issue.message;
}

/** Every top-level `{…}` in the text that parses as a JSON object, in order (the whole text first). */
export function jsonObjects(text: string): Record<string, unknown>[] {
  const out: Record<string, unknown>[] = [];
  const whole = tryObject(text) ?? tryObject(text.replace(/^```[a-z]*\s*\n?|\n?```\s*$/gi, ""));
  if (whole) return [whole];
  for (let i = text.indexOf("{"); i >= 0; ) {
    const end = matchingBrace(text, i);
    const obj = end > 0 ? tryObject(text.slice(i, end + 1)) : undefined;
    if (obj) out.push(obj);
    i = text.indexOf("{", obj ? end + 1 : i + 1);
  }
  return out;
}

function tryObject(s: string): Record<string, unknown> | undefined {
  try {
    const x: unknown = JSON.parse(s);
    return x && typeof x === "object" && !Array.isArray(x) ? (x as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Index of the brace closing the one at `start`, skipping braces inside JSON strings; -1 if none. */
function matchingBrace(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === "\\") i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === "{") depth++;
    else if (c === "}" && --depth === 0) return i;
  }
  return -1;
}

function clip(s: string, n = 160): string {
  const one = s.replace(/\s+/g, " ").trim();
  return one.length > n ? `${one.slice(0, n)}…` : one || "(empty)";
}
