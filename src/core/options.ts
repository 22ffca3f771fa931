// Stage options: validated against the plugin's schema (valibot, or any Standard Schema), with
// unknown keys caught by name and the nearest known key suggested. Also describes a schema's
// options (type, default, description) for `ctxc plugins` and the docs — generated, never written twice.
import type { OptionsSchema, Plugin } from "../sdk/types.ts";
import { didYouMean } from "../text/suggest.ts";

export interface OptionIssue {
  key?: string;
  message: string;
  hint?: string;
}

export interface OptionDoc {
  key: string;
  type: string;
  required: boolean;
  default?: unknown;
  description?: string;
}

type AnySchema = Record<string, any>;

/** Keys of an object schema, or undefined when the schema is not introspectable. */
export function schemaKeys(schema: OptionsSchema | undefined): string[] | undefined {
  const entries = (schema as AnySchema | undefined)?.entries;
  return entries && typeof entries === "object" ? Object.keys(entries) : undefined;
}

export function validateOptions(
  plugin: Plugin,
  raw: Record<string, unknown>,
): { ok: true; value: Record<string, unknown> } | { ok: false; issues: OptionIssue[] } {
  const schema = plugin.options;
  if (!schema) {
    const keys = Object.keys(raw);
    return keys.length === 0
      ? { ok: true, value: {} }
      : { ok: false, issues: keys.map((k) => ({ key: k, message: `unknown option \`${k}\``, hint: `${plugin.name} takes no options` })) };
  }
  const known = schemaKeys(schema);
  const issues: OptionIssue[] = [];
  if (known) {
    for (const k of Object.keys(raw)) {
      if (!known.includes(k)) {
        issues.push({ key: k, message: `unknown option \`${k}\``, hint: didYouMean(k, known) ?? `known options: ${known.join(", ") || "none"}` });
      }
    }
  }
  const reported = new Set(issues.map((i) => i.key));
  const result = schema["~standard"].validate(raw) as { value?: unknown; issues?: ReadonlyArray<{ message: string; path?: ReadonlyArray<unknown> }> };
  if (result instanceof Promise) throw new Error(`${plugin.name}: async option schemas are not supported`);
  for (const issue of result.issues ?? []) {
    const key = (issue.path ?? []).map((p) => (typeof p === "object" && p !== null ? String((p as { key: unknown }).key) : String(p))).join(".");
    if (key && reported.has(key)) continue;
    reported.add(key || undefined);
    issues.push({ key: key || undefined, message: tidy(issue.message) });
  }
  if (issues.length > 0) return { ok: false, issues };
  return { ok: true, value: (result.value ?? {}) as Record<string, unknown> };
}

function tidy(message: string): string {
  if (/ but received undefined$/.test(message)) return "this option is required but missing";
  return message.replace(/^Invalid type: /, "wrong type: ").replace(/^Invalid key: /, "");
}

/** Describe every option of a plugin from its valibot schema. */
export function describeOptions(plugin: Plugin): OptionDoc[] {
  const entries = (plugin.options as AnySchema | undefined)?.entries as Record<string, AnySchema> | undefined;
  if (!entries) return [];
  return describeEntries("", entries);
}

/** Nested tables (e.g. `prompts.code`) are listed key by key, with their full dotted name. */
function describeEntries(prefix: string, entries: Record<string, AnySchema>): OptionDoc[] {
  return Object.entries(entries).flatMap(([key, schema]) => {
    const doc = describeOne(prefix + key, schema);
    const inner = unwrap(schema);
    if (doc.type === "table" && !doc.description && inner.entries) return describeEntries(`${prefix}${key}.`, inner.entries);
    return [doc];
  });
}

function unwrap(schema: AnySchema): AnySchema {
  let s = schema;
  for (let depth = 0; depth < 10; depth++) {
    if (s.type === "optional" || s.type === "nullish" || s.type === "exact_optional") s = s.wrapped;
    else if (s.pipe && s.pipe[0] !== s) s = s.pipe[0];
    else break;
  }
  return s;
}

function describeOne(key: string, schema: AnySchema): OptionDoc {
  let s = schema;
  let required = true;
  let dflt: unknown;
  let description: string | undefined;
  // Unwrap optional/nullable/pipe layers, collecting default and description on the way.
  for (let depth = 0; depth < 10; depth++) {
    description ??= findDescription(s);
    if (s.type === "optional" || s.type === "nullish" || s.type === "exact_optional") {
      required = false;
      if (s.default !== undefined) dflt = typeof s.default === "function" ? s.default() : s.default;
      s = s.wrapped;
    } else if (s.pipe && s.pipe[0] !== s) {
      s = s.pipe[0];
    } else break;
  }
  description ??= findDescription(s);
  return { key, type: typeName(s), required, ...(dflt !== undefined ? { default: dflt } : {}), ...(description ? { description } : {}) };
}

function findDescription(s: AnySchema): string | undefined {
  const d = (s.pipe as AnySchema[] | undefined)?.find((p) => p.type === "description");
  return d?.description;
}

function typeName(s: AnySchema): string {
  const base = s.pipe ? s.pipe[0] : s;
  switch (base.type) {
    case "array":
      return `${typeName(base.item)}[]`;
    case "picklist":
      return (base.options as unknown[]).map((o) => JSON.stringify(o)).join(" | ");
    case "literal":
      return JSON.stringify(base.literal);
    case "union":
      return (base.options as AnySchema[]).map(typeName).join(" | ");
    case "optional":
    case "nullish":
      return typeName(base.wrapped);
    case "object":
    case "strict_object":
    case "loose_object":
      return "table";
    case "record":
      return "table";
    case "tuple":
      return `[${(base.items as AnySchema[]).map(typeName).join(", ")}]`;
    default:
      return String(base.type);
  }
}
