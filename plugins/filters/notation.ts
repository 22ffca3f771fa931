// The original project's notation rules, as options: the dense notation must be well formed (no
// doubled or orphaned connectors) and must keep the facts that matter — negations in prose,
// numbers, named entities, and the identifiers of a code unit's signature.
// A blank answer is filter/sanitize's business (reason `empty`), so it passes here untouched.
import { defineFilter, v, type Doc, type Domain } from "../../src/sdk/index.ts";
import { entitiesIn, entityKept, hasNegation, missingNumbers, NEGATION_WORDS, negationRegex, signatureOf } from "../../src/text/facts.ts";

const domains = (description: string, fallback: Domain[]) =>
  v.optional(v.pipe(v.array(v.picklist(["code", "nl", "mixed"])), v.description(description)), fallback);
const share = (description: string, fallback: number) => v.optional(v.pipe(v.number(), v.minValue(0), v.maxValue(1), v.description(description)), fallback);

const options = v.object({
  symbols: v.optional(v.pipe(v.boolean(), v.description("Reject doubled connectors (→ →, | |, ∵∵; reason doubled_symbol) and orphaned ones (a line of only symbols, a leading → or |, a trailing connector; reason orphan_symbol).")), true),
  negation: domains("Domains where a negation in the original must survive as a word (not, never, …) or a mark (¬, ≠, !, sans, …) (reason negation_dropped).", ["nl", "mixed"]),
  negation_min: v.optional(
    v.pipe(
      v.number(),
      v.integer(),
      v.minValue(1),
      v.description("Check only originals with at least this many negations: a single one is often rightly rephrased (\"not unreliable\" → \"reliable\") or dropped with a minor clause."),
    ),
    2,
  ),
  negation_words: v.optional(v.pipe(v.array(v.string()), v.description("Words that make the original negated.")), NEGATION_WORDS),
  numbers: domains("Domains where the original's numbers must survive (reason number_dropped).", ["nl", "mixed"]),
  number_min_digits: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.description("Ignore numbers with fewer digits (single digits are often spelled out or are list markers).")), 2),
  number_tolerance: share("Share of the original's distinct numbers that may be missing.", 0.25),
  entities: domains("Domains where the original's named entities must survive, by word or acronym (reason entity_dropped).", ["nl"]),
  entity_tolerance: share("Share of the original's distinct named entities that may be missing.", 0.5),
  entity_min: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.description("Check entities only when the original names at least this many.")), 4),
  signature: domains("Domains where the unit's name and parameter names (first def/function/class) must survive (reason identifier_dropped).", ["code"]),
  param_tolerance: share("Share of the signature's parameter names that may be missing (the unit's name never may).", 0.5),
});

type Opts = v.InferOutput<typeof options>;

const CONNECTOR = "→⇒←↔∵∴";
const DOUBLED = new RegExp(`([${CONNECTOR}])\\s*\\1|@[ \\t]+@`);
const SPACED_PIPES = /\|[ \t]+\|/;
const ONLY_SYMBOLS = new RegExp(`^[ \\t]*[${CONNECTOR}|@+]+(?:[ \\t]+[${CONNECTOR}|@+]+)*[ \\t]*$`, "m");
const LEADING = /^\s*[→⇒|]/;
const TRAILING = new RegExp(`[${CONNECTOR}|@]\\s*$`);
const isTableRow = (line: string) => /^\s*\|.*\|\s*$/.test(line);

