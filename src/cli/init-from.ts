// `ctxc init DIR --from REPO`: a pipeline written for one repository instead of the generic
// starter. It walks REPO as the loaders would (src/text/corpus-files.ts: .gitignore files
// respected, .git skipped), counts the source files per language loader/code parses and the
// Markdown docs, turns the repository's top-level .gitignore into `exclude` globs (so the pipeline
// says what it leaves out), and writes loader/code and loader/markdown stages for what it found,
// then the offline chain of the quickstart (dedup → rules baseline → sanitize → ratio).
import { existsSync, readFileSync, statSync } from "node:fs";
import { basename, join, relative, resolve, sep } from "node:path";
import { CtxcError, EXIT } from "../core/errors.ts";
import { findCorpusFiles } from "../text/corpus-files.ts";
import { LANGUAGES, extensionsOf, languageOf, type Lang } from "../../plugins/loaders/code/languages.ts";
import { MARKDOWN_EXTENSIONS } from "../../plugins/loaders/markdown/extensions.ts";

export interface RepoSurvey {
  repo: string;
  /** Source files per language loader/code parses, most first. */
  languages: Array<{ lang: Lang; files: number }>;
  markdown: number;
  /** The extensions seen (lower-cased, with the dot), so the globs name only those. */
  extensions: Set<string>;
  /** `exclude` globs from the top-level .gitignore, and its lines that globs cannot say. */
  excludes: string[];
  untranslated: string[];
}

export function surveyRepo(repoArg: string): RepoSurvey {
  const repo = resolve(repoArg);
  if (!existsSync(repo) || !statSync(repo).isDirectory()) {
    throw new CtxcError(`--from ${repoArg}: no such folder (resolved to ${repo})`, { hint: "give the path of a repository (or any folder of source files and docs)", exitCode: EXIT.invalid });
  }
  const counts = new Map<Lang, number>();
  const extensions = new Set<string>();
  let markdown = 0;
  const isMarkdown = (p: string) => MARKDOWN_EXTENSIONS.some((e) => p.toLowerCase().endsWith(e));
  try {
    findCorpusFiles({
      root: repo,
      paths: [repo],
      respectGitignore: true,
      accept: (local) => isMarkdown(local) || languageOf(local) !== undefined,
      noMatch: () => `${repo} has no source file loader/code parses (${extensionsOf([...LANGUAGES]).join(", ")}) and no Markdown file (${MARKDOWN_EXTENSIONS.join(", ")})`,
    }).forEach((f) => {
      extensions.add(f.local.slice(f.local.lastIndexOf(".")).toLowerCase());
      if (isMarkdown(f.local)) markdown++;
      else counts.set(languageOf(f.local)!, (counts.get(languageOf(f.local)!) ?? 0) + 1);
    });
  } catch (e) {
    throw new CtxcError((e as Error).message, { hint: "point --from at the repository's top folder; files ignored by its .gitignore are not counted", exitCode: EXIT.invalid });
  }
  const languages = [...counts].map(([lang, files]) => ({ lang, files })).sort((a, b) => b.files - a.files || (a.lang < b.lang ? -1 : 1));
  const gitignore = join(repo, ".gitignore");
  const { excludes, untranslated } = existsSync(gitignore) ? gitignoreToGlobs(readFileSync(gitignore, "utf8")) : { excludes: [], untranslated: [] };
  return { repo, languages, markdown, extensions, excludes, untranslated };
}

/**
 * .gitignore lines as globs relative to the repository: a pattern without an inner "/" matches at
 * any depth (a leading "**" segment), one with a leading or inner "/" from the top; a folder
 * pattern (or any name, which may be a folder) also covers what is below it. Negations and
 * escapes have no glob.
 */
