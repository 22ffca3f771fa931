// loader/markdown: turns Markdown documentation (.md, .markdown, .mdx) into section-aware chunks
// of prose, parsed with unified + remark-parse. Large corpora are parsed in child processes
// (src/text/process-pool.ts); output is sorted by file path, then position; identical chunks are emitted once. Bad files are counted
// by reason (`skipped:<reason>`), never fatal.
import * as v from "valibot";
import { makeDoc } from "../../../src/sdk/doc.ts";
import { defineLoader } from "../../../src/sdk/define.ts";
import type { StageContext } from "../../../src/sdk/types.ts";
import { findCorpusFiles, fingerprintFiles, type CorpusFile } from "../../../src/text/corpus-files.ts";
import { mapOrdered, parserCount } from "../../../src/text/process-pool.ts";
import { processMarkdown, type MarkdownTask } from "./file.ts";

const VERSION = "1";
const EXTENSIONS = [".md", ".markdown", ".mdx"];
/** Markdown bytes worth a parser process (remark parses ~1.3 MB/s per core). Measured on the Node
 *  API docs here: 320 KB parse faster in the loader's process, 1 MB faster in two processes. */
const MIN_BYTES_PER_PROCESS = 320 * 1024;

const int = (min: number, text: string, fallback: number) =>
  v.optional(v.pipe(v.number(), v.integer(), v.minValue(min), v.description(text)), fallback);
const flag = (text: string, fallback: boolean) => v.optional(v.pipe(v.boolean(), v.description(text)), fallback);

const options = v.object({
  paths: v.pipe(
    v.array(v.string()),
    v.minLength(1),
    v.description('Globs of Markdown files (.md, .markdown, .mdx), relative to the pipeline file\'s folder or absolute (e.g. ["docs/**/*.md"]). A folder means every Markdown file in it.'),
  ),
  exclude: v.optional(v.pipe(v.array(v.string()), v.description('Globs of files to leave out, matched against the path from the pipeline folder and from the glob\'s folder (e.g. ["changelog/**"]).')), []),
  min_chars: int(1, "Chunks shorter than this (characters) are dropped.", 200),
  max_chars: int(50, "Blocks are packed into chunks of at most this many characters; longer paragraphs are split at sentence boundaries.", 2000),
  split_level: int(1, "Chunks never cross a heading of this level or higher (1 = #, 2 = ##, …).", 2),
  include_headings: flag('Prefix each chunk with its heading path ("Guide > Install > macOS") and a blank line.', false),
  keep_code: flag("Keep fenced and indented code blocks inside chunks (dropped by default).", false),
  keep_urls: flag('Keep link URLs after the link text, as "text (url)" (dropped by default).', false),
  respect_gitignore: flag("Leave out files ignored by .gitignore files (nested ones and negations included).", true),
  max_file_bytes: int(1, "Skip files larger than this many bytes.", 1_000_000),
  threads: int(0, "Parallel parsers: 0 = one process per CPU core when the corpus is large enough (else in this process), 1 = parse in this process, N = N parser processes.", 0),
});

type Options = v.InferOutput<typeof options>;

function findFiles(opts: Options, ctx: StageContext, countSkips: boolean): CorpusFile[] {
  return findCorpusFiles({
    root: ctx.paths.root,
    paths: opts.paths,
    exclude: opts.exclude,
    respectGitignore: opts.respect_gitignore,
    maxFileBytes: opts.max_file_bytes,
    accept: (local) => EXTENSIONS.some((e) => local.toLowerCase().endsWith(e)),
    describe: `Markdown files (${EXTENSIONS.join(", ")})`,
    onSkip: (reason, path, detail) => {
      if (!countSkips) return;
      ctx.stat(`skipped:${reason}`);
      ctx.log.debug(`skipped ${path}: ${reason} (${detail})`);
    },
  });
}

export default defineLoader({
  name: "loader/markdown",
  version: VERSION,
  description: "Section-aware prose chunks from Markdown docs (.md, .markdown, .mdx), parsed with unified + remark-parse.",
  options,
  preflight(opts) {
    return opts.min_chars > opts.max_chars ? [`min_chars (${opts.min_chars}) is larger than max_chars (${opts.max_chars})`] : undefined;
  },

  async *load(opts, ctx) {
    const files = findFiles(opts, ctx, true);
    ctx.stat("files", files.length);
    const tasks: MarkdownTask[] = files.map((f) => ({
      abs: f.abs,
      maxFileBytes: opts.max_file_bytes,
      render: { keep_code: opts.keep_code, keep_urls: opts.keep_urls },
      chunk: { min_chars: opts.min_chars, max_chars: opts.max_chars, split_level: opts.split_level, include_headings: opts.include_headings },
    }));
    const sizes = files.map((f) => f.size);
    const seen = new Set<string>();
    let i = 0;
    const outcomes = mapOrdered(tasks, {
      worker: "markdown",
      parallel: parserCount(opts.threads, files.length, sizes.reduce((a, b) => a + b, 0), MIN_BYTES_PER_PROCESS),
      inProcess: processMarkdown,
      weights: sizes,
      // Largest first, so no process is left with one big file at the end.
      order: files.map((_, i) => i).sort((a, b) => sizes[b]! - sizes[a]! || a - b),
      signal: ctx.signal,
      onFallback: (why) => ctx.log.warn(`parsing in this process: ${why}`),
    });
    for await (const outcome of outcomes) {
      const file = files[i++]!;
      const result = "ok" in outcome ? outcome.ok : { skip: outcome.crashed ? "parse_crash" : "unreadable", detail: outcome.error };
      if ("skip" in result) {
        ctx.stat(`skipped:${result.skip}`);
        ctx.log.debug(`skipped ${file.path}: ${result.skip} (${result.detail})`);
        continue;
      }
      if (result.tooShort > 0) ctx.stat("skipped:too_short", result.tooShort);
      for (const c of result.chunks) {
        if (seen.has(c.text)) {
          ctx.stat("skipped:duplicate");
          ctx.log.debug(`skipped ${file.path}:${c.start}: duplicate chunk`);
          continue;
        }
        seen.add(c.text);
        if (c.oversized) ctx.stat("oversized");
        const name = c.headings.split(" > ").at(-1) || undefined;
        yield makeDoc({
          text: c.text,
          domain: "nl",
          source: { path: file.path, start: c.start, end: c.end, unit: "section", ...(name ? { name } : {}) },
          meta: { headings: c.headings },
        });
      }
    }
  },

  fingerprint(opts, ctx) {
    return fingerprintFiles(findFiles(opts, ctx, false), { plugin: "loader/markdown", version: VERSION, opts });
  },
});
