// What the file loaders (loader/code, loader/markdown) share, so each keeps only what is its own
// (file kinds, the parse task, what to do with a parsed file): the options every corpus loader
// has, finding the files with each skip counted, and parsing them in parser processes
// (src/text/process-pool.ts) with file-level skips and failures counted.
import { v } from "../../src/sdk/index.ts";
import type { StageContext } from "../../src/sdk/types.ts";
import { findCorpusFiles, noMatchProblems, type CorpusFile, type FindOptions } from "../../src/text/corpus-files.ts";
import { mapOrdered, parserCount } from "../../src/text/process-pool.ts";

/** An integer option of at least `min`, with a default. */
export const int = (min: number, text: string, fallback: number) =>
  v.optional(v.pipe(v.number(), v.integer(), v.minValue(min), v.description(text)), fallback);
export const flag = (text: string, fallback: boolean) => v.optional(v.pipe(v.boolean(), v.description(text)), fallback);

export interface CorpusKind {
  /** What `paths` selects, e.g. "source files" or "Markdown files (.md, .markdown, .mdx)". */
  files: string;
  /** What a folder in `paths` stands for: "every <inFolder> in it". */
  inFolder: string;
  /** Example values of `paths` and `exclude`, as TOML arrays. */
  pathsExample: string;
  excludeExample: string;
}

/**
 * A corpus loader's options schema: `paths` and `exclude` first, then the loader's own options,
 * then `respect_gitignore`, `max_file_bytes` and `threads` (the order `ctxc plugins` and the docs
 * list them in).
 */
export function corpusOptions<const T extends v.ObjectEntries>(kind: CorpusKind, own: T) {
  return v.object({
    paths: v.pipe(
      v.array(v.string()),
      v.minLength(1),
      v.description(`Globs of ${kind.files}, relative to the pipeline file's folder or absolute (e.g. ${kind.pathsExample}). A folder means every ${kind.inFolder} in it.`),
    ),
    exclude: v.optional(
      v.pipe(v.array(v.string()), v.description(`Globs of files to leave out, matched against the path from the pipeline folder and from the glob's folder (e.g. ${kind.excludeExample}).`)),
      [],
    ),
    ...own,
    respect_gitignore: flag("Leave out files ignored by .gitignore files (nested ones and negations included).", true),
    max_file_bytes: int(1, "Skip files larger than this many bytes.", 1_000_000),
    threads: int(0, "Parallel parsers: 0 = one process per CPU core when the corpus is large enough (else in this process), 1 = parse in this process, N = N parser processes.", 0),
  });
}

/** The options `corpusOptions` adds, as parsed. */
export interface CorpusOptions {
  paths: string[];
  exclude: string[];
  respect_gitignore: boolean;
  max_file_bytes: number;
  threads: number;
}

/** Counts a skipped file (`skipped:<reason>`) and lists it with --verbose. */
export function countSkip(ctx: StageContext, reason: string, path: string, detail: string): void {
  ctx.stat(`skipped:${reason}`);
  ctx.log.debug(`skipped ${path}: ${reason} (${detail})`);
}

/**
 * The corpus files the options select, sorted by path. `countSkips` is false for the fingerprint
 * hook, which must not add to the run's counters.
 */
export function findCorpus(
  opts: CorpusOptions,
  ctx: StageContext,
  select: { accept: (local: string) => boolean; describe: string; countSkips: boolean },
): CorpusFile[] {
  return findCorpusFiles({
    ...corpusFindOptions(opts, ctx.paths.root, select),
    onSkip: (reason, path, detail) => {
      if (select.countSkips) countSkip(ctx, reason, path, detail);
    },
  });
}

/** For `preflight`: each entry of `paths` that selects no file (`ctxc validate` reports them). */
export function corpusPathProblems(opts: CorpusOptions, root: string, select: { accept: (local: string) => boolean; describe: string }): string[] {
  return noMatchProblems(corpusFindOptions(opts, root, select));
}

function corpusFindOptions(opts: CorpusOptions, root: string, select: { accept: (local: string) => boolean; describe: string }): FindOptions {
  return {
    root,
    paths: opts.paths,
    exclude: opts.exclude,
    respectGitignore: opts.respect_gitignore,
    maxFileBytes: opts.max_file_bytes,
    accept: select.accept,
    describe: select.describe,
  };
}

export interface ParseOptions<T, R> {
  /** The task function's name in src/cli/worker.ts. */
  worker: string;
  /** The same task function, for parsing in this process. */
  inProcess: (task: T) => Promise<R>;
  /** Bytes of input worth starting a parser process for (see `parserCount`). */
  minBytesPerProcess: number;
  /** The loader's `threads` option. */
  threads: number;
  ctx: StageContext;
  /** The parser processes' command line; tests pass their own. */
  command?: string[];
}

type Skip = { skip: string; detail: string };

/**
 * Parses `tasks[i]` (the work for `files[i]`) in parser processes or in this one, and yields each
 * file's result in file order, the largest files handed out first. A file the task skips (binary,
 * empty, …), a task that throws (`unreadable`) and a file that crashed its parser process twice
 * (`parse_crash`) are counted here and not yielded.
 */
export async function* parseCorpus<T, R extends object>(
  files: CorpusFile[],
  tasks: T[],
  o: ParseOptions<T, R>,
): AsyncGenerator<{ file: CorpusFile; result: Exclude<R, Skip> }> {
  const sizes = files.map((f) => f.size);
  const outcomes = mapOrdered(tasks, {
    worker: o.worker,
    parallel: parserCount(o.threads, tasks.length, sizes.reduce((a, b) => a + b, 0), o.minBytesPerProcess),
    inProcess: o.inProcess,
    weights: sizes,
    signal: o.ctx.signal,
    onFallback: (why) => o.ctx.log.warn(`parsing in this process: ${why}`),
    ...(o.command ? { command: o.command } : {}),
  });
  let i = 0;
  for await (const outcome of outcomes) {
    const file = files[i++]!;
    const result: R | Skip = "ok" in outcome ? outcome.ok : { skip: outcome.crashed ? "parse_crash" : "unreadable", detail: outcome.error };
    if ("skip" in result && typeof result.skip === "string") {
      countSkip(o.ctx, result.skip, file.path, (result as Skip).detail);
      continue;
    }
    yield { file, result: result as Exclude<R, Skip> };
  }
}
