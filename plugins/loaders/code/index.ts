// loader/code: turns source repositories into one Doc per function, class or method, parsed with
// web-tree-sitter (Python, TypeScript, TSX, JavaScript/JSX, Go, Rust, Java). Large corpora are
// parsed in child processes (src/text/process-pool.ts); output is sorted by file path, then
// position, and identical units are emitted once. Bad files and units are counted by reason (`skipped:<reason>`), never fatal.
import { boundProblems } from "../../../src/sdk/bounds.ts";
import { defineLoader, makeDoc, v, type StageContext } from "../../../src/sdk/index.ts";
import { fingerprintFiles, type CorpusFile } from "../../../src/text/corpus-files.ts";
import { corpusOptions, corpusPathProblems, countSkip, findCorpus, flag, int, parseCorpus } from "../_corpus.ts";
import { processFile, type FileTask } from "./file.ts";
import { extensionsOf, LANGUAGES, languageOf, type Lang } from "./languages.ts";
import { isTestPath, type UnitRules } from "./rules.ts";

const VERSION = "1";

const options = corpusOptions(
  { files: "source files", inFolder: "supported file", pathsExample: '["src/**/*.py"]', excludeExample: '["vendor/**"]' },
  {
    languages: v.optional(
      v.pipe(v.array(v.picklist(LANGUAGES)), v.minLength(1), v.description(`Languages to load, chosen by file extension: ${LANGUAGES.join(", ")}.`)),
      [...LANGUAGES],
    ),
    units: v.optional(
      v.pipe(v.array(v.picklist(["function", "class", "method"])), v.minLength(1), v.description("Unit kinds to emit: top-level functions, top-level classes, methods of top-level classes.")),
      ["function", "class", "method"],
    ),
    min_lines: int(1, "Drop units shorter than this many lines.", 5),
    max_lines: int(1, "Drop units longer than this many lines.", 200),
    min_chars: int(0, "Drop units with fewer characters (code points).", 100),
    max_chars: int(1, "Drop units with more characters (code points).", 8000),
    skip_tests: flag("Skip test files (test_*, *_test.*, *.test.*, *.spec.*, folders test/tests/__tests__), units named test*, and Rust #[test] functions.", true),
    skip_dunders: flag("Skip Python __dunder__ functions and methods.", true),
    skip_trivial: flag("Skip units whose body is only pass / ... / a docstring (Python) or empty (other languages).", true),
  },
);

type Options = v.InferOutput<typeof options>;

interface Source {
  file: CorpusFile;
  lang: Lang;
}

/** Which files the options select: their languages' extensions. */
function selection(opts: Options) {
  return {
    accept: (local: string) => opts.languages.includes(languageOf(local)!),
    describe: `${opts.languages.join("/")} files (${extensionsOf(opts.languages).join(", ")})`,
  };
}

function findSources(opts: Options, ctx: StageContext, countSkips: boolean): Source[] {
  const files = findCorpus(opts, ctx, { ...selection(opts), countSkips });
  const sources: Source[] = [];
  for (const file of files) {
    if (!opts.skip_tests || !isTestPath(file.local)) sources.push({ file, lang: languageOf(file.local)! });
    else if (countSkips) countSkip(ctx, "test", file.path, "test file");
  }
  return sources;
}

/** Source bytes worth a parser process. A process costs ~60 ms to start and warms up its own JIT;
 *  measured on CPython stdlib subsets here, two processes lose to one at 1.3 MB of Python (0.75
 *  vs 0.63 s), break even at 4.7 MB, and win at 12 MB (1.5 vs 2.0 s). */
const MIN_BYTES_PER_PROCESS = 2 * 1024 * 1024;

export default defineLoader({
  name: "loader/code",
  version: VERSION,
  description: "Functions, classes and methods from source code, parsed with tree-sitter (Python, TS/TSX, JS/JSX, Go, Rust, Java).",
  options,
  preflight(opts, where) {
    const problems = [...(boundProblems(opts, [["min_lines", "max_lines"], ["min_chars", "max_chars"]], "nothing could be kept") ?? []), ...corpusPathProblems(opts, where.root, selection(opts))];
    return problems.length ? problems : undefined;
  },

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
    const parsed = parseCorpus(sources.map((s) => s.file), tasks, { worker: "code", inProcess: processFile, minBytesPerProcess: MIN_BYTES_PER_PROCESS, threads: opts.threads, ctx });
    for await (const { file, result } of parsed) {
      const lang = languageOf(file.local)!;
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
    // The runner's stage fingerprint already covers the plugin, its version and the options.
    return fingerprintFiles(files);
  },
});
