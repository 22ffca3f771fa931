// loader/code: turns source repositories into one Doc per function, class or method, parsed with
// web-tree-sitter (Python, TypeScript, TSX, JavaScript/JSX, Go, Rust, Java). Large corpora are
// parsed in child processes (src/text/process-pool.ts); output is sorted by file path, then
// position, and identical units are emitted once. Bad files and units are counted by reason (`skipped:<reason>`), never fatal.
import * as v from "valibot";
import { makeDoc } from "../../../src/sdk/doc.ts";
import { defineLoader } from "../../../src/sdk/define.ts";
import type { StageContext } from "../../../src/sdk/types.ts";
import { findCorpusFiles, fingerprintFiles, type CorpusFile } from "../../../src/text/corpus-files.ts";
import { processFile, type FileTask } from "./file.ts";
import { extensionsOf, LANGUAGES, languageOf, type Lang } from "./languages.ts";
import { mapOrdered, parserCount } from "../../../src/text/process-pool.ts";
import { isTestPath, type UnitRules } from "./rules.ts";

const VERSION = "1";

const count = (min: number, text: string, fallback: number) =>
  v.optional(v.pipe(v.number(), v.integer(), v.minValue(min), v.description(text)), fallback);

const options = v.object({
  paths: v.pipe(
    v.array(v.string()),
    v.minLength(1),
    v.description('Globs of source files, relative to the pipeline file\'s folder or absolute (e.g. ["src/**/*.py"]). A folder means every supported file in it.'),
  ),
  exclude: v.optional(v.pipe(v.array(v.string()), v.description('Globs of files to leave out, matched against the path from the pipeline folder and from the glob\'s folder (e.g. ["vendor/**"]).')), []),
  languages: v.optional(
    v.pipe(v.array(v.picklist(LANGUAGES)), v.minLength(1), v.description(`Languages to load, chosen by file extension: ${LANGUAGES.join(", ")}.`)),
    [...LANGUAGES],
  ),
  units: v.optional(
    v.pipe(v.array(v.picklist(["function", "class", "method"])), v.minLength(1), v.description("Unit kinds to emit: top-level functions, top-level classes, methods of top-level classes.")),
    ["function", "class", "method"],
  ),
  min_lines: count(1, "Drop units shorter than this many lines.", 5),
  max_lines: count(1, "Drop units longer than this many lines.", 200),
  min_chars: count(0, "Drop units with fewer characters (code points).", 100),
  max_chars: count(1, "Drop units with more characters (code points).", 8000),
  skip_tests: v.optional(
    v.pipe(v.boolean(), v.description("Skip test files (test_*, *_test.*, *.test.*, *.spec.*, folders test/tests/__tests__), units named test*, and Rust #[test] functions.")),
    true,
  ),
  skip_dunders: v.optional(v.pipe(v.boolean(), v.description("Skip Python __dunder__ functions and methods.")), true),
  skip_trivial: v.optional(v.pipe(v.boolean(), v.description("Skip units whose body is only pass / ... / a docstring (Python) or empty (other languages).")), true),
  respect_gitignore: v.optional(v.pipe(v.boolean(), v.description("Leave out files ignored by .gitignore files (nested ones and negations included).")), true),
  max_file_bytes: count(1, "Skip files larger than this many bytes.", 1_000_000),
  threads: count(0, "Parallel parsers: 0 = one process per CPU core when the corpus is large enough (else in this process), 1 = parse in this process, N = N parser processes.", 0),
});

type Options = v.InferOutput<typeof options>;

interface Source {
  file: CorpusFile;
  lang: Lang;
}

function findSources(opts: Options, ctx: StageContext, countSkips: boolean): Source[] {
  const skip = (reason: string, path: string, detail: string) => {
    if (!countSkips) return;
    ctx.stat(`skipped:${reason}`);
    ctx.log.debug(`skipped ${path}: ${reason} (${detail})`);
  };
  const files = findCorpusFiles({
    root: ctx.paths.root,
    paths: opts.paths,
    exclude: opts.exclude,
    respectGitignore: opts.respect_gitignore,
    maxFileBytes: opts.max_file_bytes,
    accept: (local) => opts.languages.includes(languageOf(local)!),
    describe: `${opts.languages.join("/")} files (${extensionsOf(opts.languages).join(", ")})`,
    onSkip: skip,
  });
  const sources: Source[] = [];
  for (const file of files) {
    if (opts.skip_tests && isTestPath(file.local)) skip("test", file.path, "test file");
    else sources.push({ file, lang: languageOf(file.local)! });
  }
  return sources;
}

