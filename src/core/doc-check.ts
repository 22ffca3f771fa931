// The shape of a doc a generator or filter hands back. A plugin that returns `compressed: 12345`
// or a `scores` array would otherwise pass silently and break the dataset step (or the trainer)
// much later, far from the cause; the runner rejects such a doc as `plugin_error` naming the field.
import type { Doc } from "../sdk/types.ts";

const DOMAINS = new Set(["code", "nl", "mixed"]);

function show(x: unknown): string {
  if (x === undefined) return "undefined";
  if (Array.isArray(x)) return "an array";
  const json = JSON.stringify(x);
  return json === undefined ? typeof x : json.length > 40 ? `${json.slice(0, 40)}…` : json;
}

const isPlainObject = (x: unknown): x is Record<string, unknown> => typeof x === "object" && x !== null && !Array.isArray(x);

/** What is wrong with `doc`, as "field: problem", or undefined when its shape is right. */
export function checkDoc(doc: Doc): string | undefined {
  if (typeof doc.id !== "string" || doc.id === "") return `id is ${show(doc.id)}, not a non-empty string`;
  if (typeof doc.text !== "string") return `text is ${show(doc.text)}, not a string`;
  if (!DOMAINS.has(doc.domain as string)) return `domain is ${show(doc.domain)}, not "code", "nl" or "mixed"`;
  if (doc.compressed !== undefined && typeof doc.compressed !== "string") return `compressed is ${show(doc.compressed)}, not a string`;
  if (!isPlainObject(doc.scores)) return `scores is ${show(doc.scores)}, not an object of numbers`;
  for (const [k, v] of Object.entries(doc.scores)) {
    if (typeof v !== "number") return `scores.${k} is ${show(v)}, not a number`;
  }
  if (!isPlainObject(doc.meta)) return `meta is ${show(doc.meta)}, not an object`;
  return undefined;
}
