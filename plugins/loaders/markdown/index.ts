// loader/markdown: turns Markdown documentation (.md, .markdown, .mdx) into section-aware chunks
// of prose, parsed with unified + remark-parse. Large corpora are parsed in child processes
// (src/text/process-pool.ts); output is sorted by file path, then position; identical chunks are emitted once. Bad files are counted
// by reason (`skipped:<reason>`), never fatal.
import { boundProblems } from "../../../src/sdk/bounds.ts";
import { defineLoader, makeDoc, v, type StageContext } from "../../../src/sdk/index.ts";
import { fingerprintFiles, type CorpusFile } from "../../../src/text/corpus-files.ts";
import { corpusOptions, corpusPathProblems, findCorpus, flag, int, parseCorpus } from "../_corpus.ts";
import { MARKDOWN_EXTENSIONS } from "./extensions.ts";
import { processMarkdown, type MarkdownTask } from "./file.ts";

const VERSION = "1";
const EXTENSIONS = MARKDOWN_EXTENSIONS;
/** Markdown bytes worth a parser process (remark parses ~1.3 MB/s per core). Measured on the Node
 *  API docs here: 320 KB parse faster in the loader's process, 1 MB faster in two processes. */
const MIN_BYTES_PER_PROCESS = 320 * 1024;

const options = corpusOptions(
  { files: "Markdown files (.md, .markdown, .mdx)", inFolder: "Markdown file", pathsExample: '["docs/**/*.md"]', excludeExample: '["changelog/**"]' },
  {
    min_chars: int(1, "Chunks shorter than this (characters) are dropped.", 200),
    max_chars: int(50, "Blocks are packed into chunks of at most this many characters; longer paragraphs are split at sentence boundaries.", 2000),
    split_level: int(1, "Chunks never cross a heading of this level or higher (1 = #, 2 = ##, …).", 2),
    include_headings: flag('Prefix each chunk with its heading path ("Guide > Install > macOS") and a blank line.', false),
    keep_code: flag("Keep fenced and indented code blocks inside chunks (dropped by default).", false),
    keep_urls: flag('Keep link URLs after the link text, as "text (url)" (dropped by default).', false),
  },
);

type Options = v.InferOutput<typeof options>;

const SELECTION = {
  accept: (local: string) => EXTENSIONS.some((e) => local.toLowerCase().endsWith(e)),
  describe: `Markdown files (${EXTENSIONS.join(", ")})`,
};

function findFiles(opts: Options, ctx: StageContext, countSkips: boolean): CorpusFile[] {
  return findCorpus(opts, ctx, { ...SELECTION, countSkips });
}

export default defineLoader({
  name: "loader/markdown",
  version: VERSION,
  description: "Section-aware prose chunks from Markdown docs (.md, .markdown, .mdx), parsed with unified + remark-parse.",
  options,
  preflight(opts, where) {
    const problems = [...(boundProblems(opts, [["min_chars", "max_chars"]], "nothing could be kept") ?? []), ...corpusPathProblems(opts, where.root, SELECTION)];
    return problems.length ? problems : undefined;
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
    const seen = new Set<string>();
    const parsed = parseCorpus(files, tasks, { worker: "markdown", inProcess: processMarkdown, minBytesPerProcess: MIN_BYTES_PER_PROCESS, threads: opts.threads, ctx });
    for await (const { file, result } of parsed) {
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
    // The runner's stage fingerprint already covers the plugin, its version and the options.
    return fingerprintFiles(findFiles(opts, ctx, false));
  },
});
