// loader/jsonl: docs from JSON Lines files. Two row shapes, detected per row:
//   docs:  {"id"?, "text", "domain"?, "compressed"?, "source"?, "scores"?, "meta"?}
//   chat:  {"messages": [system?, user, assistant?]} — the user message minus `prefix` is the
//          original, the assistant message (when present) the compressed text.
// Rows without a domain get one from the code / nl / mixed classifier. Rows are not deduplicated
// here (that would hold every row in memory); use filter/dedup.
import { defineLoader, docId, makeDoc, v } from "../../src/sdk/index.ts";
import type { Doc, Domain, StageContext } from "../../src/sdk/types.ts";
import { classifyDomain } from "../../src/text/classify.ts";
import { findCorpusFiles, fingerprintFiles, noMatchProblems, type CorpusFile, type FindOptions } from "../../src/text/corpus-files.ts";
import { readJsonl } from "../../src/text/jsonl.ts";
import { countSkip } from "./_corpus.ts";

const DOMAINS = new Set(["code", "nl", "mixed"]);
/** 16 MiB: far above any doc worth compressing, far below what would exhaust memory. */
const DEFAULT_MAX_ROW_BYTES = 16 * 1024 * 1024;

const options = v.object({
  paths: v.pipe(v.array(v.string()), v.minLength(1), v.description("JSONL files or globs, relative to the pipeline file")),
  prefix: v.optional(v.pipe(v.string(), v.description("Instruction prefix removed from chat user messages (e.g. \"Compress:\\n\")")), "Compress:\n"),
  domain: v.optional(v.pipe(v.picklist(["auto", "code", "nl", "mixed"]), v.description("Domain for every row; auto = the row's own `domain`, else the classifier")), "auto"),
  limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.description("Stop after this many docs (0 = no limit)")), 0),
  max_row_bytes: v.optional(
    v.pipe(v.number(), v.integer(), v.minValue(1), v.description(`Rows longer than this many bytes are skipped and counted (skipped:row_too_long), never read into memory whole (default ${DEFAULT_MAX_ROW_BYTES}, 16 MiB)`)),
    DEFAULT_MAX_ROW_BYTES,
  ),
});

type Options = v.InferOutput<typeof options>;

/**
 * The files `paths` selects, sorted by path: a file named explicitly whatever its extension, and
 * the .jsonl files a glob or folder finds. .gitignore files do not apply (datasets are often
 * ignored by git). Nothing matched is an error naming the entry and the folder.
 */
function findFiles(opts: Options, ctx: StageContext, countSkips: boolean): CorpusFile[] {
  return findCorpusFiles({
    ...findOptions(opts, ctx.paths.root),
    onSkip: (reason, path, detail) => {
      if (countSkips) countSkip(ctx, reason, path, detail);
    },
  });
}

function findOptions(opts: Options, root: string): FindOptions {
  return {
    root,
    paths: opts.paths,
    respectGitignore: false,
    accept: (local, named) => named || local.toLowerCase().endsWith(".jsonl"),
    noMatch: (glob) => (/[*?[{]/.test(glob) ? `the glob \`${glob}\` matches no file (resolved from ${root})` : `no file matches \`${glob}\` (resolved from ${root})`),
  };
}

export default defineLoader({
  name: "loader/jsonl",
  version: "1.0.0",
  description: "Docs or chat-format pairs from JSONL files",
  options,
  // `ctxc validate` reports a path that selects nothing, rather than `run` failing later.
  preflight(opts, where) {
    return noMatchProblems(findOptions(opts, where.root));
  },
  fingerprint(opts, ctx) {
    // Relative paths, sizes and times: moving the project keeps the cache.
    return fingerprintFiles(findFiles(opts, ctx, false));
  },
  async *load(opts, ctx) {
    let emitted = 0;
    for (const { abs, path } of findFiles(opts, ctx, true)) {
      const rows = readJsonl<Record<string, unknown>>(
        abs,
        (issue) => {
          ctx.stat(issue.tooLong ? "skipped:row_too_long" : issue.torn ? "skipped:torn_line" : "skipped:bad_json");
          ctx.log.warn(`${path}:${issue.line}: ${issue.message} — row skipped${issue.tooLong ? " (raise max_row_bytes to read it)" : ""}`);
        },
        undefined,
        { maxLineBytes: opts.max_row_bytes },
      );
      for await (const { line, value } of rows) {
        if (ctx.signal.aborted) return;
        const doc = toDoc(value, path, line, opts);
        if (typeof doc === "string") {
          ctx.stat(`skipped:${doc}`);
          ctx.log.debug(`${path}:${line}: skipped (${doc})`);
          continue;
        }
        yield doc;
        if (opts.limit > 0 && ++emitted >= opts.limit) return;
      }
    }
  },
});

/** A Doc, or the reason the row cannot be one. */
function toDoc(row: Record<string, unknown>, path: string, line: number, opts: Options): Doc | string {
  if (typeof row !== "object" || row === null || Array.isArray(row)) return "not_an_object";
  let text: unknown = row.text;
  let compressed: unknown = row.compressed;
  if (Array.isArray(row.messages)) {
    const msgs = row.messages as Array<{ role?: unknown; content?: unknown }>;
    const user = msgs.findLast((m) => m?.role === "user");
    const assistant = msgs.findLast((m) => m?.role === "assistant");
    if (typeof user?.content !== "string") return "no_user_message";
    text = opts.prefix && user.content.startsWith(opts.prefix) ? user.content.slice(opts.prefix.length) : user.content;
    compressed = assistant?.content;
  }
  if (typeof text !== "string") return "no_text";
  if (text.trim() === "") return "empty_text";
  const domain: Domain =
    opts.domain !== "auto" ? opts.domain
    : typeof row.domain === "string" && DOMAINS.has(row.domain) ? (row.domain as Domain)
    : classifyDomain(text);
  const source = isObject(row.source) && typeof row.source.path === "string" ? (row.source as unknown as Doc["source"]) : { path, start: line, unit: "row" };
  return makeDoc({
    // Without an id of its own, a row's id is its file, line and content: unique within the corpus
    // (repeated rows stay separate docs; filter/dedup removes them) and stable while the file is.
    id: typeof row.id === "string" && row.id ? row.id : docId({ path, unit: `row:${line}` }, `${text}\u0000${typeof compressed === "string" ? compressed : ""}`),
    text,
    domain,
    source,
    compressed: typeof compressed === "string" ? compressed : undefined,
    scores: isObject(row.scores) ? (row.scores as Record<string, number>) : {},
    meta: isObject(row.meta) ? row.meta : {},
  });
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}
