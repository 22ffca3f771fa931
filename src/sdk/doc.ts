// Helpers for making and recognising records, shared by the runtime and every plugin.
import type { Doc, DocSource, Domain, Reject } from "./types.ts";

/** Short, stable hex hash (SHA-256, first 16 hex chars) of any strings. */
export function stableHash(...parts: string[]): string {
  const h = new Bun.CryptoHasher("sha256");
  for (const p of parts) {
    h.update(p);
    h.update("\u0000");
  }
  return h.digest("hex").slice(0, 16);
}

/** A doc id that is the same on every run: source identity (path, unit, name) plus the text. */
export function docId(source: DocSource, text: string): string {
  return stableHash(source.path, source.unit ?? "", source.name ?? "", text);
}

/** Build a Doc with defaults filled in; `id` is derived from source and text unless given. */
export function makeDoc(init: {
  text: string;
  domain: Domain;
  source: DocSource;
  id?: string;
  compressed?: string;
  scores?: Record<string, number>;
  meta?: Record<string, unknown>;
}): Doc {
  const doc: Doc = {
    id: init.id ?? docId(init.source, init.text),
    domain: init.domain,
    text: init.text,
    source: init.source,
    scores: init.scores ?? {},
    meta: init.meta ?? {},
  };
  if (init.compressed !== undefined) doc.compressed = init.compressed;
  return doc;
}

export function isReject(value: unknown): value is Reject {
  return typeof value === "object" && value !== null && (value as Reject).rejected === true;
}

export function makeReject(reason: string, detail?: string, opts: { retryable?: boolean } = {}): Reject {
  return { rejected: true, reason, ...(detail === undefined ? {} : { detail }), ...(opts.retryable ? { retryable: true } : {}) };
}

/**
 * The one test of whether a failed doc is worth asking again: a rejection made with
 * `ctx.reject(reason, detail, { retryable: true })`, or a thrown error carrying `retryable: true`
 * (the LLM layer's `teacher_error`: a provider failure after the SDK's retries — 429, 5xx,
 * timeouts, network). Retryable failures are never cached, so the stage is not recorded as
 * finished for good: the next run runs it again and only they cost anything.
 */
export function isRetryable(failure: unknown): boolean {
  return typeof failure === "object" && failure !== null && (failure as { retryable?: unknown }).retryable === true;
}