export function symbolProblem(text: string, domain: Domain): { reason: string; detail: string } | undefined {
  const lines = text.split("\n");
  const doubled = DOUBLED.exec(text);
  if (doubled) return { reason: "doubled_symbol", detail: JSON.stringify(around(text, doubled.index)) };
  // `| |` is an empty cell in a Markdown table; `||` is an operator in code.
  for (const line of lines) {
    if (isTableRow(line)) continue;
    const m = SPACED_PIPES.exec(line) ?? (domain !== "code" ? /\|\|/.exec(line) : null);
    if (m) return { reason: "doubled_symbol", detail: JSON.stringify(around(line, m.index)) };
  }
  const only = ONLY_SYMBOLS.exec(text);
  if (only) return { reason: "orphan_symbol", detail: `a line of only symbols: ${JSON.stringify(only[0].trim())}` };
  if (LEADING.test(text) && !isTableRow(lines[0]!)) return { reason: "orphan_symbol", detail: `starts with a connector: ${JSON.stringify(text.trim().slice(0, 30))}` };
  if (TRAILING.test(text) && !isTableRow(lines.at(-1)!)) return { reason: "orphan_symbol", detail: `ends with a connector: ${JSON.stringify(text.trim().slice(-30))}` };
  return undefined;
}

function around(s: string, i: number): string {
  return s.slice(Math.max(0, i - 20), i + 20);
}

const negationRes = new WeakMap<Opts, RegExp>();

function negationWords(o: Opts): RegExp {
  let re = negationRes.get(o);
  if (!re) negationRes.set(o, (re = negationRegex(o.negation_words)));
  return re;
}

function negationCount(text: string, o: Opts): string[] {
  return (text.match(new RegExp(negationWords(o).source, "gi")) ?? []).map((w) => w.toLowerCase());
}

/** The first failed rule for this pair, or undefined when the notation is sound. */
export function notationProblem(doc: Doc & { compressed: string }, o: Opts): { reason: string; detail: string } | undefined {
  const { text, compressed, domain } = doc;
  if (o.symbols) {
    const problem = symbolProblem(compressed, domain);
    if (problem) return problem;
  }
  if (o.negation.includes(domain)) {
    const words = negationWords(o);
    const found = negationCount(text, o);
    if (found.length >= o.negation_min && !hasNegation(compressed, words, true)) {
      return { reason: "negation_dropped", detail: `the original negates ${found.length}× (${[...new Set(found)].slice(0, 4).join(", ")}); the compressed text negates nothing` };
    }
  }
  if (o.numbers.includes(domain)) {
    const { total, missing } = missingNumbers(text, compressed, o.number_min_digits);
    if (missing.length && missing.length > total * o.number_tolerance) return { reason: "number_dropped", detail: `${missing.length}/${total} missing: ${missing.slice(0, 8).join(", ")}` };
  }
  if (o.entities.includes(domain)) {
    const entities = entitiesIn(text);
    if (entities.length >= o.entity_min) {
      const lower = compressed.toLowerCase();
      const missing = entities.filter((e) => !entityKept(e, lower));
      if (missing.length > entities.length * o.entity_tolerance) return { reason: "entity_dropped", detail: `${missing.length}/${entities.length} missing: ${missing.slice(0, 8).join(", ")}` };
    }
  }
  if (o.signature.includes(domain)) {
    const sig = signatureOf(text);
    if (sig) {
      const has = (id: string) => new RegExp(`(?<![\\w$])${id.replace(/\$/g, "\\$")}(?![\\w$])`).test(compressed);
      const name = doc.source.name && text.includes(doc.source.name) ? doc.source.name : sig.name;
      if (!has(name)) return { reason: "identifier_dropped", detail: `the unit's name ${name} is missing` };
      const missing = sig.params.filter((p) => !has(p));
      if (missing.length && missing.length > sig.params.length * o.param_tolerance) return { reason: "identifier_dropped", detail: `parameters missing: ${missing.join(", ")}` };
    }
  }
  return undefined;
}

export default defineFilter({
  name: "filter/notation",
  version: "1",
  description: "Check the dense notation: no doubled/orphaned symbols; negations, numbers, entities and signature identifiers of the original survive.",
  options,
  filter(doc, o, ctx) {
    if (doc.compressed === undefined) return ctx.reject("no_compressed", "no compressed text: put filter/notation after a generator");
    if (!doc.compressed.trim()) {
      ctx.stat("skipped:blank");
      return doc;
    }
    const problem = notationProblem(doc as Doc & { compressed: string }, o);
    return problem ? ctx.reject(problem.reason, problem.detail) : doc;
  },
});