export function gitignoreToGlobs(text: string): { excludes: string[]; untranslated: string[] } {
  const excludes: string[] = [];
  const untranslated: string[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (!line || line.startsWith("#")) continue;
    if (line.startsWith("!") || line.includes("\\")) {
      untranslated.push(line);
      continue;
    }
    const dirOnly = line.endsWith("/");
    let p = dirOnly ? line.slice(0, -1) : line;
    const anchored = p.includes("/");
    p = p.replace(/^\//, "");
    if (!p) continue;
    const base = anchored || p.startsWith("**/") ? p : `**/${p}`;
    if (!dirOnly) excludes.push(base);
    if (!base.endsWith("/**")) excludes.push(`${base}/**`);
  }
  return { excludes: [...new Set(excludes)], untranslated };
}

const tomlString = (s: string) => JSON.stringify(s);
const tomlList = (xs: string[], indent = "  ") => (xs.length === 0 ? "[]" : `[\n${xs.map((x) => `${indent}${tomlString(x)},`).join("\n")}\n]`);

/** The pipeline.toml for a surveyed repository, written into `dir`. */
export function pipelineForRepo(s: RepoSurvey, dir: string, command: string): string {
  // Relative to the pipeline's folder, unless the two share no folder but the root.
  const from = resolve(dir);
  const shared = from.split(sep)[1] === s.repo.split(sep)[1];
  const rel = shared ? relative(from, s.repo).split(sep).join("/") || "." : s.repo.split(sep).join("/");
  const at = (glob: string) => (rel === "." ? glob : `${rel}/${glob}`);
  const seen = (exts: string[]) => exts.filter((e) => s.extensions.has(e));
  // The pipeline is named after its folder (the repository's when written into it).
  const name = basename(from).toLowerCase().replace(/[^a-z0-9._-]+/g, "-") || "repo";
  const found = [...s.languages.map((l) => `${l.lang} ${l.files}`), `Markdown ${s.markdown}`].join(", ");
  const lines = [
    `# Written by \`${command}\` for the repository at ${rel === "." ? "this folder" : rel}`,
    `# (${shared ? "relative to this file's folder" : "absolute"}). Files found there, .gitignore respected:`,
    `#   ${found}`,
    "# Check it with `ctxc validate pipeline.toml`, run it with `ctxc run pipeline.toml`; every built-in",
    "# and its options: `ctxc plugins`.",
    "",
    `name = ${tomlString(name)}`,
    `out = ${tomlString(`runs/${name}`)}`,
    "",
    "[dataset]",
    "split = [0.8, 0.1, 0.1]",
    "seed = 42",
  ];
  const exclude = [`exclude = ${tomlList(s.excludes)}`];
  if (s.excludes.length) exclude.unshift("# From the repository's .gitignore (the loaders also read every .gitignore themselves).");
  if (s.untranslated.length) exclude.push(`# .gitignore lines no glob can say (still applied by the loaders): ${s.untranslated.join("  ")}`);
  if (s.languages.length) {
    const langs = s.languages.map((l) => l.lang);
    lines.push(
      "",
      `# Source units (functions, classes, methods) of ${s.languages.map((l) => `${l.files} ${l.lang}`).join(", ")} files.`,
      "[[stages]]",
      'use = "loader/code"',
      `paths = ${tomlList(seen(extensionsOf(langs)).map((e) => at(`**/*${e}`)))}`,
      ...exclude,
      `languages = [${langs.map(tomlString).join(", ")}]`,
      "min_lines = 5",
      "max_lines = 200",
    );
  }
  if (s.markdown) {
    lines.push(
      "",
      `# Prose chunks of its ${s.markdown} Markdown files, under their heading path.`,
      "[[stages]]",
      'use = "loader/markdown"',
      `paths = ${tomlList(seen(MARKDOWN_EXTENSIONS).map((e) => at(`**/*${e}`)))}`,
      ...exclude,
      "include_headings = true",
    );
  }
  lines.push(
    "",
    "[[stages]]",
    'use = "filter/dedup"',
    "",
    "# The offline baseline compressor. For training data, a teacher LLM goes here instead:",
    '#   use = "generator/compress"',
    '#   teacher = "anthropic:claude-sonnet-4-5"     # needs ANTHROPIC_API_KEY',
    "[[stages]]",
    'use = "generator/rules"',
    "",
    "[[stages]]",
    'use = "filter/strip-artifacts"',
    "",
    "[[stages]]",
    'use = "filter/sanitize"',
    "",
    "[[stages]]",
    'use = "filter/ratio"',
    "",
  );
  return lines.join("\n");
}