/** Source bytes worth a parser process. A process costs ~60 ms to start and warms up its own JIT;
 *  measured on CPython stdlib subsets here, two processes lose to one at 1.3 MB of Python (0.75
 *  vs 0.63 s), break even at 4.7 MB, and win at 12 MB (1.5 vs 2.0 s). */
const MIN_BYTES_PER_PROCESS = 2 * 1024 * 1024;

/** Task indexes by file size, largest first: the processes then finish at nearly the same time. */
function largestFirst(sizes: number[]): number[] {
  return sizes.map((_, i) => i).sort((a, b) => sizes[b]! - sizes[a]! || a - b);
}

export default defineLoader({
  name: "loader/code",
  version: VERSION,
  description: "Functions, classes and methods from source code, parsed with tree-sitter (Python, TS/TSX, JS/JSX, Go, Rust, Java).",
  options,

  async *load(opts, ctx) {
    const sources = findSources(opts, ctx, true);
    ctx.stat("files", sources.length);
    const rules: UnitRules = {
      units: opts.units,
      min_lines: opts.min_lines,
      max_lines: opts.max_lines,
      min_chars: opts.min_chars,
      max_chars: opts.max_chars,
      skip_tests: opts.skip_tests,
      skip_dunders: opts.skip_dunders,
      skip_trivial: opts.skip_trivial,
    };
    const tasks: FileTask[] = sources.map((s) => ({ abs: s.file.abs, lang: s.lang, maxFileBytes: opts.max_file_bytes, rules }));
    const seen = new Set<string>();
    const sizes = sources.map((s) => s.file.size);
    let i = 0;
    const outcomes = mapOrdered(tasks, {
      worker: "code",
      parallel: parserCount(opts.threads, tasks.length, sizes.reduce((a, b) => a + b, 0), MIN_BYTES_PER_PROCESS),
      inProcess: processFile,
      weights: sizes,
      order: largestFirst(sizes),
      signal: ctx.signal,
      onFallback: (why) => ctx.log.warn(`parsing in this process: ${why}`),
    });
    for await (const outcome of outcomes) {
      const { file, lang } = sources[i++]!;
      const result = "ok" in outcome ? outcome.ok : { skip: outcome.crashed ? "parse_crash" : "unreadable", detail: outcome.error };
      if ("skip" in result) {
        ctx.stat(`skipped:${result.skip}`);
        ctx.log.debug(`skipped ${file.path}: ${result.skip} (${result.detail})`);
        continue;
      }
      if (result.syntaxErrors > 0) {
        ctx.stat("skipped:syntax_error", result.syntaxErrors);
        ctx.log.debug(`${file.path}: ${result.syntaxErrors} region(s) tree-sitter could not parse`);
      }
      for (const u of result.units) {
        if (u.skip !== undefined) {
          ctx.stat(`skipped:${u.skip}`);
          ctx.log.debug(`skipped ${file.path}:${u.start} ${u.name}: ${u.skip}`);
          continue;
        }
        if (seen.has(u.text)) {
          ctx.stat("skipped:duplicate");
          ctx.log.debug(`skipped ${file.path}:${u.start} ${u.name}: duplicate`);
          continue;
        }
        seen.add(u.text);
        yield makeDoc({
          text: u.text,
          domain: "code",
          source: { path: file.path, start: u.start, end: u.end, unit: u.kind, lang, name: u.name },
          meta: u.className === undefined ? {} : { class: u.className },
        });
      }
    }
  },

  fingerprint(opts, ctx) {
    const files = findSources(opts, ctx, false).map((s) => s.file);
    return fingerprintFiles(files, { plugin: "loader/code", version: VERSION, opts });
  },
});
